"""The hub's side of the submission stream: read in order, submit, reply to each worker.

Exactly once across crashes: each comment is stored with its entry's id
(:class:`~server.models.IntakeMark`) in one transaction, and reading resumes after the
last id committed. A consumer group's pending list alone would not do: a crash between
the commit and the XACK would deliver the comment again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from server.cluster.link import BLOCK_MILLISECONDS, RECONNECT_PAUSE_SECONDS, REDIS_DOWN
from server.cluster.resp import LeanConnection, stream_entries
from server.cluster.wire import SUBMISSIONS, Outcome, Request
from server.errors import ErrorCode, Refused
from server.filter_process import FilterProcess
from server.hub import Hub
from server.models import Accepted, IntakeMark, Verdict

log = logging.getLogger(__name__)

BATCH_ENTRIES = 1_000  # read at most this many at once: one grouped commit takes them all
TRIM_EVERY_SECONDS = 1.0  # drop what is committed from the stream this often
# How long the next batch gathers, from the pace of the last: about BATCH_GOAL comments,
# waiting between the two floors. Each batch costs a read, a commit, a write of events and
# acks, and a wake-up of every worker, whatever its size (at 1,000 comments/s with no
# floor the batches were three comments, 330 a second); a busy hub's batches take this
# long anyway and never wait, and after a quiet spell the first comment is taken at once.
# benchmarks/cluster_hub.py --rate 5000 --seconds 30, with the filter in its own process
# and runs taking turns: p99 queue->commit 34 and 37 ms with 10 ms between reads, 23 and
# 19 ms with 5 ms, for about the same CPU per submission; at 1,000/s the longer floor
# spares every worker half its wake-ups (benchmarks/cluster_ingest.py).
BATCH_GOAL = 12
BATCH_SECONDS_MIN = 0.005
BATCH_SECONDS_MAX = 0.010
# A smaller batch is judged in the hub's loop: the round trip to the filter's process
# costs the loop about 160 us, what judging five comments does (and the child as much).
JUDGE_ELSEWHERE_FROM = 12
STORE_FAILED = Refused(ErrorCode.UNAVAILABLE, "The wall could not take it. Send again.")

Reply = Callable[[str, list[tuple[int, Outcome]]], None]  # to a worker: its requests' acks


class Intake:
    """Takes every worker's submissions, in stream order, into the hub."""

    def __init__(
        self,
        hub: Hub,
        reader: LeanConnection,
        commands: Redis,
        reply: Reply,
        judge: FilterProcess | None = None,
    ) -> None:
        self._hub = hub
        # XREAD BLOCK on a lean connection of its own: a round trip per batch, hundreds a
        # second at 1,000 comments/s, at half redis-py's CPU (benchmarks/redis_round_trip.py)
        self._reader = reader
        self._commands = commands
        self._reply = reply  # the publisher's: acks after the events they announce
        self._judge = judge  # the filter on another core; None: the hub's loop judges
        self._taken = "0-0"  # the last entry taken (committed, or answered with nothing to)

    async def run(self) -> None:
        """Read, submit and reply until cancelled; Redis going away only pauses it.

        The next batch is read while one is taken, so that the filter's process (if any)
        judges it meanwhile: by the time the hub comes to it, its verdicts are in.
        """
        position = await self._hub.intake_position(SUBMISSIONS) or "0-0"
        self._taken = position
        ahead: asyncio.Queue[_Batch] = asyncio.Queue(maxsize=1)  # one batch, not a backlog
        reader = asyncio.create_task(self._read_ahead(position, ahead), name="intake-reader")
        try:
            while True:
                batch = await ahead.get()
                await self._take(batch)
                self._taken = batch.read_to.position
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            while not ahead.empty():
                ahead.get_nowait().abandon()

    async def _read_ahead(self, position: str, ahead: asyncio.Queue[_Batch]) -> None:
        trimmed_at = time.monotonic()
        read_at, gather = -BATCH_SECONDS_MAX, BATCH_SECONDS_MAX
        down = False
        while True:
            # The rest of the gathering time since the last read lets the next batch gather.
            await asyncio.sleep(max(0.0, gather - (time.monotonic() - read_at)))
            try:
                reply = await self._reader.command(
                    "XREAD", "COUNT", str(BATCH_ENTRIES), "BLOCK", str(BLOCK_MILLISECONDS),
                    "STREAMS", SUBMISSIONS, position,
                )  # fmt: skip
                streams = stream_entries(reply)  # ours alone, or none: the block ran out
                read_at, last_read_at = time.monotonic(), read_at
                read = sum(len(entries) for _, entries in streams)
                gather = gathering_time(read, read_at - last_read_at)
                if read_at - trimmed_at >= TRIM_EVERY_SECONDS:
                    # Everything up to what was taken is committed: its ids are in the store.
                    await self._commands.xtrim(SUBMISSIONS, minid=self._taken, approximate=True)
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
            for _, entries in streams:
                batch = self._prepare(entries)
                try:
                    await ahead.put(batch)
                except asyncio.CancelledError:
                    batch.abandon()
                    raise
                position = entries[-1][0]

    async def take(self, entries: list[tuple[str, dict[str, str]]]) -> None:
        """Submit a batch of entries, in order, in one commit with its position; reply."""
        await self._take(self._prepare(entries))

    def _prepare(self, entries: list[tuple[str, dict[str, str]]]) -> _Batch:
        """The batch's requests, their texts already on their way to the filter's process."""
        requests: list[Request] = []
        for entry_id, fields in entries:
            try:
                requests.append(Request.from_fields(fields))
            except ValueError as exc:  # not from a worker: nobody to answer
                log.warning("skipping stream entry %s: %s", entry_id, exc)
        # Refusals, retries and skipped entries stored nothing: the position moves past them.
        batch = _Batch(requests, IntakeMark(SUBMISSIONS, entries[-1][0]), self._hub.checker)
        if self._judge is None:
            return batch
        if len(requests) >= JUDGE_ELSEWHERE_FROM:
            texts = [r.submission.text for r in requests]
            batch.verdicts = asyncio.ensure_future(self._judge.verdicts(texts, batch.checker))
        else:  # judged here; the process keeps up with the filter for the next rush
            self._judge.follow(batch.checker)
        return batch

    async def _take(self, batch: _Batch) -> None:
        verdicts = await batch.verdicts if batch.verdicts is not None else None
        if self._hub.checker is not batch.checker:  # a wordlist was edited meanwhile
            verdicts = None
        submissions = [r.submission for r in batch.requests]
        outcomes = await self._hub.submit_batch(submissions, batch.read_to, verdicts)
        acks: dict[str, list[tuple[int, Outcome]]] = {}
        failed = False
        for request, outcome in zip(batch.requests, outcomes, strict=True):
            if not isinstance(outcome, Accepted | Refused):  # nothing acknowledged: may retry
                if not failed:
                    log.error("committing submissions from the stream failed", exc_info=outcome)
                failed = True
                outcome = STORE_FAILED
            acks.setdefault(request.worker, []).append((request.number, outcome))
        for worker, worker_acks in acks.items():
            self._reply(worker, worker_acks)


def gathering_time(entries: int, seconds: float) -> float:
    """How long the next batch gathers, after ``entries`` came in ``seconds``.

    Long enough for about :data:`BATCH_GOAL` at that pace, within the floors. None read (a
    quiet spell): the next read waits for the first comment and takes it at once.
    """
    if entries == 0:
        return 0.0
    return min(BATCH_SECONDS_MAX, max(BATCH_SECONDS_MIN, BATCH_GOAL * seconds / entries))


@dataclass
class _Batch:
    """Entries read from the stream, on their way into the hub."""

    requests: list[Request]
    read_to: IntakeMark  # the last entry read, a request or not
    checker: object  # the hub's filter when they were read
    verdicts: asyncio.Future[list[Verdict] | None] | None = None  # the filter process's

    def abandon(self) -> None:
        """Never to be taken (the intake stops): the filter's answer is not awaited."""
        if self.verdicts is not None:
            self.verdicts.cancel()
