"""The night's figures: what the report's charts draw, computed from the record.

Plain data in, plain data out; nothing here draws or translates. Every comment ends the
night in one of the outcomes below, so a chart can stack them and their heights add up to
what was sent.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from server.masking import mask
from server.models import Message, Sender, Status

# Stacking order, from what went up to what never did.
OUTCOMES = (
    Status.SHOWN,  # went straight to the wall
    Status.APPROVED,  # held, then approved
    Status.RETRACTED,  # was on the wall, taken down
    Status.HELD,  # still waiting when the report was made
    Status.REJECTED,
    Status.EXPIRED,  # held past --hold-expire, never decided
)

# A timeline keeps to at most this many bars: a four-hour night is 240 minutes, more than a
# page's width shows as bars, so longer nights are counted per 2, 5, 10 … minutes.
MAX_BARS = 180
STEPS_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440)

# How long held comments waited for a decision: the upper bounds of the buckets, seconds.
WAIT_BOUNDS = (10.0, 30.0, 60.0, 120.0, 300.0)

LITERAL = "literal"  # a reason without a ``how``: the term itself was in the text
_HOW_KIND = re.compile(r"\(([^()]+)\)\s*$")  # "sb → 傻逼 (initials)" -> "initials"


@dataclass(frozen=True, slots=True)
class Row:
    """One bar: a label and how many comments of each outcome it stands for."""

    label: str
    counts: Mapping[Status, int]

    @property
    def total(self) -> int:
        """All comments of the bar."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Timeline:
    """Comments by when they were sent, per ``step_minutes``, in local time."""

    step_minutes: int
    starts: tuple[datetime, ...]  # the start of each bucket, local time
    counts: tuple[Mapping[Status, int], ...]


@dataclass(frozen=True, slots=True)
class Waits:
    """How long held comments waited for a decision (approved, rejected, expired)."""

    buckets: tuple[Mapping[Status, int], ...]  # one per WAIT_BOUNDS, then one past the last
    seconds: tuple[float, ...] = field(default=())  # every wait, shortest first

    @property
    def median(self) -> float:
        """The middle wait."""
        return statistics.median(self.seconds)

    @property
    def p90(self) -> float:
        """Nine in ten were decided within this."""
        return self.seconds[math.ceil(0.9 * len(self.seconds)) - 1]

    @property
    def within_a_minute(self) -> float:
        """The share decided within 60 s, 0–1."""
        return sum(1 for s in self.seconds if s <= 60.0) / len(self.seconds)


@dataclass(frozen=True, slots=True)
class SenderRow:
    """One of the busiest senders: their nick (audience text), ban, and their comments."""

    nick: str
    banned: bool
    counts: Mapping[Status, int]
    namesake: int = 0  # 1, 2 … when other rows show the same nick (two people, one name)

    @property
    def total(self) -> int:
        """Every comment they sent."""
        return sum(self.counts.values())


def timeline(messages: Sequence[Message]) -> Timeline:
    """Comments per minute (or per a few minutes, for a long night), first to last, gaps kept."""
    if not messages:
        return Timeline(1, (), ())
    first = min(m.created_at for m in messages)
    last = max(m.created_at for m in messages)
    offset = datetime.fromtimestamp(first).astimezone().utcoffset()
    shift = offset.total_seconds() if offset is not None else 0.0  # buckets on local minutes
    minutes = (last - first) / 60 + 1
    step = next((s for s in STEPS_MINUTES if minutes / s <= MAX_BARS), STEPS_MINUTES[-1])
    width = step * 60

    def bucket(at: float) -> int:
        return math.floor((at + shift) / width)

    start = bucket(first)
    counts: list[Counter[Status]] = [Counter() for _ in range(bucket(last) - start + 1)]
    for message in messages:
        counts[bucket(message.created_at) - start][message.status] += 1
    starts = tuple(datetime.fromtimestamp((start + i) * width - shift) for i in range(len(counts)))
    return Timeline(step, starts, tuple(counts))


