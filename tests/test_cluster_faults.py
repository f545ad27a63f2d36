"""The cluster's faults: nothing acknowledged is lost, nothing is stored twice, and every
failure is a clear `unavailable` (kill -9 a worker, kill -9 the hub, Redis stopped)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

from server.cluster.link import connect, read_range
from server.cluster.wire import EVENTS, SUBMISSIONS, Request, decode_events
from server.settings import Settings
from tests.cluster_support import Cluster, cluster, eventually, redis_server
from tests.conftest import Clients, OpenVenue, send, with_changes

__all__ = ["cluster", "redis_server"]  # the fixtures these tests use

Acks = dict[tuple[str, str], int]  # (sender, cid) -> the id its ok ack gave


def stored(db: Path) -> dict[tuple[str, str], int]:
    """Every message with a cid, by (sender, cid)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, sender, cid FROM messages WHERE cid IS NOT NULL")
        return {(sender, cid): mid for mid, sender, cid in rows}


def texts_in_id_order(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [text for (text,) in conn.execute("SELECT text FROM messages ORDER BY id")]


async def call(phone: socketio.AsyncClient, payload: dict[str, Any], timeout: float) -> Any:
    return await phone.call("danmaku", payload, namespace="/send", timeout=timeout)


@pytest.mark.slow
async def test_killing_a_worker_loses_no_acknowledged_comment(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster
) -> None:
    await open_venue(with_changes(settings, redis_url=cluster.redis.url))
    doomed, spare = cluster.worker(), cluster.worker()
    acked: Acks = {}
    retried: set[tuple[str, str]] = set()
    killed = asyncio.Event()

    async def phone(n: int, stack: AsyncExitStack) -> None:
        sender = f"client:phone-{n}"
        client = await Clients(doomed.base_url, stack).phone(f"phone-{n}")
        i = 0
        while i < 60:
            cid = f"{n}-{i}"
            try:
                ack = await call(client, {"text": f"phone {n} #{i}", "cid": cid}, timeout=3)
            except socketio.exceptions.SocketIOError:  # its worker died: reconnect, retry
                await killed.wait()
                client = await Clients(spare.base_url, stack).phone(f"phone-{n}")
                retried.add((sender, cid))
                continue
            if ack["ok"]:
                acked[(sender, cid)] = ack["id"]
                i += 1
            else:
                assert ack["error"] == "unavailable", ack  # retried with the same cid

    async with AsyncExitStack() as stack:
        flows = [asyncio.create_task(phone(n, stack)) for n in range(4)]
        await eventually(lambda: len(acked) >= 40, what="comments flowing through the worker")
        doomed.kill()
        killed.set()
        await asyncio.gather(*flows)
        # A comment acked through the dead worker, sent again through the other: first ack.
        again = await Clients(spare.base_url, stack).phone("phone-0")
        assert await send(again, {"text": "phone 0 #0", "cid": "0-0"}) == {
            "ok": True,
            "id": acked[("client:phone-0", "0-0")],
            "status": "shown",
        }
    assert len(acked) == 4 * 60 and retried, "the kill should have cut calls short"
    assert stored(settings.db_path) == acked  # each acked comment stored once, nothing else


@pytest.mark.slow
async def test_killing_the_hub_while_workers_accept_commits_every_submission_once_in_order(
    tmp_path: Path, wordlist: Path, cluster: Cluster
) -> None:
    db = tmp_path / "hub.db"
    options = ("--wordlist", str(wordlist), "--no-default-wordlists", "--rate", "off")
    hub = cluster.hub(db, *options)
    worker = cluster.worker()
    acked: Acks = {}
    unavailable: list[dict[str, Any]] = []
    async with AsyncExitStack() as stack:
        phones = [await Clients(worker.base_url, stack).phone(f"fan-{n}") for n in range(4)]

        async def flow(n: int, start: int, count: int, with_cid: bool) -> None:
            for i in range(start, start + count):
                payload = {"text": f"fan {n} #{i}"} | ({"cid": f"{n}-{i}"} if with_cid else {})
                ack = await call(phones[n], payload, timeout=5)
                if ack["ok"] and with_cid:
                    acked[(f"client:fan-{n}", payload["cid"])] = ack["id"]
                elif not ack["ok"]:
                    assert ack["error"] == "unavailable", ack
                    unavailable.append(payload)

        flows = [asyncio.create_task(flow(n, 0, 30, with_cid=True)) for n in range(4)]
        await eventually(lambda: len(acked) >= 20, what="comments committed by the hub")
        hub.kill()  # mid-flow: what it read and did not commit is read again
        await asyncio.gather(*flows)
        # The hub is down; the worker still takes comments (each phone hears `unavailable`),
        # with a cid (retried below) and without one (no cid can hide a duplicate).
        await asyncio.gather(*(flow(n, 30, 2, with_cid=True) for n in range(4)))
        await asyncio.gather(*(flow(n, 32, 2, with_cid=False) for n in range(4)))
        assert len(unavailable) >= 16
        waiting = await pending_submissions(cluster.redis.url, db)
        assert len(waiting) >= 16

        cluster.hub(db, *options)  # the same database, a new process
        committed = texts_in_id_order(db)
        every = set(committed) | {s.text for s in waiting}
        await eventually(lambda: set(texts_in_id_order(db)) >= every, what="the backlog")
        after = texts_in_id_order(db)
        assert len(after) == len(set(after))  # nothing stored twice, with or without a cid
        backlog = [s.text for s in waiting if s.text not in committed]
        assert [t for t in after if t in backlog] == backlog  # in the order they were sent
        assert {k: v for k, v in stored(db).items() if k in acked} == acked
        # An ack reached a phone only with its comment's event: every projector shows it.
        assert set(acked.values()) <= await shown_ids(cluster.redis.url)
        # A phone that heard `unavailable` retries with the same cid: the first ack, no new row.
        for payload in (p for p in unavailable if "cid" in p):
            n = int(payload["cid"].split("-")[0])
            ack = await call(phones[n], payload, timeout=5)
            assert ack["ok"] and ack["id"] == stored(db)[(f"client:fan-{n}", payload["cid"])]
        assert len(texts_in_id_order(db)) == len(after)


@pytest.mark.slow
async def test_a_resend_with_the_same_cid_after_unavailable_is_stored_once_with_the_first_ack(
    tmp_path: Path, wordlist: Path, cluster: Cluster
) -> None:
    db = tmp_path / "hub.db"
    options = ("--wordlist", str(wordlist), "--no-default-wordlists", "--rate", "off")
    worker = cluster.worker()  # no hub yet: what the phone sends waits on the stream
    payload = {"text": "sent while the hub was down", "cid": "only-once"}
    async with AsyncExitStack() as stack:
        clients = Clients(worker.base_url, stack)
        phone, projector = await clients.phone("patient"), await clients.projector()
        for _ in range(2):  # the page resends after `unavailable`, with the same cid
            ack = await call(phone, payload, timeout=5)
            assert ack["ok"] is False and ack["error"] == "unavailable", ack
        redis = connect(cluster.redis.url)
        stack.push_async_callback(redis.aclose)
        assert len(await read_range(redis, SUBMISSIONS, "-", 10)) == 2  # both wait there

        cluster.hub(db, *options)  # both copies are read, in one batch or two
        await eventually(lambda: db.exists() and stored(db), what="the hub taking the backlog")
        ack = await call(phone, payload, timeout=5)
        assert ack == {
            "ok": True,
            "id": stored(db)[("client:patient", "only-once")],
            "status": "shown",
        }
        await projector.wait_for(lambda p: len(p.danmaku()) == 1)
        await asyncio.sleep(0.3)  # a second copy would arrive meanwhile
    assert texts_in_id_order(db) == [payload["text"]]  # one row for three sends
    assert [d["id"] for d in projector.danmaku()] == [ack["id"]]  # shown once


async def pending_submissions(url: str, db: Path) -> list[Any]:
    """The submissions in Redis that the hub has not committed (after its last position)."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT position FROM intake").fetchone()
    redis = connect(url)
    try:
        entries = await read_range(redis, SUBMISSIONS, f"({row[0]}" if row else "-", 10_000)
    finally:
        await redis.aclose()
    return [Request.from_fields(fields).submission for _, fields in entries]


async def shown_ids(url: str) -> set[int]:
    """The ids of every comment the event stream told the projectors to show."""
    redis = connect(url)
    try:
        entries = await read_range(redis, EVENTS, "-", 100_000)
    finally:
        await redis.aclose()
    events = [event for _, fields in entries for event in decode_events(fields["e"])]
    return {event.data["id"] for event in events if event.name == "danmaku"}


async def health(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url + "/healthz") as response:
        return response.status


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(250):
        if await check():
            return
        await asyncio.sleep(0.04)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
async def test_with_redis_stopped_phones_hear_unavailable_and_the_wall_resumes_without_a_gap(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster
) -> None:
    hub = await open_venue(with_changes(settings, redis_url=cluster.redis.url))
    worker = cluster.worker()
    async with AsyncExitStack() as stack:
        clients = Clients(worker.base_url, stack)
        projector, phone = await clients.projector(), await clients.phone("in-the-hall")
        first = await send(phone, {"text": "before the outage", "cid": "a"})
        await projector.wait_for(lambda p: len(p.danmaku()) == 1)

        cluster.redis.stop()
        # Within 2 s, as the contract says (a longer wait fails the call).
        ack = await call(phone, {"text": "during the outage", "cid": "b"}, timeout=2)
        assert ack["ok"] is False and ack["error"] == "unavailable" and ack["message"]
        assert await health(worker.base_url) == 503
        # The hub carries on alone: a phone on its own server is shown there meanwhile.
        local = await hub.phone("next-to-the-hub")
        beside = await send(local, {"text": "shown while Redis was away", "cid": "c"})
        assert beside["ok"] is True

        cluster.redis.start()
        await until(lambda: _is(health(worker.base_url), 200), "the worker's health")
        after = await send(phone, {"text": "after the outage", "cid": "d"})
        while not after["ok"]:  # the worker may take a moment to reconnect
            assert after["error"] == "unavailable", after
            after = await send(phone, {"text": "after the outage", "cid": "d"})
        await projector.wait_for(lambda p: len(p.danmaku()) >= 3, timeout=10)
        await asyncio.sleep(0.3)  # a repeat would arrive meanwhile
        assert projector.sio.connected and not projector.received("clear")
    # The projector kept what it showed; it missed nothing and got nothing twice.
    assert [d["id"] for d in projector.danmaku()] == [first["id"], beside["id"], after["id"]]


async def _is(status: Awaitable[int], expected: int) -> bool:
    try:
        return await status == expected
    except aiohttp.ClientError:
        return False
