"""A cluster worker's copy of the wall, kept from the hub's events, for projectors that connect.

The hub answers a connecting projector from its own memory (:func:`server.web.welcome.
hub_welcome`); a worker has no hub in its process, so it keeps what that answer needs:
whether the wall is paused, the lottery on the projector, and the live comments of the
last ``catch_up_seconds`` still on the wall (a ``retract`` takes one out, as on the hub).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from server.cluster.edge import Followed
from server.web.namespaces import SHOW
from server.web.welcome import Emit, welcome_emits


class WallMirror:
    """The wall as a projector connecting to this worker should find it."""

    def __init__(self, catch_up_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self._catch_up_seconds = catch_up_seconds
        self._clock = clock
        self.paused = False
        self.lottery: dict[str, Any] | None = None
        self._recent: dict[int, tuple[float, dict[str, Any]]] = {}  # id -> (at, payload)
        self._shown_order: deque[tuple[float, int]] = deque()  # (at, id), oldest first

    def apply(self, followed: Followed) -> None:
        """Take in one of the hub's events, live or read at start-up."""
        event = followed.event
        if event.namespace != SHOW:
            return
        data = event.data
        match event.name:
            case "danmaku" if not data.get("replay"):
                self._recent[data["id"]] = (followed.at, data)
                self._shown_order.append((followed.at, data["id"]))
            case "retract":
                self._recent.pop(data.get("id"), None)  # type: ignore[arg-type]
            case "state":
                self.paused = bool(data.get("paused"))
            case "lottery":
                self.lottery = data
            case "lottery_clear":
                self.lottery = None
        self._forget_old()

    def welcome(self, last_id: int | None) -> list[Emit]:
        """What a projector connecting now is sent (as the hub would send it)."""
        missed: list[tuple[int, dict[str, Any]]] = []
        if last_id is not None:
            horizon = self._clock() - self._catch_up_seconds
            missed = sorted(
                (message_id, payload)
                for message_id, (at, payload) in self._recent.items()
                if at >= horizon and message_id > last_id
            )
        return welcome_emits(self.paused, (payload for _, payload in missed), self.lottery)

    def _forget_old(self) -> None:
        horizon = self._clock() - self._catch_up_seconds
        order = self._shown_order
        while order and order[0][0] < horizon:
            at, message_id = order.popleft()
            if self._recent.get(message_id, (None,))[0] == at:  # not shown again since
                del self._recent[message_id]
