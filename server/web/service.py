"""Start and stop the whole server (filter, hub, web app) as one unit.

Both ``danmaku`` (inside the Textual app's loop) and ``danmaku serve`` use this,
as do the tests.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from server.hub import Hub, TextChecker
from server.settings import Settings
from server.web.app import SIO, make_web_app
from server.web.network import join_url

if TYPE_CHECKING:
    from server.moderation import TextFilter

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 0.5  # open sockets must not hold the quit hostage


class PortInUse(Exception):
    """The port is taken (another danmaku, or something else)."""


@dataclass
class Service:
    """A running server: its hub, and where it listens."""

    hub: Hub
    host: str
    port: int
    join_url: str

    @property
    def base_url(self) -> str:
        """A loopback URL for this server (for tests and the local projector)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"


def build_filter(settings: Settings) -> TextFilter:
    """The moderation filter from the settings' wordlists."""
    from server.moderation import load_filter

    return load_filter(
        settings.wordlists,
        use_defaults=settings.use_default_wordlists,
        allow_files=settings.allow_files,
    )


@asynccontextmanager
async def running_service(
    settings: Settings, checker: TextChecker | None = None
) -> AsyncIterator[Service]:
    """Run the server until the block exits; quitting takes well under 2 s.

    Raises:
        PortInUse: when the port cannot be bound (nothing is left open).
    """
    async with AsyncExitStack() as stack:
        listener = bind_listener(settings.host, settings.port)
        stack.callback(listener.close)
        if checker is None:
            text_filter = build_filter(settings)
            # jieba's first use blocks for most of a second: do it off the loop.
            await asyncio.to_thread(text_filter.warm_up)
            checker = text_filter
        hub = await Hub.open(settings, checker)
        stack.push_async_callback(hub.close)
        port = int(listener.getsockname()[1])
        url = join_url(settings.host, port, settings.public_url)
        app = make_web_app(hub, settings, url)
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        stack.push_async_callback(runner.cleanup)
        # Disconnect every client first, so no socket keeps the cleanup waiting.
        stack.push_async_callback(app[SIO].shutdown)
        await web.SockSite(runner, listener).start()
        yield Service(hub=hub, host=settings.host, port=port, join_url=url)


def bind_listener(host: str, port: int) -> socket.socket:
    """Bind the listening socket first, so a taken port is a clear error before anything runs.

    Raises:
        PortInUse: when the port cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortInUse(
                f"Port {port} on {host or '*'} is already in use (is another danmaku "
                "running?). Choose another with --port."
            ) from exc
        raise
    listener.listen(1024)
    listener.setblocking(False)
    return listener
