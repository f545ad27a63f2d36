"""Helpers for the browser tests: Debian's chromium through Playwright, and a live server.

Kept out of ``conftest.py`` on purpose: only the browser tests need them.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
import pytest_asyncio

from server.models import Submission
from server.settings import Settings
from server.web.service import Service, running_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Pages in other tabs must keep animating and polling like a real projector.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
PHONE = {"width": 390, "height": 844}
ANDROID = {"width": 412, "height": 915}
PROJECTOR = {"width": 1920, "height": 1080}
SHOTS = Path(os.environ.get("DANMAKU_SHOTS", "/tmp/shots"))
XSS = "<img src=x onerror=alert(1)>"
XSS_NICK = "<img src=x>"  # nicks are short (16): markup that would still make an <img>
DIGITS = "666 2026"  # what a hall types most: digits and a space

# The width of an element's text (or ``text``) set in the element's own font stack, in a
# plain text font, and in the colour emoji font, each in a probe that shares the element's
# classes and parent (so its size, weight and spacing). Colour emoji fonts carry their own
# space and digit glyphs, about twice as wide: a stack that lists one before the text
# fonts draws "666 2026" from it wherever the named text fonts are missing.
TEXT_FONT_WIDTHS = """({selector, text}) => {
    const el = document.querySelector(selector);
    const width = family => {
        const probe = document.createElement(el.tagName);
        probe.className = el.className;
        probe.textContent = text === null ? el.textContent : text;
        probe.style.position = 'absolute';
        probe.style.visibility = 'hidden';
        probe.style.whiteSpace = 'pre';
        if (family) probe.style.fontFamily = family;
        el.parentNode.appendChild(probe);
        const measured = probe.getBoundingClientRect().width;
        probe.remove();
        return measured;
    };
    return {page: width(''), text: width('sans-serif'), emoji: width('"Noto Color Emoji"')};
}"""


class Evaluates(Protocol):
    """A page that runs a JavaScript function with one argument (Playwright's or ours)."""

    async def evaluate(self, script: str, arg: Any = None) -> Any: ...


async def assert_text_font(page: Evaluates, selector: str, text: str | None = None) -> None:
    """The element's digits and spaces come from a text font, not from an emoji font."""
    widths = await page.evaluate(TEXT_FONT_WIDTHS, {"selector": selector, "text": text})
    # Without the emoji font this check could not fail: the machine must have it, as
    # projector PCs do (the README tells venues to install it).
    assert widths["emoji"] > 1.5 * widths["text"], (
        f"Noto Color Emoji is not installed (fonts-noto-color-emoji): {widths}"
    )
    ratio = widths["page"] / widths["text"]
    assert 0.8 < ratio < 1.25, f"{selector}: {ratio:.2f}x the width in a text font: {widths}"


async def assert_colour_emoji(page: Evaluates, selector: str, emoji: str = "🎉") -> None:
    """An emoji in the element's font stack is drawn from the colour emoji font (fallback)."""
    widths = await page.evaluate(TEXT_FONT_WIDTHS, {"selector": selector, "text": emoji})
    ratio = widths["page"] / widths["emoji"]
    assert 0.8 < ratio < 1.25, f"{selector}: {emoji} is {ratio:.2f}x its colour width: {widths}"


def settings_for(tmp_path: Path, **changes: Any) -> Settings:
    """Loopback on a free port, a fresh database, no rate limit, no idle replays."""
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "db_path": tmp_path / "danmaku.db",
        "rate": None,
        "replay_idle_seconds": 3600.0,
    }
    values.update(changes)
    return Settings(**values)


@asynccontextmanager
async def live_service(settings: Settings) -> AsyncIterator[Service]:
    """The real server, in this process, for the duration of the block."""
    async with running_service(settings) as service:
        yield service


# Playwright's device descriptors (filled when chromium() starts).
DEVICES: dict[str, dict[str, Any]] = {}


def device(name: str, **changes: Any) -> dict[str, Any]:
    """A Playwright device descriptor for a chromium context (e.g. "iPhone 13", "Pixel 7").

    Descriptors name their usual engine (``default_browser_type``: webkit for an iPhone);
    that is not a context option, and we run everything in Debian's chromium anyway.
    """
    descriptor = {k: v for k, v in DEVICES[name].items() if k != "default_browser_type"}
    descriptor.update(changes)
    return descriptor


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A headless Debian chromium; the test fails when it is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install chromium (scripts/test.sh does)")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        DEVICES.update(p.devices)
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class Watched:
    """A page plus what it did that a test must notice: dialogs, errors, console errors."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def evaluate(self, script: str, arg: Any = None) -> Any:
        return await self.page.evaluate(script, arg)

    async def wait_connected(self, timeout: float = 10_000) -> None:
        await self.page.wait_for_function(
            "() => window.__danmakuSocket && window.__danmakuSocket.connected", timeout=timeout
        )

    async def transport(self) -> str | None:
        result: str | None = await self.page.evaluate("() => window.__danmakuTransport")
        return result


async def open_page(
    browser: Any,
    url: str,
    *,
    viewport: dict[str, int] | None = None,
    locale: str = "en-US",
    setup: Callable[[Any], Awaitable[None]] | None = None,
    emulate: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Watched:
    """A page in its own context (own storage, like a separate device), watched for trouble.

    ``emulate`` is a :func:`device` descriptor; ``headers`` go with every request (e.g. an
    Accept-Language that differs from ``locale``).
    """
    options: dict[str, Any] = dict(emulate or {})
    if viewport is not None:
        options["viewport"] = viewport
    options["locale"] = locale
    if headers:
        options["extra_http_headers"] = headers
    context = await browser.new_context(**options)
    if setup is not None:
        await setup(context)
    page = await context.new_page()
    watched = Watched(page)

    async def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: watched.errors.append(msg.text) if msg.type == "error" else None,
    )
    await page.goto(url)
    return watched


async def submit_many(service: Service, texts: list[str], **fields: Any) -> list[int]:
    """Put comments on the wall through the core, each from its own sender."""
    ids = []
    for i, text in enumerate(texts):
        accepted = await service.hub.submit(Submission(sender=f"t{i}", text=text, **fields))
        ids.append(accepted.id)
    return ids


async def eventually(
    probe: Callable[[], Awaitable[bool]], timeout: float = 10.0, interval: float = 0.05
) -> None:
    """Wait until an async probe holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await probe():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


# One chromium per test module (shared_browser), its pages closed after each test (browser):
# a module that wants them imports both names.
@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_browser() -> AsyncIterator[Any]:
    async with chromium() as b:
        yield b


@pytest_asyncio.fixture(loop_scope="module")
async def browser(shared_browser: Any) -> AsyncIterator[Any]:
    """The module's chromium; every page a test opened is closed after it."""
    yield shared_browser
    for context in list(shared_browser.contexts):
        await context.close()
