"""The cluster the cluster benchmarks measure, and a synthetic worker that feeds its hub.

Library, not a script. :func:`running_cluster` starts, on loopback and in a temporary
directory: a real ``redis-server`` (the tests' :class:`~tests.cluster_support.RedisServer`:
append-only file fsynced always, ``noeviction``), ``danmaku hub`` and ``danmaku worker``
processes (``loadgen.ServerProcess``), and optionally the shipped HAProxy configuration in
front of the workers (the tests' :func:`~tests.haproxy_support.running_haproxy`); it stops
them all on exit. :class:`StreamProducer` writes submissions onto the real submission
stream as a worker does (the same ``Request`` entries, a batch of XADDs per round trip on a
lean connection, at most one batch per ``SUBMIT_BATCH_SECONDS``, as ``ClusterEdge`` sends
them) and reads the hub's acks back from its reply stream, timing each.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadgen
from cluster_latency import danmaku_argv

from server.cluster.edge import SUBMIT_BATCH_SECONDS
from server.cluster.link import COMMAND_TIMEOUT_SECONDS, connect, read_entries
from server.cluster.resp import LeanConnection
from server.cluster.wire import (
    SUBMISSIONS,
    Request,
    outcomes_from_fields,
    replies_key,
    stream_millis,
)
from server.errors import Refused
from server.models import Accepted, Submission
from tests.cluster_support import RedisServer
from tests.haproxy_support import running_haproxy


@dataclass
class Cluster:
    """What :func:`running_cluster` started."""

    redis: RedisServer
    db: Path
    hub: loadgen.ServerProcess | None
    workers: list[loadgen.ServerProcess]
    haproxy_port: int | None = None
    haproxy_pid: int | None = None
    hub_filter_pid: int | None = None  # the hub's filter in a process of its own

    def pids(self) -> dict[str, int]:
        """Every process of the cluster by its label (for CPU and memory readings)."""
        found = {worker.label: worker.pid for worker in self.workers}
        if self.hub is not None:
            found["hub"] = self.hub.pid
        assert self.redis.process is not None
        found["redis-server"] = self.redis.process.pid
        if self.haproxy_pid is not None:
            found["haproxy"] = self.haproxy_pid
        if self.hub_filter_pid is not None:
            found["hub's filter"] = self.hub_filter_pid
        return found

    def entry(self) -> tuple[str, int]:
        """Where phones connect: HAProxy if it runs, else the first worker."""
        if self.haproxy_port is not None:
            return "127.0.0.1", self.haproxy_port
        return "127.0.0.1", self.workers[0].port


@asynccontextmanager
async def running_cluster(
    workdir: Path,
    *,
    workers: int = 2,
    hub: bool = True,
    haproxy: bool = False,
    hub_options: Sequence[str] = (),
    worker_options: Sequence[str] = (),
    hub_core: int | None = None,
    redis_core: int | None = None,
) -> AsyncIterator[Cluster]:
    """Redis, a hub (unless ``hub=False``), ``workers`` workers and maybe HAProxy.

    Processes float over the cores unless ``hub_core``/``redis_core`` pin one.
    """
    async with AsyncExitStack() as stack:
        (workdir / "redis").mkdir(exist_ok=True)
        # As the README's redis.conf: an append-only file fsynced once a second.
        redis = RedisServer(loadgen.free_port(), workdir / "redis", appendfsync="everysec")
        await asyncio.to_thread(redis.start)
        stack.callback(_stop_redis, redis)
        assert redis.process is not None
        if redis_core is not None and len(os.sched_getaffinity(0)) > 1:
            os.sched_setaffinity(redis.process.pid, {redis_core})
        db = workdir / "hub.db"
        hub_process = None
        hub_filter_pid = None
        if hub:
            port = loadgen.free_port()
            argv = danmaku_argv("hub", port, redis.url, "--db", str(db), *hub_options)
            hub_process = loadgen.ServerProcess("hub", argv, port, core=hub_core)
            await _start(stack, hub_process, workdir)
            hub_filter_pid = await settled_child(hub_process.pid)
            if hub_filter_pid is not None and hub_core is not None and redis_core is not None:
                # The hub's filter process judges beside its event loop, not in its turns,
                # as on a machine of its own (the database's threads stay: their commits
                # are on every comment's way, and the other core is the load's).
                os.sched_setaffinity(hub_filter_pid, {redis_core})
        edge = []
        for n in range(workers):
            port = loadgen.free_port()
            argv = danmaku_argv("worker", port, redis.url, *worker_options)
            edge.append(loadgen.ServerProcess(f"worker {chr(ord('A') + n)}", argv, port, None))
            await _start(stack, edge[-1], workdir)
        cluster = Cluster(redis, db, hub_process, edge, hub_filter_pid=hub_filter_pid)
        if haproxy:
            (workdir / "haproxy").mkdir(exist_ok=True)
            ports = [worker.port for worker in edge]
            cluster.haproxy_port = await stack.enter_async_context(
                running_haproxy(ports, workdir / "haproxy")
            )
            cluster.haproxy_pid = pid_of(str(workdir / "haproxy" / "haproxy.cfg"))
        yield cluster


async def _start(stack: AsyncExitStack, server: loadgen.ServerProcess, workdir: Path) -> None:
    await server.start(workdir / f"{server.label.replace(' ', '-')}.log")
    stack.callback(server.stop)


def _stop_redis(redis: RedisServer) -> None:
    if redis.process is not None and redis.process.poll() is None:
        redis.stop()


async def settled_child(pid: int, timeout: float = 30.0) -> int | None:
    """The child process of ``pid`` (the hub's filter process), once it has built its filter:
    its CPU time has stopped growing. None when it has none (a one-core machine)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        for child in map(int, children.read_text().split()):
            deadline = time.monotonic() + timeout
            used = -1.0
            while time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                now_used = loadgen.cpu_seconds(child)
                if now_used - used < 0.02:
                    break
                used = now_used
            return child
    return None


def pid_of(argument: str) -> int | None:
    """The pid of the process whose command line contains ``argument`` (HAProxy's config:
    the tests' helper starts it and does not say its pid)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if argument.encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                return int(entry.name)
    return None


class CpuMeter:
    """utime+stime of several processes and how busy each core was, over a window."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.before = {label: loadgen.cpu_seconds(pid) for label, pid in pids.items()}
        self.cores_before = loadgen.core_times()
        self.seconds: dict[str, float] = {}
        self.cores = ""

    def stop(self) -> None:
        """End the window."""
        for label, pid in self.pids.items():
            self.seconds[label] = loadgen.cpu_seconds(pid) - self.before[label]
        self.cores = loadgen.core_busy(self.cores_before, loadgen.core_times())


def random_sender() -> str:
    """A sender as the web adapter names a phone: ``client:`` and the page's 16 random bytes."""
    return "client:" + secrets.token_hex(16)


def phone_address(n: int) -> str:
    """A phone's address as a worker behind HAProxy records it (a venue's private network)."""
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@dataclass
class Timing:
    """One submission's trip: sent and acked (perf_counter), its entry id and its reply's."""

    sent: float
    entry_ms: int = 0  # the submission's stream id: when Redis appended it
    acked: float = 0.0
    reply_ms: int = 0  # the reply's stream id: when Redis took the hub's ack (after commit)
    outcome: Accepted | Refused | None = None


@dataclass
class StreamProducer:
    """A synthetic worker: submissions onto the real stream, the hub's acks back.

    ``submit`` returns at once; the entry goes out in the next batched round trip, as a
    worker's does. :meth:`follow` (a task) reads this producer's reply stream.
    """

    url: str
    name: str = field(default_factory=lambda: "bench" + secrets.token_hex(4))
    timings: dict[int, Timing] = field(default_factory=dict)
    failures: int = 0

    def __post_init__(self) -> None:
        self._submitter = LeanConnection(self.url, timeout=COMMAND_TIMEOUT_SECONDS)
        self._reader = connect(self.url, blocking=True)
        self._outbox: list[tuple[int, Request]] = []
        self._sender: asyncio.Task[None] | None = None
        self.on_reply: Callable[[Timing], None] | None = None

    def submit(self, number: int, submission: Submission) -> None:
        """Append one submission (numbered by the caller, unique for this producer)."""
        self.timings[number] = Timing(time.perf_counter())
        self._outbox.append((number, Request(self.name, number, submission)))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send(), name="producer")

    async def _send(self) -> None:
        """What was submitted meanwhile, a batch per round trip, as a worker sends it."""
        try:
            while self._outbox:
                started = time.monotonic()
                batch, self._outbox = self._outbox, []
                commands = [
                    ["XADD", SUBMISSIONS, "*", *(x for pair in r.fields().items() for x in pair)]
                    for _, r in batch
                ]
                try:
                    replies: list[Any] = await self._submitter.call(commands)
                except OSError:  # Redis went away: none of the batch is known
                    replies = [None] * len(batch)
                for (number, _), reply in zip(batch, replies, strict=True):
                    if isinstance(reply, str):
                        self.timings[number].entry_ms = stream_millis(reply)
                    else:  # Redis refused it (out of memory) or went away
                        self.failures += 1
                await asyncio.sleep(max(0.0, SUBMIT_BATCH_SECONDS - (time.monotonic() - started)))
        finally:
            self._sender = None

    async def flushed(self) -> None:
        """Wait until Redis has answered every submit so far."""
        while self._sender is not None:
            await asyncio.wait([self._sender])

    async def follow(self) -> None:
        """Read the hub's acks for this producer until cancelled."""
        position = "0-0"
        while True:
            reply: Any = await self._reader.xread(
                {replies_key(self.name): position}, count=1000, block=1000
            )
            now = time.perf_counter()
            for _, entries in read_entries(reply):
                for entry_id, fields in entries:
                    for number, outcome in outcomes_from_fields(fields):
                        self._answered(number, outcome, now, entry_id)
                position = entries[-1][0]

    def _answered(
        self, number: int, outcome: Accepted | Refused, now: float, entry_id: str
    ) -> None:
        timing = self.timings.get(number)
        if timing is not None and timing.outcome is None:
            timing.acked, timing.reply_ms, timing.outcome = now, stream_millis(entry_id), outcome
            if self.on_reply is not None:
                self.on_reply(timing)

    async def close(self) -> None:
        """Close both connections."""
        await self._reader.aclose()
        await self._submitter.close()
