"""The Socket.IO server: a client event runs only if it is one the server takes.

python-socketio dispatches a client event by its name alone. An event called ``connect``
runs the namespace's connect handler; an event it has no handler for, if it asked for an
ack, is acked with no arguments (``[]``); an event whose arguments do not fit its handler
raises ``TypeError`` inside python-socketio, which logs it, and the client never hears
back. The contract wants the same answer for all of these: ``bad_request``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import socketio
from socketio import packet

from server.errors import ErrorCode
from server.web._socketio.engine import VenueEngineServer

# Names the Socket.IO protocol reserves: a client emitting an *event* called
# "connect" must never run the namespace's connect handler.
RESERVED_EVENTS = frozenset({"connect", "connect_error", "disconnect", "message"})


def bad_request(message: str) -> dict[str, Any]:
    """The contract's ack for a malformed event."""
    return {"ok": False, "error": ErrorCode.BAD_REQUEST.value, "message": message}


class GuardedServer(socketio.AsyncServer):  # type: ignore[misc]
    """An ``AsyncServer`` that answers malformed client events with ``bad_request``.

    An event runs only if its name is a string, not a reserved one, has a handler, and its
    arguments bind to that handler's parameters. Otherwise an event that asked for an ack
    is answered ``bad_request``, and one that did not is dropped.

    A handler is looked up as python-socketio's ``_trigger_event`` finds it on this
    server: one registered with ``on()`` for that namespace and event, else the
    namespace class's ``on_<event>`` method. Catch-all (``"*"``) handlers are not looked
    up: this server registers none.

    It runs on :class:`~.engine.VenueEngineServer`, and callers give it a
    :class:`~.manager.VenueManager`.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # One signature per handler function (bound or not), read once: binding is a few
        # microseconds, reading a signature ten times that.
        self._signatures: dict[tuple[Callable[..., Any], bool], inspect.Signature] = {}

    def _engineio_server_class(self) -> type[VenueEngineServer]:
        return VenueEngineServer

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: Any, data: Any) -> None:
        namespace = namespace or "/"
        problem = self._malformed(namespace, data)
        if problem is None:
            await super()._handle_event(eio_sid, namespace, id, data)
            return
        # As for a refusal: a script sending garbage in a loop lets everyone else go first.
        await asyncio.sleep(0)
        if id is None:
            return
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if not self.manager.is_connected(sid, namespace):
            return  # as python-socketio: nothing is answered outside a joined namespace
        ack = self.packet_class(packet.ACK, namespace=namespace, id=id, data=[bad_request(problem)])
        await self._send_packet(eio_sid, ack)

    def _malformed(self, namespace: str, data: Any) -> str | None:
        """Why this event cannot run, or None when it can."""
        if not isinstance(data, list) or not data or not isinstance(data[0], str):
            return "Malformed event: it has no name."
        if data[0] in RESERVED_EVENTS:
            return "Unknown event."
        handler = self._handler(namespace, data[0])
        if handler is None:
            return "Unknown event."
        if not self._fits(handler, data[1:]):
            return "Wrong number of arguments for this event."
        return None

    def _handler(self, namespace: str, event: str) -> Callable[..., Any] | None:
        handler = self.handlers.get(namespace, {}).get(event)
        if handler is None:
            methods = self.namespace_handlers.get(namespace)
            handler = getattr(methods, "on_" + event, None) if methods is not None else None
        return handler if callable(handler) else None

    def _fits(self, handler: Callable[..., Any], args: Sequence[Any]) -> bool:
        """Whether ``handler(sid, *args)`` binds, as python-socketio will call it."""
        key = (getattr(handler, "__func__", handler), hasattr(handler, "__self__"))
        signature = self._signatures.get(key)
        if signature is None:
            signature = self._signatures[key] = inspect.signature(handler)
        try:
            signature.bind("sid", *args)
        except TypeError:
            return False
        return True
