"""The core's closed vocabulary of events.

Every consumer of :meth:`server.hub.Hub.subscribe` (the console, the Socket.IO
adapter, the cluster's publisher) receives only these immutable records
(:func:`~server.models.record`: frozen dataclasses to mypy, quick to make).
"""

from __future__ import annotations

from server.models import Draw, Message, Prize, Stats, Void, record


@record
class Shown:
    """A message goes on the wall now: live (passed or approved) or an idle replay."""

    message: Message
    replay: bool


@record
class Held:
    """A flagged message joined the review queue."""

    message: Message


@record
class Resolved:
    """A held message left the queue: approved, rejected or expired (``message.status``)."""

    message: Message


@record
class Retracted:
    """A comment already on the wall was taken down (off the screen, out of the replay pool)."""

    message: Message


@record
class WallCleared:
    """The moderator cleared everything on the projector right now."""


@record
class Banned:
    """A sender was banned; their held messages were rejected (each with its own Resolved)."""

    sender: str
    nick: str


@record
class PauseChanged:
    """The wall was paused or resumed."""

    paused: bool


@record
class HoldAllChanged:
    """Every new comment now waits for review (``hold_all=True``), or no longer does."""

    hold_all: bool


@record
class RehearsalChanged:
    """A rehearsal began (``rehearsal=True``) or ended (its comments came down first)."""

    rehearsal: bool


@record
class StatsChanged:
    """Fresh numbers for the moderator (high rate: consumers may coalesce them)."""

    stats: Stats


@record
class DrawMade:
    """The lottery drew winners; the projector shows them until dismissed."""

    draw: Draw


@record
class PrizePlanChanged:
    """The moderator set the night's prize plan (typed in, or cleared)."""

    plan: tuple[Prize, ...]


@record
class RoundOpened:
    """A lottery round is committed: its prize and the SHA-256 of its seed go on the projector."""

    prize: str
    winners: int
    seed_hash: str


@record
class WinnerVoided:
    """A winner of ``draw`` was voided and (if anyone was left) replaced; ``draw`` is updated."""

    draw: Draw
    void: Void


@record
class DrawDismissed:
    """The moderator took the winners (or an open round's commitment) off the projector."""


Event = (
    Shown
    | Held
    | Resolved
    | Retracted
    | WallCleared
    | Banned
    | PauseChanged
    | HoldAllChanged
    | RehearsalChanged
    | StatsChanged
    | PrizePlanChanged
    | RoundOpened
    | DrawMade
    | WinnerVoided
    | DrawDismissed
)
