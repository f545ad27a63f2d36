"""The review queue: flagged comments waiting for the moderator, oldest first.

Only the queue itself lives here; what a decision does (commit the status, tell the
phone, put an approved comment up) is the hub's, in one path for every status.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.models import Message, Status


class ReviewQueue:
    """Held comments by id, in the order they arrived."""

    def __init__(self) -> None:
        self._held: dict[int, Message] = {}  # insertion order = oldest first

    def __len__(self) -> int:
        return len(self._held)

    def restore(self, messages: Iterable[Message]) -> None:
        """Start from the store's record: every message still held."""
        for message in messages:
            if message.status is Status.HELD:
                self.add(message)

    def add(self, message: Message) -> None:
        """A flagged comment joins the end of the queue."""
        self._held[message.id] = message

    def take(self, message_id: int) -> Message | None:
        """Remove a comment for a decision; None when it is no longer waiting."""
        return self._held.pop(message_id, None)

    def get(self, message_id: int) -> Message | None:
        """A waiting comment by id."""
        return self._held.get(message_id)

    def ids(self) -> list[int]:
        """Every waiting comment's id, oldest first."""
        return list(self._held)

    def ids_of(self, sender: str) -> list[int]:
        """The ids of one sender's waiting comments, oldest first."""
        return [m.id for m in self._held.values() if m.sender == sender]

    def messages(self) -> list[Message]:
        """Every waiting comment, oldest first."""
        return list(self._held.values())
