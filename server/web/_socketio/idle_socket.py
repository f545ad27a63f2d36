"""An Engine.IO socket that holds no task of its own while its phone is idle.

python-engineio keeps four tasks per WebSocket connection even when nothing is said: a
reader wrapped in ``wait_for`` (a task per wait), a writer blocked in ``wait_for`` on its
queue (another task), and a task sleeping until the next ping. With 15,000 phones those
tasks and their frames are a third of the server's memory. Here:

- the reader reads with aiohttp's own timeout, in the connection's request task;
- a writer task exists only while packets wait to be written;
- pings are sent by one :class:`PingWheel` for the whole server.

Only connections that open directly on a WebSocket (what our pages do) take this path.
Long-polling, and an upgrade from long-polling to a WebSocket, run python-engineio's own
code unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any, Protocol

from engineio import async_socket, exceptions, packet

log = logging.getLogger(__name__)

# Fine slots: a hall that connected within seconds is pinged in small bursts, not big ones.
PING_RESOLUTION_SECONDS = 0.05


class WebSocketLike(Protocol):
    """What :class:`IdleSocket` needs of the WebSocket wrapper."""

    async def send(self, message: str | bytes) -> None:
        """Write one message."""

    async def send_all(self, messages: list[str | bytes]) -> None:
        """Write several messages, in order, in as few writes as it can."""

    async def close(self) -> None:
        """Close the connection."""

    async def receive_data(self, timeout: float) -> str | bytes | None:
        """The next message's data, or None when closed, timed out, or not data."""


class PingWheel:
    """Sends every socket its next ping from one task, in 50 ms slots."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._due: dict[int, list[IdleSocket]] = {}
        self._task: asyncio.Task[None] | None = None

    def add(self, socket: IdleSocket) -> None:
        """Ping ``socket`` one interval from now."""
        slot = math.ceil((time.monotonic() + self._interval) / PING_RESOLUTION_SECONDS)
        self._due.setdefault(slot, []).append(socket)
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def stop(self) -> None:
        """Cancel the pending pings (the server is shutting down)."""
        self._due.clear()
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        try:
            while self._due:
                await asyncio.sleep(PING_RESOLUTION_SECONDS)
                now = time.monotonic() / PING_RESOLUTION_SECONDS
                for slot in sorted(slot for slot in self._due if slot <= now):
                    for socket in self._due.pop(slot):
                        await socket.ping()
        finally:
            self._task = None


class IdleSocket(async_socket.AsyncSocket):  # type: ignore[misc]
    """``AsyncSocket`` with no idle tasks on a direct WebSocket connection.

    python-engineio constructs its own sockets; :class:`~.engine.VenueEngineServer` turns
    each new one into this class in place (``__class__``), so it adds methods and class
    defaults only: no ``__init__``, no ``__slots__``.
    """

    last_ping: float | None  # python-engineio's: when the unanswered ping went out
    connected: bool
    upgraded: bool
    upgrading: bool  # python-engineio's: polling holds its packets while this is set
    _websocket: WebSocketLike | None = None  # set while this socket runs on a WebSocket
    _writer: asyncio.Task[None] | None = None  # alive only while packets wait

    def schedule_ping(self) -> None:
        """After a pong, the next ping goes on the server's wheel (not a task of ours)."""
        if self.last_ping:
            self.last_ping = None
            self.server.ping_wheel.add(self)

    async def ping(self) -> None:
        """Send the ping that is due now."""
        if not self.closing and not self.closed:
            self.last_ping = time.time()
            await self.send(packet.Packet(packet.PING))

    async def send(self, pkt: packet.Packet) -> None:
        """Queue a packet; on a WebSocket, start writing if no writer is running."""
        if self._websocket is None:  # long-polling: the stock queue, read by poll()
            await super().send(pkt)
        elif await self.check_ping_timeout():
            self.queue.put_nowait(pkt)
            self._start_writer()

    def _start_writer(self) -> None:
        if self._writer is None and self._websocket is not None:
            self._writer = asyncio.ensure_future(self._write(self._websocket))

    async def _write(self, websocket: WebSocketLike) -> None:
        try:
            while not self.queue.empty():
                # Everything queued goes at once: a projector is handed the hub's events a
                # batch at a time, and one write for the batch is one system call, not ten.
                messages, closing = self._take_queued()
                if messages:
                    await websocket.send_all(messages)
                if closing:
                    await websocket.close()
                    return
        except Exception:  # the connection broke under the write: the reader sees it too
            await _close_quietly(websocket)
        finally:
            self._writer = None

    def _take_queued(self) -> tuple[list[str | bytes], bool]:
        """The encoded packets queued now, and whether the reader's end (None) came after."""
        messages: list[str | bytes] = []
        while not self.queue.empty():
            pkt = self.queue.get_nowait()
            self.queue.task_done()
            if pkt is None:  # the reader is done: close once the rest is written
                return messages, True
            messages.append(pkt.encode())
        return messages, False

    async def _websocket_handler(self, ws: Any) -> None:
        if self.connected:  # an upgrade from long-polling: python-engineio's own handler
            try:
                await super()._websocket_handler(ws)
            finally:
                # A probe that dies before its first frame leaves python-engineio's socket
                # "upgrading" for good (4.15.1): every poll then answers a noop and the
                # phone's session goes deaf until it times out. Not upgraded: polling goes on.
                if not self.upgraded:
                    self.upgrading = False
            return
        self.connected = self.upgraded = True
        self._websocket = ws
        self._start_writer()  # the OPEN packet is already queued
        await self._read(ws)
        self.queue.put_nowait(None)
        self._start_writer()
        if self._writer is not None:
            await self._writer
        await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

    async def _read(self, ws: WebSocketLike) -> None:
        timeout = self.server.ping_interval + self.server.ping_timeout
        while (data := await ws.receive_data(timeout)) is not None:
            if self.closed:  # closed by us (e.g. no pong in time): the rest is never read
                return
            try:
                await self.receive(packet.Packet(encoded_packet=data))
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                return
            except Exception:  # one bad packet must not kill the connection silently
                log.exception("receive error")


async def _close_quietly(websocket: WebSocketLike) -> None:
    try:
        await websocket.close()
    except Exception:  # already gone
        log.debug("closing a broken WebSocket failed", exc_info=True)
