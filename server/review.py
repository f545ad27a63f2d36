"""The review queue: flagged comments waiting for the moderator, oldest first.

Only the queue itself lives here; what a decision does (commit the status, tell the
phone, put an approved comment up) is the hub's, in one path for every status.

Two things keep one moderator ahead of a busy night. Comments with the same text (a chant,
a copy-paste flood) form one *group*, decided in one go: :func:`group_key` says which
texts are the same (case and runs of spaces aside). And a comment that waited past
``--hold-expire`` has lost its moment: :meth:`ReviewQueue.expire` takes it out. Each
comment's wait starts when it joined the queue (a comment an undo put back waits afresh),
so the queue's order is the order of joining and the oldest wait is the first entry's.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.models import Message, Status


def group_key(text: str) -> str:
    """What makes two held texts "the same" for one decision: case and spacing aside."""
    return " ".join(text.casefold().split())


class ReviewQueue:
    """Held comments by id, in the order they joined, grouped by text."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[float, Message]] = {}  # insertion order = oldest first
        self._groups: dict[str, dict[int, Message]] = {}  # group key -> its comments

    def __len__(self) -> int:
        return len(self._held)

    def restore(self, messages: Iterable[Message]) -> None:
        """Start from the store's record: every message still held (waiting since it came)."""
        for message in messages:
            if message.status is Status.HELD:
                self.add(message, message.created_at)

    def add(self, message: Message, queued_at: float) -> None:
        """A flagged comment joins the end of the queue (its wait counts from ``queued_at``)."""
        self._held[message.id] = (queued_at, message)
        self._groups.setdefault(group_key(message.text), {})[message.id] = message

    def take(self, message_id: int) -> Message | None:
        """Remove a comment for a decision; None when it is no longer waiting."""
        entry = self._held.pop(message_id, None)
        if entry is None:
            return None
        message = entry[1]
        key = group_key(message.text)
        group = self._groups[key]
        del group[message_id]
        if not group:
            del self._groups[key]
        return message

    def get(self, message_id: int) -> Message | None:
        """A waiting comment by id."""
        entry = self._held.get(message_id)
        return None if entry is None else entry[1]

    def ids(self) -> list[int]:
        """Every waiting comment's id, oldest first."""
        return list(self._held)

    def ids_of(self, sender: str) -> list[int]:
        """The ids of one sender's waiting comments, oldest first."""
        return [m.id for _, m in self._held.values() if m.sender == sender]

    def rehearsal_ids(self) -> list[int]:
        """The ids of a rehearsal's waiting comments, oldest first."""
        return [m.id for _, m in self._held.values() if m.rehearsal]

    def group_of(self, message_id: int) -> list[int]:
        """The ids of every waiting comment with the same text as this one, oldest first."""
        message = self.get(message_id)
        if message is None:
            return []
        return list(self._groups[group_key(message.text)])

    def messages(self) -> list[Message]:
        """Every waiting comment, oldest first."""
        return [m for _, m in self._held.values()]

    def oldest_wait(self, now: float) -> float:
        """Seconds the longest-waiting comment has waited (0 with an empty queue)."""
        for queued_at, _ in self._held.values():
            return max(0.0, now - queued_at)
        return 0.0

    def expired(self, now: float, after_seconds: float) -> list[int]:
        """The ids of comments that have waited longer than ``after_seconds``, oldest first."""
        horizon = now - after_seconds
        stale = []
        for message_id, (queued_at, _) in self._held.items():
            if queued_at >= horizon:
                break  # joined in order: every later one waited less
            stale.append(message_id)
        return stale
