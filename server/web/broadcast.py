"""Core events out to the projectors: one subscriber, one emit per event.

:func:`wall_events` says what each core event means for the pages; a cluster's hub writes
the same to its event stream, and its workers :func:`deliver` them as this relay does.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio

from server.cluster.wire import WallEvent
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
from server.web.namespaces import SEND, SHOW, Audience, SendNamespace
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


def wall_events(event: Event) -> list[WallEvent]:
    """Everything the pages must receive for a core event: projectors first, then phones."""
    emit = show_event(event)
    shown = [] if emit is None else [WallEvent(SHOW, emit[0], emit[1])]
    told = [WallEvent(SEND, name, data, to=sender) for name, sender, data in phone_events(event)]
    return shown + told


async def deliver(sio: socketio.AsyncServer, phones: SendNamespace, event: WallEvent) -> None:
    """Emit one wall event: to every projector, or to the phones of the sender it names."""
    if event.to is None:
        await sio.emit(event.name, event.data, namespace=event.namespace)
    else:
        await phones.tell(event.to, event.name, event.data)


async def relay_to_projectors(
    hub: Hub, sio: socketio.AsyncServer, phones: SendNamespace, audience: Audience
) -> None:
    """Forward the hub's events to projectors (and to the phones concerned) until cancelled.

    With no page connected here (a cluster's hub, whose pages are on the workers) there is
    nobody to shape an event for; a page connecting later is greeted from the hub's memory.
    """
    async with hub.subscribe() as events:
        async for event in events:
            if not (audience.phones or audience.show_pages):
                continue
            try:
                for wall_event in wall_events(event):
                    await deliver(sio, phones, wall_event)
            except Exception:  # one failed emit must not stop the wall
                log.exception("relaying %s failed", type(event).__name__)
