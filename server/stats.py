"""The numbers the moderator watches, and when they changed enough to publish.

Counted here: comments accepted in the last minute and the connected phones and projector
pages (the web adapter reports them), and the queue's pressure: comments held in the last
minute against the moderator's decisions in it (a queue that takes in more than goes out
grows), and the comments that expired tonight. The held count, the oldest wait, the shown
total, the pause and the events lost to a stuck consumer come from the parts that own them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from server.models import Message, Stats

PER_MINUTE_WINDOW_SECONDS = 60.0
HISTORY_MINUTES = 30  # the console's sparkline: comments per minute, shown and held


class StatsKeeper:
    """Counters for :class:`~server.models.Stats`, and the last one published."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._accepted_times: deque[float] = deque()
        self._held_times: deque[float] = deque()
        self._decided_times: deque[float] = deque()
        self.expired = 0
        self._minutes: dict[int, list[int]] = {}  # minute (epoch // 60) -> [shown, held]
        self.last_accepted_at = clock()
        self.phones = 0
        self.show_pages = 0
        self._published: Stats | None = None

    def accepted(self, now: float, held: bool = False) -> None:
        """A comment was accepted (shown, or ``held``)."""
        self._accepted_times.append(now)
        self.last_accepted_at = now
        self._count_minute(now, held)

    def _count_minute(self, at: float, held: bool) -> None:
        minute = int(at // 60)
        counts = self._minutes.get(minute)
        if counts is None:
            counts = self._minutes[minute] = [0, 0]
            for old in [m for m in self._minutes if m <= minute - HISTORY_MINUTES]:
                del self._minutes[old]
        counts[held] += 1

    def restore(self, messages: Iterable[Message]) -> None:
        """Start the per-minute history from the record (the last half hour of it)."""
        horizon = self._clock() - HISTORY_MINUTES * 60
        for message in messages:
            if message.created_at >= horizon:
                self._count_minute(message.created_at, bool(message.reasons))

    def history(self, minutes: int = HISTORY_MINUTES) -> list[tuple[int, int]]:
        """``(shown, held)`` arrivals per minute, oldest first, the current minute last."""
        now = int(self._clock() // 60)
        empty = [0, 0]
        counts = (self._minutes.get(m, empty) for m in range(now - minutes + 1, now + 1))
        return [(shown, held) for shown, held in counts]

    def held(self, now: float) -> None:
        """A comment joined the review queue."""
        self._held_times.append(now)

    def decided(self, now: float, count: int = 1) -> None:
        """The moderator decided on ``count`` held comments (one key can decide several)."""
        self._decided_times.extend([now] * count)

    def snapshot(
        self,
        *,
        held: int,
        oldest_held_seconds: float,
        shown_total: int,
        paused: bool,
        hold_all: bool,
        dropped_events: int,
        rehearsal: bool = False,
    ) -> Stats:
        """The numbers now."""
        horizon = self._clock() - PER_MINUTE_WINDOW_SECONDS
        for times in (self._accepted_times, self._held_times, self._decided_times):
            while times and times[0] < horizon:
                times.popleft()
        return Stats(
            phones=self.phones,
            show_pages=self.show_pages,
            per_minute=len(self._accepted_times),
            held=held,
            shown_total=shown_total,
            paused=paused,
            dropped_events=dropped_events,
            oldest_held_seconds=int(oldest_held_seconds),
            held_per_minute=len(self._held_times),
            decided_per_minute=len(self._decided_times),
            expired=self.expired,
            hold_all=hold_all,
            rehearsal=rehearsal,
        )

    def changed(self, stats: Stats) -> bool:
        """Whether ``stats`` differ from those published last (and note them as published)."""
        if stats == self._published:
            return False
        self._published = stats
        return True
