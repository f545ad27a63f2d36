"""Danmaku Deck's core: plain asyncio, no Textual, no Socket.IO, no aiohttp.

The web adapter lives in :mod:`server.web` and is the only part that imports aiohttp
and python-socketio.
"""

from server.native import in_checkout, refuse_stale_build

if in_checkout():
    refuse_stale_build()
