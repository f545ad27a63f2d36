"""The web adapter: aiohttp and python-socketio around the core (pages, Socket.IO, health)."""
