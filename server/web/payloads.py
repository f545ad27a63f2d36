"""The JSON shapes projectors receive, built from core models."""

from __future__ import annotations

import hashlib
from typing import Any

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
    """What ``/show`` receives when winners are drawn (nicks only: no sender ids)."""
    return {
        "id": draw.id,
        "winners": [{"nick": w.nick} for w in draw.winners],
        "entrants": [{"nick": e.nick, "weight": e.weight} for e in draw.entrants],
    }
