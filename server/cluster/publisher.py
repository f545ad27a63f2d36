"""The hub's side of the event stream: what the pages must show, in order, each once.

Each entry gets an id chosen here (the clock's milliseconds, never going back), so that
writing a batch again after a connection dropped mid-way cannot duplicate anything: Redis
refuses an id it already has. Until Redis takes them, events wait here, in order: a worker
that follows the stream from its last id then sees no gap and no repeat.

The hub's acks to the workers go out in the same pipeline, after the events: Redis runs a
connection's commands in order, so an ack a worker reads never names a comment whose
``danmaku`` event is not in the stream (a hub killed between the two loses neither).

With the events, the wall's standing state (pause, the lottery on the projector) is kept
in :data:`~server.cluster.wire.STANDING` with the id it is current at, for a worker that
starts later than that state was set; and, when the lottery changes, the pages a worker
serves as the hub renders them (``/draws``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import AsyncIterator, Callable

import hiredis
from redis.exceptions import ResponseError

from server.cluster.link import RECONNECT_PAUSE_SECONDS, REDIS_DOWN
from server.cluster.resp import Command, LeanConnection
from server.cluster.wire import (
    EVENTS,
    STANDING,
    Outcome,
    WallEvent,
    acks_fields,
    encode_events,
    page_key,
    replies_key,
    stream_id_key,
)
from server.events import Event

log = logging.getLogger(__name__)

# The wall's standing state changes only with these (the rest are comments and notices).
STANDING_EVENTS = frozenset({"state", "lottery", "lottery_clear"})
ALREADY_WRITTEN = "equal or smaller than the target stream top item"
# A worker's reply stream keeps its last acks for a while: one that stopped reading (it
# was killed) loses its stream an hour after the last ack the hub wrote to it.
REPLIES_KEPT = 10_000
REPLIES_EXPIRE_SECONDS = 3_600

Replies = dict[str, list[tuple[int, Outcome]]]  # worker -> (request number, outcome), in order


class Publisher:
    """Writes the hub's events to the event stream, in order, each exactly once."""

    def __init__(
        self,
        redis: LeanConnection,
        shape: Callable[[Event], list[WallEvent]],
        standing: Callable[[], list[WallEvent]],
        pages: Callable[[], dict[str, str]],
        *,
        retention_seconds: float,
    ) -> None:
        self._redis = redis
        self._shape = shape  # a core event as the pages receive it (the web adapter's shapes)
        self._standing = standing  # the wall's state now, as events that set it
        self._pages = pages  # pages a worker serves as the hub renders them (``/draws``)
        self._retention_ms = int(retention_seconds * 1000)
        self._pending: list[WallEvent] = []
        self._replies: Replies = {}
        self._news = asyncio.Event()
        self._last = (0, 0)  # the stream's last id, as (milliseconds, sequence)

    async def run(self, events: AsyncIterator[Event]) -> None:
        """Follow the hub's events and write them until cancelled.

        It starts by announcing the standing state: a hub that restarted is not paused
        and shows no lottery, whatever the pages showed before.
        """
        self._post(self._standing())
        writer = asyncio.create_task(self._write_forever(), name="publisher-writer")
        try:
            async for event in events:
                self._post(self._shape(event))
        finally:
            writer.cancel()

    def reply(self, worker: str, acks: list[tuple[int, Outcome]]) -> None:
        """Send ``worker`` these acks, after every event the hub has published so far.

        The intake calls it once the comments are committed and their events published:
        those events are in this publisher's queue already (the hub's event bus hands
        them over first, and its reader runs before the writer this call wakes).
        """
        self._replies.setdefault(worker, []).extend(acks)
        self._news.set()

    def _post(self, wall_events: list[WallEvent]) -> None:
        if wall_events:
            self._pending.extend(wall_events)
            self._news.set()

    async def _write_forever(self) -> None:
        known_top = False
        while True:
            await self._news.wait()
            self._news.clear()
            batch, self._pending = self._pending, []
            replies, self._replies = self._replies, {}
            standing = any(e.name in STANDING_EVENTS for e in batch)
            entry_id = ""
            for attempt in itertools.count():
                try:
                    if not known_top:
                        await self._read_top()
                        known_top = True
                    entry_id = entry_id or (self._next_id() if batch else "")
                    await self._write(batch, entry_id, standing, replies)
                    break
                except REDIS_DOWN as exc:  # the same batch, with the same id, again
                    if attempt == 0:
                        log.warning("writing wall events to Redis failed: %s", exc)
                    await asyncio.sleep(RECONNECT_PAUSE_SECONDS)

    async def _read_top(self) -> None:
        """Continue after the stream's last entry (an earlier run of the hub wrote it)."""
        newest = await self._redis.command("XREVRANGE", EVENTS, "+", "-", "COUNT", "1")
        if newest:
            self._last = max(self._last, stream_id_key(str(newest[0][0])))

    def _next_id(self) -> str:
        millis, seq = self._last
        now = int(time.time() * 1000)
        self._last = (now, 0) if now > millis else (millis, seq + 1)
        return f"{self._last[0]}-{self._last[1]}"

    async def _write(
        self, batch: list[WallEvent], entry_id: str, standing: bool, replies: Replies
    ) -> None:
        """One pipeline: the batch's events as one entry, the standing state, then the acks.

        In a MULTI/EXEC: a worker blocked reading both streams wakes once for all of it
        (not once for the events and again for its acks), and a hub killed mid-way writes
        all of it or nothing. Acks may be written twice when the connection drops after
        EXEC, before its answer: a worker takes the first.
        """
        commands: list[Command] = [["MULTI"]]
        if batch:
            floor = f"{int(time.time() * 1000) - self._retention_ms}-0"
            commands.append(
                ["XADD", EVENTS, "MINID", "~", floor, entry_id, "e", encode_events(batch)]
            )
        if standing:
            state = [e.encode() for e in self._standing()]
            commands.append(["SET", STANDING, json.dumps({"asof": entry_id, "events": state})])
            for name, page in self._pages().items():  # the lottery's record changes with it
                commands.append(["SET", page_key(name), page])
        for worker, acks in replies.items():
            stream = replies_key(worker)
            ((field, value),) = acks_fields(acks).items()
            commands.append(["XADD", stream, "MAXLEN", "~", str(REPLIES_KEPT), "*", field, value])
            # A killed worker's stream goes away.
            commands.append(["EXPIRE", stream, str(REPLIES_EXPIRE_SECONDS)])
        commands.append(["EXEC"])
        *queued, results = await self._redis.call(commands)
        for reply in [*queued, *(results if isinstance(results, list) else [results])]:
            if isinstance(reply, hiredis.ReplyError) and ALREADY_WRITTEN in str(reply):
                continue  # written before the connection dropped: once is enough
            if isinstance(reply, hiredis.ReplyError):
                raise ResponseError(str(reply))
