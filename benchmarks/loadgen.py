"""A small, fast Engine.IO v4 / Socket.IO v5 load generator over aiohttp websockets.

Not python-socketio's AsyncClient (about 34 KB and several tasks per connection): each
connection here is one aiohttp websocket, one reader task and a few slots. It speaks just
what the benchmarks need, on one namespace per connection:

    0{...}                          open (Engine.IO)       2 / 3   ping from the server / pong
    40/send,{"client_id":"p1"}      connect /send          40/send,{"sid":"..."}  connected
    42/send,17["danmaku",{...}]     event with ack id 17   43/send,17[{...}]      its ack
    40/show,{"last_id":N}           connect /show          42/show,["danmaku",{...}]  shown

Library, not a script: ``Phone``, ``Projector``, ``open_many`` (N connections with bounded
concurrency), and small helpers the benchmark scripts share (free ports, pinning, rlimits,
/proc readings, starting and stopping a server subprocess).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiohttp

try:  # faster, if present; the generator must not be the bottleneck
    import orjson

    def _dumps(obj: Any) -> str:
        return orjson.dumps(obj).decode()

    _loads: Callable[[str | bytes], Any] = orjson.loads
except ImportError:  # pragma: no cover - orjson is optional
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

    def _dumps(obj: Any) -> str:
        return _encoder.encode(obj)

    _loads = json.loads

ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CONNECT_TIMEOUT = 20.0


# -- connections -----------------------------------------------------------------------


class ConnectFailed(Exception):
    """The Engine.IO or Socket.IO handshake did not complete."""


class Connection:
    """One websocket speaking Engine.IO v4 with one Socket.IO namespace on it.

    After :meth:`open` a single reader task answers pings and hands every Socket.IO packet
    of the namespace to :meth:`on_packet`. No buffers beyond aiohttp's own.
    """

    __slots__ = ("close_reason", "closed", "pings", "reader", "sid", "ws")

    namespace = "/"

    def __init__(self) -> None:
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None
        self.sid: str | None = None
        self.closed = False
        self.close_reason = ""
        self.pings = 0

    async def open(
        self,
        session: aiohttp.ClientSession,
        url: str,
        auth: dict[str, Any] | None = None,
        compress: int = 0,
        timeout: float = CONNECT_TIMEOUT,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Connect the websocket and the namespace; then start the reader task.

        ``compress=15`` offers permessage-deflate as every browser does (the server then
        compresses what it sends); 0 offers nothing. ``headers`` are sent with the upgrade
        request (see :func:`browser_headers`).

        Raises:
            ConnectFailed: the handshake failed or timed out (the socket is closed).
        """
        try:
            async with asyncio.timeout(timeout):
                self.ws = await session.ws_connect(
                    url,
                    autoping=True,
                    heartbeat=None,
                    compress=compress,
                    max_msg_size=1 << 20,
                    headers=headers,
                )
                if compress:  # we still receive compressed frames; we send plain ones (allowed)
                    self.ws._writer.compress = 0
                opening = await self.ws.receive_str()
                if not opening.startswith("0"):
                    raise ConnectFailed(f"expected an Engine.IO open packet, got {opening[:80]!r}")
                body = "" if auth is None else _dumps(auth)
                await self.ws.send_str(f"40{self.namespace},{body}")
                while True:
                    reply = await self.ws.receive_str()
                    if reply.startswith(f"40{self.namespace},"):
                        self.sid = _loads(reply[len(self.namespace) + 3 :]).get("sid")
                        break
                    if reply.startswith(f"44{self.namespace},"):
                        raise ConnectFailed(f"connect refused: {reply[:200]}")
                    if reply == "2":
                        self.pings += 1
                        await self.ws.send_str("3")
        except (TimeoutError, aiohttp.ClientError, OSError, TypeError, ValueError) as exc:
            await self._abort()
            raise ConnectFailed(f"{type(exc).__name__}: {exc}") from exc
        except BaseException:
            await self._abort()
            raise
        self.reader = asyncio.create_task(self._read())

    async def _abort(self) -> None:
        self.closed = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _read(self) -> None:
        ws = self.ws
        assert ws is not None
        text = aiohttp.WSMsgType.TEXT
        try:
            while True:
                msg = await ws.receive()
                if msg.type is not text:
                    self.close_reason = f"websocket {msg.type.name}"
                    break
                data: str = msg.data
                first = data[:1]
                if first == "4":
                    self.on_packet(data)
                elif first == "2":
                    self.pings += 1
                    await ws.send_str("3")
                elif first == "1":
                    self.close_reason = "engine.io close"
                    break
        except (aiohttp.ClientError, OSError, RuntimeError) as exc:
            self.close_reason = f"{type(exc).__name__}: {exc}"
        finally:
            self.closed = True

    def on_packet(self, data: str) -> None:
        """A Socket.IO packet (the Engine.IO "4" message, whole). Override."""
        if data.startswith("41"):
            self.close_reason = "socket.io disconnect"

    async def emit(self, event: str, payload: Any, ack_id: int | None = None) -> None:
        """Send an event on this namespace (with an ack id if given)."""
        assert self.ws is not None
        ack = "" if ack_id is None else str(ack_id)
        await self.ws.send_str(f"42{self.namespace},{ack}{_dumps([event, payload])}")

    def abort(self) -> None:
        """Drop the connection at once, without a close handshake (a phone leaving the hall,
        a page reload): the server sees the TCP connection end."""
        if self.reader is not None:
            self.reader.cancel()
        transport = getattr(getattr(self.ws, "_writer", None), "transport", None)
        if transport is not None:
            transport.abort()
        self.closed = True

    async def close(self) -> None:
        """Close the websocket and stop the reader (quietly)."""
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 1.0)
        self.closed = True


