"""Core events out to the projectors: one subscriber, one emit per event."""

from __future__ import annotations

import logging
from typing import Any

import socketio

from server.events import (
    DrawDismissed,
    DrawMade,
    Event,
    PauseChanged,
    Resolved,
    Retracted,
    RoundOpened,
    Shown,
    WallCleared,
    WinnerVoided,
)
from server.hub import Hub
from server.models import Draw, Entrant
from server.web.namespaces import SHOW, SendNamespace
from server.web.payloads import lottery_payload, round_payload, show_payload

log = logging.getLogger(__name__)


def show_event(event: Event) -> tuple[str, dict[str, Any]] | None:
    """The ``/show`` emit for a core event, or None if projectors don't need it."""
    match event:
        case Shown(message=message, replay=replay):
            return "danmaku", show_payload(message.as_shown(), replay)  # masked if approved so
        case PauseChanged(paused=paused):
            return "state", {"paused": paused}
        case RoundOpened(prize=prize, winners=winners, seed_hash=seed_hash):
            return "lottery", round_payload(prize, winners, seed_hash)
        case DrawMade(draw=draw) | WinnerVoided(draw=draw):
            return "lottery", lottery_payload(draw)
        case DrawDismissed():
            return "lottery_clear", {}
        case Retracted(message=message):
            return "retract", {"id": message.id}
        case WallCleared():
            return "clear", {}
    return None


def phone_events(event: Event) -> list[tuple[str, str, dict[str, Any]]]:
    """``/send`` emits (event, sender, data) that tell phones what became of them."""
    match event:
        case Resolved(message=message):
            return [("review", message.sender, {"id": message.id, "status": message.status.value})]
        case DrawMade(draw=draw):
            return [won_notice(draw, winner) for winner in draw.winners]
        case WinnerVoided(draw=draw, void=void) if void.replacement is not None:
            return [won_notice(draw, void.replacement)]
    return []


def won_notice(draw: Draw, winner: Entrant) -> tuple[str, str, dict[str, Any]]:
    """The ``won`` notice for one winner's phones (the page says which prize)."""
    return (
        "won",
        winner.sender,
        {"draw_id": draw.id, "nick": winner.nick, "prize": draw.rules.prize},
    )


async def relay_to_projectors(hub: Hub, sio: socketio.AsyncServer, phones: SendNamespace) -> None:
    """Forward the hub's events to projectors (and to the phones concerned) until cancelled."""
    async with hub.subscribe() as events:
        async for event in events:
            try:
                emit = show_event(event)
                if emit is not None:
                    await sio.emit(emit[0], emit[1], namespace=SHOW)
                for name, sender, data in phone_events(event):
                    await phones.tell(sender, name, data)
            except Exception:  # one failed emit must not stop the wall
                log.exception("relaying %s failed", type(event).__name__)
