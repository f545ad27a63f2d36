"""A periodic task that outlives any single failed round.

The hub's periodic work (idle replay, stats, pruning) runs on one of these: a round that
raises is logged and the next one runs on time, so one bad tick never stops the replays.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress

log = logging.getLogger(__name__)


class Ticker:
    """Calls ``work`` every ``interval`` seconds from :meth:`start` until :meth:`stop`."""

    def __init__(self, interval: float, work: Callable[[], None], name: str) -> None:
        self._interval = interval
        self._work = work
        self._name = name
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start ticking (in the running loop)."""
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        """Stop ticking and wait until the task has ended."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                self._work()
            except Exception:  # the ticker must outlive any single bad round
                log.exception("%s failed", self._name)
