"""Keep Python's cyclic garbage collector from pausing a wall that holds thousands of phones.

Every connected phone is a few hundred long-lived objects. The collector's full passes
scan all of them, and with 15,000 phones a pass stalls the event loop for hundreds of
milliseconds: comments arrive on the projector late, in bursts. So objects that have
survived a second are moved out of the collector's sight (``gc.freeze``) every second;
the young-generation passes then only ever scan what the last second created.

Frozen objects are never collected, so garbage cycles frozen by mistake would stay. When
the wall is quiet (nobody has sent anything for a few seconds) and at least a minute has
passed, everything is unfrozen and collected once, where a pause bothers nobody; during
a long busy stretch that happens anyway every ten minutes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

FREEZE_EVERY_SECONDS = 1.0
QUIET_SECONDS = 5.0
FULL_COLLECTION_MIN_GAP_SECONDS = 60.0
FULL_COLLECTION_MAX_GAP_SECONDS = 600.0
# Young collections after this many new objects (the default 700 runs them hundreds of
# times a second under load); the older generations far less often.
THRESHOLDS = (50_000, 50, 100)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block.

    For a bulk load of long-lived objects (the restore's ~100,000 messages), which every
    young pass would otherwise walk again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_startup_objects() -> None:
    """Move everything alive after start-up (modules, jieba's dictionary) out of sight."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


class HeapKeeper:
    """Freezes survivors every second; collects fully when the wall is quiet.

    ``idle_seconds`` says how long nothing has been sent (the hub knows).
    """

    def __init__(
        self, idle_seconds: Callable[[], float], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._last_full = clock()
        self.full_collections = 0

    def step(self) -> None:
        """One second's work: a full collection if it is due, else a freeze."""
        since_full = self._clock() - self._last_full
        quiet = self._idle_seconds() >= QUIET_SECONDS
        if since_full >= FULL_COLLECTION_MAX_GAP_SECONDS or (
            quiet and since_full >= FULL_COLLECTION_MIN_GAP_SECONDS
        ):
            self._collect_everything()
        gc.freeze()

    def _collect_everything(self) -> None:
        started = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        self._last_full = self._clock()
        self.full_collections += 1
        log.info(
            "full garbage collection: %d unreachable objects, %.0f ms",
            found,
            (time.perf_counter() - started) * 1000,
        )

    async def run(self) -> None:
        """Step every second until cancelled."""
        freeze_startup_objects()
        while True:
            await asyncio.sleep(FREEZE_EVERY_SECONDS)
            self.step()
