"""Stream writes batched per turn of the event loop: one pipeline, not one trip per entry.

A worker with thousands of phones sending at once would otherwise hold one pooled
connection per XADD in flight, and redis-py's asyncio pool stops at 100.
"""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis


class StreamWriter:
    """Appends entries to streams in the order they are added, a batch per round trip.

    One batch is in flight at a time; what is added meanwhile goes in the next one, so
    batches grow with the load and the round trips do not.
    """

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._queue: list[tuple[str, dict[str, str], asyncio.Future[str]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def add(self, stream: str, fields: dict[str, str]) -> str:
        """Append an entry and return its id once Redis has it.

        Raises:
            Exception: what redis-py raised (Redis away, out of memory…).
        """
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._queue.append((stream, fields, future))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush(), name="stream-writer")
        return await future

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                await self._send(batch)
        finally:
            self._flusher = None

    async def _send(self, batch: list[tuple[str, dict[str, str], asyncio.Future[str]]]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for stream, fields, _ in batch:
            pipe.xadd(stream, fields)  # type: ignore[arg-type]
        try:
            results = await pipe.execute(raise_on_error=False)
        except Exception as exc:  # the connection failed: nothing of the batch is known
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, _, future), result in zip(batch, results, strict=False):
            if future.done():  # its phone gave up waiting
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(str(result))
