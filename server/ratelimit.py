"""Per-sender sliding-window rate limit."""

from __future__ import annotations

from collections import deque

from server.settings import RateLimit


class SlidingWindowLimiter:
    """Allows at most ``limit.count`` events per ``limit.seconds`` for each key."""

    def __init__(self, limit: RateLimit) -> None:
        self._limit = limit
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        """Record an event for ``key`` at ``now`` if the window has room; say whether it did."""
        events = self._events.setdefault(key, deque())
        horizon = now - self._limit.seconds
        while events and events[0] <= horizon:
            events.popleft()
        if len(events) >= self._limit.count:
            return False
        events.append(now)
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
        horizon = now - self._limit.seconds
        for key in [k for k, ev in self._events.items() if not ev or ev[-1] <= horizon]:
            del self._events[key]
