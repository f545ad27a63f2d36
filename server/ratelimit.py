"""Per-sender sliding-window rate limit."""

from __future__ import annotations

from collections import OrderedDict, deque

from server.settings import RateLimit


class SlidingWindowLimiter:
    """Allows at most ``limit.count`` events per ``limit.seconds`` for each key."""

    def __init__(self, limit: RateLimit) -> None:
        self._limit = limit
        # Ordered by each key's latest event, oldest first: pruning stops at the first key
        # still in its window, so it costs what it forgets, not a walk over every sender.
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str, now: float) -> bool:
        """Record an event for ``key`` at ``now`` if the window has room; say whether it did."""
        events = self._events.setdefault(key, deque())
        horizon = now - self._limit.seconds
        while events and events[0] <= horizon:
            events.popleft()
        if len(events) >= self._limit.count:
            return False
        events.append(now)
        self._events.move_to_end(key)
        self._forget_idle(horizon, at_most=2)  # a busy wall prunes as it goes, never in a lump
        return True

    def give_back(self, key: str, at: float) -> None:
        """Undo the event :meth:`allow` recorded for ``key`` at ``at`` (it came to nothing)."""
        events = self._events.get(key)
        if events and at in events:
            events.remove(at)

    def retry_after(self, key: str, now: float) -> float:
        """Seconds until ``key`` may send again."""
        events = self._events.get(key)
        if not events or len(events) < self._limit.count:
            return 0.0
        return max(0.0, events[0] + self._limit.seconds - now)

    def prune(self, now: float) -> None:
        """Forget keys with nothing in their window (keeps memory flat over a long night)."""
        self._forget_idle(now - self._limit.seconds)

    def _forget_idle(self, horizon: float, at_most: int | None = None) -> None:
        """Forget keys whose every event is at or before ``horizon`` (up to ``at_most``)."""
        forgotten = 0
        while self._events and forgotten != at_most:
            key, events = next(iter(self._events.items()))
            if events and events[-1] > horizon:
                break
            del self._events[key]
            forgotten += 1
