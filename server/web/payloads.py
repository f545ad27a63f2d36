"""The JSON shapes projectors receive, built from core models."""

from __future__ import annotations

import hashlib
from typing import Any

from server import lottery
from server.models import Draw, Message


def show_payload(message: Message, replay: bool) -> dict[str, Any]:
    """What ``/show`` receives for one comment on the wall."""
    return {
        "id": message.id,
        "text": message.text,
        "nick": message.nick,
        "color": message.color,
        "mode": message.mode.value,
        "replay": replay,
        "avatar_hue": avatar_hue(message.sender),
    }


def avatar_hue(sender: str) -> int:
    """A stable colour (hue, 0-359) for a sender's avatar that reveals nothing of their id."""
    return int.from_bytes(hashlib.blake2s(sender.encode(), digest_size=2).digest()) % 360


def lottery_payload(draw: Draw) -> dict[str, Any]:
    """What ``/show`` receives when winners are drawn or one is voided (nicks, no sender ids).

    ``winners`` are the standing ones (a voided winner's replacement in their place);
    ``seed`` is revealed with the winners, beside the ``seed_hash`` shown before the draw.
    """
    return {
        "id": draw.id,
        "prize": draw.rules.prize,
        "seed_hash": lottery.commitment(draw),
        "seed": str(draw.seed),  # a string: JavaScript numbers lose digits past 2^53
        "winners": [{"nick": w.nick} for w in draw.standing],
        "entrants": [{"nick": e.nick, "weight": e.weight} for e in draw.entrants],
        "voided": [{"nick": v.nick, "reason": v.reason.value} for v in draw.voids],
    }


def round_payload(prize: str, winners: int, seed_hash: str) -> dict[str, Any]:
    """What ``/show`` receives when a round is committed: the prize and the seed's hash only."""
    return {
        "id": None,
        "prize": prize,
        "seed_hash": seed_hash,
        "count": winners,
        "winners": [],
        "entrants": [],
    }
