"""SIGKILL while comments flow: every acknowledged comment survives, exactly once."""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
import subprocess
from pathlib import Path

import aiohttp
import pytest
import socketio

from tests.process_support import free_port, start_serve

KILLS = 5


def _start(db: Path, port: int, wordlist: Path) -> subprocess.Popen[str]:
    return start_serve(
        db, port, "--wordlist", str(wordlist), "--no-default-wordlists", "--rate", "off"
    )


async def _flow(
    port: int, phone: int, round_: int, acked: dict[str, int], stop: asyncio.Event
) -> None:
    """One phone sending numbered comments (each with its cid) until the server dies."""
    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(
            f"http://127.0.0.1:{port}",
            namespaces=["/send"],
            auth={"client_id": f"phone-{phone}"},
            transports=["websocket"],
        )
        n = 0
        while not stop.is_set():
            cid = f"r{round_}-{n}"
            n += 1
            ack = await client.call("danmaku", {"text": f"p{phone} #{n}", "cid": cid},
                                    namespace="/send", timeout=2)  # fmt: skip
            if ack.get("ok"):
                acked[f"phone-{phone}/{cid}"] = ack["id"]
    except (socketio.exceptions.SocketIOError, TimeoutError, OSError):
        pass  # the server was killed mid-call: that comment was never acknowledged
    finally:
        try:
            await client.disconnect()
        except Exception:
            pass


@pytest.mark.slow
async def test_acked_comments_survive_kill9_exactly_once(tmp_path: Path, wordlist: Path) -> None:
    db, port = tmp_path / "killed.db", free_port()
    rng = random.Random(2026)
    acked: dict[str, int] = {}
    for round_ in range(KILLS):
        process = _start(db, port, wordlist)
        stop = asyncio.Event()
        phones = [asyncio.create_task(_flow(port, p, round_, acked, stop)) for p in range(4)]
        await asyncio.sleep(rng.uniform(0.3, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        stop.set()
        await asyncio.gather(*phones)

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, sender, cid FROM messages").fetchall()
    stored = {f"{sender.removeprefix('client:')}/{cid}": mid for mid, sender, cid in rows}
    assert len(acked) > 50, "the flow barely ran; the test proves nothing"
    assert len(stored) == len(rows)  # each (sender, cid) exactly once
    missing = {k: v for k, v in acked.items() if stored.get(k) != v}
    assert not missing, f"acknowledged but lost after kill -9: {list(missing)[:5]}"

    # After the last restart, retrying acknowledged cids creates nothing new.
    process = _start(db, port, wordlist)
    try:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(f"http://127.0.0.1:{port}", namespaces=["/send"],
                             auth={"client_id": "phone-0"})  # fmt: skip
        some = [(k.split("/", 1)[1], v) for k, v in acked.items() if k.startswith("phone-0/")][:5]
        for cid, message_id in some:
            ack = await client.call("danmaku", {"text": "retry", "cid": cid}, namespace="/send")
            assert ack["ok"] is True and ack["id"] == message_id
        await client.disconnect()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == len(rows)


async def test_held_queue_and_bans_survive_kill9(tmp_path: Path, wordlist: Path) -> None:
    db, port = tmp_path / "killed.db", free_port()
    process = _start(db, port, wordlist)
    guest, script = (
        socketio.AsyncClient(reconnection=False),
        socketio.AsyncClient(reconnection=False),
    )
    url = f"http://127.0.0.1:{port}"
    await guest.connect(url, namespaces=["/send"], auth={"client_id": "guest"})
    await script.connect(url, namespaces=["/send"], auth={"client_id": "script"})
    held = [await guest.call("danmaku", {"text": f"黑猫 {n}"}, namespace="/send") for n in range(3)]
    assert [ack["status"] for ack in held] == ["held"] * 3
    for _ in range(20):  # refused again and again: banned automatically
        await script.call("danmaku", {"text": "   "}, namespace="/send")
    refused = await script.call("danmaku", {"text": "hello"}, namespace="/send")
    assert refused["error"] == "banned"
    process.send_signal(signal.SIGKILL)  # right after the last answer
    process.wait()
    for client in (guest, script):
        try:
            await client.disconnect()
        except Exception:
            pass

    process = _start(db, port, wordlist)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}/healthz") as response:
                assert (await response.json())["held"] == 3
        script = socketio.AsyncClient(reconnection=False)
        await script.connect(url, namespaces=["/send"], auth={"client_id": "script"})
        ack = await script.call("danmaku", {"text": "let me back in"}, namespace="/send")
        assert ack["error"] == "banned"
        await script.disconnect()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
