"""Textual messages that carry the core's events into the console.

One worker (:meth:`console.app.DanmakuConsole.follow_core`) turns each
:mod:`server.events` event into one of these small dataclass messages and posts it
to the app, which hands it to the views through :mod:`console.dispatch`. Posting them
(rather than calling the views from the worker) lets Textual merge a burst: only
:class:`StatsUpdated` may be merged with a newer one (``can_replace``); a held
comment, a resolution or a draw never is.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from server import events, models


@dataclass
class CoreMessage(Message):
    """A core event on its way to the views (the app's one handler takes every kind)."""


@dataclass
class CommentHeld(CoreMessage):
    """A flagged comment joined the review queue."""

    comment: models.Message


@dataclass
class CommentResolved(CoreMessage):
    """A held comment left the queue: approved or rejected (``comment.status`` says which)."""

    comment: models.Message


@dataclass
class CommentShown(CoreMessage):
    """A live comment (passed or approved) went on the wall. Idle replays are not posted."""

    comment: models.Message


@dataclass
class CommentRetracted(CoreMessage):
    """A comment on the wall was taken down: off every projector, out of replays."""

    comment: models.Message


@dataclass
class WallCleared(CoreMessage):
    """Everything flying on the projectors was cleared (nothing was deleted)."""


@dataclass
class SenderBanned(CoreMessage):
    """A sender was banned; their held comments were rejected."""

    sender: str
    nick: str


@dataclass
class WallPaused(CoreMessage):
    """The wall was paused (``paused=True``) or resumed."""

    paused: bool


@dataclass
class HoldAllSwitched(CoreMessage):
    """Every new comment now waits for review (``hold_all=True``), or no longer does."""

    hold_all: bool


@dataclass
class RehearsalSwitched(CoreMessage):
    """A rehearsal began (``rehearsal=True``) or ended (its comments already came down)."""

    rehearsal: bool


@dataclass
class StatsUpdated(CoreMessage):
    """Fresh numbers for the status bar. A newer one replaces an older one still queued."""

    stats: models.Stats

    def can_replace(self, message: Message) -> bool:
        """Only stats merge with stats; every other message is delivered."""
        return isinstance(message, StatsUpdated)


@dataclass
class DrawAnnounced(CoreMessage):
    """The lottery drew winners; the projector shows them until dismissed."""

    draw: models.Draw


@dataclass
class PrizePlanSet(CoreMessage):
    """The night's prize plan was set (typed into the lottery view, or cleared)."""

    plan: tuple[models.Prize, ...]


@dataclass
class RoundOpened(CoreMessage):
    """A lottery round was committed: the projector shows its prize and its seed's SHA-256."""

    prize: str
    winners: int
    seed_hash: str


@dataclass
class WinnerVoided(CoreMessage):
    """A winner of ``draw`` (the one on the projector) was voided; ``draw`` is updated."""

    draw: models.Draw
    void: models.Void


@dataclass
class DrawCleared(CoreMessage):
    """The winners (or an open round's commitment) were taken off the projector."""


def message_for(event: events.Event) -> CoreMessage | None:
    """The console message for a core event, or None when the console does not need it."""
    match event:
        case events.Held(message=comment):
            return CommentHeld(comment)
        case events.Resolved(message=comment):
            return CommentResolved(comment)
        case events.Shown(message=comment, replay=False):
            return CommentShown(comment)
        case events.Retracted(message=comment):
            return CommentRetracted(comment)
        case events.WallCleared():
            return WallCleared()
        case events.Banned(sender=sender, nick=nick):
            return SenderBanned(sender, nick)
        case events.PauseChanged(paused=paused):
            return WallPaused(paused)
        case events.HoldAllChanged(hold_all=hold_all):
            return HoldAllSwitched(hold_all)
        case events.RehearsalChanged(rehearsal=rehearsal):
            return RehearsalSwitched(rehearsal)
        case events.StatsChanged(stats=stats):
            return StatsUpdated(stats)
        case events.PrizePlanChanged(plan=plan):
            return PrizePlanSet(plan)
        case events.RoundOpened(prize=prize, winners=winners, seed_hash=seed_hash):
            return RoundOpened(prize, winners, seed_hash)
        case events.DrawMade(draw=draw):
            return DrawAnnounced(draw)
        case events.WinnerVoided(draw=draw, void=void):
            return WinnerVoided(draw, void)
        case events.DrawDismissed():
            return DrawCleared()
    return None
