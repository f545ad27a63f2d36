"""python-socketio's in-memory client manager, made to hold a whole hall of phones.

Two costs of the stock manager grow with the number of connected phones:

- a disconnect looks for the leaving client in *every* room of its namespace (each
  client has a room of its own), so when a hall's Wi-Fi blinks and 15,000 phones drop
  at once the loop freezes for over a minute. Here each client's rooms are indexed, so a
  disconnect costs only the rooms that client is in;
- an emit starts a task per recipient and waits for all of them. Here the packet is
  encoded once and queued on each recipient's Engine.IO socket in turn (queueing does
  not wait for the network), with no task and no wait.

And the room each client has of its own (named by its sid) is not stored as a room: it
is answered from the namespace's table of connected clients, which holds the same pair.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet as sio_packet

Room = Hashable | None


class VenueManager(socketio.AsyncManager):  # type: ignore[misc]
    """An ``AsyncManager`` whose disconnects and broadcasts scale with a venue."""

    def __init__(self) -> None:
        super().__init__()
        # (namespace, sid) -> the named rooms it joined (not None, not its own sid room)
        self._joined: dict[tuple[str, str], set[Room]] = {}

    def basic_enter_room(
        self, sid: str, namespace: str, room: Room, eio_sid: str | None = None
    ) -> None:
        """Enter a room, and remember it for the disconnect."""
        if room == sid:
            return  # its own room: answered from the table of connected clients
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        if room is not None:
            self._joined.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid: str, namespace: str, room: Room) -> None:
        """Leave a room, and forget it."""
        if room == sid:
            return
        super().basic_leave_room(sid, namespace, room)
        joined = self._joined.get((namespace, sid))
        if joined is not None:
            joined.discard(room)
            if not joined:
                del self._joined[(namespace, sid)]

    def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
        """Leave the client's own rooms only (the base class scans every room)."""
        for room in [*self._joined.pop((namespace, sid), ()), None]:
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]

    def get_participants(self, namespace: str, room: Room) -> Iterator[tuple[str, str]]:
        """(sid, eio_sid) of everyone in ``room``; a sid names that one client."""
        connected = self.rooms.get(namespace, {}).get(None)
        if isinstance(room, str) and connected is not None and room in connected:
            yield room, connected[room]
        elif isinstance(room, list | tuple):
            everyone: dict[str, str] = {}
            for one in room:
                everyone.update(self.get_participants(namespace, one))
            yield from everyone.items()
        else:
            yield from super().get_participants(namespace, room)

    def get_rooms(self, sid: str, namespace: str) -> list[Room]:
        """The rooms ``sid`` is in, its own included (as python-socketio lists them)."""
        return [*self._joined.get((namespace, sid), ()), sid]

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Room = None,
        skip_sid: str | list[str] | None = None,
        callback: Any = None,
        to: Room = None,
        **kwargs: Any,
    ) -> None:
        """Queue one encoded packet on every recipient; callbacks take the stock path."""
        if callback is not None:
            await super().emit(
                event,
                data,
                namespace,
                room=room,
                skip_sid=skip_sid,
                callback=callback,
                to=to,
                **kwargs,
            )
            return
        if namespace not in self.rooms:
            return
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        # binary=False: what we emit is JSON (from the core's events or from Redis), never
        # bytes; the stock check would walk every field of every comment in the payload.
        encoded = self.server.packet_class(
            sio_packet.EVENT, namespace=namespace, data=[event, *args], binary=False
        ).encode()
        packets = [
            eio_packet.Packet(eio_packet.MESSAGE, part)
            for part in (encoded if isinstance(encoded, list) else [encoded])
        ]
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        for sid, eio_sid in list(self.get_participants(namespace, to or room)):
            if sid not in skip:
                for message in packets:
                    await self.server.eio.send_packet(eio_sid, message)
