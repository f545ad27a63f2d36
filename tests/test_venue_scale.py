"""What lets one process hold a hall of phones: the client manager, Engine.IO, the heap.

The figures (memory per phone, p99 under load, a mass disconnect) are in benchmarks/;
these tests pin the behaviour those changes must keep.
"""

from __future__ import annotations

import asyncio
import gc
import json
import types
import weakref
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from server.heap import HeapKeeper
from server.settings import RateLimit, Settings
from server.web._socketio.engine import UncompressedWebSocket
from server.web._socketio.idle_socket import PingWheel
from server.web._socketio.manager import VenueManager
from server.web._socketio.queue import QuietQueue
from tests.conftest import Venue, send, with_changes

# -- the client manager -----------------------------------------------------------------


def test_a_disconnect_leaves_only_the_rooms_of_that_client() -> None:
    manager = VenueManager()
    for n in range(5):
        sid = f"s{n}"
        manager.basic_enter_room(sid, "/send", None, eio_sid=f"e{n}")
        manager.basic_enter_room(sid, "/send", sid, eio_sid=f"e{n}")
        manager.basic_enter_room(sid, "/send", f"client:{n % 2}")  # two phones share a sender
    manager.basic_disconnect("s0", "/send")
    manager.basic_disconnect("s3", "/send")
    rooms = manager.rooms["/send"]
    assert sorted(rooms[None]) == ["s1", "s2", "s4"]
    assert "s0" not in rooms and "s3" not in rooms
    assert sorted(rooms["client:0"]) == ["s2", "s4"]
    assert sorted(rooms["client:1"]) == ["s1"]
    for sid in ("s1", "s2", "s4"):
        manager.basic_disconnect(sid, "/send")
    assert "/send" not in manager.rooms  # nothing left behind after a long night


async def test_notices_reach_every_tab_of_their_sender_and_nobody_else(venue: Venue) -> None:
    told: dict[str, list[Any]] = {}

    async def tab(name: str, client_id: str) -> Any:
        phone = await venue.phone(client_id)
        told[name] = []
        phone.on("review", told[name].append, namespace="/send")
        return phone

    leavers = [await tab(f"leaver{n}", f"leaver{n}") for n in range(10)]
    first_tab, second_tab = await tab("tab1", "hopeful"), await tab("tab2", "hopeful")
    await tab("bystander", "bystander")
    for phone in leavers:
        await phone.disconnect()
    held = await send(first_tab, {"text": "黑猫 please"})
    await venue.service.hub.approve(held["id"])
    for _ in range(100):
        if told["tab1"] and told["tab2"]:
            break
        await asyncio.sleep(0.02)
    notice = {"id": held["id"], "status": "approved"}
    assert told["tab1"] == told["tab2"] == [notice]
    assert told["bystander"] == []
    assert second_tab.connected


async def test_a_phone_flooding_the_wall_costs_the_others_nothing(venue: Venue) -> None:
    flooder, neighbour = await venue.phone("flooder"), await venue.phone("neighbour")
    show = await venue.projector()
    flood = [asyncio.ensure_future(send(flooder, {"text": f"spam {n}"})) for n in range(300)]
    mine = await send(neighbour, {"text": "happy new year"})
    assert mine["ok"] is True
    acks = await asyncio.gather(*flood)
    await show.wait_for(lambda s: "happy new year" in s.texts() and len(s.texts()) == 301)
    assert all(ack["ok"] for ack in acks)


async def test_a_script_flooding_while_refused_gets_every_answer_and_others_get_through(
    open_venue: Any, settings: Settings
) -> None:
    venue = await open_venue(with_changes(settings, rate=RateLimit(1, 3), auto_ban_refusals=5))
    script, guest = await venue.phone("script"), await venue.phone("guest")
    show = await venue.projector()
    # Sent in a loop without waiting: each refusal is answered only after a pause, and the
    # next comment is read only after that answer.
    burst = [asyncio.ensure_future(send(script, {"text": f"spam {n}"})) for n in range(12)]
    await asyncio.sleep(0.2)
    assert (await send(guest, {"text": "hello from row 5"}))["ok"] is True
    await show.wait_for(lambda s: "hello from row 5" in s.texts())
    assert not all(f.done() for f in burst)  # the script is still waiting for its answers
    answers = [ack.get("error", "ok") for ack in await asyncio.gather(*burst)]
    assert answers == ["ok"] + ["rate_limited"] * 5 + ["banned"] * 6


# -- Engine.IO --------------------------------------------------------------------------


async def test_a_browser_offering_compression_gets_a_plain_websocket(venue: Venue) -> None:
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as session, session.ws_connect(url, compress=15) as ws:
        assert ws.compress == 0  # permessage-deflate declined: no zlib state per phone
        assert (await ws.receive_str()).startswith("0{")  # Engine.IO OPEN
        await ws.send_str("40/send,")
        assert (await ws.receive_str()).startswith("40/send,")
        await ws.send_str('42/send,7["danmaku",{"text":"plain and simple"}]')
        ack = await ws.receive_str()
        assert ack.startswith("43/send,7")
        assert json.loads(ack[len("43/send,7") :])[0]["ok"] is True


