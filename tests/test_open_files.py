"""No cap a venue can reach: the server lifts its own open-file limit (one file per phone)."""

from __future__ import annotations

import asyncio
import resource
import subprocess
from collections.abc import Callable
from pathlib import Path

import aiohttp

from server.limits import capacity_warning, phone_capacity
from tests.process_support import free_port, start_serve


def _serve(db: Path, port: int, limit: Callable[[], None]) -> subprocess.Popen[str]:
    return start_serve(
        db, port, "--no-default-wordlists", "--rate", "off",
        preexec_fn=limit, stderr=subprocess.PIPE,
    )  # fmt: skip


async def _connect_phones(port: int, count: int) -> int:
    """Open ``count`` WebSocket phones on /send; return how many the server counts."""
    url = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        phones = []
        for _ in range(count):
            ws = await session.ws_connect(url)
            await ws.receive_str()  # OPEN
            await ws.send_str("40/send,")
            await ws.receive_str()  # CONNECT
            phones.append(ws)
        async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
            counted = int((await response.json())["phones"])
        await asyncio.gather(*(ws.close() for ws in phones))
        return counted


async def test_a_low_soft_limit_does_not_cap_the_hall(tmp_path: Path) -> None:
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]

    def soft_limit_256() -> None:  # what many systems start programs with (often 1,024)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    port = free_port()
    process = _serve(tmp_path / "wall.db", port, soft_limit_256)
    try:
        assert await asyncio.wait_for(_connect_phones(port, 400), 60) == 400
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert "open-file limit" not in errors  # the hard limit here is high: no warning


async def test_the_moderator_is_warned_when_the_hard_limit_caps_the_hall(tmp_path: Path) -> None:
    def hard_limit_512() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (512, 512))

    process = _serve(tmp_path / "wall.db", free_port(), hard_limit_512)
    process.terminate()
    _, errors = process.communicate(timeout=10)
    assert "about 412 phones" in errors and "ulimit -n" in errors


def test_capacity_warning_only_below_ten_thousand_phones() -> None:
    assert phone_capacity(20_000) == 19_900
    assert capacity_warning(20_000) is None
    assert "about 924 phones" in str(capacity_warning(1_024))
