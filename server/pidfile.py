"""Which process serves a database: so a new console can find and take over an orphan.

The file sits beside the database (``danmaku.db`` → ``danmaku.pid``) and holds the pid and
port of the process serving it. It is removed on a clean exit; a stale one (its process
gone) is ignored.
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Owner:
    """The process serving a database."""

    pid: int
    port: int


def pid_path(db_path: Path) -> Path:
    """The pidfile for a database."""
    return db_path.with_suffix(".pid")


def write(db_path: Path, port: int) -> None:
    """Record this process as the one serving ``db_path``."""
    pid_path(db_path).write_text(json.dumps({"pid": os.getpid(), "port": port}))


def remove(db_path: Path) -> None:
    """Forget this process, if the pidfile still names it."""
    owner = read(db_path)
    if owner is not None and owner.pid == os.getpid():
        pid_path(db_path).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read(db_path: Path) -> Owner | None:
    """The live process serving ``db_path``, if any."""
    try:
        data = json.loads(pid_path(db_path).read_text())
        owner = Owner(int(data["pid"]), int(data["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner if _alive(owner.pid) else None


def take_over(db_path: Path, timeout: float = 10.0) -> Owner | None:
    """Ask the process serving ``db_path`` to stop (SIGTERM) and wait until it has.

    Returns the owner that was stopped, or None if nobody was serving.

    Raises:
        TimeoutError: when it is still running after ``timeout`` seconds.
    """
    owner = read(db_path)
    if owner is None or owner.pid == os.getpid():
        return None
    os.kill(owner.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(owner.pid):
        if time.monotonic() > deadline:
            raise TimeoutError(f"pid {owner.pid} did not stop within {timeout:.0f} s")
        time.sleep(0.05)
    return owner
