"""The hub's side of the submission stream: read in order, submit, reply to each worker.

Exactly once across crashes: each comment is stored with its entry's id
(:class:`~server.models.IntakeMark`) in one transaction, and reading resumes after the
last id committed. A consumer group's pending list alone would not do: a crash between
the commit and the XACK would deliver the comment again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable

from redis.asyncio import Redis

from server.cluster.link import (
    BLOCK_MILLISECONDS,
    RECONNECT_PAUSE_SECONDS,
    REDIS_DOWN,
    read_entries,
)
from server.cluster.wire import SUBMISSIONS, Outcome, Request
from server.errors import ErrorCode, Refused
from server.hub import Hub, StagedBatch
from server.models import Accepted, IntakeMark

log = logging.getLogger(__name__)

BATCH_ENTRIES = 1_000  # read at most this many at once: one grouped commit takes them all
TRIM_EVERY_SECONDS = 1.0  # drop what is committed from the stream this often
PIPELINE_BATCHES = 2  # one committing while the next is judged; more would only queue
STORE_FAILED = Refused(ErrorCode.UNAVAILABLE, "The wall could not take it. Send again.")

Reply = Callable[[str, list[tuple[int, Outcome]]], None]  # to a worker: its requests' acks


class Intake:
    """Takes every worker's submissions, in stream order, into the hub.

    A pipeline two batches deep: while one batch commits (in the database's thread) the
    next is read and judged (in this one). Replies and the wall follow the stream's order:
    each batch is settled after the one before it.
    """

    def __init__(self, hub: Hub, reader: Redis, commands: Redis, reply: Reply) -> None:
        self._hub = hub
        self._reader = reader  # waits in XREAD BLOCK: a connection of its own
        self._commands = commands
        self._reply = reply  # the publisher's: acks after the events they announce
        self._settling: deque[asyncio.Task[None]] = deque()  # staged batches, oldest first
        self._committed_to: str | None = None  # the last entry whose batch is committed

    async def run(self) -> None:
        """Read, submit and reply until cancelled; Redis going away only pauses it."""
        position = await self._hub.intake_position(SUBMISSIONS) or "0-0"
        self._committed_to = position
        trimmed_at = time.monotonic()
        down = False
        try:
            while True:
                try:
                    reply = await self._reader.xread(
                        {SUBMISSIONS: position}, count=BATCH_ENTRIES, block=BLOCK_MILLISECONDS
                    )
                    if time.monotonic() - trimmed_at >= TRIM_EVERY_SECONDS:
                        # Only what is committed: its ids are in the store.
                        await self._commands.xtrim(
                            SUBMISSIONS, minid=self._committed_to, approximate=True
                        )
                        trimmed_at = time.monotonic()
                except REDIS_DOWN as exc:
                    if not down:  # once an outage, not five times a second
                        log.warning("reading submissions from Redis failed: %s", exc)
                    down = True
                    await asyncio.sleep(RECONNECT_PAUSE_SECONDS)
                    continue
                if down:
                    log.warning("Redis is back: taking submissions after %s", position)
                    down = False
                for _, entries in read_entries(reply):
                    await self._room_for_a_batch()
                    self._stage(entries)
                    position = entries[-1][0]
        finally:  # what is staged is written: let it commit and answer
            await asyncio.gather(*self._settling, return_exceptions=True)

    async def take(self, entries: list[tuple[str, dict[str, str]]]) -> None:
        """Submit a batch of entries, in order, in one commit; reply per worker."""
        self._stage(entries)
        await asyncio.wait([self._settling[-1]])
        self._settling.pop().result()

    async def _room_for_a_batch(self) -> None:
        """Wait until at most one batch is still settling (one commits while one is judged)."""
        if len(self._settling) >= PIPELINE_BATCHES:
            # Not awaited directly: cancelling this loop must not cancel a batch's answers.
            await asyncio.wait([self._settling[0]])
        while self._settling and self._settling[0].done():
            self._settling.popleft().result()  # a bug in settling stops the intake, loudly

    def _stage(self, entries: list[tuple[str, dict[str, str]]]) -> None:
        """Judge and write the batch now; settle it (after the one before) in a task."""
        requests: list[Request] = []
        for entry_id, fields in entries:
            try:
                requests.append(Request.from_fields(fields))
            except ValueError as exc:  # not from a worker: nobody to answer
                log.warning("skipping stream entry %s: %s", entry_id, exc)
        # Refusals, retries and skipped entries stored nothing: the position moves past them.
        last = IntakeMark(SUBMISSIONS, entries[-1][0])
        staged = self._hub.stage_batch([request.submission for request in requests], last)
        before = self._settling[-1] if self._settling else None
        self._settling.append(asyncio.create_task(self._settle(requests, staged, last, before)))

    async def _settle(
        self,
        requests: list[Request],
        staged: StagedBatch,
        last: IntakeMark,
        before: asyncio.Task[None] | None,
    ) -> None:
        if before is not None:  # the wall and the acks in stream order
            await asyncio.wait([before])
        acks: dict[str, list[tuple[int, Outcome]]] = {}
        failed = False
        for request, outcome in zip(requests, await self._hub.settle_batch(staged), strict=True):
            if not isinstance(outcome, Accepted | Refused):  # nothing acknowledged: may retry
                if not failed:
                    log.error("committing submissions from the stream failed", exc_info=outcome)
                failed = True
                outcome = STORE_FAILED
            acks.setdefault(request.worker, []).append((request.number, outcome))
        if not failed:
            self._committed_to = last.position
        for worker, worker_acks in acks.items():
            self._reply(worker, worker_acks)
