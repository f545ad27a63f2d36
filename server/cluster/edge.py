"""A worker's link to the hub through Redis: submissions out, acks and the wall's events in.

A phone's comment goes onto the submission stream and its ack is the hub's, sent after
the hub committed it; until then the comment lives in Redis, never in the worker's memory.
When Redis or the hub does not answer in time the phone is told ``unavailable`` and may
retry with the same ``cid`` (the hub answers a repeat with the first ack).

The wall's events are followed from the last id read, so a dropped connection loses
nothing. At start the worker reads the wall's standing state and the last few minutes of
events first (not to be shown again: to catch up the projectors that connect to it).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any, cast

from redis.asyncio import Redis

from server.cluster.link import (
    BLOCK_MILLISECONDS,
    COMMAND_TIMEOUT_SECONDS,
    READER_TIMEOUT_SECONDS,
    RECONNECT_PAUSE_SECONDS,
    REDIS_DOWN,
    REDIS_DOWN_OR_LATE,
    Entry,
    connect,
    read_range,
)
from server.cluster.resp import LeanConnection, stream_entries
from server.cluster.wire import (
    EVENTS,
    STANDING,
    SUBMISSIONS,
    Request,
    WallEvent,
    decode_events,
    outcomes_from_fields,
    page_key,
    replies_key,
    stream_id_key,
    stream_millis,
)
from server.errors import ErrorCode, Refused
from server.models import Accepted, Submission
from server.settings import Settings

log = logging.getLogger(__name__)

# How long a phone's comment may wait for the hub's ack before the phone hears
# `unavailable` (the contract: within 2 s when Redis is gone).
ACK_WAIT_SECONDS = 1.5
# At most one batch of submissions this often. A round trip to Redis takes well under a
# millisecond, so at 500 comments/s a worker wrote a batch of one or two each time, every
# write a system call and a wake-up of Redis. The first comment after a quiet spell goes
# at once. benchmarks/cluster_ingest.py (500 comments/s per worker): no floor -> 5 ms, a
# worker's CPU about 10 % lower, +3 ms p50; 5 -> 10 ms, 0.438 -> 0.375 s per 1,000 of its
# phones' comments, send->show p50 15.8 ms and p99 25.1 ms (the target is 50).
SUBMIT_BATCH_SECONDS = 0.010
READ_ENTRIES = 1_000
UNAVAILABLE = "The wall can't confirm your comment right now. Send it again in a moment."


@dataclass(frozen=True, slots=True)
class Followed:
    """A wall event as the worker read it: when it happened, and whether to show it.

    ``live`` is False for what the worker read at start to catch projectors up: it
    happened before this worker was there and must not be emitted again.
    """

    event: WallEvent
    at: float  # seconds since the epoch (the hub's clock)
    live: bool


class ClusterEdge:
    """The hub, as a worker's web adapter sees it: ``submit``, ``set_audience``, ``follow``."""

    def __init__(self, settings: Settings, url: str) -> None:
        self.settings = settings
        self.worker = uuid.uuid4().hex[:12]  # this process's name in Redis
        self.url = url
        self._commands = connect(url)  # the occasional command: catch-up, pages, audience
        # The busy ones, each on a lean connection of its own: submissions out, and the
        # XREAD BLOCK that brings the wall's events and this worker's acks in.
        self._submitter = LeanConnection(url, timeout=COMMAND_TIMEOUT_SECONDS)
        self._reader = LeanConnection(url, timeout=READER_TIMEOUT_SECONDS)
        self._numbers = itertools.count(1)
        # request number -> (when it is late, its answer); oldest first, as they came
        self._waiting: dict[int, tuple[float, asyncio.Future[Accepted | Refused]]] = {}
        self._outbox: list[tuple[Request, asyncio.Future[Accepted | Refused]]] = []
        self._sender: asyncio.Task[None] | None = None
        self._timekeeper: asyncio.Task[None] | None = None
        self._wall: asyncio.Queue[list[Followed]] = asyncio.Queue()
        self.phones = 0
        self.show_pages = 0

    @property
    def redis(self) -> Redis:
        """The client for short commands (the audience report uses it too)."""
        return self._commands

    async def close(self) -> None:
        """Close the connections."""
        await self._reader.close()
        await self._submitter.close()
        await self._commands.aclose()

    # -- what the web adapter calls ------------------------------------------------------

    async def submit(self, submission: Submission) -> Accepted:
        """Hand a comment to the hub and return its ack once the hub has committed it.

        Raises:
            Refused: the hub's refusal, or ``unavailable`` when Redis or the hub does not
                answer within :data:`ACK_WAIT_SECONDS`.
        """
        number = next(self._numbers)
        answer: asyncio.Future[Accepted | Refused] = asyncio.get_running_loop().create_future()
        self._waiting[number] = (time.monotonic() + ACK_WAIT_SECONDS, answer)
        self._outbox.append((Request(self.worker, number, submission), answer))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send_submissions(), name="submissions")
        if self._timekeeper is None:
            self._timekeeper = asyncio.create_task(self._answer_late(), name="ack-deadlines")
        try:
            outcome = await answer
        finally:
            del self._waiting[number]
        if isinstance(outcome, Refused):
            raise outcome
        return outcome

    async def _send_submissions(self) -> None:
        """Append what the phones sent meanwhile, a batch per round trip, one at a time.

        So the batches grow with the load and the round trips do not; a quick round trip
        waits out :data:`SUBMIT_BATCH_SECONDS` for the next batch to gather. A submission that
        Redis refused or did not take (it went away) is answered ``unavailable`` at once.
        """
        try:
            while self._outbox:
                started = time.monotonic()
                batch, self._outbox = self._outbox, []
                batch = [(r, answer) for r, answer in batch if not answer.done()]  # gave up
                commands = [["XADD", SUBMISSIONS, "*", *_flat(r.fields())] for r, _ in batch]
                try:
                    replies = await self._submitter.call(commands)
                except REDIS_DOWN as exc:
                    log.debug("appending submissions failed: %s", exc)
                    replies = [exc] * len(batch)
                for (_, answer), reply in zip(batch, replies, strict=True):
                    if isinstance(reply, Exception) and not answer.done():
                        answer.set_result(_unavailable())
                # A quick round trip: the rest of the time lets the next batch gather.
                await asyncio.sleep(max(0.0, SUBMIT_BATCH_SECONDS - (time.monotonic() - started)))
        finally:
            self._sender = None

    async def _answer_late(self) -> None:
        """Answer ``unavailable`` to each comment still without its ack after the wait.

        One timer for all the comments waiting, not one each (an ``asyncio.timeout`` per
        comment was ~5 % of a busy worker's samples). They wait in arrival order, all for
        the same time, so the first ones are the first late.
        """
        try:
            while self._waiting:
                now = time.monotonic()
                next_late = None
                for late_at, answer in self._waiting.values():
                    if late_at > now:
                        next_late = late_at
                        break
                    if not answer.done():
                        answer.set_result(_unavailable())
                # Those answered leave the table as their phones' handlers resume.
                await asyncio.sleep(0 if next_late is None else next_late - now)
        finally:
            self._timekeeper = None

    def set_audience(self, phones: int, show_pages: int) -> None:
        """How many phones and projectors are connected here (reported to the hub)."""
        self.phones, self.show_pages = phones, show_pages

    async def reachable(self, timeout: float = 0.5) -> bool:
        """Whether Redis answers a PING within ``timeout`` seconds."""
        try:
            return bool(await asyncio.wait_for(self._commands.ping(), timeout))
        except REDIS_DOWN_OR_LATE:
            return False

    async def page(self, name: str) -> str | None:
        """A page the hub rendered for its workers (None: no hub has written it yet).

        Raises:
            RedisError: when Redis does not answer.
        """
        page = self._commands.get(page_key(name))
        return await asyncio.wait_for(cast(Awaitable[str | None], page), 1.0)

    async def wall_events(self) -> AsyncIterator[list[Followed]]:
        """What the pages must show, batch by batch, in the order the hub published it."""
        while True:
            yield await self._wall.get()

    # -- following the hub ---------------------------------------------------------------

    async def follow(self) -> None:
        """Read the wall's events and this worker's acks until cancelled."""
        events_from: str | None = None
        replies_from = "0-0"  # a new name: the stream is this process's alone
        down = False
        while True:
            try:
                if events_from is None:
                    events_from = await self._catch_up()
                elif down:
                    await self._resync_if_trimmed(events_from)
                reply = await self._reader.command(
                    "XREAD", "COUNT", str(READ_ENTRIES), "BLOCK", str(BLOCK_MILLISECONDS),
                    "STREAMS", EVENTS, replies_key(self.worker), events_from, replies_from,
                )  # fmt: skip
            except REDIS_DOWN as exc:
                if not down:
                    log.warning("Redis is unreachable: %s", exc)
                down = True
                self._give_up_waiting()
                await asyncio.sleep(RECONNECT_PAUSE_SECONDS)
                continue
            if down:
                log.warning("Redis is back; following the wall from %s", events_from)
                down = False
            for stream, entries in stream_entries(reply):
                if stream == EVENTS:
                    self._wall.put_nowait(_followed(entries, live=True))
                    events_from = entries[-1][0]
                else:
                    self._answer(entries)
                    replies_from = entries[-1][0]

    def _answer(self, entries: list[Entry]) -> None:
        for entry_id, fields in entries:
            try:
                outcomes = outcomes_from_fields(fields)
            except ValueError as exc:
                log.warning("skipping reply %s: %s", entry_id, exc)
                continue
            for number, outcome in outcomes:
                waiting = self._waiting.get(number)
                if waiting is not None and not waiting[1].done():
                    waiting[1].set_result(outcome)

    def _give_up_waiting(self) -> None:
        """Redis is gone: every phone waiting for an ack hears ``unavailable`` now."""
        for _, answer in self._waiting.values():
            if not answer.done():
                answer.set_result(_unavailable())

    async def _resync_if_trimmed(self, events_from: str) -> None:
        """Back after an outage: if events this worker never read are gone, resend the state.

        The hub trims the event stream by age while it publishes, so a worker cut off for
        longer than that finds its next events gone; a pause, a lottery or its clearing
        among them would never reach its pages. The standing state (the newest of those)
        goes to them again, live; comments missed meanwhile are past their moment anyway.
        """
        oldest = await read_range(self._commands, EVENTS, "-", 1)
        if oldest and stream_id_key(oldest[0][0]) <= stream_id_key(events_from):
            return  # what it read last is still there: nothing after it was trimmed
        log.warning(
            "events after %s were trimmed while Redis was away: state sent again", events_from
        )
        standing = await self._standing()
        now = time.time()
        events = [WallEvent.decode(raw) for raw in standing["events"]]
        self._wall.put_nowait([Followed(event, now, live=True) for event in events])

    async def _standing(self) -> dict[str, Any]:
        """The wall's state as the hub last stored it (``asof`` id and the events)."""
        raw = await self._commands.get(STANDING)
        return json.loads(raw) if raw else {"asof": "0-0", "events": []}

    async def _catch_up(self) -> str:
        """Read the standing state and recent events (not live); return where to follow on.

        The standing state holds at its ``asof`` id: it goes after the events up to that
        id and before those after it, so the newest state wins either way.
        """
        standing = await self._standing()
        asof_id = str(standing["asof"])
        asof = stream_id_key(asof_id)
        since_ms = int((time.time() - self.settings.catch_up_seconds) * 1000)
        history: list[Entry] = []
        low = f"{since_ms}-0"
        while True:
            page = await read_range(self._commands, EVENTS, low, READ_ENTRIES)
            history += page
            if len(page) < READ_ENTRIES:
                break
            low = "(" + page[-1][0]  # exclusive: after the last one read
        before = _followed([e for e in history if stream_id_key(e[0]) <= asof], live=False)
        after = _followed([e for e in history if stream_id_key(e[0]) > asof], live=False)
        now = time.time()
        state = [Followed(WallEvent.decode(raw), now, live=False) for raw in standing["events"]]
        self._wall.put_nowait([*before, *state, *after])
        if history:
            return history[-1][0]
        return max(asof_id, f"{since_ms}-0", key=stream_id_key)


def _unavailable() -> Refused:
    return Refused(ErrorCode.UNAVAILABLE, UNAVAILABLE)  # a new one each time: it is raised


def _flat(fields: dict[str, str]) -> list[str]:
    return [item for pair in fields.items() for item in pair]


def _followed(entries: list[Entry], *, live: bool) -> list[Followed]:
    followed = []
    for entry_id, fields in entries:
        try:
            events = decode_events(fields["e"])
        except (KeyError, ValueError) as exc:  # not the hub's: nothing to show
            log.warning("skipping wall events %s: %s", entry_id, exc)
            continue
        at = stream_millis(entry_id) / 1000
        followed += [Followed(event, at, live) for event in events]
    return followed
