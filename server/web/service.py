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
from contextlib import AsyncExitStack, asynccontextmanager, nullcontext
from dataclasses import dataclass
from functools import partial

import socketio
from aiohttp import web

from server import pidfile
from server.curation import Curator, build_filter_off_loop
from server.heap import HeapKeeper, collector_paused
from server.hub import Hub, TextChecker
from server.limits import capacity_warning, raise_open_file_limit
from server.moderation import TextFilter
from server.settings import Settings
from server.web.app import SIO, make_web_app
from server.web.broadcast import wall_events
from server.web.draws_page import draws_pages
from server.web.network import join_url
from server.web.welcome import hub_standing

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 0.1  # clients were told to go; stragglers must not hold the quit hostage
DISCONNECT_TIMEOUT = 0.5


class PortInUse(Exception):
    """The port is taken (another danmaku, or something else)."""


@dataclass
class Service:
    """A running server: its hub, and where it listens."""

    hub: Hub
    host: str
    port: int
    join_url: str
    curator: Curator | None = None  # None when the tests passed their own checker
    open_files: int = 0  # the process's open-file limit: one file per phone
    cold_filter: TextFilter | None = None  # started with jieba not loaded yet: warm_filter()

    async def warm_filter(self) -> None:
        """Load jieba into a filter the start-up left cold (~1 s, in a thread); once.

        Until then the first comment that needs jieba waits for it (``TextFilter.check``).
        """
        text_filter, self.cold_filter = self.cold_filter, None
        if text_filter is not None:
            await asyncio.to_thread(text_filter.warm_up)

    @property
    def capacity_warning(self) -> str | None:
        """What to tell the moderator when the open-file limit caps the hall, else None."""
        return capacity_warning(self.open_files)

    @property
    def base_url(self) -> str:
        """A loopback URL for this server (for tests and the local projector)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"


@asynccontextmanager
async def running_service(
    settings: Settings,
    checker: TextChecker | None = None,
    *,
    keep_gc_pauses_short: bool = False,
    warm_filter_later: bool = False,
) -> AsyncIterator[Service]:
    """Run the server until the block exits; quitting takes well under 2 s.

    ``keep_gc_pauses_short`` runs a :class:`HeapKeeper` (it changes the process's
    garbage collector: for the real server process, not for a test run).
    ``warm_filter_later`` leaves jieba (about a second of one core) to
    :meth:`Service.warm_filter`: the console shows its queue first.

    Raises:
        PortInUse: when the port cannot be bound (nothing is left open).
    """
    async with AsyncExitStack() as stack:
        open_files = raise_open_file_limit()
        listener = bind_listener(settings.host, settings.port)
        stack.callback(listener.close)
        text_filter = None
        if checker is None:
            checker = text_filter = await build_filter_off_loop(
                settings, warm=not warm_filter_later
            )
        with collector_paused() if keep_gc_pauses_short else nullcontext():
            hub = await Hub.open(settings, checker)  # ~100,000 messages: a second or two
        stack.push_async_callback(hub.close)
        curator = Curator(hub, settings, text_filter) if text_filter is not None else None
        if settings.redis_url is not None:  # the hub of a cluster: Redis loaded only then
            from server.cluster.bridge import running_hub_bridge

            bridge = running_hub_bridge(
                hub,
                settings.redis_url,
                shape=wall_events,
                standing=partial(hub_standing, hub),
                pages=partial(draws_pages, hub),
                filter_from=settings if text_filter is not None else None,
            )
            await stack.enter_async_context(bridge)
        port = int(listener.getsockname()[1])
        url = join_url(settings.host, port, settings.public_url)
        await serve_app(stack, make_web_app(hub, settings, url), listener)
        pidfile.write(settings.db_path, port)
        stack.callback(pidfile.remove, settings.db_path)
        if keep_gc_pauses_short:
            keeper = asyncio.create_task(HeapKeeper(hub.idle_seconds).run(), name="heap")
            stack.callback(keeper.cancel)
        yield Service(
            hub=hub,
            host=settings.host,
            port=port,
            join_url=url,
            curator=curator,
            open_files=open_files,
            cold_filter=text_filter if warm_filter_later else None,
        )


async def serve_app(stack: AsyncExitStack, app: web.Application, listener: socket.socket) -> None:
    """Serve ``app`` on ``listener`` until ``stack`` closes, which disconnects every client."""
    runner = web.AppRunner(
        app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
    )
    await runner.setup()
    stack.push_async_callback(runner.cleanup)
    # Disconnect every client first, so no socket keeps the cleanup waiting.
    stack.push_async_callback(disconnect_everyone, app[SIO])
    await web.SockSite(runner, listener).start()


async def disconnect_everyone(sio: socketio.AsyncServer) -> None:
    """Close every phone's and projector's connection (bounded), then stop Socket.IO's tasks."""
    if sio.eio.sockets:
        try:
            await asyncio.wait_for(sio.eio.disconnect(), DISCONNECT_TIMEOUT)
        except TimeoutError:
            log.warning("some clients did not close in time; cleanup cuts them off")
        except ValueError:  # the last ones left while we looked: nobody to disconnect
            pass
    await sio.shutdown()


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
