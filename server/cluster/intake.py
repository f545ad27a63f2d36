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
from collections.abc import Callable

from redis.asyncio import Redis

from server.cluster.link import BLOCK_MILLISECONDS, RECONNECT_PAUSE_SECONDS, REDIS_DOWN
from server.cluster.resp import LeanConnection, stream_entries
from server.cluster.wire import SUBMISSIONS, Outcome, Request
from server.errors import ErrorCode, Refused
from server.hub import Hub
from server.models import Accepted, IntakeMark

log = logging.getLogger(__name__)

BATCH_ENTRIES = 1_000  # read at most this many at once: one grouped commit takes them all
TRIM_EVERY_SECONDS = 1.0  # drop what is committed from the stream this often
# At most one batch this often. Each costs a read, a commit and a write of events and acks
# whatever its size: at 1,000 comments/s with no pause the batches were three comments
# each, 330 a second. A busy hub's batches take this long anyway and never wait; after a
# quiet spell the first comment is taken at once (as a single box waits 5 ms to group
# its commits, benchmarks/cluster_ingest.py: the hub 0.44 -> 0.27 s of CPU per 1,000).
# 5 ms was tried: the median comment at 5,000/s was read sooner (queue->commit 14 -> 10
# ms), but in more, smaller batches, and the tail, which the hub's CPU per submission
# decides, was no better (benchmarks/cluster_hub.py --rate 5000: p99 39 and 53 ms).
BATCH_SECONDS = 0.010
STORE_FAILED = Refused(ErrorCode.UNAVAILABLE, "The wall could not take it. Send again.")

Reply = Callable[[str, list[tuple[int, Outcome]]], None]  # to a worker: its requests' acks


class Intake:
    """Takes every worker's submissions, in stream order, into the hub."""

    def __init__(self, hub: Hub, reader: LeanConnection, commands: Redis, reply: Reply) -> None:
        self._hub = hub
        # XREAD BLOCK on a lean connection of its own: a round trip per batch, hundreds a
        # second at 1,000 comments/s, at half redis-py's CPU (benchmarks/redis_round_trip.py)
        self._reader = reader
        self._commands = commands
        self._reply = reply  # the publisher's: acks after the events they announce

    async def run(self) -> None:
        """Read, submit and reply until cancelled; Redis going away only pauses it."""
        position = await self._hub.intake_position(SUBMISSIONS) or "0-0"
        trimmed_at = time.monotonic()
        down = False
        while True:
            try:
                reply = await self._reader.command(
                    "XREAD", "COUNT", str(BATCH_ENTRIES), "BLOCK", str(BLOCK_MILLISECONDS),
                    "STREAMS", SUBMISSIONS, position,
                )  # fmt: skip
                if time.monotonic() - trimmed_at >= TRIM_EVERY_SECONDS:
                    # Everything before `position` is committed: its ids are in the store.
                    await self._commands.xtrim(SUBMISSIONS, minid=position, approximate=True)
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
            for _, entries in stream_entries(reply):
                started = time.monotonic()
                await self.take(entries)
                position = entries[-1][0]
                # A quick batch: the rest of its time lets the next one gather.
                await asyncio.sleep(max(0.0, BATCH_SECONDS - (time.monotonic() - started)))

    async def take(self, entries: list[tuple[str, dict[str, str]]]) -> None:
        """Submit a batch of entries, in order, in one commit with its position; reply."""
        requests: list[Request] = []
        for entry_id, fields in entries:
            try:
                requests.append(Request.from_fields(fields))
            except ValueError as exc:  # not from a worker: nobody to answer
                log.warning("skipping stream entry %s: %s", entry_id, exc)
        # Refusals, retries and skipped entries stored nothing: the position moves past them.
        read_to = IntakeMark(SUBMISSIONS, entries[-1][0])
        outcomes = await self._hub.submit_batch([r.submission for r in requests], read_to)
        acks: dict[str, list[tuple[int, Outcome]]] = {}
        failed = False
        for request, outcome in zip(requests, outcomes, strict=True):
            if not isinstance(outcome, Accepted | Refused):  # nothing acknowledged: may retry
                if not failed:
                    log.error("committing submissions from the stream failed", exc_info=outcome)
                failed = True
                outcome = STORE_FAILED
            acks.setdefault(request.worker, []).append((request.number, outcome))
        for worker, worker_acks in acks.items():
            self._reply(worker, worker_acks)
