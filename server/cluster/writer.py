"""Stream writes batched per turn of the event loop: one pipeline, not one trip per entry.

A worker with thousands of phones sending at once would otherwise hold one pooled
connection per XADD in flight, and redis-py's asyncio pool stops at 100.
"""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis

log = logging.getLogger(__name__)


class StreamWriter:
    """Appends entries to streams in the order they are added, a batch per round trip.

    One batch is in flight at a time; what is added meanwhile goes in the next one, so
    batches grow with the load and the round trips do not.
    """

    def __init__(
        self, redis: Redis, *, maxlen: int | None = None, expire_seconds: int | None = None
    ) -> None:
        self._redis = redis
        self._maxlen = maxlen  # approximate, per stream
        self._expire_seconds = expire_seconds  # streams nobody reads any more go away
        self._queue: list[tuple[str, dict[str, str], asyncio.Future[str] | None]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def add(self, stream: str, fields: dict[str, str]) -> str:
        """Append an entry and return its id once Redis has it.

        Raises:
            Exception: what redis-py raised (Redis away, out of memory…).
        """
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._enqueue(stream, fields, future)
        return await future

    def post(self, stream: str, fields: dict[str, str]) -> None:
        """Append an entry without waiting; a failure is logged (the reader copes)."""
        self._enqueue(stream, fields, None)

    def _enqueue(
        self, stream: str, fields: dict[str, str], future: asyncio.Future[str] | None
    ) -> None:
        self._queue.append((stream, fields, future))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush(), name="stream-writer")

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                await self._send(batch)
        finally:
            self._flusher = None

    async def _send(
        self, batch: list[tuple[str, dict[str, str], asyncio.Future[str] | None]]
    ) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for stream, fields, _ in batch:
            pipe.xadd(stream, fields, maxlen=self._maxlen)  # type: ignore[arg-type]
        if self._expire_seconds is not None:
            for stream in {stream for stream, _, _ in batch}:
                pipe.expire(stream, self._expire_seconds)
        try:
            results = await pipe.execute(raise_on_error=False)
        except Exception as exc:  # the connection failed: nothing of the batch is known
            for _, _, future in batch:
                if future is None:
                    continue
                if not future.done():
                    future.set_exception(exc)
            if any(future is None for _, _, future in batch):
                log.warning("posting %d stream entries failed: %s", len(batch), exc)
            return
        for (_, _, future), result in zip(batch, results, strict=False):
            if future is None or future.done():
                if isinstance(result, Exception):
                    log.warning("posting a stream entry failed: %s", result)
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(str(result))