AckHandler = Callable[["Phone", int, dict[str, Any], float], None]


class Phone(Connection):
    """A phone on ``/send``. Acks go to ``on_ack(phone, ack_id, ack, perf_counter)``.

    Ack ids are chosen by the caller (a benchmark uses its global sequence number, so no
    per-phone table of pending acks is needed).
    """

    __slots__ = ("on_ack",)

    namespace = "/send"

    def __init__(self, on_ack: AckHandler | None = None) -> None:
        super().__init__()
        self.on_ack = on_ack

    def on_packet(self, data: str) -> None:
        """Acks: ``43/send,<id>[{...}]``."""
        if data.startswith("43/send,"):
            now = time.perf_counter()
            bracket = data.index("[", 8)
            ack_id = int(data[8:bracket])
            body = _loads(data[bracket:])
            if self.on_ack is not None:
                self.on_ack(self, ack_id, body[0] if body else {}, now)
        else:
            super().on_packet(data)

    async def send_danmaku(self, payload: dict[str, Any], ack_id: int) -> None:
        """Emit ``danmaku`` with an ack id."""
        await self.emit("danmaku", payload, ack_id)


class Projector(Connection):
    """A show page on ``/show``: records when each comment id arrived (perf_counter)."""

    __slots__ = ("events", "on_show", "replays", "seen")

    namespace = "/show"

    def __init__(self, on_show: Callable[[dict[str, Any], float], None] | None = None) -> None:
        super().__init__()
        self.seen: dict[int, float] = {}  # comment id -> first arrival
        self.replays = 0
        self.events = 0  # other events (state, lottery, ...)
        self.on_show = on_show

    def on_packet(self, data: str) -> None:
        """``42/show,["danmaku",{...}]`` and friends."""
        if data.startswith('42/show,["danmaku",'):
            now = time.perf_counter()
            message = _loads(data[8:])[1]
            if message.get("replay"):
                self.replays += 1
            else:
                self.seen.setdefault(message["id"], now)
            if self.on_show is not None:
                self.on_show(message, now)
        elif data.startswith("42/show,"):
            self.events += 1
        else:
            super().on_packet(data)


def browser_headers(host: str, port: int) -> dict[str, str]:
    """What a phone's browser sends with its WebSocket upgrade besides the handshake itself
    (same origin, as the server requires); the server keeps these for the connection's life."""
    return {
        "Origin": f"http://{host}:{port}",
        "User-Agent": (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
        ),
        "Accept-Language": "zh-CN,zh-Hans;q=0.9,en;q=0.8",
        "Cache-Control": "no-cache",
        "Pragma": "no-cache",
    }


def socketio_url(host: str, port: int) -> str:
    """The websocket URL of Engine.IO v4 on the default path."""
    return f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket"


def make_session(source: str | None = None) -> aiohttp.ClientSession:
    """One client session for many websockets (no pool limit), optionally bound to a source
    address such as ``127.0.0.7``."""
    connector = aiohttp.TCPConnector(
        limit=0,
        limit_per_host=0,
        force_close=True,
        local_addr=None if source is None else (source, 0),
    )
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None))


