"""The aiohttp application: pages, assets, health, QR code, and Socket.IO."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import partial

import socketio
from aiohttp import web
from aiohttp.typedefs import Middleware

from server import assets
from server.hub import Hub
from server.qr import qr_svg
from server.ratelimit import SlidingWindowLimiter
from server.settings import ProxyNetwork, RateLimit, Settings
from server.web._socketio import make_socketio_server
from server.web.broadcast import relay_to_projectors
from server.web.draws_page import render as render_draws
from server.web.forwarded import request_address
from server.web.namespaces import Audience, Core, SendNamespace, ShowNamespace, Welcome
from server.web.static import StaticFiles
from server.web.welcome import hub_welcome

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

HUB = web.AppKey("hub", Hub)
SIO = web.AppKey("sio", socketio.AsyncServer)
AUDIENCE = web.AppKey("audience", Audience)
PHONES = web.AppKey("phones", SendNamespace)
JOIN_URL = web.AppKey("join_url", str)
SETTINGS = web.AppKey("settings", Settings)

# No inline script or style, no third-party origin: audience text can never run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)
MAX_PACKET_BYTES = 64 * 1024  # a comment is a few hundred bytes; refuse megabytes


def connection_limit(limit: RateLimit, proxies: Sequence[ProxyNetwork] = ()) -> Middleware:
    """Refuse new Engine.IO sessions from an address that opens them faster than ``limit``.

    Only handshakes count (requests without ``sid``): a hall behind one NAT opens one
    session per phone, so the default lets 15,000 of them back within 30 s of a Wi-Fi
    blink, while a script opening sockets in a loop is held to that pace. Behind a
    trusted proxy the address is the one it forwards (:mod:`server.web.forwarded`).
    """
    limiter = SlidingWindowLimiter(limit)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/socket.io/") and "sid" not in request.query:
            now = time.monotonic()
            if not limiter.allow(request_address(request, proxies), now):
                limiter.prune(now)
                return web.json_response(
                    {"message": "Too many connections from this address; retry shortly."},
                    status=429,
                    headers={"Retry-After": "2"},
                )
        return await handler(request)

    return middleware


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every response gets the CSP and friends."""
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def healthz(request: web.Request) -> web.Response:
    """200 and a JSON object: the server is up, with a few live numbers."""
    stats = request.app[HUB].stats()
    return web.json_response(
        {
            "ok": True,
            "phones": stats.phones,
            "show_pages": stats.show_pages,
            "held": stats.held,
            "paused": stats.paused,
        }
    )


def preferred_language(accept_language: str) -> str:
    """``zh`` or ``en``: the first of the two that the browser's Accept-Language names."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"  # neither: a visitor from abroad reads English more likely than Chinese


async def info(request: web.Request) -> web.Response:
    """What the pages need to know: where to join, the limits, the UI language."""
    settings = request.app[SETTINGS]
    return web.json_response(
        {
            "lang": preferred_language(request.headers.get("Accept-Language", "")),
            "join_url": request.app[JOIN_URL],
            "max_text_length": settings.max_text_length,
            "max_nick_length": settings.max_nick_length,
        }
    )


async def qr_code(request: web.Request) -> web.Response:
    """The join QR code as SVG."""
    response = web.Response(
        body=qr_svg(request.app[JOIN_URL]),
        content_type="image/svg+xml",
        headers={"Cache-Control": "max-age=60"},
    )
    response.enable_compression()
    return response


async def draws_page(request: web.Request) -> web.Response:
    """The night's lottery record for the audience (nicks only; see server.web.draws_page)."""
    hub = request.app[HUB]
    lang = preferred_language(request.headers.get("Accept-Language", ""))
    return web.Response(
        text=render_draws(hub.draws(), hub.lottery_round, lang),
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


async def _relay_context(app: web.Application) -> AsyncIterator[None]:
    relay = relay_to_projectors(app[HUB], app[SIO], app[PHONES], app[AUDIENCE])
    task = asyncio.create_task(relay, name="relay")
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


def make_web_app(hub: Hub, settings: Settings, join_url: str) -> web.Application:
    """Build the whole web application around a hub (no module globals)."""
    app = make_edge_app(hub, partial(hub_welcome, hub), settings, join_url)
    app[HUB] = hub
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/draws", draws_page)
    app.cleanup_ctx.append(_relay_context)
    return app


def make_edge_app(
    core: Core, welcome: Welcome, settings: Settings, join_url: str
) -> web.Application:
    """What every process phones connect to serves: pages, assets, QR code, Socket.IO.

    ``core`` takes the comments (the hub, or a cluster worker's link to it); ``welcome``
    says what a projector is sent when it connects. The caller adds ``/healthz``,
    ``/draws`` and what relays the wall's events to the pages.
    """
    middlewares: list[Middleware] = [security_headers]
    if settings.connection_rate is not None:
        middlewares.append(connection_limit(settings.connection_rate, settings.trusted_proxies))
    app = web.Application(middlewares=middlewares, client_max_size=MAX_PACKET_BYTES)
    sio = make_socketio_server(max_packet_bytes=MAX_PACKET_BYTES)
    audience = Audience(core)
    phones = SendNamespace(core, audience)
    sio.register_namespace(phones)
    sio.register_namespace(ShowNamespace(welcome, audience))
    sio.attach(app)
    app[SETTINGS] = settings
    app[SIO] = sio
    app[AUDIENCE] = audience
    app[PHONES] = phones
    app[JOIN_URL] = join_url
    files = StaticFiles(assets.web_root())
    app.router.add_get("/", files.page("send/index.html"))
    app.router.add_get("/show", files.page("show/index.html"))
    app.router.add_get("/api/info", info)
    app.router.add_get("/qr.svg", qr_code)
    app.router.add_get("/assets/{path:.+}", files.asset)
    return app
