"""Helpers for driving the real console: the app on a real server, real Socket.IO clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio
from textual.pilot import Pilot

from console.app import DanmakuConsole, make_console
from console.screens.queue import QueueScreen
from server.settings import Settings
from server.web.service import Service

TEST_TERMS = "# made-up terms for the console tests\ndarn\n"


def console_settings(tmp_path: Path) -> Settings:
    """Loopback, port 0, a fresh SQLite file, only a test wordlist, no rate limit."""
    wordlist = tmp_path / "testlist.txt"
    wordlist.write_text(TEST_TERMS, encoding="utf-8")
    return Settings(
        host="127.0.0.1",
        port=0,
        db_path=tmp_path / "d.db",
        wordlists=(wordlist,),
        use_default_wordlists=False,
        rate=None,
    )


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
class Projector:
    """A real ``/show`` client that records every event it receives."""

    sio: socketio.AsyncClient
    events: list[tuple[str, Any]] = field(default_factory=list)

    def received(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    def texts(self) -> list[str]:
        return [data["text"] for data in self.received("danmaku")]


@dataclass
class Console:
    """The running app, its pilot, its server, and the clients a test connected."""

    app: DanmakuConsole
    pilot: Pilot[Any]
    clients: AsyncExitStack

    @property
    def service(self) -> Service:
        assert self.app.service is not None
        return self.app.service

    async def phone(self, client_id: str) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)
        await sio.connect(
            self.service.base_url, namespaces=["/send"], auth={"client_id": client_id}
        )
        self.clients.push_async_callback(sio.disconnect)
        return sio

    async def projector(self) -> Projector:
        sio = socketio.AsyncClient(reconnection=False)
        projector = Projector(sio)
        for name in ("danmaku", "state", "lottery", "lottery_clear", "retract", "clear"):
            sio.on(name, _recorder(projector, name), namespace="/show")
        await sio.connect(self.service.base_url, namespaces=["/show"])
        self.clients.push_async_callback(sio.disconnect)
        return projector

    async def wait_until(
        self, predicate: Callable[[], object], timeout: float = 5.0, what: str = ""
    ) -> None:
        await wait_until(self.pilot, predicate, timeout, what)


def _recorder(projector: Projector, name: str) -> Callable[..., Any]:
    async def record(data: Any = None) -> None:
        projector.events.append((name, data))

    return record


async def send(phone: socketio.AsyncClient, text: str, nick: str = "") -> dict[str, Any]:
    """Emit ``danmaku`` on ``/send`` and return the ack."""
    ack: dict[str, Any] = await phone.call(
        "danmaku", {"text": text, "nick": nick}, namespace="/send", timeout=10
    )
    return ack


@asynccontextmanager
async def running_console(
    settings: Settings, size: tuple[int, int] = (100, 30)
) -> AsyncIterator[Console]:
    """The real console (real filter, real hub, real server), up and showing the queue."""
    app = make_console(settings)
    async with app.run_test(size=size) as pilot:
        await wait_until(
            pilot,
            lambda: app.service is not None and isinstance(app.screen, QueueScreen),
            timeout=20,
            what="the console to start",
        )
        async with AsyncExitStack() as clients:
            yield Console(app, pilot, clients)
