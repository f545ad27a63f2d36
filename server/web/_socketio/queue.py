"""Each Engine.IO socket's outgoing queue, allocating nothing while the socket is idle.

python-engineio gives every socket an ``asyncio.Queue``, which allocates its deque and its
waiter deques up front: for a hall of mostly idle phones, memory spent on nothing.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any


class QuietQueue:
    """The part of ``asyncio.Queue`` that Engine.IO uses, allocating nothing while empty.

    Unbounded, one consumer per queue (the socket's writer): ``put`` never waits.
    """

    __slots__ = ("_all_done", "_getters", "_items", "_unfinished")

    def __init__(self) -> None:
        self._items: collections.deque[Any] | None = None
        self._getters: list[asyncio.Future[None]] | None = None
        self._unfinished = 0
        self._all_done: asyncio.Future[None] | None = None

    def qsize(self) -> int:
        """How many items wait."""
        return len(self._items) if self._items else 0

    def empty(self) -> bool:
        """True when nothing waits."""
        return not self._items

    def put_nowait(self, item: Any) -> None:
        """Add an item and wake a waiting consumer."""
        if self._items is None:
            self._items = collections.deque()
        self._items.append(item)
        self._unfinished += 1
        for getter in self._getters or ():
            if not getter.done():
                getter.set_result(None)
                break

    async def put(self, item: Any) -> None:
        """Add an item (never waits: the queue is unbounded)."""
        self.put_nowait(item)

    def get_nowait(self) -> Any:
        """Take the oldest item.

        Raises:
            asyncio.QueueEmpty: when nothing waits.
        """
        if not self._items:
            raise asyncio.QueueEmpty
        item = self._items.popleft()
        if not self._items:
            self._items = None  # an empty deque is ~600 bytes; idle sockets keep none
        return item

    async def get(self) -> Any:
        """Take the oldest item, waiting for one."""
        while not self._items:
            getter = asyncio.get_running_loop().create_future()
            if self._getters is None:
                self._getters = []
            self._getters.append(getter)
            try:
                await getter
            finally:
                self._getters.remove(getter)
                if not self._getters:
                    self._getters = None
        return self.get_nowait()

    def task_done(self) -> None:
        """Mark one item taken earlier as processed.

        Raises:
            ValueError: when called more often than items were put.
        """
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0 and self._all_done is not None and not self._all_done.done():
            self._all_done.set_result(None)

    async def join(self) -> None:
        """Wait until every item put has been processed."""
        if self._unfinished:
            if self._all_done is None or self._all_done.done():
                self._all_done = asyncio.get_running_loop().create_future()
            await self._all_done
