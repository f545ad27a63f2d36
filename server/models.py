"""Plain data the core hands out: messages, verdicts, senders, draws.

Everything here is immutable so that consumers (console, web adapter, a future
Redis bridge) can keep references without the core's state changing under them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Where a message stands in moderation."""

    SHOWN = "shown"  # passed the filter and went straight to the wall
    HELD = "held"  # flagged, waiting for the moderator
    APPROVED = "approved"  # held, then approved by the moderator (it reached the wall)
    REJECTED = "rejected"  # held, then rejected (or its sender was banned)
    RETRACTED = "retracted"  # was on the wall, then taken down by the moderator

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

    def to_json(self) -> dict[str, object]:
        """The contract's JSON shape for a reason (``field`` only when it is the nick)."""
        shape: dict[str, object] = {
            "term": self.term,
            "category": self.category,
            "span": list(self.span),
        }
        if self.field != "text":
            shape["field"] = self.field
        return shape


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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

    @property
    def verdict(self) -> str:
        """``"hold"`` or ``"pass"``: what the filter said when it arrived."""
        return "hold" if self.reasons else "pass"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class DrawRules:
    """What a draw was asked to do."""

    winners: int = 1
    exclude_previous_winners: bool = True


@dataclass(frozen=True, slots=True)
class Draw:
    """A recorded lottery draw: enough to audit and to reproduce it."""

    id: int
    seed: int
    rules: DrawRules
    entrants: tuple[Entrant, ...]
    winners: tuple[Entrant, ...]
    created_at: float
    algorithm: str = field(default="sequential-weighted-without-replacement/v1")


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
