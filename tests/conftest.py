"""Shared fixtures: real SQLite files, real servers on loopback, real Socket.IO clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import socketio

from server.settings import Settings
from server.web.service import Service, running_service

TEST_TERMS = "# test-only terms\n黑猫\ndarn\n"


@pytest.fixture
def wordlist(tmp_path: Path) -> Path:
    """A test-only wordlist (category ``testlist``) with made-up terms 黑猫 and darn."""
    path = tmp_path / "testlist.txt"
    path.write_text(TEST_TERMS, encoding="utf-8")
    return path


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


@dataclass
class ShowClient:
    """A real projector: a python-socketio client on /show recording what it receives."""

    sio: socketio.AsyncClient
    events: list[tuple[str, Any]] = field(default_factory=list)

    def danmaku(self) -> list[dict[str, Any]]:
        return [data for name, data in self.events if name == "danmaku"]

    def texts(self) -> list[str]:
        return [d["text"] for d in self.danmaku()]

    async def wait_for(self, predicate: Callable[[ShowClient], bool], timeout: float = 5.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate(self):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; received {self.events!r}")
            await asyncio.sleep(0.02)


@dataclass
class Venue:
    """A running server plus factories for real clients; everything closes at the end."""

    service: Service
    stack: AsyncExitStack

    async def phone(self, client_id: str | None = "phone-1") -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)
        auth = {"client_id": client_id} if client_id is not None else None
        await sio.connect(self.service.base_url, namespaces=["/send"], auth=auth)
        self.stack.push_async_callback(sio.disconnect)
        return sio

    async def projector(self, auth: dict[str, Any] | None = None) -> ShowClient:
        sio = socketio.AsyncClient(reconnection=False)
        client = ShowClient(sio)
        for name in ("danmaku", "state", "lottery", "lottery_clear", "retract", "clear"):
            sio.on(name, _recorder(client, name), namespace="/show")
        await sio.connect(self.service.base_url, namespaces=["/show"], auth=auth)
        self.stack.push_async_callback(sio.disconnect)
        return client


def _recorder(client: ShowClient, name: str) -> Callable[[Any], Awaitable[None]]:
    async def record(data: Any = None) -> None:
        client.events.append((name, data))

    return record


async def send(phone: socketio.AsyncClient, payload: Any) -> dict[str, Any]:
    """Emit ``danmaku`` on /send and return the ack."""
    ack: dict[str, Any] = await phone.call("danmaku", payload, namespace="/send", timeout=10)
    return ack


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
            return Venue(service, clients)

        yield start


@pytest.fixture
async def venue(open_venue: Callable[[Settings], Awaitable[Venue]], settings: Settings) -> Venue:
    """One running server with the test wordlist."""
    return await open_venue(settings)


def with_changes(settings: Settings, **changes: Any) -> Settings:
    """A copy of the settings with a few fields changed."""
    return replace(settings, **changes)
