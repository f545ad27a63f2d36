"""``danmaku worker``: an edge process of a cluster, serving phones and projectors.

Phones and projectors connect to it exactly as to ``danmaku serve`` (the same app, from
:func:`server.web.app.make_edge_app`); what they send goes to the hub through Redis and
what the hub publishes comes back to them (:class:`server.cluster.edge.ClusterEdge`). It
keeps no database: a phone's ``ok: true`` is the hub's, sent after the hub committed.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import socketio
from aiohttp import web

from server.cluster.audience import report_audience
from server.cluster.edge import ClusterEdge, Followed
from server.cluster.link import REDIS_DOWN_OR_LATE, where
from server.heap import HeapKeeper
from server.limits import capacity_warning, raise_open_file_limit
from server.settings import Settings
from server.web.app import PHONES, SIO, make_edge_app, preferred_language
from server.web.broadcast import deliver
from server.web.draws_page import render as render_draws
from server.web.headless import stop_signal
from server.web.mirror import WallMirror
from server.web.namespaces import SendNamespace
from server.web.network import join_url
from server.web.service import bind_listener, serve_app

log = logging.getLogger(__name__)

EDGE = web.AppKey("edge", ClusterEdge)
MIRROR = web.AppKey("mirror", WallMirror)
CATCH_UP_WAIT_SECONDS = 3.0


@dataclass
class Worker:
    """A running worker: its link to the hub, and where it listens."""

    edge: ClusterEdge
    host: str
    port: int
    join_url: str
    open_files: int = 0

    @property
    def base_url(self) -> str:
        """A loopback URL for this worker (for tests and a local projector)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"


async def healthz(request: web.Request) -> web.Response:
    """200 while Redis answers, 503 while it does not (a balancer then sends phones elsewhere)."""
    edge = request.app[EDGE]
    reachable = await edge.reachable()
    return web.json_response(
        {
            "ok": reachable,
            "role": "worker",
            "redis": reachable,
            "phones": edge.phones,
            "show_pages": edge.show_pages,
            "paused": request.app[MIRROR].paused,
        },
        status=200 if reachable else 503,
    )


async def draws_page(request: web.Request) -> web.Response:
    """The night's lottery record, as the hub rendered it (503 while Redis is away)."""
    lang = preferred_language(request.headers.get("Accept-Language", ""))
    try:
        page = await request.app[EDGE].page(f"draws.{lang}")
    except REDIS_DOWN_OR_LATE:
        return web.Response(status=503, text="The lottery's record is out of reach for now.")
    return web.Response(
        text=page if page is not None else render_draws((), None, lang),  # no hub yet
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


class Relay:
    """The hub's events to this worker's pages, and into its mirror for later projectors."""

    def __init__(
        self,
        edge: ClusterEdge,
        mirror: WallMirror,
        sio: socketio.AsyncServer,
        phones: SendNamespace,
    ) -> None:
        self._edge, self._mirror, self._sio, self._phones = edge, mirror, sio, phones
        self.last_live_at = time.monotonic()
        self.caught_up = asyncio.Event()  # the mirror holds what the hub had published

    async def run(self) -> None:
        """Until cancelled."""
        async for batch in self._edge.wall_events():  # the first is the catch-up
            for followed in batch:
                self._mirror.apply(followed)
                if followed.live:  # not what was read at start-up: shown before we were here
                    await self._deliver(followed)
            self.caught_up.set()

    async def _deliver(self, followed: Followed) -> None:
        self.last_live_at = time.monotonic()
        try:
            await deliver(self._sio, self._phones, followed.event)
        except Exception:  # one failed emit must not stop the wall
            log.exception("relaying %s failed", followed.event.name)

    def idle_seconds(self) -> float:
        """Seconds since the hub last published anything (the heap keeper's quiet time)."""
        return time.monotonic() - self.last_live_at


RELAY = web.AppKey("relay", Relay)


async def _worker_tasks(app: web.Application) -> AsyncIterator[None]:
    edge = app[EDGE]

    def counts() -> tuple[int, int]:
        return edge.phones, edge.show_pages

    tasks = [
        asyncio.create_task(edge.follow(), name="follow-hub"),
        asyncio.create_task(app[RELAY].run(), name="relay"),
        asyncio.create_task(report_audience(edge.redis, edge.worker, counts), name="audience"),
    ]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def make_worker_app(edge: ClusterEdge, settings: Settings, url: str) -> web.Application:
    """The web application of a worker (no module globals)."""
    mirror = WallMirror(settings.catch_up_seconds)
    app = make_edge_app(edge, mirror.welcome, settings, url)
    app[EDGE] = edge
    app[MIRROR] = mirror
    app[RELAY] = Relay(edge, mirror, app[SIO], app[PHONES])
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/draws", draws_page)
    app.cleanup_ctx.append(_worker_tasks)
    return app


@asynccontextmanager
async def running_worker(
    settings: Settings, *, keep_gc_pauses_short: bool = False
) -> AsyncIterator[Worker]:
    """Run a worker until the block exits; Redis need not be up yet.

    ``keep_gc_pauses_short`` runs a :class:`HeapKeeper`, as ``danmaku serve`` does (for
    the real process, not a test run).

    Raises:
        PortInUse: when the port cannot be bound (nothing is left open).
    """
    assert settings.redis_url is not None, "a worker needs --redis"
    async with AsyncExitStack() as stack:
        open_files = raise_open_file_limit()
        listener = bind_listener(settings.host, settings.port)
        stack.callback(listener.close)
        edge = ClusterEdge(settings, settings.redis_url)
        stack.push_async_callback(edge.close)
        port = int(listener.getsockname()[1])
        url = join_url(settings.host, port, settings.public_url)
        app = make_worker_app(edge, settings, url)
        await serve_app(stack, app, listener)
        try:  # a projector connecting now is caught up, unless Redis is away (it may be)
            await asyncio.wait_for(app[RELAY].caught_up.wait(), CATCH_UP_WAIT_SECONDS)
        except TimeoutError:
            log.warning(
                "serving before catching up with the hub: is Redis up at %s?", where(edge.url)
            )
        if keep_gc_pauses_short:
            keeper = asyncio.create_task(HeapKeeper(app[RELAY].idle_seconds).run(), name="heap")
            stack.callback(keeper.cancel)
        yield Worker(edge, settings.host, port, url, open_files)


async def work(settings: Settings) -> None:
    """``danmaku worker``: run until SIGINT or SIGTERM."""
    stop = stop_signal()
    edge_url = settings.redis_url or ""
    async with running_worker(settings, keep_gc_pauses_short=True) as worker:
        print(f"Danmaku Deck worker serving. Phones open {worker.join_url}", flush=True)
        print(f"Following the hub through Redis at {where(edge_url)}   (Ctrl-C stops)", flush=True)
        warning = capacity_warning(worker.open_files)
        if warning:
            print(f"Warning: {warning}", file=sys.stderr, flush=True)
        await stop.wait()
