"""The one test harness: real SQLite files, real servers on loopback, real Socket.IO clients,
and the real console driven by Textual's pilot.

Textual is imported only by the tests that start the console (``running_console``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import socketio

from server.hub import Hub
from server.moderation import TextFilter, load_filter
from server.settings import Settings
from server.web.service import Service, running_service

if TYPE_CHECKING:
    from textual.notifications import Notification
    from textual.pilot import Pilot

    from console.app import DanmakuConsole

TEST_TERMS = "# test-only terms\n黑猫\ndarn\n"


def write_wordlist(directory: Path) -> Path:
    """A test-only wordlist (category ``testlist``) with the made-up terms 黑猫 and darn."""
    path = directory / "testlist.txt"
    path.write_text(TEST_TERMS, encoding="utf-8")
    return path


@pytest.fixture
def wordlist(tmp_path: Path) -> Path:
    """The test wordlist (see :func:`write_wordlist`)."""
    return write_wordlist(tmp_path)


@pytest.fixture
def settings(tmp_path: Path, wordlist: Path) -> Settings:
    """Loopback, an ephemeral port, a fresh database, only the test wordlist, no rate limit."""
    return Settings(
        host="127.0.0.1",
        port=0,
        db_path=tmp_path / "danmaku.db",
        wordlists=(wordlist,),
        use_default_wordlists=False,
        rate=None,
    )


@pytest.fixture
def checker(wordlist: Path) -> TextFilter:
    """The real filter with only the test wordlist."""
    return load_filter([wordlist], use_defaults=False)


@pytest.fixture
async def hub(settings: Settings, checker: TextFilter) -> AsyncIterator[Hub]:
    """The core alone on a real SQLite file (no web, no console)."""
    hub = await Hub.open(settings, checker)
    yield hub
    await hub.close()


def with_changes(settings: Settings, **changes: Any) -> Settings:
    """A copy of the settings with a few fields changed."""
    return replace(settings, **changes)


# -- real clients --------------------------------------------------------------------------


@dataclass
class ShowClient:
    """A real projector: a python-socketio client on /show recording what it receives."""

    sio: socketio.AsyncClient
    events: list[tuple[str, Any]] = field(default_factory=list)

    def received(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    def danmaku(self) -> list[dict[str, Any]]:
        return self.received("danmaku")

    def texts(self) -> list[str]:
        return [d["text"] for d in self.danmaku()]

    async def wait_for(self, predicate: Callable[[ShowClient], bool], timeout: float = 5.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate(self):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; received {self.events!r}")
            await asyncio.sleep(0.02)


def _recorder(client: ShowClient, name: str) -> Callable[[Any], Awaitable[None]]:
    async def record(data: Any = None) -> None:
        client.events.append((name, data))

    return record


async def send(phone: socketio.AsyncClient, payload: Any) -> dict[str, Any]:
    """Emit ``danmaku`` on /send and return the ack."""
    ack: dict[str, Any] = await phone.call("danmaku", payload, namespace="/send", timeout=10)
    return ack


@dataclass
class Clients:
    """Factories for real clients of the server at ``base_url``; they close with ``stack``."""

    base_url: str
    stack: AsyncExitStack

    async def phone(
        self, client_id: str | None = "phone-1", headers: dict[str, str] | None = None
    ) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)
        auth = {"client_id": client_id} if client_id is not None else None
        await sio.connect(self.base_url, namespaces=["/send"], auth=auth, headers=headers)
        self.stack.push_async_callback(sio.disconnect)
        return sio

    async def projector(self, auth: dict[str, Any] | None = None) -> ShowClient:
        sio = socketio.AsyncClient(reconnection=False)
        client = ShowClient(sio)
        for name in ("danmaku", "state", "lottery", "lottery_clear", "retract", "clear"):
            sio.on(name, _recorder(client, name), namespace="/show")
        await sio.connect(self.base_url, namespaces=["/show"], auth=auth)
        self.stack.push_async_callback(sio.disconnect)
        return client


@dataclass
class Venue(Clients):
    """A running server plus factories for real clients; the clients close with ``stack``."""

    service: Service = field(kw_only=True)


# -- a real server ---------------------------------------------------------------------------


OpenVenue = Callable[[Settings], Awaitable["Venue"]]
"""The ``open_venue`` fixture: start a real server for these settings."""


@pytest.fixture
async def open_venue() -> AsyncIterator[Callable[[Settings], Awaitable[Venue]]]:
    """Start a real server (or several, one after another) for a test."""
    async with AsyncExitStack() as outer:

        async def start(settings: Settings) -> Venue:
            stack = AsyncExitStack()
            service = await stack.enter_async_context(running_service(settings))
            # Clients close before the server: the stack unwinds last-in, first-out.
            clients = AsyncExitStack()
            await stack.enter_async_context(clients)
            outer.push_async_callback(stack.aclose)
            return Venue(service.base_url, clients, service=service)

        yield start


@pytest.fixture
async def venue(open_venue: Callable[[Settings], Awaitable[Venue]], settings: Settings) -> Venue:
    """One running server with the test wordlist."""
    return await open_venue(settings)


# -- the real console ----------------------------------------------------------------------


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 5.0, what: str = ""
) -> None:
    """Let the app run until ``predicate()`` is true (bounded)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause()
        await asyncio.sleep(0.02)


@dataclass
class Console(Venue):
    """The running console (its server is the venue's), its pilot, what it notified."""

    app: DanmakuConsole
    pilot: Pilot[Any]
    notifications: list[Notification]

    async def wait_until(
        self, predicate: Callable[[], object], timeout: float = 5.0, what: str = ""
    ) -> None:
        await wait_until(self.pilot, predicate, timeout, what)


@asynccontextmanager
async def running_console(
    settings: Settings, size: tuple[int, int] = (100, 30), language: str = "en"
) -> AsyncIterator[Console]:
    """The real console (real filter, real hub, real server), up and showing the queue.

    ``language`` is explicit so the suite never depends on the machine's ``LANG``.
    """
    from textual.message import Message
    from textual.notifications import Notify

    from console.app import make_console
    from console.screens.queue import QueueScreen

    notifications: list[Notification] = []

    def record(message: Message) -> None:
        if isinstance(message, Notify):
            notifications.append(message.notification)

    app = make_console(settings, language=language)
    async with app.run_test(size=size, message_hook=record) as pilot:
        await wait_until(
            pilot,
            lambda: app.service is not None and isinstance(app.screen, QueueScreen),
            timeout=20,
            what="the console to start",
        )
        assert app.service is not None
        async with AsyncExitStack() as clients:
            yield Console(
                app.service.base_url, clients, app, pilot, notifications, service=app.service
            )