class Sources:
    """Client sessions bound to several loopback source addresses (127.0.1.1, 127.0.1.2, ...).

    A venue's phones come from many addresses; the server limits new sessions per address
    (`--connect-rate`, 10,000 per 10 s by default), and one source address has only
    ~28,000 ephemeral ports. Connection ``i`` uses address ``i % count``. Use as
    ``async with Sources(n) as sources``.
    """

    def __init__(self, count: int) -> None:
        self.addresses = [f"127.0.{1 + k // 250}.{1 + k % 250}" for k in range(max(1, count))]
        self.sessions: list[aiohttp.ClientSession] = []

    async def __aenter__(self) -> Sources:
        self.sessions = [make_session(address) for address in self.addresses]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for session in self.sessions:
            await session.close()

    def session(self, i: int) -> aiohttp.ClientSession:
        """The session for connection ``i``."""
        return self.sessions[i % len(self.sessions)]

    @classmethod
    def for_connections(cls, connections: int, per_address: int = 1000) -> Sources:
        """Enough addresses that none opens more than ``per_address`` connections."""
        return cls(-(-connections // per_address))


async def open_many(
    factory: Callable[[int], Connection],
    count: int,
    opener: Callable[[Connection, int], Awaitable[None]],
    concurrency: int = 100,
    progress: Callable[[int, int], None] | None = None,
    retries: int = 2,
    retry_delay: Callable[[int], float] | None = None,
) -> tuple[list[Connection], list[str]]:
    """Open ``count`` connections, at most ``concurrency`` handshakes at a time.

    ``factory(i)`` builds connection i, ``opener(conn, i)`` opens it. A failed handshake is
    retried ``retries`` times after ``retry_delay(attempt)`` seconds (default: a short
    pause; :func:`page_backoff` waits as our pages do). Returns (the open ones in index
    order, the errors of those that never opened).
    """
    delay = retry_delay or (lambda attempt: 0.2 * (attempt + 1))
    opened: list[Connection | None] = [None] * count
    errors: list[str] = []
    next_index = 0
    done = 0

    async def worker() -> None:
        nonlocal next_index, done
        while next_index < count:
            i = next_index
            next_index += 1
            for attempt in range(retries + 1):
                conn = factory(i)
                try:
                    await opener(conn, i)
                except ConnectFailed as exc:
                    if attempt == retries:
                        errors.append(str(exc))
                    else:
                        await asyncio.sleep(delay(attempt))
                    continue
                opened[i] = conn
                break
            done += 1
            if progress is not None:
                progress(done, count)

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, count)))))
    return [c for c in opened if c is not None], errors


def page_backoff(attempt: int) -> float:
    """How long our pages wait before their next try (web/lib/socketio.js): 0.5 s doubling
    to at most 5 s, with jitter (half to all of it) so a hall does not retry in step."""
    ceiling = min(5.0, 0.5 * 2**attempt)
    return ceiling / 2 + random.random() * ceiling / 2


async def close_all(connections: Iterable[Connection], concurrency: int = 500) -> None:
    """Close many connections, a bounded number at a time."""
    pending = list(connections)
    for start in range(0, len(pending), concurrency):
        await asyncio.gather(*(c.close() for c in pending[start : start + concurrency]))


