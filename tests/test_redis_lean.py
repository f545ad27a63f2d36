"""A worker's lean Redis connection against a real redis-server: the URL's password and
database count, a wrong password is refused, and Redis coming back is found again."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.cluster.link import connect
from server.cluster.resp import LeanConnection
from tests.cluster_support import RedisServer, redis_server, redis_server_program
from tests.process_support import free_port

PASSWORD = "s3cret"
__all__ = ["redis_server"]  # the fixture


@pytest.fixture
def locked_redis(tmp_path: Path) -> Iterator[int]:
    """A redis-server that wants a password; its port."""
    port = free_port()
    process = subprocess.Popen(
        [redis_server_program(), "--port", str(port), "--bind", "127.0.0.1",
         "--dir", str(tmp_path), "--save", "", "--requirepass", PASSWORD],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            assert process.poll() is None and time.monotonic() < deadline, "no redis-server"
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


async def test_the_password_and_database_of_the_url_are_used(locked_redis: int) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{locked_redis}/2"
    lean = LeanConnection(url, timeout=2.0)
    try:
        replies = await lean.call([["XADD", "s", "*", "f", "v"], ["XLEN", "s"]])
        assert replies[1] == 1
    finally:
        await lean.close()
    checker = connect(url)
    other = connect(f"redis://:{PASSWORD}@127.0.0.1:{locked_redis}/0")
    try:
        assert await checker.xlen("s") == 1
        assert await other.xlen("s") == 0  # on database 2, not 0
    finally:
        await checker.aclose()
        await other.aclose()


async def test_a_wrong_password_is_refused(locked_redis: int) -> None:
    lean = LeanConnection(f"redis://:wrong@127.0.0.1:{locked_redis}/0", timeout=2.0)
    with pytest.raises(OSError, match="refused"):
        await lean.command("PING")


async def test_a_connection_finds_redis_again_after_it_was_away(redis_server: RedisServer) -> None:
    lean = LeanConnection(redis_server.url, timeout=2.0)
    try:
        assert await lean.command("SET", "k", "before") == "OK"
        redis_server.stop()
        with pytest.raises(OSError):
            await lean.command("GET", "k")
        redis_server.start()  # its append-only file kept the key
        assert await lean.command("GET", "k") == "before"
    finally:
        await lean.close()


async def test_an_idle_connection_survives_a_restart_of_redis(redis_server: RedisServer) -> None:
    """A worker's first comment after Redis restarted while nobody sent must not fail."""
    lean = LeanConnection(redis_server.url, timeout=2.0)
    try:
        assert await lean.command("SET", "k", "before") == "OK"
        redis_server.stop()
        redis_server.start()
        await asyncio.sleep(0.1)  # the hang-up reaches this process
        assert await lean.command("GET", "k") == "before"
    finally:
        await lean.close()
