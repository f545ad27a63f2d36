"""The two pages in Firefox and WebKit (Selenium WebDriver) against the real server.

WeChat on iOS is WebKit and a projector PC may run Firefox; chromium has its own, longer
module (tests/test_pages_browser.py, through Playwright). Here each page loads through its
own tests/page_proxy.py, which collects the page's errors (WebKitGTK gives WebDriver no
console log) and relays, refuses or never answers the page's WebSocket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from server.models import Submission
from server.web.service import Service
from tests.browser_support import (
    DIGITS,
    SHOTS,
    XSS,
    XSS_NICK,
    assert_text_font,
    live_service,
    settings_for,
)
from tests.page_proxy import FAULTS_PATH, WebSocketPolicy, page_proxy
from tests.webdriver_support import ENGINES, Engine, Page, running_engine

# One browser per engine for the module (each test gets fresh windows behind fresh proxies,
# so fresh origins and storage): starting Firefox costs about five seconds.
pytestmark = [
    pytest.mark.webdriver,
    pytest.mark.asyncio(loop_scope="module"),
    # Selenium's own WebKitGTK driver still uses an API Selenium deprecated.
    pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning"),
]

PHONE_WINDOW = (390, 844)
PROJECTOR_WINDOW = (1280, 720)
RELAY, REFUSE, UNANSWERED = (
    WebSocketPolicy.RELAY,
    WebSocketPolicy.REFUSE,
    WebSocketPolicy.UNANSWERED,
)

STATUS = "[role=status]"
SENT = "return document.querySelector('[role=status]').dataset.kind === 'ok'"
ON_WALL = """(text) => {
    const texts = Array.from(document.querySelectorAll('[data-danmaku-id] .text'));
    const found = texts.find(el => el.textContent === text);
    if (!found) return null;
    const comment = found.closest('[data-danmaku-id]');
    const part = name => { const el = comment.querySelector(name); return el && el.textContent; };
    return {all: comment.textContent, avatar: part('.avatar'), nick: part('.nick'),
            text: part('.text'), id: comment.dataset.danmakuId};
}"""
WHOLLY_ON_SCREEN = """const box = document.querySelector(`[data-danmaku-id="${arguments[0]}"]`)
    .getBoundingClientRect();
return box.left >= 0 && box.right <= window.innerWidth;"""
MARKUP_MADE = "return document.querySelectorAll('img:not(#qr)').length"


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    with running_engine(request.param) as running:
        yield running


@pytest.fixture
def pages(engine: Engine) -> Iterator[Engine]:
    """The module's engine; every window a test opened is closed after it."""
    yield engine
    engine.close_pages()


@pytest_asyncio.fixture(loop_scope="module")
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    async with live_service(settings_for(tmp_path, use_default_wordlists=False)) as running:
        yield running


async def open_connected(pages: Engine, url: str, size: tuple[int, int]) -> Page:
    page = await pages.open(url, size)
    await page.wait_connected()
    return page


async def send_from(phone: Page, text: str, nick: str = "") -> None:
    await phone.type_into("input[name=nick]", nick)
    await phone.type_into("input[name=text]", text)
    await phone.click("button[type=submit]")


async def on_wall(show: Page, text: str) -> dict[str, str]:
    """The comment whose text is ``text``, once it is on the wall: its parts' text."""
    await show.wait_for(f"return ({ON_WALL})(arguments[0]) !== null", text)
    parts: dict[str, str] = await show.evaluate(ON_WALL, text)
    return parts


def expected_transport(policy: WebSocketPolicy) -> str:
    return "websocket" if policy is RELAY else "polling"


