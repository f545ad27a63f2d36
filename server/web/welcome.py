"""What a projector is sent when it connects, and the wall's standing state.

A page that connects gets the wall's state (paused or not), then what it missed (with
``auth.last_id``), then the lottery on the projector if any. The hub builds it from its
own memory; a cluster worker from its mirror of the hub's events
(:mod:`server.web.mirror`), with the same function.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.cluster.wire import WallEvent
from server.hub import Hub
from server.web.namespaces import SHOW
from server.web.payloads import lottery_payload, round_payload, show_payload

Emit = tuple[str, dict[str, Any]]


def welcome_emits(
    paused: bool, missed: Iterable[dict[str, Any]], lottery: dict[str, Any] | None
) -> list[Emit]:
    """The state first, then each missed comment in id order, then the lottery's overlay."""
    emits: list[Emit] = [("state", {"paused": paused})]
    emits += [("danmaku", payload) for payload in missed]
    if lottery is not None:
        emits.append(("lottery", lottery))
    return emits


def lottery_on_projector(hub: Hub) -> dict[str, Any] | None:
    """The ``lottery`` payload the projector shows now: the winners, or a round's hash."""
    draw, committed = hub.current_draw, hub.lottery_round
    if draw is not None:
        return lottery_payload(draw)
    if committed is not None and committed.on_projector:
        rules = committed.rules
        return round_payload(rules.prize, rules.winners, committed.seed_hash)
    return None


def hub_welcome(hub: Hub, last_id: int | None) -> list[Emit]:
    """A projector connecting to the hub's own server."""
    missed = () if last_id is None else hub.catch_up(last_id)
    return welcome_emits(
        hub.paused,
        (show_payload(message, replay=False) for message in missed),
        lottery_on_projector(hub),
    )


def hub_standing(hub: Hub) -> list[WallEvent]:
    """The wall's standing state as the events that set it (for a cluster's workers)."""
    lottery = lottery_on_projector(hub)
    return [
        WallEvent(SHOW, "state", {"paused": hub.paused}),
        WallEvent(SHOW, "lottery", lottery) if lottery else WallEvent(SHOW, "lottery_clear", {}),
    ]
