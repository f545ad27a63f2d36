"""The web adapter: aiohttp and python-socketio around the core (pages, Socket.IO, health)."""

# First of all: python-socketio without the broker clients it would import for nothing.
import server.web.without_brokers  # noqa: F401
