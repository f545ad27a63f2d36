"""A cluster past one process: the hub in this process, `danmaku worker` processes, real Redis.

Phones and projectors talk to workers exactly as to `danmaku serve`; the hub commits and
moderates everything.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import time
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import socketio

from server.cluster.intake import Intake
from server.cluster.link import connect, read_range
from server.cluster.publisher import Publisher
from server.cluster.resp import LeanConnection
from server.cluster.wire import (
    EVENTS,
    SUBMISSIONS,
    Outcome,
    Request,
    WallEvent,
    decode_events,
    outcomes_from_fields,
    replies_key,
)
from server.hub import Hub
from server.models import Accepted, DrawRules, Status, Submission
from server.settings import Settings
from tests.cluster_support import Cluster, RedisServer, cluster, eventually, redis_server
from tests.conftest import Clients, OpenVenue, Venue, send, with_changes
from tests.process_support import DANMAKU, ENV

__all__ = ["cluster", "redis_server"]  # the fixtures these tests use

PHONES = 5
COMMENTS_EACH = 40


async def open_hub(open_venue: OpenVenue, settings: Settings, redis: RedisServer) -> Venue:
    """The hub of the cluster, in this process (with its own server on a free port)."""
    return await open_venue(with_changes(settings, redis_url=redis.url))


def told(phone: socketio.AsyncClient, *names: str) -> list[tuple[str, Any]]:
    """What a phone is told (``review``, ``won``), as it arrives."""
    notices: list[tuple[str, Any]] = []
    for name in names:
        phone.on(name, lambda data, name=name: notices.append((name, data)), namespace="/send")
    return notices


async def eventually_page(http: aiohttp.ClientSession, url: str, needle: str) -> str:
    """The page at ``url`` once it holds ``needle`` (bounded)."""
    for _ in range(250):
        async with http.get(url) as response:
            page = await response.text()
        if response.status == 200 and needle in page:
            return page
        await asyncio.sleep(0.02)
    raise AssertionError(f"{url} never showed {needle!r}: {response.status} {page[:200]}")


def test_hub_and_worker_need_redis() -> None:
    for command in ("hub", "worker"):
        result = subprocess.run([*DANMAKU, command], capture_output=True, text=True, env=ENV)
        assert result.returncode == 2 and "--redis URL is required" in result.stderr


async def test_a_comment_sent_through_a_worker_is_committed_by_the_hub(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster
) -> None:
    hub = await open_hub(open_venue, settings, cluster.redis)
    worker = cluster.worker()
    async with AsyncExitStack() as stack:
        phone = await Clients(worker.base_url, stack).phone("via-worker")
        ack = await send(phone, {"text": "through the worker", "nick": "小明", "cid": "w-1"})
        assert ack == {"ok": True, "id": ack["id"], "status": "shown"}
        # The ack came after the hub's commit: another connection to the file sees the row.
        with sqlite3.connect(settings.db_path) as db:
            row = db.execute("SELECT text, nick, sender FROM messages WHERE id = ?", (ack["id"],))
            assert row.fetchone() == ("through the worker", "小明", "client:via-worker")
        assert await send(phone, {"text": "through the worker", "cid": "w-1"}) == ack
    assert [m.text for m in hub.service.hub.recent_shown()] == ["through the worker"]


async def test_a_worker_serves_the_pages_and_says_it_is_a_worker(cluster: Cluster) -> None:
    worker = cluster.worker()
    async with aiohttp.ClientSession() as http:
        for path in ("/", "/show", "/api/info", "/qr.svg", "/draws"):
            async with http.get(worker.base_url + path) as response:
                assert response.status == 200, path
        async with http.get(worker.base_url + "/healthz") as response:
            assert response.status == 200
            health = await response.json()
    assert health["role"] == "worker" and health["ok"] is True


async def test_a_projector_on_one_worker_sees_every_comment_sent_through_another_once_in_order(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster
) -> None:
    await open_hub(open_venue, settings, cluster.redis)
    sending, showing = cluster.worker(), cluster.worker()
    async with AsyncExitStack() as stack:
        projector = await Clients(showing.base_url, stack).projector()
        phones = Clients(sending.base_url, stack)

        async def one_phone(n: int) -> list[int]:
            phone = await phones.phone(f"phone-{n}")
            acks = [
                await send(phone, {"text": f"phone {n} says {i}", "cid": f"{n}-{i}"})
                for i in range(COMMENTS_EACH)
            ]
            assert all(ack["ok"] for ack in acks), acks
            return [ack["id"] for ack in acks]

        acked = sorted(
            i for ids in await asyncio.gather(*map(one_phone, range(PHONES))) for i in ids
        )
        assert len(acked) == PHONES * COMMENTS_EACH

        def live() -> list[int]:
            return [d["id"] for d in projector.danmaku() if not d["replay"]]

        await projector.wait_for(lambda _: len(live()) >= len(acked), timeout=20)
        await asyncio.sleep(0.3)  # anything extra (a repeat) would arrive meanwhile
    assert live() == acked  # each once, in the order the hub committed them


async def test_refusals_holds_and_the_moderators_decisions_reach_phones_through_a_worker(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster
) -> None:
    hub = (await open_hub(open_venue, settings, cluster.redis)).service.hub
    worker = cluster.worker()
    async with AsyncExitStack() as stack:
        clients = Clients(worker.base_url, stack)
        projector = await clients.projector()
        phone = await clients.phone("hopeful")
        notices = told(phone, "review", "won")
        assert (await send(phone, {"text": "   "}))["error"] == "empty"
        held = await send(phone, {"text": "一只黑猫", "nick": "Hope"})
        assert held == {"ok": True, "id": held["id"], "status": "held"}
        assert [m.id for m in hub.held()] == [held["id"]]
        await hub.approve(held["id"])
        await projector.wait_for(lambda p: held["id"] in [d["id"] for d in p.danmaku()])
        draw = await hub.draw(DrawRules(prize="二等奖"))
        await eventually(lambda: len(notices) == 2, what="the review and won notices")
        assert notices == [
            ("review", {"id": held["id"], "status": "approved"}),
            ("won", {"draw_id": draw.id, "nick": "Hope", "prize": "二等奖"}),
        ]
        # The lottery's record page, as the hub renders it, from the worker too.
        async with aiohttp.ClientSession() as http:
            page = await eventually_page(http, worker.base_url + "/draws", "二等奖")
        assert "client:hopeful" not in page  # nicks only, never sender ids
        hub.set_paused(True)
        await projector.wait_for(lambda p: {"paused": True} in p.received("state"))
        assert (await send(phone, {"text": "while paused"}))["error"] == "paused"
        hub.set_paused(False)
        await hub.ban("client:hopeful")
        assert (await send(phone, {"text": "after the ban"}))["error"] == "banned"


async def test_a_worker_started_later_catches_its_projectors_up(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster
) -> None:
    hub = (await open_hub(open_venue, settings, cluster.redis)).service.hub
    first = cluster.worker()
    async with AsyncExitStack() as stack:
        phone = await Clients(first.base_url, stack).phone("early")
        acks = [await send(phone, {"text": f"before the second worker {i}"}) for i in range(3)]
        await hub.retract(acks[1]["id"])
        seed_hash = hub.open_round(DrawRules(prize="一等奖"))
        hub.set_paused(True)
        later = cluster.worker()
        projector = await Clients(later.base_url, stack).projector({"last_id": acks[0]["id"]})
        await projector.wait_for(lambda p: len(p.received("lottery")) == 1)
    # As the hub would greet it: the state, what it missed (not what was taken down), the draw.
    assert [name for name, _ in projector.events] == ["state", "danmaku", "lottery"]
    assert projector.received("state") == [{"paused": True}]
    assert [d["id"] for d in projector.danmaku()] == [acks[2]["id"]]
    assert projector.received("lottery")[0]["seed_hash"] == seed_hash


async def test_a_batch_written_again_after_a_lost_answer_is_in_the_streams_once(
    redis_server: RedisServer,
) -> None:
    # The hub's connection may drop after Redis ran its MULTI/EXEC, before the answer:
    # it writes the same batch again, with the same id. Projectors must see its events
    # once; the acks may come twice (a worker takes the first).
    redis = connect(redis_server.url)
    writer = LeanConnection(redis_server.url, timeout=5.0)
    publisher = Publisher(writer, lambda _: [], lambda: [], lambda: {}, retention_seconds=600.0)
    try:
        shown = WallEvent("/show", "danmaku", {"id": 1, "text": "once"})
        acks: dict[str, list[tuple[int, Outcome]]] = {"w1": [(7, Accepted(1, Status.SHOWN))]}
        entry_id = f"{int(time.time() * 1000)}-0"
        for _ in range(2):
            await publisher._write([shown], entry_id, standing=False, replies=acks)
        events = await read_range(redis, EVENTS, "-", 10)
        assert [(i, decode_events(fields["e"])) for i, fields in events] == [(entry_id, [shown])]
        replies = await read_range(redis, replies_key("w1"), "-", 10)
        assert [outcomes_from_fields(fields) for _, fields in replies] == [acks["w1"]] * 2
    finally:
        await writer.close()
        await redis.aclose()


async def test_the_hub_commits_its_read_position_with_the_comments_it_read(
    hub: Hub, settings: Settings, redis_server: RedisServer
) -> None:
    redis = connect(redis_server.url)
    try:
        texts = ["one", "two", "three", "   "]  # the last is refused: it stores nothing
        for number, text in enumerate(texts):
            request = Request("worker-1", number, Submission(sender="client:s", text=text))
            await redis.xadd(SUBMISSIONS, request.fields())  # type: ignore[arg-type]
        entries = await read_range(redis, SUBMISSIONS, "-", 100)
        replies: list[tuple[str, list[tuple[int, Outcome]]]] = []
        reader = LeanConnection(redis_server.url, timeout=5.0)  # take() reads nothing
        await Intake(hub, reader, redis, lambda *reply: replies.append(reply)).take(entries)
        # The position came in the comments' transaction, past the refused one too (it
        # stored nothing, but it is answered: it must not be read again).
        with sqlite3.connect(settings.db_path) as db:
            position = db.execute("SELECT position FROM intake").fetchall()
            stored = [text for (text,) in db.execute("SELECT text FROM messages ORDER BY id")]
        assert position == [(entries[3][0],)] and stored == texts[:3]
        # One reply for the worker, its acks in its order: three committed, one refused.
        [(worker, acks)] = replies
        assert worker == "worker-1" and [number for number, _ in acks] == [0, 1, 2, 3]
        assert [type(outcome).__name__ for _, outcome in acks] == ["Accepted"] * 3 + ["Refused"]
    finally:
        await redis.aclose()
