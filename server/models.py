"""Plain data the core hands out: messages, verdicts, senders, draws.

Everything here is immutable so that consumers (console, web adapter, a future
Redis bridge) can keep references without the core's state changing under them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar, dataclass_transform

_Record = TypeVar("_Record")


@dataclass_transform(frozen_default=True)
def record(cls: type[_Record]) -> type[_Record]:
    """A dataclass frozen to mypy and plain at run time: for what is made for every comment.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``:
    building the few of these every comment makes (a :class:`Message` twice) took a sixth
    of the hub's instructions outside the filter. mypy --strict refuses any assignment to
    a field, so they stay as immutable as ``frozen=True`` keeps them; equal ones hash alike.
    """
    return dataclass(slots=True, unsafe_hash=True)(cls)


class Status(StrEnum):
    """Where a message stands in moderation."""

    SHOWN = "shown"  # passed the filter and went straight to the wall
    HELD = "held"  # flagged, waiting for the moderator
    APPROVED = "approved"  # held, then approved by the moderator (it reached the wall)
    REJECTED = "rejected"  # held, then rejected (or its sender was banned)
    RETRACTED = "retracted"  # was on the wall, then taken down by the moderator
    EXPIRED = "expired"  # held longer than --hold-expire: it lost its moment, never shown

    @property
    def reached_screen(self) -> bool:
        """Whether a message with this status has been on the wall."""
        return self in (Status.SHOWN, Status.APPROVED)


class Mode(StrEnum):
    """How a comment moves on the projector."""

    SCROLL = "scroll"
    TOP = "top"
    BOTTOM = "bottom"


@dataclass(slots=True, unsafe_hash=True)
class Reason:
    """One wordlist hit: which term, from which list, where in the text as sent.

    ``span`` indexes the original text (end exclusive), not a normalized copy. Treat it as
    immutable (it is hashed): it is not declared frozen only because a frozen dataclass
    takes three times as long to make, and the filter makes one for every hit.
    """

    term: str
    category: str
    span: tuple[int, int]
    field: str = "text"  # "text" or "nick": which of the two the span indexes
    # How the text matched, for the moderator: "sb → 傻逼 (initials)". Empty for a plain,
    # literal hit; the contract's fields above stay as they were, this one is extra.
    how: str = ""

    def to_json(self) -> dict[str, object]:
        """The contract's JSON shape: ``field`` only for the nick, ``how`` only if not literal."""
        shape: dict[str, object] = {
            "term": self.term,
            "category": self.category,
            "span": list(self.span),
        }
        if self.field != "text":
            shape["field"] = self.field
        if self.how:
            shape["how"] = self.how
        return shape


@record
class Verdict:
    """The filter's answer for one text."""

    reasons: tuple[Reason, ...] = ()

    @property
    def held(self) -> bool:
        """True when at least one term matched."""
        return bool(self.reasons)

    @property
    def label(self) -> str:
        """``"hold"`` or ``"pass"``, as the contract spells it."""
        return "hold" if self.reasons else "pass"


@record
class Message:
    """A comment as stored."""

    id: int
    text: str
    nick: str
    sender: str
    color: str
    mode: Mode
    status: Status
    reasons: tuple[Reason, ...]
    shown_count: int
    created_at: float
    cid: str | None = None
    last_shown_at: float | None = None
    masked_text: str | None = None  # approved with its matched words masked: what is shown
    rehearsal: bool = False  # sent during a rehearsal: flies, never counts, not exported

    @property
    def verdict(self) -> str:
        """``"hold"`` or ``"pass"``: what the filter said when it arrived."""
        return "hold" if self.reasons else "pass"

    def shown_again(self, at: float) -> Message:
        """This comment after one more show, at ``at``.

        Built field by field: ``dataclasses.replace`` takes twice as long, and every
        comment that goes on the wall is shown at once.
        """
        return Message(
            id=self.id,
            text=self.text,
            nick=self.nick,
            sender=self.sender,
            color=self.color,
            mode=self.mode,
            status=self.status,
            reasons=self.reasons,
            shown_count=self.shown_count + 1,
            created_at=self.created_at,
            cid=self.cid,
            last_shown_at=at,
            masked_text=self.masked_text,
            rehearsal=self.rehearsal,
        )

    def as_shown(self) -> Message:
        """The comment as the projectors show it: its masked text when it has one."""
        if self.masked_text is None:
            return self
        return Message(
            id=self.id,
            text=self.masked_text,
            nick=self.nick,
            sender=self.sender,
            color=self.color,
            mode=self.mode,
            status=self.status,
            reasons=(),  # the spans indexed the original text
            shown_count=self.shown_count,
            created_at=self.created_at,
            cid=self.cid,
            last_shown_at=self.last_shown_at,
            masked_text=self.masked_text,
            rehearsal=self.rehearsal,
        )


