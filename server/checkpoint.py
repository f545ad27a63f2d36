"""Copy the write-ahead log into the database file off the commit path.

SQLite in WAL mode appends commits to the ``-wal`` file and, by default, the commit that
takes it past 1,000 pages copies it into the database file and syncs both: that commit
then takes 6–22 ms instead of a fraction of one, and every comment waiting for it waits
as long (python benchmarks/cluster_hub.py: a cluster hub at 5,000 comments/s hit one
every 0.2–1 s). So the store's own connection never checkpoints
(``wal_autocheckpoint=0``), and this runs a passive checkpoint from a connection of its
own, in a thread, every second: it copies what it can without waiting for any writer or
reader, and SQLite starts the log over once a checkpoint has caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_SECONDS = 1.0


class WalCheckpointer:
    """Checkpoints the database at ``path`` every ``interval`` seconds until stopped."""

    def __init__(self, path: Path, interval: float = CHECKPOINT_EVERY_SECONDS) -> None:
        self._path = path
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start checkpointing (in the running loop)."""
        self._task = asyncio.create_task(self._run(), name="wal-checkpoint")

    async def stop(self) -> None:
        """Stop; a checkpoint under way finishes first."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        try:  # used by one thread at a time: each checkpoint is awaited before the next
            conn = sqlite3.connect(self._path, check_same_thread=False)
        except sqlite3.Error as exc:  # SQLite's own checkpoint on close still folds the log in
            log.warning("cannot checkpoint the database: %s", exc)
            return
        try:
            failing = False
            while True:
                await asyncio.sleep(self._interval)
                checkpoint = asyncio.ensure_future(asyncio.to_thread(_checkpoint, conn))
                try:
                    await asyncio.shield(checkpoint)
                except asyncio.CancelledError:  # the thread ends before its connection closes
                    await asyncio.wait([checkpoint])
                    raise
                except sqlite3.Error as exc:  # the next round tries again
                    if not failing:
                        log.warning("checkpointing the database failed: %s", exc)
                    failing = True
                else:
                    failing = False
        finally:
            conn.close()


def _checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
