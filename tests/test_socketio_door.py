"""The one door to python-socketio's and python-engineio's internals (server/web/_socketio).

On a bump of either library, these are the tests to run first: each name we override or
call is checked against the installed library, and a real connection on loopback must
end up on our IdleSocket.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import aiohttp
import engineio
import pytest
import socketio
from aiohttp import web
from engineio import async_socket, base_socket
from socketio import base_manager

from server.web._socketio import make_socketio_server
from server.web._socketio.idle_socket import IdleSocket
from server.web._socketio.private_names import (
    PRIVATE_NAMES,
    PrivateName,
    problem,
    problems,
    samples,
)
from server.web.service import bind_listener, disconnect_everyone
from tests.conftest import Venue

REPO = Path(__file__).resolve().parent.parent


# -- every private name, checked against the installed libraries ------------------------------


@pytest.fixture(scope="module")
def instances() -> dict[type[Any], Any]:
    return samples()


@pytest.mark.parametrize("entry", PRIVATE_NAMES, ids=lambda entry: entry.label)
def test_each_private_name_we_lean_on_is_as_we_use_it(
    entry: PrivateName, instances: dict[type[Any], Any]
) -> None:
    found = problem(entry, instances)
    assert found is None, found


def test_a_renamed_private_method_is_named_with_what_to_recheck(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(socketio.AsyncServer, "_handle_event")
    found = problems()
    assert len(found) == 1
    assert "socketio.async_server.AsyncServer._handle_event no longer exists" in found[0]
    assert "GuardedServer" in found[0] and "python-socketio 5." in found[0]


def test_a_changed_signature_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    async def disconnect(self: Any, sid: Any = None, reason: Any = None) -> None: ...

    monkeypatch.setattr(engineio.AsyncServer, "disconnect", disconnect)
    assert problems() == [
        f"engineio.async_server.AsyncServer.disconnect now takes (sid, reason) in {versions()}, "
        "where we expect (sid). VenueEngineServer (engine.py) overrides it: a failed POST "
        "does not wait: re-check it."
    ]


def test_an_instance_attribute_that_is_gone_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    stock_init = base_socket.BaseSocket.__init__

    def init_without_last_ping(self: Any, server: Any, sid: str) -> None:
        stock_init(self, server, sid)
        del self.last_ping

    monkeypatch.setattr(base_socket.BaseSocket, "__init__", init_without_last_ping)
    found = problems()
    assert len(found) == 1 and "AsyncSocket.last_ping no longer exists" in found[0], found


def test_the_server_says_at_start_what_moved(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delattr(base_manager.BaseManager, "get_rooms")
    with caplog.at_level(logging.ERROR, logger="server.web._socketio"):
        make_socketio_server(max_packet_bytes=1024)
    assert any("AsyncManager.get_rooms no longer exists" in r.getMessage() for r in caplog.records)


def versions() -> str:
    return ", ".join(f"{d} {metadata.version(d)}" for d in ("python-socketio", "python-engineio"))


# -- the door is the only way in -------------------------------------------------------------


def test_only_the_door_package_imports_engineio_or_the_door_internals() -> None:
    offenders = []
    for path in sorted(REPO.glob("server/**/*.py")) + sorted(REPO.glob("console/**/*.py")):
        if "_socketio" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from) engineio\b", source, re.MULTILINE):
            offenders.append(f"{path.relative_to(REPO)} imports engineio")
        if re.search(r"^\s*(import|from) server\.web\._socketio\.", source, re.MULTILINE):
            offenders.append(f"{path.relative_to(REPO)} reaches past the door")
    assert offenders == []


# -- a real server on loopback ---------------------------------------------------------------


class Echo(socketio.AsyncNamespace):  # type: ignore[misc]
    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        self.environs: list[dict[str, Any]] = []

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: object = None) -> None:
        self.environs.append(environ)

    async def on_echo(self, sid: str, data: object = None) -> object:
        return data


@dataclass
class Door:
    sio: socketio.AsyncServer
    echo: Echo
    url: str


@pytest.fixture
async def door() -> AsyncIterator[Door]:
    """Only the door's server, with one namespace, on an ephemeral loopback port."""
    sio = make_socketio_server(max_packet_bytes=64 * 1024)
    echo = Echo("/echo")
    sio.register_namespace(echo)
    app = web.Application()
    sio.attach(app)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    listener = bind_listener("127.0.0.1", 0)
    await web.SockSite(runner, listener).start()
    try:
        yield Door(sio, echo, f"http://127.0.0.1:{listener.getsockname()[1]}/socket.io/?EIO=4")
    finally:
        await disconnect_everyone(sio)
        await runner.cleanup()
        listener.close()


