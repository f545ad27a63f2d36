"""A real HAProxy (Debian's /usr/sbin/haproxy) on a loopback port, running the shipped
deploy/haproxy.cfg with only what a machine decides replaced: the address it listens on,
the workers, maxconn (from this machine's open-file limit) and where it logs; and
``cluster``: two plain `danmaku serve` workers behind it.

A test that needs HAProxy fails when it is missing: `scripts/test.sh` installs it.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import sqlite3
import subprocess
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from tests.process_support import free_port, start_serve

HAPROXY = Path("/usr/sbin/haproxy")
SHIPPED_CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "haproxy.cfg"
WORKERS_MARK = "# workers:"
STARTUP_SECONDS = 20.0


def _substitute(config: str, pattern: str, replacement: str) -> str:
    """Replace every line matching ``pattern``; the shipped file must still have one."""
    changed, count = re.subn(pattern, replacement, config, flags=re.MULTILINE)
    assert count, f"deploy/haproxy.cfg no longer has a line matching {pattern!r}"
    return changed


def render(backend_ports: Sequence[int], port: int) -> str:
    """The shipped configuration for workers on these loopback ports, listening on ``port``."""
    config = SHIPPED_CONFIG.read_text(encoding="utf-8")
    config = _substitute(config, r"^(\s*)bind :80$", rf"\1bind 127.0.0.1:{port}")
    # Two open files per connection (the phone's, the worker's), as HAProxy counts them.
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    maxconn = max(100, (hard if hard != resource.RLIM_INFINITY else 1 << 20) // 2 - 500)
    config = _substitute(config, r"^(\s*)maxconn \d+$", rf"\1maxconn {maxconn}")
    config = _substitute(
        config, r"^(\s*)log /dev/log .*$", r"\1log stderr format short local0 notice"
    )
    if os.geteuid() != 0:  # only root may change user
        config = _substitute(config, r"^\s*(user|group) haproxy\n", "")
    config = _substitute(config, r"^\s*server .*\n", "")
    servers = "".join(
        f"    server w{n} 127.0.0.1:{backend} cookie w{n}\n"
        for n, backend in enumerate(backend_ports, 1)
    )
    head, mark, tail = config.partition(WORKERS_MARK)
    assert mark, f"deploy/haproxy.cfg no longer marks its workers with {WORKERS_MARK!r}"
    line_end = tail.index("\n") + 1
    return head + mark + tail[:line_end] + servers + tail[line_end:]


def check_config(path: Path) -> None:
    """``haproxy -c``: the file is valid for the installed HAProxy."""
    assert HAPROXY.is_file(), f"{HAPROXY} is missing: apt-get install haproxy"
    result = subprocess.run(
        [str(HAPROXY), "-c", "-f", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def _answers(port: int) -> bool:
    """Whether HAProxy takes requests and passes them on (the workers are already up, and
    HAProxy counts a server up from the start until its checks say otherwise)."""
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                return response.status == 200
    except aiohttp.ClientError:
        return False


@asynccontextmanager
async def running_haproxy(backend_ports: Sequence[int], workdir: Path) -> AsyncIterator[int]:
    """HAProxy in front of ``backend_ports`` (already serving), up; yields its port."""
    assert HAPROXY.is_file(), f"{HAPROXY} is missing: apt-get install haproxy"
    port = free_port()
    config = workdir / "haproxy.cfg"
    config.write_text(render(backend_ports, port), encoding="utf-8")
    check_config(config)
    log = (workdir / "haproxy.log").open("w")
    process = subprocess.Popen(
        [str(HAPROXY), "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = asyncio.get_running_loop().time() + STARTUP_SECONDS
        while not await _answers(port):
            assert process.poll() is None, (workdir / "haproxy.log").read_text()
            assert asyncio.get_running_loop().time() < deadline, "HAProxy did not come up"
            await asyncio.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


WORKERS = 2


@dataclass
class Cluster:
    """HAProxy's port, and each worker's port and database."""

    port: int
    worker_ports: list[int]
    databases: list[Path]

    def url(self, lb: str | None) -> str:
        return f"http://127.0.0.1:{self.port}/" + (f"?lb={lb}" if lb else "")

    async def phones_per_worker(self) -> list[int]:
        """What each worker's own /healthz counts (asked directly, not through HAProxy)."""
        counts = []
        async with aiohttp.ClientSession() as http:
            for port in self.worker_ports:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    counts.append(int((await response.json())["phones"]))
        return counts

    def rows(self, column: str) -> list[list[tuple[str, str]]]:
        """(sender, column) of every stored comment, per worker."""
        found = []
        for db in self.databases:
            with sqlite3.connect(db) as conn:
                query = f"SELECT sender, {column} FROM messages ORDER BY id"
                found.append([(str(s), str(v)) for s, v in conn.execute(query)])
        return found


@asynccontextmanager
async def cluster(tmp_path: Path, wordlist: Path, *options: str) -> AsyncIterator[Cluster]:
    """Two `danmaku serve` workers with ``options`` behind the shipped HAProxy config."""
    ports = [free_port() for _ in range(WORKERS)]
    dbs = [tmp_path / f"worker{n}.db" for n in range(WORKERS)]
    common = ("--no-default-wordlists", "--wordlist", str(wordlist), "--rate", "off", *options)
    workers: list[subprocess.Popen[str]] = []
    try:
        # Started side by side: each takes a few seconds to load its filter.
        started = await asyncio.gather(
            *(
                asyncio.to_thread(start_serve, db, port, *common)
                for port, db in zip(ports, dbs, strict=True)
            ),
            return_exceptions=True,
        )
        workers = [worker for worker in started if isinstance(worker, subprocess.Popen)]
        for failure in started:
            if isinstance(failure, BaseException):
                raise failure
        async with running_haproxy(ports, tmp_path) as port:
            yield Cluster(port, ports, dbs)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(20)
