"""A real cluster for the tests: redis-server on a free loopback port, `danmaku worker` and
`danmaku hub` processes, and the ways a night goes wrong (stop Redis, kill -9 a process).

A missing redis-server fails the test that needs it; it never skips.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.process_support import free_port, start_danmaku

STARTUP_SECONDS = 10.0


def redis_server_program() -> str:
    """Debian's redis-server, or the test fails saying how to get it."""
    program = shutil.which("redis-server")
    if program is None:
        pytest.fail("redis-server is missing: apt-get install redis-server (scripts/test.sh does)")
    return program


@dataclass
class RedisServer:
    """A real redis-server in its own directory; stopped and started again, it keeps its data."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None
    # The tests fsync every write (kill -9 and power cuts alike lose nothing of the
    # streams); the benchmarks run what the README ships (everysec).
    appendfsync: str = "always"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_server_program(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--save", "", "--appendonly", "yes",
             "--appendfsync", self.appendfsync, "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether it answers a PING now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Shut it down cleanly (SIGTERM): its append-only file keeps every stream."""
        assert self.process is not None
        self.process.terminate()
        self.process.wait(STARTUP_SECONDS)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running redis-server for one test."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(free_port(), directory)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.stop()


@dataclass
class Process:
    """A `danmaku worker` or `danmaku hub` process and the URL it serves."""

    process: subprocess.Popen[str]
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """kill -9: no cleanup, no goodbye."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@dataclass
class Cluster:
    """Starts cluster processes on one Redis, and ends every one still running."""

    redis: RedisServer
    logs: Path
    started: list[Process] = field(default_factory=list)

    def worker(self, *options: str) -> Process:
        """`danmaku worker` on a free loopback port; returns once it serves."""
        return self._start("worker", *options)

    def hub(self, db: Path, *options: str) -> Process:
        """`danmaku hub` (no console) on a free loopback port with ``db``."""
        return self._start("hub", "--db", str(db), *options)

    def _start(self, command: str, *options: str) -> Process:
        port = free_port()
        # Each process's log is kept beside the test's files, for a failure's post-mortem.
        with open(self.logs / f"{command}-{port}.log", "w") as log:
            process = start_danmaku(
                command, port, "--redis", self.redis.url, *options, stderr=log.fileno()
            )
        self.started.append(Process(process, port))
        return self.started[-1]

    def end(self) -> None:
        for started in self.started:
            if started.process.poll() is None:
                started.process.terminate()
                try:
                    started.process.wait(STARTUP_SECONDS)
                except subprocess.TimeoutExpired:
                    started.kill()


@pytest.fixture
def cluster(redis_server: RedisServer, tmp_path: Path) -> Iterator[Cluster]:
    """Workers (and hubs) on the test's Redis, all ended after the test."""
    started = Cluster(redis_server, tmp_path)
    yield started
    started.end()


async def eventually(
    predicate: Callable[[], object], timeout: float = 10.0, what: str = ""
) -> None:
    """Wait until ``predicate()`` is true (bounded: a hang fails the test, saying what)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.02)
