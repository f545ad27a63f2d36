"""The moderator's last decisions, so that ``z`` can take them back within a minute.

A decision is what one key did: approve or reject a queue row (one comment, or every copy
of a chant), approve with masking, approve or reject all, or ban a sender (with the held
comments the ban rejected). :class:`UndoLog` keeps them newest last; :meth:`UndoLog.pop`
gives the newest one still within :data:`UNDO_WINDOW_SECONDS` — a second ``z`` the one
before. What undoing does is the hub's: an approval comes off every projector and goes
back to the queue, a rejection goes back to the queue, a ban is lifted and what it
rejected goes back. Purging a sender, expiry and auto-bans are not decisions one takes
back with a key: they are not logged. Nor is the end of a rehearsal, and decisions on its
comments are forgotten with it (:meth:`UndoLog.forget`): ``z`` never brings one back.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from enum import StrEnum

from server.models import Message

UNDO_WINDOW_SECONDS = 60.0
KEPT = 50  # far more than a minute of decisions at a moderator's pace


class Kind(StrEnum):
    """What a logged decision did."""

    APPROVED = "approved"
    REJECTED = "rejected"
    BANNED = "banned"


@dataclass(frozen=True, slots=True)
class Decision:
    """One key's decision: its comments as decided, and the sender for a ban."""

    kind: Kind
    at: float
    messages: tuple[Message, ...]
    sender: str | None = None
    nick: str = ""


class UndoLog:
    """Decisions newest last; the old ones fall out of reach."""

    def __init__(self) -> None:
        self._decisions: deque[Decision] = deque(maxlen=KEPT)

    def record(self, decision: Decision) -> None:
        """Remember a decision (one that decided nothing is not worth undoing)."""
        if decision.messages or decision.kind is Kind.BANNED:
            self._decisions.append(decision)

    def forget(self, message_ids: set[int]) -> None:
        """Leave these comments out of every decision (a decision left with none goes)."""
        kept = []
        for decision in self._decisions:
            messages = tuple(m for m in decision.messages if m.id not in message_ids)
            if messages != decision.messages:
                decision = replace(decision, messages=messages)
            if decision.messages or decision.kind is Kind.BANNED:
                kept.append(decision)
        self._decisions = deque(kept, maxlen=KEPT)

    def pop(self, now: float) -> Decision | None:
        """The newest decision made within the window (older ones are forgotten)."""
        while self._decisions:
            decision = self._decisions.pop()
            if now - decision.at <= UNDO_WINDOW_SECONDS:
                return decision
            self._decisions.clear()  # everything before it is older still
        return None

    def peek(self, now: float) -> Decision | None:
        """The decision :meth:`pop` would give, left in place."""
        if self._decisions and now - self._decisions[-1].at <= UNDO_WINDOW_SECONDS:
            return self._decisions[-1]
        return None