@pytest.mark.parametrize(
    ("show_websocket", "phone_websocket"),
    # The phone's WebSocket never answered: WeChat on iOS over plain HTTP. (The chromium
    # module has the other way round; both cost the page's 3 s WebSocket timeout.)
    [(RELAY, RELAY), (REFUSE, UNANSWERED)],
    ids=["websocket", "polling"],
)
async def test_comment_goes_from_phone_to_wall_as_plain_text(
    pages: Engine,
    service: Service,
    show_websocket: WebSocketPolicy,
    phone_websocket: WebSocketPolicy,
) -> None:
    async with (
        page_proxy(service.base_url, show_websocket) as show_url,
        page_proxy(service.base_url, phone_websocket) as phone_url,
    ):
        show = await open_connected(pages, f"{show_url}/show", PROJECTOR_WINDOW)
        phone = await open_connected(pages, f"{phone_url}/", PHONE_WINDOW)
        assert await show.transport() == expected_transport(show_websocket)
        assert await phone.transport() == expected_transport(phone_websocket)
        await phone.wait_for("return document.getElementById('conn').dataset.state === 'connected'")

        await send_from(phone, XSS, nick=XSS_NICK)
        await phone.wait_for(SENT)
        assert XSS in await phone.run(f"return document.querySelector('{STATUS}').textContent")
        assert await phone.run("return document.querySelector('input[name=text]').value") == ""
        comment = await on_wall(show, XSS)
        # The avatar (the nick's first character), the nick badge, then the text: all text.
        assert comment["all"] == "<" + XSS_NICK + XSS
        assert (comment["avatar"], comment["nick"], comment["text"]) == ("<", XSS_NICK, XSS)
        assert [m.text for m in service.hub.recent_shown()] == [XSS]

        # A second one: the link (the poll loop, on polling) goes on after the first answer.
        await send_from(phone, "second comment")
        await on_wall(show, "second comment")
        for page in (show, phone):
            assert await page.run(MARKUP_MADE) == 0
            assert await page.errors() == []


async def test_digits_and_spaces_are_drawn_from_a_text_font(
    pages: Engine, service: Service
) -> None:
    async with page_proxy(service.base_url) as url:
        show = await open_connected(pages, f"{url}/show?speed=3", PROJECTOR_WINDOW)
        phone = await open_connected(pages, f"{url}/", PHONE_WINDOW)
        await phone.type_into("input[name=text]", DIGITS)
        await assert_text_font(phone, "#count")  # "8/60"
        await phone.type_into("input[name=nick]", "2026")
        await phone.click("button[type=submit]")
        await phone.wait_for(SENT)
        await assert_text_font(phone, STATUS)
        comment = await on_wall(show, DIGITS)
        await assert_text_font(show, f'[data-danmaku-id="{comment["id"]}"] .text')
        await assert_text_font(show, f'[data-danmaku-id="{comment["id"]}"] .nick')

        # For a person to look at (in $DANMAKU_SHOTS, default /tmp/shots), with colour
        # emoji and Chinese beside the digits, once both comments are wholly on screen.
        await service.hub.submit(Submission(sender="e", text="新年快乐 🎉👍🏽 2026", nick="小明"))
        latest = await on_wall(show, "新年快乐 🎉👍🏽 2026")
        await show.wait_for(WHOLLY_ON_SCREEN, latest["id"])
        SHOTS.mkdir(parents=True, exist_ok=True)
        await show.screenshot(SHOTS / f"show-{pages.name}.png")
        await phone.screenshot(SHOTS / f"send-{pages.name}.png")
        assert await show.errors() == [] and await phone.errors() == []


async def test_the_error_hook_reports_what_goes_wrong_in_a_page(
    pages: Engine, service: Service
) -> None:
    """The other tests' "no errors" means something only if the hook sees errors at all."""
    async with page_proxy(service.base_url) as url:
        show = await open_connected(pages, f"{url}/show", PROJECTOR_WINDOW)
        assert await show.errors() == []
        await show.run(
            "document.head.appendChild(document.createElement('script')).src = arguments[0]",
            FAULTS_PATH,
        )
        await show.wait_for("return window.__pageErrors.length >= 6")
        kinds = sorted(error.split(":")[0] for error in await show.errors())
        assert kinds == [
            "CSP",
            "alert",
            "console.error",
            "error",
            "resource",
            "unhandled rejection",
        ]