def busiest_minute(messages: Iterable[Message]) -> tuple[datetime, int] | None:
    """The local minute in which most comments were sent (the first of equals), and how many."""
    per_minute = Counter(
        datetime.fromtimestamp(m.created_at).replace(second=0, microsecond=0) for m in messages
    )
    if not per_minute:
        return None
    return max(sorted(per_minute.items()), key=lambda item: item[1])


def how_kind(how: str) -> str:
    """The kind of match a reason's ``how`` names in its closing brackets (``literal`` if none).

    A ``how`` without brackets is its own kind.
    """
    if not how:
        return LITERAL
    found = _HOW_KIND.search(how)
    return found.group(1).strip() if found else how.strip()


def _rows(groups: Mapping[str, Counter[Status]]) -> list[Row]:
    """Bars, most comments first (ties by label)."""
    rows = [Row(label, dict(counts)) for label, counts in groups.items()]
    return sorted(rows, key=lambda r: (-r.total, r.label))


def by_category(messages: Iterable[Message]) -> list[Row]:
    """Held comments by the category of what matched (a comment counts once per category)."""
    groups: dict[str, Counter[Status]] = {}
    for message in messages:
        for category in {r.category for r in message.reasons}:
            groups.setdefault(category, Counter())[message.status] += 1
    return _rows(groups)


def by_how(messages: Iterable[Message]) -> list[Row]:
    """Held comments by how the filter matched (literal, initials, homophone …)."""
    groups: dict[str, Counter[Status]] = {}
    for message in messages:
        for kind in {how_kind(r.how) for r in message.reasons}:
            groups.setdefault(kind, Counter())[message.status] += 1
    return _rows(groups)


def held_waits(messages: Iterable[Message], decided_at: Mapping[int, float]) -> Waits | None:
    """How long each decided held comment waited; None when none was decided.

    A comment approved and later taken down counts as approved: that was the decision.
    """
    decided: list[tuple[float, Status]] = []
    for message in messages:
        at = decided_at.get(message.id)
        if at is None:
            continue
        outcome: Status = message.status
        if outcome is Status.RETRACTED:
            outcome = Status.APPROVED
        decided.append((max(0.0, at - message.created_at), outcome))
    if not decided:
        return None
    buckets: list[Counter[Status]] = [Counter() for _ in range(len(WAIT_BOUNDS) + 1)]
    for seconds, outcome in decided:
        index = next((i for i, b in enumerate(WAIT_BOUNDS) if seconds < b), len(WAIT_BOUNDS))
        buckets[index][outcome] += 1
    return Waits(tuple(buckets), tuple(sorted(s for s, _ in decided)))


def busiest_senders(
    messages: Iterable[Message], senders: Mapping[str, Sender], limit: int
) -> list[SenderRow]:
    """The ``limit`` senders who sent most, with their latest nick; ties by who sent first."""
    counts: dict[str, Counter[Status]] = {}
    nicks: dict[str, str] = {}
    for message in messages:
        counts.setdefault(message.sender, Counter())[message.status] += 1
        nicks[message.sender] = message.nick
    ranked = sorted(counts, key=lambda s: -sum(counts[s].values()))[:limit]
    rows = []
    for sender_id in ranked:
        known = senders.get(sender_id)
        nick = known.nick if known is not None and known.nick else nicks[sender_id]
        rows.append(SenderRow(nick, known is not None and known.banned, dict(counts[sender_id])))
    # Two senders may share a nick: numbered in rank order, they read as two people.
    shared = Counter(row.nick for row in rows)
    seen: Counter[str] = Counter()
    for i, row in enumerate(rows):
        if shared[row.nick] > 1:
            seen[row.nick] += 1
            rows[i] = replace(row, namesake=seen[row.nick])
    return rows


def wall_texts(messages: Iterable[Message]) -> list[str]:
    """The texts the wall showed, with what the filter matched masked out.

    A comment the moderator approved as sent still had a flagged word in it: the recap
    leaves that word out of the words of the night rather than headline it.
    """
    return [
        mask(m.as_shown().text, m.reasons) if m.reasons and m.masked_text is None
        else m.as_shown().text
        for m in messages
        if m.status.reached_screen
    ]  # fmt: skip