async def test_packets_written_together_arrive_whole_and_in_order() -> None:
    """A batch goes to the connection in one write, framed by us: text and binary, each
    length around the sizes where a WebSocket frame's header changes shape."""
    sizes = [1, 125, 126, 127, 65_535, 65_536, 70_000]  # bytes, the header included
    messages: list[str | bytes] = ["4" + "x" * (size - 1) for size in sizes]
    messages += ["4弹幕 ✨", *(b"\x04" + bytes(size - 1) for size in (125, 126, 65_536))]

    async def handler(socket: UncompressedWebSocket) -> None:
        await socket.send_all(messages)
        await socket.close()

    async def upgrade(request: web.Request) -> web.StreamResponse:
        server = types.SimpleNamespace(max_http_buffer_size=1_000_000)
        response: web.StreamResponse = await UncompressedWebSocket(handler, server)(
            {"aiohttp.request": request}
        )
        return response

    app = web.Application()
    app.router.add_get("/ws", upgrade)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"http://{host}:{port}/ws", max_msg_size=0) as ws:
                received = [message.data async for message in ws]
    finally:
        await runner.cleanup()
    assert received == messages


async def raw_phone(session: aiohttp.ClientSession, venue: Venue) -> Any:
    """A phone the way our page connects: straight onto a WebSocket, namespace /send."""
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=websocket"
    ws = await session.ws_connect(url)
    assert (await ws.receive_str()).startswith("0{")
    await ws.send_str("40/send,")
    assert (await ws.receive_str()).startswith("40/send,")
    return ws


async def test_idle_websocket_phones_hold_no_task_of_their_own(venue: Venue) -> None:
    async with aiohttp.ClientSession() as session:
        first = await raw_phone(session, venue)
        before = len(asyncio.all_tasks())
        phones = [await raw_phone(session, venue) for _ in range(20)]
        await asyncio.sleep(0.1)  # anything started for the greetings has finished
        # Two tasks per phone, both aiohttp's: its connection and the request it arrived
        # on. (python-engineio alone adds four: a reader, a writer, a queue wait, a ping.)
        assert len(asyncio.all_tasks()) - before <= 2 * 20
        for n, ws in enumerate([first, *phones]):  # and every one still works
            await ws.send_str(f'42/send,{n}["danmaku",{{"text":"phone {n}"}}]')
            assert (await ws.receive_str()).startswith(f"43/send,{n}[{{")
        for ws in [first, *phones]:
            await ws.close()


async def test_a_socketio_client_on_websocket_only_gets_acks_and_notices(venue: Venue) -> None:
    import socketio

    phone = socketio.AsyncClient(reconnection=False)
    told: list[Any] = []
    phone.on("review", told.append, namespace="/send")
    await phone.connect(
        venue.service.base_url,
        namespaces=["/send"],
        transports=["websocket"],
        auth={"client_id": "ws-only"},
    )
    try:
        assert phone.transport() == "websocket"
        held = await send(phone, {"text": "darn it"})
        assert held["status"] == "held"
        await venue.service.hub.reject(held["id"])
        for _ in range(100):
            if told:
                break
            await asyncio.sleep(0.02)
        assert told == [{"id": held["id"], "status": "rejected"}]
    finally:
        await phone.disconnect()
    for _ in range(100):
        if venue.service.hub.stats().phones == 0:
            break
        await asyncio.sleep(0.02)
    assert venue.service.hub.stats().phones == 0


async def test_the_ping_wheel_pings_each_socket_once_an_interval_later() -> None:
    pinged: list[str] = []

    class Socket:
        def __init__(self, name: str) -> None:
            self.name = name

        async def ping(self) -> None:
            pinged.append(self.name)

    wheel = PingWheel(interval=0.3)
    wheel.add(Socket("a"))  # type: ignore[arg-type]
    wheel.add(Socket("b"))  # type: ignore[arg-type]
    await asyncio.sleep(0.1)
    assert pinged == []  # not before the interval
    for _ in range(100):
        if len(pinged) == 2:
            break
        await asyncio.sleep(0.02)
    assert sorted(pinged) == ["a", "b"]
    await asyncio.sleep(0.5)
    assert len(pinged) == 2  # once each: the next ping waits for the next pong
    wheel.stop()


async def test_quiet_queue_keeps_order_and_join_waits_for_every_item() -> None:
    queue = QuietQueue()
    waiting = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    queue.put_nowait("a")
    await queue.put("b")
    assert await waiting == "a"
    assert queue.qsize() == 1 and queue.get_nowait() == "b" and queue.empty()
    with pytest.raises(asyncio.QueueEmpty):
        queue.get_nowait()
    joined = asyncio.ensure_future(queue.join())
    await asyncio.sleep(0)
    queue.task_done()
    await asyncio.sleep(0)
    assert not joined.done()  # one of the two items is not done yet
    queue.task_done()
    await asyncio.wait_for(joined, 1)
    with pytest.raises(ValueError):
        queue.task_done()


# -- the heap ----------------------------------------------------------------------------


def test_garbage_is_freed_when_the_wall_goes_quiet_not_while_it_is_busy() -> None:
    now, idle = [0.0], [0.0]
    keeper = HeapKeeper(lambda: idle[0], clock=lambda: now[0])
    freed: list[int] = []
    thresholds = gc.get_threshold()

    def make_garbage_cycle(n: int) -> None:
        node: dict[str, Any] = {}
        node["self"] = node
        holder = type("Node", (), {})()
        holder.cycle = node
        node["holder"] = holder
        weakref.finalize(holder, freed.append, n)

    try:
        make_garbage_cycle(1)
        keeper.step()  # busy and just started: frozen, out of the collector's sight
        gc.collect()
        assert freed == []
        now[0] = 120.0
        keeper.step()  # a minute on, but comments keep coming
        gc.collect()
        assert freed == []
        idle[0] = 10.0
        keeper.step()  # quiet: everything is collected once
        assert freed == [1]
        make_garbage_cycle(2)
        idle[0] = 0.0
        keeper.step()
        now[0] = 120.0 + 600.0
        keeper.step()  # busy for ten minutes: collected anyway
        assert freed == [1, 2]
        assert keeper.full_collections == 2
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
