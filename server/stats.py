"""The numbers the moderator watches, and when they changed enough to publish.

Counted here: comments accepted in the last minute and the connected phones and projector
pages (the web adapter reports them). The held count, the shown total, the pause and the
events lost to a stuck consumer come from the parts that own them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from server.models import Stats

PER_MINUTE_WINDOW_SECONDS = 60.0


class StatsKeeper:
    """Counters for :class:`~server.models.Stats`, and the last one published."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._accepted_times: deque[float] = deque()
        self.last_accepted_at = clock()
        self.phones = 0
        self.show_pages = 0
        self._published: Stats | None = None

    def accepted(self, now: float) -> None:
        """A comment was accepted (shown or held)."""
        self._accepted_times.append(now)
        self.last_accepted_at = now

    def snapshot(self, *, held: int, shown_total: int, paused: bool, dropped_events: int) -> Stats:
        """The numbers now."""
        horizon = self._clock() - PER_MINUTE_WINDOW_SECONDS
        while self._accepted_times and self._accepted_times[0] < horizon:
            self._accepted_times.popleft()
        return Stats(
            phones=self.phones,
            show_pages=self.show_pages,
            per_minute=len(self._accepted_times),
            held=held,
            shown_total=shown_total,
            paused=paused,
            dropped_events=dropped_events,
        )

    def changed(self, stats: Stats) -> bool:
        """Whether ``stats`` differ from those published last (and note them as published)."""
        if stats == self._published:
            return False
        self._published = stats
        return True
