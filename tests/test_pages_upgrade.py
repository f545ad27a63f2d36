"""A page that fell back to long-polling moves up to WebSocket (the Engine.IO upgrade).

In a reconnect storm the server refuses some WebSocket handshakes (429, which a browser
hides from the page); such a phone falls back to long-polling and must not stay there all
evening. It probes a WebSocket into its polling session and switches over: same session,
same namespace, no comment lost or doubled. Where WebSocket is blocked for good, it keeps
polling and asks again only now and then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from server.settings import RateLimit
from server.web.service import Service
from tests.browser_support import (
    PHONE,
    PROJECTOR,
    Watched,
    browser,
    eventually,
    live_service,
    open_page,
    settings_for,
    shared_browser,
    submit_many,
)
from tests.haproxy_support import cluster
from tests.page_proxy import WebSocketPolicy, page_proxy
from tests.webdriver_support import ENGINES, Engine, running_engine

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

NOOP_REPOLL_S = 1.0  # web/lib/socketio.js NOOP_REPOLL_MS

# socket.emit from the phone page itself, resolved with the server's ack.
EMIT = """text => window.__danmakuSocket.emit('danmaku',
    {text, nick: '', color: '#ffffff', mode: 'scroll', cid: 'cid-' + text.replace(/ /g, '-')})"""
# The same without waiting: the ack lands in window.__acks[text].
EMIT_LATER = (
    """text => {
    window.__acks = window.__acks || {};
    ("""
    + EMIT
    + """)(text).then(ack => { window.__acks[text] = ack; });
}"""
)

__all__ = ["browser", "shared_browser"]  # the fixtures


async def reached(step: asyncio.Event, what: str) -> None:
    """Wait for the page to reach a step of the upgrade (a page that never does fails)."""
    try:
        await asyncio.wait_for(step.wait(), 10)
    except TimeoutError:
        raise AssertionError(f"the page never got this far: {what}") from None


def sid_of(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("sid", [None])[0]


class Wire:
    """A page's Socket.IO traffic through Playwright's routing: its first WebSocket is
    refused (the 429 of a crowd), the rest relayed; the upgrade probe can be held at each
    step so that comments go out before, during and after the switch."""

    def __init__(self) -> None:
        self.websockets: list[str] = []  # the URL of every WebSocket the page opened
        self.polls: list[str] = []  # the URL of every long-polling request
        self.gets: list[float] = []  # when each long-polling GET went out (loop time)
        self.to_server: list[str] = []  # what the page said on its upgraded WebSocket
        self.from_server: list[str] = []  # and what it heard there
        self.probe_opened = asyncio.Event()  # the probe is open; the server has not seen it
        self.join_probe = asyncio.Event()  # the test lets it reach the server
        self.probe_answered = asyncio.Event()  # the server said "3probe", held back
        self.pass_answer = asyncio.Event()  # the test lets it reach the page
        self.hold_post_with: str | None = None  # a POST with this text waits ...
        self.post_held = asyncio.Event()
        self.pass_post = asyncio.Event()  # ... until the test lets it go
        self.mute_probe = False  # the probe reaches the server, but never a word from it
        self.probe_closed = asyncio.Event()  # the page gave the (mute) probe up

    def release_all(self) -> None:
        for gate in (self.join_probe, self.pass_answer, self.pass_post):
            gate.set()

    async def route(self, context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", self.websocket)
        await context.route("**/socket.io/**", self.http)

    async def http(self, route: Any) -> None:
        request = route.request
        self.polls.append(request.url)
        if request.method == "GET":
            self.gets.append(asyncio.get_running_loop().time())
        held = self.hold_post_with
        if request.method == "POST" and held and held in (request.post_data or ""):
            self.post_held.set()
            await self.pass_post.wait()
        await route.continue_()

    async def websocket(self, ws: Any) -> None:
        self.websockets.append(ws.url)
        if len(self.websockets) == 1:
            await ws.close()  # refused, as a crowd's handshake is
            return
        if sid_of(ws.url) is None:
            ws.connect_to_server()  # a later plain handshake: relayed as it is
            return
        # The probe: the server learns of it (and starts holding the session's packets
        # for it) only once the test says so.
        self.probe_opened.set()
        await self.join_probe.wait()
        server = ws.connect_to_server()
        if self.mute_probe:

            async def closed(code: int | None, reason: str | None) -> None:
                await server.close()
                self.probe_closed.set()

            ws.on_message(lambda message: None)
            ws.on_close(closed)
            return

        def from_page(message: str | bytes) -> None:
            assert isinstance(message, str)
            self.to_server.append(message)
            server.send(message)

        async def from_server(message: str | bytes) -> None:
            assert isinstance(message, str)
            self.from_server.append(message)
            if message == "3probe":
                self.probe_answered.set()
                await self.pass_answer.wait()
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)


async def open_wired(browser: Any, url: str, wire: Wire, **kw: Any) -> Watched:
    page = await open_page(browser, url, setup=wire.route, **kw)
    await page.wait_connected()
    return page


async def texts_on_wall(show: Watched) -> list[str]:
    texts: list[str] = await show.evaluate(
        "() => Array.from(document.querySelectorAll('[data-danmaku-id] .text'))"
        ".map(el => el.textContent)"
    )
    return texts


async def on_wall_once(show: Watched, texts: list[str]) -> None:
    async def all_there() -> bool:
        return set(texts) <= set(await texts_on_wall(show))

    await eventually(all_there)
    await asyncio.sleep(0.3)  # a second copy would have come by now
    shown = await texts_on_wall(show)
    assert sorted(t for t in shown if t in texts) == sorted(texts), shown


def assert_no_tight_poll_loop(wire: Wire, since: float) -> None:
    """Since the probe reached the server, it answered every GET at once with a noop: the
    page asked again only after a pause, not in a tight loop."""
    held = asyncio.get_running_loop().time() - since
    gets = [t for t in wire.gets if t >= since]
    assert len(gets) <= 2 + held / NOOP_REPOLL_S, (len(gets), held)


def assert_one_session(wire: Wire) -> None:
    """One polling handshake, then every request and the probe in its session."""
    handshakes = [url for url in wire.polls if sid_of(url) is None]
    assert len(handshakes) == 1, handshakes
    sids = {sid_of(url) for url in wire.polls[1:]} | {sid_of(wire.websockets[1])}
    assert len(sids) == 1, sids
    assert [sid_of(url) is None for url in wire.websockets] == [True, False]
    lbs = {parse_qs(urlsplit(url).query)["lb"][0] for url in wire.polls + wire.websockets}
    assert len(lbs) == 1, lbs  # behind HAProxy, the probe reaches the session's worker


async def test_a_phone_on_polling_moves_to_websocket_and_every_comment_counts_once(
    browser: Any, tmp_path: Path
) -> None:
    # Two handshakes an hour from loopback: the projector's and the phone's polling one.
    # The probe carries its sid, so the limiter must let it through.
    settings = settings_for(
        tmp_path, use_default_wordlists=False, connection_rate=RateLimit(2, 3600.0)
    )
    wire = Wire()
    async with live_service(settings) as service:
        try:
            await upgrade_with_comments_in_flight(browser, service, wire)
        finally:
            wire.release_all()  # nothing left waiting when the server stops


async def upgrade_with_comments_in_flight(browser: Any, service: Service, wire: Wire) -> None:
    show = await open_page(browser, f"{service.base_url}/show", viewport=PROJECTOR)
    await show.wait_connected()
    phone = await open_wired(browser, f"{service.base_url}/", wire, viewport=PHONE)
    assert await phone.transport() == "polling"
    await reached(wire.probe_opened, "opened an upgrade probe")

    acks = {"before": await phone.evaluate(EMIT, "before")}  # all on long-polling
    loop = asyncio.get_running_loop()
    joined = loop.time()
    wire.join_probe.set()
    await reached(wire.probe_answered, "had its probe answered")
    # The server now holds what it sends for the WebSocket: this one's ack waits there.
    await phone.evaluate(EMIT_LATER, "during the probe")
    # This one's POST is still on its way when "3probe" arrives: the page waits for it ...
    wire.hold_post_with = "while posting"
    await phone.evaluate(EMIT_LATER, "while posting")
    await reached(wire.post_held, "posted the comment")
    assert_no_tight_poll_loop(wire, joined)
    wire.pass_answer.set()
    # ... and what is sent meanwhile is queued, then goes out on the WebSocket after "5".
    await phone.evaluate(EMIT_LATER, "while switching")
    wire.pass_post.set()
    await phone.page.wait_for_function("() => window.__danmakuTransport === 'websocket'")
    acks["after"] = await phone.evaluate(EMIT, "after")

    later = ["during the probe", "while posting", "while switching"]
    await phone.page.wait_for_function(
        "texts => texts.every(t => window.__acks && t in window.__acks)", arg=later
    )
    acks.update(await phone.evaluate("() => window.__acks"))
    texts = ["before", *later, "after"]
    assert [acks[t].get("ok") for t in texts] == [True] * 5, acks
    assert len({acks[t]["id"] for t in texts}) == 5
    assert sorted(m.text for m in service.hub.recent_shown()) == sorted(texts)
    await on_wall_once(show, texts)

    assert await phone.transport() == "websocket"
    assert_one_session(wire)
    upgrade = wire.to_server.index("5")
    on_websocket = " ".join(wire.to_server[upgrade:])
    assert "while switching" in on_websocket and "after" in on_websocket
    assert "before" not in on_websocket and "while posting" not in on_websocket
    # The acks the server held during the switch came once each, on the WebSocket.
    ack_frames = [m for m in wire.from_server if m.startswith("43/send,")]
    assert len(ack_frames) == len(set(ack_frames)) == 4, ack_frames
    assert phone.errors == [] and show.errors == []


async def test_where_websocket_is_blocked_the_phone_polls_and_probes_rarely(
    browser: Any, tmp_path: Path
) -> None:
    attempts: list[str] = []
    async with (
        live_service(settings_for(tmp_path, use_default_wordlists=False)) as service,
        page_proxy(service.base_url, WebSocketPolicy.REFUSE, attempts) as url,
    ):
        phone = await open_page(browser, f"{url}/", viewport=PHONE)
        await phone.wait_connected()
        assert await phone.transport() == "polling"

        async def probed() -> bool:
            return len(attempts) >= 2

        await eventually(probed)  # the handshake, then the probe at once
        assert [sid_of(a) is None for a in attempts] == [True, False]
        # The next probe waits at least five seconds: none in the next four.
        await asyncio.sleep(4)
        assert len(attempts) == 2, attempts

        ack = await phone.evaluate(EMIT, "still on polling")
        assert ack["ok"], ack
        assert await phone.transport() == "polling"
        assert [m.text for m in service.hub.recent_shown()] == ["still on polling"]
        # A refused handshake is the browser's own console error; nothing else went wrong.
        assert [e for e in phone.errors if "WebSocket" not in e] == []


async def test_the_projector_moves_to_websocket_too(browser: Any, tmp_path: Path) -> None:
    wire = Wire()
    async with live_service(settings_for(tmp_path, use_default_wordlists=False)) as service:
        try:
            show = await open_wired(browser, f"{service.base_url}/show", wire, viewport=PROJECTOR)
            await reached(wire.probe_opened, "opened an upgrade probe")
            assert await show.transport() == "polling"
            await submit_many(service, ["before the switch"])
            await show.page.locator(".dm", has_text="before the switch").wait_for()
            joined = asyncio.get_running_loop().time()
            wire.join_probe.set()
            await reached(wire.probe_answered, "had its probe answered")
            # Held on the server for the WebSocket, shown once it is there.
            await submit_many(service, ["during the switch"])
            await asyncio.sleep(1)  # within the probe's 3 s: long enough to see a tight loop
            assert_no_tight_poll_loop(wire, joined)
            wire.pass_answer.set()
            await show.page.wait_for_function("() => window.__danmakuTransport === 'websocket'")
            await submit_many(service, ["after the switch"])
            texts = ["before the switch", "during the switch", "after the switch"]
            await on_wall_once(show, texts)
            assert_one_session(wire)
            assert service.hub.stats().show_pages == 1
            assert show.errors == []
        finally:
            wire.release_all()


async def test_behind_haproxy_the_probe_reaches_the_sessions_worker(
    browser: Any, tmp_path: Path, wordlist: Path
) -> None:
    # One handshake an hour per worker from HAProxy's address: the phone's polling one.
    wire = Wire()
    wire.release_all()
    async with cluster(tmp_path, wordlist, "--connect-rate", "1/3600") as venue:
        phone = await open_wired(browser, venue.url(None), wire, viewport=PHONE)
        acks = [await phone.evaluate(EMIT, "first")]
        await phone.page.wait_for_function("() => window.__danmakuTransport === 'websocket'")
        acks.append(await phone.evaluate(EMIT, "second"))
        assert [ack.get("ok") for ack in acks] == [True, True], acks
        assert_one_session(wire)
        per_worker = sorted([text for _, text in rows] for rows in venue.rows("text"))
        assert per_worker == [[], ["first", "second"]], per_worker
        assert phone.errors == []


async def test_a_probe_that_dies_before_its_first_word_does_not_leave_the_phone_deaf(
    browser: Any, tmp_path: Path
) -> None:
    """A WebSocket that reaches the server and closes before saying "2probe" (a network that
    hangs it after the handshake) leaves python-engineio waiting for it: every GET of the
    session would get a noop and nothing else until the session times out (45 s). Our
    server's socket door resets that (tests/test_socketio_door.py), and the page would start
    a new session against a server that does not: either way the phone is not deaf."""
    wire = Wire()
    wire.mute_probe = True
    wire.release_all()
    async with live_service(settings_for(tmp_path, use_default_wordlists=False)) as service:
        phone = await open_wired(browser, f"{service.base_url}/", wire, viewport=PHONE)
        await reached(wire.probe_closed, "gave its probe up")
        texts = ["answered by the last real poll", "heard again"]
        for text in texts:
            await phone.page.fill("input[name=text]", text)
            await phone.page.click("button[type=submit]")
            # The page's own retries (4 x 8 s) would all go to the deaf session.
            sent = phone.page.locator("[role=status]").filter(has_text=f"Sent: \u201c{text}")
            await sent.wait_for(timeout=30_000)
        assert sorted(m.text for m in service.hub.recent_shown()) == sorted(texts)
        assert await phone.transport() == "polling"
        assert phone.errors == []


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Firefox (a projector PC) and WebKit (WeChat on iOS), through Selenium WebDriver."""
    with running_engine(request.param) as running:
        yield running
        running.close_pages()


@pytest.mark.webdriver
@pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")
async def test_firefox_and_webkit_pages_move_to_websocket_too(
    engine: Engine, tmp_path: Path
) -> None:
    attempts: list[str] = []  # every WebSocket the pages opened, as the proxy saw it
    async with (
        live_service(settings_for(tmp_path, use_default_wordlists=False)) as service,
        page_proxy(service.base_url, WebSocketPolicy.REFUSE_FIRST, attempts) as url,
    ):
        phone = await engine.open(f"{url}/", (390, 844))
        await phone.wait_connected()
        await phone.wait_for("return window.__danmakuTransport === 'websocket'")
        assert [sid_of(a) is None for a in attempts] == [True, False]  # 429, then the probe
        await phone.type_into("input[name=text]", "upgraded")
        await phone.click("button[type=submit]")
        await phone.wait_for("return document.querySelector('[role=status]').dataset.kind === 'ok'")
        assert [m.text for m in service.hub.recent_shown()] == ["upgraded"]
        assert await phone.errors() == []