def progress_printer(label: str, every: int) -> Callable[[int, int], None]:
    """A progress callback that prints a line every ``every`` connections."""

    def report(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            print(f"  {label}: {done}/{total}", flush=True)

    return report


# -- the machine ------------------------------------------------------------------------


def raise_nofile_limit() -> tuple[int, int]:
    """Raise this process's soft open-file limit to the hard limit; return (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def pin_to_core(core: int) -> str:
    """Pin this process to one core; say what happened."""
    cores = os.sched_getaffinity(0)
    if core not in cores or len(cores) < 2:
        return f"not pinned (cores available: {sorted(cores)})"
    os.sched_setaffinity(0, {core})
    return f"generator pinned to core {core}"


def taskset_prefix(core: int) -> list[str]:
    """``taskset -c core`` when there is a second core and taskset exists."""
    if len(os.sched_getaffinity(0) | {core}) < 2 or not _which("taskset"):
        return []
    return ["taskset", "-c", str(core)]


def _which(name: str) -> bool:
    return any(Path(d, name).is_file() for d in os.environ.get("PATH", "").split(os.pathsep))


def rss_kb(pid: int) -> int:
    """VmRSS of a process, in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process so far, in seconds."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # fields 14 and 15 of stat


def core_times() -> dict[int, tuple[int, int]]:
    """Per core: (busy, total) jiffies from /proc/stat."""
    result = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name != "cpu":
            numbers = [int(v) for v in values[:8]]
            idle = numbers[3] + numbers[4]  # idle + iowait
            result[int(name[3:])] = (sum(numbers) - idle, sum(numbers))
    return result


def core_busy(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]) -> str:
    """How busy each core was between two :func:`core_times` readings, e.g. 'core0 93%'."""
    parts = []
    for core in sorted(after):
        busy = after[core][0] - before.get(core, (0, 0))[0]
        total = after[core][1] - before.get(core, (0, 0))[1]
        parts.append(f"core{core} {100 * busy / max(1, total):.0f}%")
    return ", ".join(parts)


def open_files_limit(pid: int) -> str:
    """The 'Max open files' line of a process."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            soft, hard = line.split()[3:5]
            return f"soft {soft}, hard {hard}"
    return "unknown"


def verdict(checks: Sequence[tuple[str, bool]]) -> bool:
    """Print each check as [PASS]/[FAIL] and the overall RESULT line; True when all passed."""
    print()
    for text, passed in checks:
        print(f"[{'PASS' if passed else 'FAIL'}] {text}")
    ok = all(passed for _, passed in checks)
    print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
    return ok


def uptime_line() -> str:
    """The load averages, as ``uptime`` shows them."""
    loads = Path("/proc/loadavg").read_text().split()[:3]
    return f"load average: {', '.join(loads)}"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- server subprocesses --------------------------------------------------------------


class ServerProcess:
    """A server subprocess pinned to a core (``core=None``: left to the scheduler); stopped
    (and killed if need be) on exit."""

    def __init__(self, label: str, argv: Sequence[str], port: int, core: int | None = 0) -> None:
        self.label = label
        self.port = port
        self.argv = [*([] if core is None else taskset_prefix(core)), *argv]
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None

    @property
    def pid(self) -> int:
        """The server's own pid (taskset execs it, so the same)."""
        assert self.process is not None
        return self.process.pid

    async def start(self, log_path: Path, ready_timeout: float = 60.0) -> None:
        """Start it and wait until its port accepts connections.

        Raises:
            RuntimeError: it exited, or its port did not open in time.
        """
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.label} exited ({self.process.returncode}):\n{self.log()}"
                )
            if await self._ready():
                return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.label} did not open port {self.port} in {ready_timeout} s")

    async def _ready(self) -> bool:
        """Port open and the start-up line printed (danmaku serve prints after gc.freeze)."""
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
        return "serving" in self.log().lower() or "ready" in self.log().lower()

    def log(self) -> str:
        """What it printed so far."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGINT (Ctrl-C), then SIGKILL after ``timeout``; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(5)

    async def astop(self, timeout: float = 20.0) -> tuple[int | None, float]:
        """SIGINT, then wait without blocking the event loop (our clients keep answering);
        SIGKILL after ``timeout``. Returns (exit code, seconds until it exited)."""
        if self.process is None or self.process.poll() is not None:
            return (None if self.process is None else self.process.returncode), 0.0
        started = time.perf_counter()
        self.process.send_signal(signal.SIGINT)
        deadline = started + timeout
        while self.process.poll() is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        return self.process.returncode, elapsed

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def danmaku_serve_argv(port: int, db: Path, rate: str, extra: Sequence[str] = ()) -> list[str]:
    """``danmaku serve`` on loopback, as this Python runs it."""
    return [
        sys.executable,
        "-m",
        "console",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(db),
        "--rate",
        rate,
        *extra,
    ]


def bare_relay_argv(port: int, gc_tuned: bool) -> list[str]:
    """The bare python-socketio relay (benchmarks/bare_relay.py)."""
    argv = [sys.executable, str(ROOT / "benchmarks" / "bare_relay.py"), "--port", str(port)]
    return [*argv, "--gc-tuned"] if gc_tuned else argv


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def install_signal_cleanup() -> None:
    """SIGTERM/SIGHUP raise SystemExit, so ``finally`` blocks stop the servers."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