async def test_a_websocket_phone_ends_up_on_an_idle_socket(door: Door) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(door.url + "&transport=websocket") as ws:
            sid = json.loads((await ws.receive_str())[1:])["sid"]
            assert type(door.sio.eio.sockets[sid]) is IdleSocket
            await ws.send_str("40/echo,")
            assert (await ws.receive_str()).startswith("40/echo,")
            await ws.send_str('42/echo,1["echo","hello"]')
            assert await ws.receive_str() == '43/echo,1["hello"]'
    # namespaces.py finds the phone's address on python-engineio's aiohttp request; the
    # environ's copies of the headers are dropped once the WebSocket is up
    [environ] = door.echo.environs
    assert environ["aiohttp.request"].remote == "127.0.0.1"
    assert [key for key in environ if key.startswith("HTTP_")] == []


async def test_a_long_polling_phone_ends_up_on_an_idle_socket_too(door: Door) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(door.url + "&transport=polling") as response:
            sid = json.loads((await response.text())[1:])["sid"]
        assert type(door.sio.eio.sockets[sid]) is IdleSocket


async def test_a_socket_class_python_engineio_never_made_before_is_logged_not_swapped(
    door: Door, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class RenamedSocket(async_socket.AsyncSocket):  # type: ignore[misc]
        """What a release making sockets of another class would look like."""

    monkeypatch.setattr(async_socket, "AsyncSocket", RenamedSocket)
    with caplog.at_level(logging.ERROR, logger="server.web._socketio"):
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(door.url + "&transport=websocket") as ws:
                sid = json.loads((await ws.receive_str())[1:])["sid"]
                assert type(door.sio.eio.sockets[sid]) is RenamedSocket  # left alone
                await ws.send_str("40/echo,")
                assert (await ws.receive_str()).startswith("40/echo,")  # and still working
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("RenamedSocket" in message and "IdleSocket" in message for message in errors)


async def test_an_engineio_failure_is_answered_400_and_logged(
    door: Door, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        raise KeyError("a python-engineio bug")

    monkeypatch.setattr(engineio.AsyncServer, "handle_request", broken)
    with caplog.at_level(logging.ERROR, logger="server.web._socketio"):
        async with aiohttp.ClientSession() as http:
            async with http.post(door.url + "&transport=polling&sid=x", data=b"1") as response:
                assert response.status == 400
                assert await response.json() == {"message": "Bad request."}
    assert any(r.name.startswith("server.web._socketio") for r in caplog.records)


async def test_a_probe_that_dies_before_its_first_frame_leaves_polling_working(
    venue: Venue,
) -> None:
    # python-engineio 4.15.1 leaves such a session "upgrading" for good: each poll then
    # answers a noop and the phone's comment is never answered (IdleSocket resets it).
    base = venue.base_url + "/socket.io/?EIO=4"
    async with aiohttp.ClientSession() as http:

        async def poll(sid: str) -> str:
            async with http.get(f"{base}&transport=polling&sid={sid}") as response:
                return await response.text()

        async def post(sid: str, body: str) -> None:
            async with http.post(f"{base}&transport=polling&sid={sid}", data=body) as response:
                assert response.status == 200

        async with http.get(base + "&transport=polling") as response:
            sid = json.loads((await response.text())[1:])["sid"]
        await post(sid, '40/send,{"client_id":"dead-probe"}')
        assert (await poll(sid)).startswith("40/send,")
        probe = await http.ws_connect(f"{base}&transport=websocket&sid={sid}")
        await probe.close()  # before "2probe": the probe died
        await asyncio.sleep(0.2)
        await post(sid, '42/send,1["danmaku",{"text":"after a dead probe"}]')
        answers: list[str] = []
        while len(answers) < 3 and not any('43/send,1[{"ok":true' in a for a in answers):
            answers.append(await poll(sid))  # a noop each, while "upgrading" is stuck
        assert '43/send,1[{"ok":true' in answers[-1], answers
