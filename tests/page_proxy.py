"""A loopback reverse proxy in front of the live server, for the WebDriver page tests.

Selenium has neither Playwright's request routing nor, for WebKitGTK, any console log, so
this proxy does the two things the tests need on the wire, as a venue's reverse proxy
would sit in front of the server (it passes ``Host`` through, as nginx's
``proxy_set_header Host $host`` does, so Socket.IO's same-origin check holds):

- every HTML page gets one script first in its ``<head>`` (same origin, so the pages' CSP
  allows it) that collects what went wrong into ``window.__pageErrors``: uncaught errors,
  failed resources, unhandled rejections, CSP violations, ``console.error`` and dialogs;
- a WebSocket upgrade is relayed, refused, or accepted and then never spoken on, which
  puts the pages on their long-polling fallback the way a hostile network does; every
  attempt can be noted (to count a polling page's upgrade probes).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

ERROR_HOOK_PATH = "/__tests__/page-errors.js"

# Runs before the pages' own (deferred) scripts. Dialogs are recorded, never shown: an
# alert would block WebDriver and hide what opened it.
ERROR_HOOK = r"""(function () {
  'use strict';
  var seen = window.__pageErrors = [];
  function note(kind, detail) { seen.push(kind + ': ' + String(detail)); }
  window.addEventListener('error', function (e) {
    var target = e.target;
    if (target && target !== window && target.tagName) {
      note('resource', target.tagName + ' ' + (target.src || target.href || ''));
    } else {
      note('error', e.message + ' at ' + e.filename + ':' + e.lineno);
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    note('unhandled rejection', e.reason && e.reason.stack ? e.reason.stack : e.reason);
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    note('CSP', e.violatedDirective + ' ' + e.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    note('console.error', Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
  ['alert', 'confirm', 'prompt'].forEach(function (name) {
    window[name] = function (message) { note(name, message); return null; };
  });
})();
"""

# A page script that goes wrong in every way the hook watches, to show that it sees them
# (a script WebDriver runs itself is sandboxed in Firefox: its errors never reach the page).
FAULTS_PATH = "/__tests__/faults.js"
FAULTS = r"""setTimeout(function () { throw new Error('thrown later'); }, 0);
Promise.reject(new Error('nobody caught this'));
console.error('logged as an error');
document.body.setAttribute('style', 'color: red'); // the CSP refuses inline styles
document.body.appendChild(new Image()).src = '/no-such-picture.png';
alert('a dialog');
"""

HOOK_TAG = f'<script src="{ERROR_HOOK_PATH}"></script>'.encode()

# Headers that describe one hop (or the body's encoding on it), never forwarded as they are.
HOP_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "content-encoding",
        "accept-encoding",
        "te",
        "trailer",
        "proxy-connection",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
        "sec-websocket-accept",
    }
)


class WebSocketPolicy(enum.Enum):
    """What the proxy does with a page's WebSocket upgrade."""

    RELAY = "relay"  # a working venue network
    REFUSE = "refuse"  # a proxy or firewall that blocks upgrades: 403 at the handshake
    UNANSWERED = "unanswered"  # opens, then never a frame (iOS WebKit over plain HTTP)
    # A crowd's reconnect storm: the page's first handshake gets the server's 429, later
    # ones (the polling page's upgrade probe too) are relayed.
    REFUSE_FIRST = "refuse first"


def with_error_hook(html: bytes) -> bytes:
    """The page with the error hook as the first thing in its head."""
    head = html.find(b"<head>")
    if head < 0:
        raise AssertionError("a page without <head>: the error hook has nowhere to go")
    at = head + len(b"<head>")
    return html[:at] + HOOK_TAG + html[at:]


def forwarded_headers(request: web.Request) -> dict[str, str]:
    """The request's end-to-end headers, ``Host`` and ``Origin`` included."""
    return {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}


class PageProxy:
    """Forwards HTTP to ``upstream`` and treats WebSocket upgrades by ``policy``."""

    def __init__(
        self, upstream: str, policy: WebSocketPolicy, attempts: list[str] | None = None
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.policy = policy
        self.attempts = attempts  # where to note each WebSocket's path and query, if given
        self.refused_one = False  # REFUSE_FIRST has refused its one handshake
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None), auto_decompress=True
        )
        self.links: set[asyncio.Task[None]] = set()  # held: the loop keeps tasks weakly

    async def drop_links(self) -> None:
        """End every relayed WebSocket (the runner's shutdown would wait for them)."""
        for link in self.links:
            link.cancel()
        await asyncio.gather(*self.links, return_exceptions=True)

    async def script(self, request: web.Request) -> web.Response:
        text = ERROR_HOOK if request.path == ERROR_HOOK_PATH else FAULTS
        return web.Response(text=text, content_type="application/javascript")

    async def forward(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self.websocket(request)
        async with self.session.request(
            request.method,
            self.upstream + request.path_qs,
            headers=forwarded_headers(request),
            data=await request.read(),
            allow_redirects=False,
        ) as answer:
            body = await answer.read()
            headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_HEADERS}
        if answer.content_type == "text/html":
            body = with_error_hook(body)
        return web.Response(status=answer.status, headers=headers, body=body)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if self.attempts is not None:
            self.attempts.append(request.path_qs)
        if self.policy is WebSocketPolicy.REFUSE:
            raise web.HTTPForbidden(text="WebSocket blocked by this network")
        if self.policy is WebSocketPolicy.REFUSE_FIRST and not self.refused_one:
            self.refused_one = True
            raise web.HTTPTooManyRequests(text="Too many connections from this address")
        page = web.WebSocketResponse(autoping=False)
        await page.prepare(request)
        if self.policy is WebSocketPolicy.UNANSWERED:
            async for _ in page:  # swallow whatever it says until it gives up
                pass
            return page
        url = self.upstream.replace("http", "ws", 1) + request.path_qs
        async with self.session.ws_connect(
            url, headers=forwarded_headers(request), autoping=False
        ) as server:
            link = asyncio.current_task()
            assert link is not None
            self.links.add(link)
            try:
                await relay_both_ways(page, server)
            finally:
                self.links.discard(link)
        await page.close()
        return page


async def relay_both_ways(
    page: web.WebSocketResponse, server: aiohttp.ClientWebSocketResponse
) -> None:
    """Pass frames until either side closes; then the other one is closed too."""

    async def pump(
        source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
        sink: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
    ) -> None:
        async for message in source:
            if message.type is aiohttp.WSMsgType.TEXT:
                await sink.send_str(message.data)
            elif message.type is aiohttp.WSMsgType.BINARY:
                await sink.send_bytes(message.data)
            elif message.type is aiohttp.WSMsgType.PING:
                await sink.ping(message.data)
            elif message.type is aiohttp.WSMsgType.PONG:
                await sink.pong(message.data)
        await sink.close()

    pumps = [asyncio.create_task(pump(page, server)), asyncio.create_task(pump(server, page))]
    try:
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in pumps:
            task.cancel()
        for task in pumps:
            with contextlib.suppress(asyncio.CancelledError, ConnectionResetError):
                await task


@asynccontextmanager
async def page_proxy(
    upstream: str,
    websocket: WebSocketPolicy = WebSocketPolicy.RELAY,
    attempts: list[str] | None = None,
) -> AsyncIterator[str]:
    """A proxy on a free loopback port for the block; yields its base URL.

    ``attempts``, when given, gets the path and query of every WebSocket the pages open.
    """
    proxy = PageProxy(upstream, websocket, attempts)
    app = web.Application()
    app.router.add_get(ERROR_HOOK_PATH, proxy.script)
    app.router.add_get(FAULTS_PATH, proxy.script)
    app.router.add_route("*", "/{tail:.*}", proxy.forward)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await proxy.drop_links()
        await runner.cleanup()
        await proxy.session.close()