@record
class Submission:
    """What a phone asked to put on the wall, already validated at the edge.

    The web adapter parses a ``danmaku`` event straight into one of these; the hub cleans
    the text and nick and builds the :class:`Message` from it, once.
    """

    sender: str
    text: str
    nick: str = ""
    color: str = "#ffffff"
    mode: Mode = Mode.SCROLL
    cid: str | None = None
    address: str | None = None


@record
class IntakeMark:
    """How far the hub has taken an outside queue of submissions (a cluster's stream).

    ``position`` in ``source`` is committed in the same transaction as the comment read at
    it, so a hub restarted after a crash resumes right after the last comment it committed
    and takes none twice, with or without a ``cid``.
    """

    source: str
    position: str


@record
class Accepted:
    """A committed submission: the ack's ``id`` and ``status``."""

    id: int
    status: Status


@dataclass(frozen=True, slots=True)
class Sender:
    """One member of the audience, identified by the id their phone keeps."""

    id: str
    nick: str
    banned: bool = False
    on_screen: int = 0  # messages that reached the wall: the lottery weight
    total: int = 0


@dataclass(frozen=True, slots=True)
class Entrant:
    """One sender in a draw, with the weight they entered with."""

    sender: str
    nick: str
    weight: int


class Scheme(StrEnum):
    """How a sender's comments on the wall become lottery tickets (see server.lottery)."""

    PROPORTIONAL = "proportional"  # one ticket a comment
    CAPPED = "capped"  # one ticket a comment, at most ``cap``
    SQRT = "sqrt"  # 100 × the square root of the comments: many count, but less and less
    EQUAL = "equal"  # one ticket each


class VoidReason(StrEnum):
    """Why the moderator voided a winner."""

    ABSENT = "absent"  # not in the hall when called
    DUPLICATE = "duplicate"  # the same person won under another phone
    STAFF = "staff"  # organisers cannot win


@dataclass(frozen=True, slots=True)
class DrawRules:
    """What a draw was asked to do."""

    winners: int = 1
    exclude_previous_winners: bool = True
    prize: str = ""  # the prize's name, shown on the projector and told to the winner
    scheme: Scheme = Scheme.PROPORTIONAL
    cap: int | None = None  # most tickets one sender may hold (``capped``)
    min_shown: int = 1  # comments on the wall needed to enter


@dataclass(frozen=True, slots=True)
class Prize:
    """One round of a prize plan: its name and how many winners it has."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Void:
    """A winner taken back, and who was drawn in their place (with the seed of that pick)."""

    sender: str
    nick: str
    reason: VoidReason
    seed: int
    replacement: Entrant | None  # None when nobody was left to draw
    at: float


@dataclass(frozen=True, slots=True)
class Draw:
    """A recorded lottery draw: enough to audit and to reproduce it.

    ``seed`` is the committed seed (its SHA-256 was shown before the draw); ``witnessed``
    the comments that reached the wall between the commit and the draw, ``(id, text)``,
    which the draw's random source mixes in. ``winners`` are as drawn; ``voids`` record the
    winners taken back since, each with its replacement.
    """

    id: int
    seed: int
    rules: DrawRules
    entrants: tuple[Entrant, ...]
    winners: tuple[Entrant, ...]
    created_at: float
    algorithm: str = field(default="sequential-weighted-without-replacement/v1")
    witnessed: tuple[tuple[int, str], ...] = ()
    voids: tuple[Void, ...] = ()
    seed_hash: str = ""  # the commitment as shown before the draw ("" for early draws)

    @property
    def standing(self) -> tuple[Entrant, ...]:
        """The winners now: each voided one replaced in place (or gone if nobody was left)."""
        result: list[Entrant] = []
        for winner in self.winners:
            current: Entrant | None = winner
            for void in self.voids:
                if current is not None and void.sender == current.sender:
                    current = void.replacement
            if current is not None:
                result.append(current)
        return tuple(result)


@dataclass(frozen=True, slots=True)
class Stats:
    """Numbers the moderator watches."""

    phones: int = 0
    show_pages: int = 0
    per_minute: int = 0
    held: int = 0
    shown_total: int = 0
    paused: bool = False
    dropped_events: int = 0  # events a stuck consumer's full queue lost (should stay 0)
    oldest_held_seconds: int = 0  # how long the longest-waiting held comment has waited
    held_per_minute: int = 0  # comments joining the queue in the last minute
    decided_per_minute: int = 0  # the moderator's decisions in the last minute
    expired: int = 0  # held comments that waited past --hold-expire tonight
    hold_all: bool = False  # every new comment waits for review (the panic switch)
    rehearsal: bool = False  # comments sent now are a rehearsal's (see Hub.start_rehearsal)
