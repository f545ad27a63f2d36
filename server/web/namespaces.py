"""Socket.IO namespaces: ``/send`` for phones, ``/show`` for projectors.

Each handler validates its payload, calls the core and returns the contract's ack
dict. Nothing a client sends can reach a moderator command.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import socketio
from aiohttp import web

from server.errors import ErrorCode, Refused
from server.models import Accepted, Submission
from server.ratelimit import SlidingWindowLimiter
from server.settings import Settings
from server.web.forwarded import request_address
from server.web.validation import (
    BadRequest,
    client_id_from_auth,
    last_id_from_auth,
    parse_danmaku,
)

log = logging.getLogger(__name__)

SEND = "/send"
SHOW = "/show"
# How long a refused phone waits for its answer; a person is never refused this way twice
# in a second (the page waits for each answer), a script sending in a loop always is.
REFUSAL_PAUSE_SECONDS = {ErrorCode.RATE_LIMITED: 0.05, ErrorCode.BANNED: 0.5}


# What a projector is sent when it connects: (event, data) pairs, in order.
Welcome = Callable[[int | None], list[tuple[str, dict[str, Any]]]]


class Core(Protocol):
    """What the namespaces need of the core: the hub itself, or a cluster worker's link to it."""

    settings: Settings

    async def submit(self, submission: Submission) -> Accepted:
        """Take a comment; its ack once committed (raises ``Refused``)."""
        ...

    def set_audience(self, phones: int, show_pages: int) -> None:
        """How many phones and projector pages are connected here."""
        ...


def error_ack(code: ErrorCode, message: str) -> dict[str, Any]:
    """The contract's refusal ack."""
    return {"ok": False, "error": code.value, "message": message}


class Audience:
    """Counts connected phones and projector pages and reports them to the hub."""

    def __init__(self, hub: Core) -> None:
        self._hub = hub
        self.phones = 0
        self.show_pages = 0

    def changed(self, phones: int = 0, show_pages: int = 0) -> None:
        """Apply a change in connections."""
        self.phones += phones
        self.show_pages += show_pages
        self._hub.set_audience(self.phones, self.show_pages)


@dataclass(frozen=True, slots=True)
class Phone:
    """Who a connected phone is: its sender id and its network address."""

    sender: str
    address: str


class SendNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Phones: connect with ``auth.client_id``, emit ``danmaku`` with an ack."""

    def __init__(self, hub: Core, audience: Audience) -> None:
        super().__init__(SEND)
        self._hub = hub
        self._audience = audience
        join_rate = hub.settings.connection_rate
        self._joins = SlidingWindowLimiter(join_rate) if join_rate is not None else None
        # Plain tables rather than Socket.IO sessions and rooms: a few hundred bytes
        # less for each of thousands of idle phones.
        self._phones: dict[str, Phone] = {}  # sid -> the phone
        self._tabs: dict[str, set[str]] = {}  # sender -> sids: all their open tabs

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: object = None) -> None:
        """Remember who this phone is: its own stable id, or this connection."""
        client_id = client_id_from_auth(auth)
        sender = f"client:{client_id}" if client_id else f"conn:{sid}"
        # python-engineio's aiohttp driver sets REMOTE_ADDR to 127.0.0.1 for everyone:
        # the peer's real address is on the aiohttp request (so are the headers: the
        # environ's HTTP_* copies are gone, see engine.py behind the door).
        request = environ.get("aiohttp.request")
        if isinstance(request, web.Request):
            address = request_address(request, self._hub.settings.trusted_proxies)
        else:
            address = environ.get("REMOTE_ADDR") or ""
        # One session may join /send again and again with a new client_id each time,
        # with no new handshake: joins count against --connect-rate as handshakes do.
        now = time.monotonic()
        if self._joins is not None and not self._joins.allow(address, now):
            self._joins.prune(now)
            raise socketio.exceptions.ConnectionRefusedError(
                "Too many connections from this address; retry shortly."
            )
        self._phones[sid] = Phone(sender, address)
        self._tabs.setdefault(sender, set()).add(sid)
        self._audience.changed(phones=1)

    async def on_disconnect(self, sid: str, reason: object = None) -> None:
        """One phone fewer."""
        phone = self._phones.pop(sid, None)
        if phone is not None:
            tabs = self._tabs[phone.sender]
            tabs.discard(sid)
            if not tabs:
                del self._tabs[phone.sender]
        self._audience.changed(phones=-1)

    async def tell(self, sender: str, event: str, data: dict[str, Any]) -> None:
        """Send an event to every open tab of one sender (a review outcome, a win)."""
        for sid in list(self._tabs.get(sender, ())):
            await self.emit(event, data, to=sid)

    async def on_danmaku(self, sid: str, data: object = None) -> dict[str, Any]:
        """Validate, submit, and answer with the contract's ack."""
        phone = self._phones.get(sid)
        if phone is None:  # it disconnected while this event was on its way
            return error_ack(ErrorCode.BAD_REQUEST, "Not connected. Send again.")
        try:
            submission = parse_danmaku(data, sender=phone.sender, address=phone.address)
        except BadRequest as exc:
            await asyncio.sleep(0)  # as for a refusal, below
            return error_ack(exc.code, str(exc))
        try:
            accepted = await self._hub.submit(submission)
        except Refused as exc:
            # A refusal is decided without waiting for anything. Pause before answering,
            # at least a turn of the loop: this phone's next comment is only read after the
            # answer, so a script sending as fast as it can is slowed to the pause's pace
            # and the kernel holds its backlog, not our CPU.
            await asyncio.sleep(REFUSAL_PAUSE_SECONDS.get(exc.code, 0))
            return error_ack(exc.code, exc.message)
        except Exception:  # the store failed: nothing was acknowledged, the phone may retry
            log.exception("submit failed")
            return error_ack(ErrorCode.BAD_REQUEST, "The server could not take it. Send again.")
        return {"ok": True, "id": accepted.id, "status": accepted.status.value}


class ShowNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Projectors: receive only. ``auth.last_id`` catches a reconnecting page up."""

    def __init__(self, welcome: Welcome, audience: Audience) -> None:
        super().__init__(SHOW)
        self._welcome_for = welcome
        self._audience = audience
        self._welcomes: set[asyncio.Task[None]] = set()  # kept: the loop holds tasks weakly

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: object = None) -> None:
        """Count the page; send what it missed and the wall's state once it is connected."""
        self._audience.changed(show_pages=1)
        # Emits inside the connect handler would go out before the CONNECT packet, so
        # the client would drop them: send them from a task that runs right after.
        welcome = asyncio.ensure_future(self._welcome(sid, last_id_from_auth(auth)))
        self._welcomes.add(welcome)
        welcome.add_done_callback(self._welcomes.discard)

    async def _welcome(self, sid: str, last_id: int | None) -> None:
        for name, data in self._welcome_for(last_id):  # the wall as it stands now
            await self.emit(name, data, to=sid)

    async def on_disconnect(self, sid: str, reason: object = None) -> None:
        """One projector fewer."""
        self._audience.changed(show_pages=-1)
