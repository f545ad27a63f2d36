"""The hub's events out to every consumer, each through a bounded queue of its own.

Shaped like encode/broadcaster: ``async with bus.subscribe() as events: async for event in
events``. A consumer that stops reading loses events (counted in :attr:`EventBus.dropped`)
rather than stalling the wall for everyone else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from server.events import Event

log = logging.getLogger(__name__)

SUBSCRIBER_QUEUE_SIZE = 10_000


class EventBus:
    """Fan-out of core events to subscribers."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[Event]] = set()
        self.dropped = 0  # events a full queue could not take

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[Event]]:
        """Follow the events; the queue is bounded and removed on exit."""
        queue: asyncio.Queue[Event] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self._subscribers.add(queue)

        async def events() -> AsyncIterator[Event]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            self._subscribers.discard(queue)

    def publish(self, event: Event) -> None:
        """Hand ``event`` to every subscriber without waiting for any of them."""
        for queue in self._subscribers:
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:  # a stuck consumer must never stall the wall
                self.dropped += 1
                log.warning("subscriber queue full, dropped %s", type(event).__name__)
