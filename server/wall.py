"""The wall: what is on the projectors, idle replay, and catch-up for a page that blinked.

Every comment that reached the screen (shown, or approved) is kept here until it is taken
down. Showing one publishes :class:`~server.events.Shown` and counts the show in the store;
when no live comment has come for ``replay_idle_seconds``, :meth:`Wall.tick` replays the
least-shown one every ``replay_interval_seconds``. The last ``catch_up_seconds`` of live
shows are kept for a projector that reconnects with ``last_id``.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable

from server.events import Event, Shown
from server.growth import IdMap
from server.models import Message
from server.replay import ReplayPool
from server.settings import Settings
from server.store import Store

RECENT_SHOWN_KEPT = 200  # the console's wall view lists at most this many


class Wall:
    """Comments on the wall, the replay pool, and the recent live shows."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        publish: Callable[[Event], None],
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self._settings = settings
        self._store = store
        self._publish = publish
        self._clock = clock
        self._on_screen: IdMap[Message] = IdMap()  # the night's comments (server.growth)
        self._pool = ReplayPool(rng)
        self._recent_live: deque[tuple[float, Message]] = deque()  # (when, message)
        self._recent_ids: deque[int] = deque(maxlen=RECENT_SHOWN_KEPT)  # oldest first
        self._last_live_at = clock()
        self._last_replay_at = 0.0

    @property
    def shown_total(self) -> int:
        """How many comments are on the wall (taken-down ones no longer count)."""
        return len(self._on_screen)

    def restore(
        self, messages: Iterable[Message], banned: set[str], *, rehearsal: bool = False
    ) -> None:
        """Start from the store's record: what was on the wall (banned senders don't replay).

        A rehearsal's comments come back only while rehearsing (``rehearsal``): a rehearsal
        left running by an earlier process ends with it.
        """
        for message in messages:
            if message.status.reached_screen and (rehearsal or not message.rehearsal):
                self._on_screen[message.id] = message
                self._recent_ids.append(message.id)
                if message.sender not in banned:
                    self._pool.add(message.id, message.shown_count)

    def go_live(self, message: Message) -> None:
        """A comment passed the filter or was approved: show it now, and replay it later."""
        now = self._clock()
        self._last_live_at = now
        self._recent_live.append((now, message))
        self._recent_ids.append(message.id)
        shown = self._show(message, now, replay=False)
        self._pool.add(message.id, shown.shown_count)

    def _show(self, message: Message, now: float, *, replay: bool) -> Message:
        shown = message.shown_again(now)
        self._on_screen[message.id] = shown
        # Counting a show is not acknowledged to anyone: it rides the next grouped commit.
        self._store.count_shown(message.id, now)
        self._publish(Shown(shown, replay))
        return shown

    def replay_once(self) -> Message | None:
        """Replay one least-shown comment now (:meth:`tick` calls this when the wall is idle)."""
        message_id = self._pool.pick()
        if message_id is None:
            return None
        self._last_replay_at = now = self._clock()
        self._pool.shown(message_id)
        return self._show(self._on_screen[message_id], now, replay=True)

    def take_down(self, message_id: int) -> Message | None:
        """Remove a comment from the wall and from replays; None if it is not up."""
        message = self._on_screen.pop(message_id, None)
        if message is not None:
            self._pool.discard(message_id)
        return message

    def stop_replaying(self, sender: str) -> None:
        """A banned sender's comments stay in the record but are never replayed."""
        for message in self._on_screen.values():
            if message.sender == sender:
                self._pool.discard(message.id)

    def resume_replaying(self, sender: str) -> None:
        """An unbanned sender's comments may replay again."""
        for message in self._on_screen.values():
            if message.sender == sender:
                self._pool.add(message.id, message.shown_count)

    def rehearsal_ids(self) -> list[int]:
        """The ids of a rehearsal's comments still on the wall, oldest first."""
        return sorted(m.id for m in self._on_screen.values() if m.rehearsal)

    def ids_of(self, sender: str) -> list[int]:
        """The ids of one sender's comments on the wall."""
        return [m.id for m in self._on_screen.values() if m.sender == sender]

    def get(self, message_id: int) -> Message | None:
        """A comment on the wall by id."""
        return self._on_screen.get(message_id)

    def catch_up(self, last_id: int) -> list[Message]:
        """Live comments shown recently with an id above ``last_id``, in id order."""
        horizon = self._clock() - self._settings.catch_up_seconds
        missed = {
            m.id: m
            for at, m in self._recent_live
            if at >= horizon and m.id > last_id and m.id in self._on_screen  # not taken down
        }
        return [missed[i] for i in sorted(missed)]

    def recent(self, limit: int) -> list[Message]:
        """The latest live comments still on the wall, newest first."""
        newest_first = (self._on_screen.get(i) for i in reversed(self._recent_ids))
        return [m for m in newest_first if m is not None][:limit]

    def tick(self, now: float, *, paused: bool, show_pages: int) -> None:
        """Replay if the wall is idle and someone watches; forget live shows past catch-up."""
        settings = self._settings
        if (
            not paused
            and show_pages > 0
            and now - self._last_live_at >= settings.replay_idle_seconds
            and now - self._last_replay_at >= settings.replay_interval_seconds
        ):
            self.replay_once()
        horizon = now - settings.catch_up_seconds
        while self._recent_live and self._recent_live[0][0] < horizon:
            self._recent_live.popleft()
