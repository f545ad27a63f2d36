"""The night as the database recorded it, read once into plain data for the report.

The database is opened read-only (:meth:`server.store.Store.open_read_only`): the report
may be made while the wall is still running, and never changes the record. A rehearsal's
comments (the sound check before the doors opened) are not part of the night: they are
only counted, so the page can say they were left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server.models import Draw, Message, Sender
from server.store import Store


@dataclass(frozen=True, slots=True)
class Night:
    """Everything the report shows, as recorded."""

    source: str  # the database's file name, for the page's footer
    messages: tuple[Message, ...]  # oldest first, the rehearsal's left out
    rehearsal_left_out: int
    # When each decided held comment was decided; None when the database predates it.
    decided_at: dict[int, float] | None
    senders: dict[str, Sender]
    draws: tuple[Draw, ...]

    @property
    def empty(self) -> bool:
        """Nothing was sent and nothing was drawn."""
        return not self.messages and not self.draws


async def read_night(db_path: Path) -> Night:
    """Read the night recorded in the database at ``db_path``.

    Raises:
        server.store.NotOurDatabase: no file there, or not a Danmaku Deck database.
    """
    store = await Store.open_read_only(db_path)
    try:
        messages = await store.messages()
        decided_at = await store.decision_times()
        senders = await store.senders()
        draws = await store.draws()
    finally:
        await store.close()
    night = tuple(m for m in messages if not m.rehearsal)
    return Night(
        source=db_path.name,
        messages=night,
        rehearsal_left_out=len(messages) - len(night),
        decided_at=decided_at,
        senders={s.id: s for s in senders},
        draws=tuple(draws),
    )
