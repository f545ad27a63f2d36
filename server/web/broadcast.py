"""Core events out to the projectors: one subscriber, one emit per event."""

from __future__ import annotations

import logging
from typing import Any

import socketio

from server.events import DrawDismissed, DrawMade, Event, PauseChanged, Shown
from server.hub import Hub
from server.web.namespaces import SHOW
from server.web.payloads import lottery_payload, show_payload

log = logging.getLogger(__name__)


def show_event(event: Event) -> tuple[str, dict[str, Any]] | None:
    """The ``/show`` emit for a core event, or None if projectors don't need it."""
    match event:
        case Shown(message=message, replay=replay):
            return "danmaku", show_payload(message, replay)
        case PauseChanged(paused=paused):
            return "state", {"paused": paused}
        case DrawMade(draw=draw):
            return "lottery", lottery_payload(draw)
        case DrawDismissed():
            return "lottery_clear", {}
    return None


async def relay_to_projectors(hub: Hub, sio: socketio.AsyncServer) -> None:
    """Forward the hub's events to every ``/show`` page until cancelled."""
    async with hub.subscribe() as events:
        async for event in events:
            emit = show_event(event)
            if emit is None:
                continue
            try:
                await sio.emit(emit[0], emit[1], namespace=SHOW)
            except Exception:  # one failed emit must not stop the wall
                log.exception("emit to /show failed")
