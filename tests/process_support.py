"""Real `danmaku` processes for the tests: a free loopback port, and `danmaku serve` started."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

DANMAKU = [sys.executable, "-m", "console"]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_danmaku(
    command: str,
    port: int,
    *options: str,
    preexec_fn: Callable[[], None] | None = None,
    stderr: int = subprocess.DEVNULL,
) -> subprocess.Popen[str]:
    """`danmaku COMMAND` on loopback ``port``; returns once it says it is serving."""
    process = subprocess.Popen(
        [*DANMAKU, command, "--host", "127.0.0.1", "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=stderr, text=True, env=ENV, preexec_fn=preexec_fn,
    )  # fmt: skip
    assert process.stdout is not None
    assert "serving" in process.stdout.readline()
    return process


def start_serve(
    db: Path,
    port: int,
    *options: str,
    preexec_fn: Callable[[], None] | None = None,
    stderr: int = subprocess.DEVNULL,
) -> subprocess.Popen[str]:
    """`danmaku serve` on loopback ``port`` with ``db``; returns once it says it is serving."""
    return start_danmaku(
        "serve", port, "--db", str(db), *options, preexec_fn=preexec_fn, stderr=stderr
    )


def run_danmaku(
    *args: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``danmaku ARGS`` to its end, fed ``stdin``; its exit code is the caller's to check."""
    return subprocess.run(
        [*DANMAKU, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=cwd,
        env=ENV,
    )
