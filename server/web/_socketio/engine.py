"""Engine.IO, tuned so that an idle phone costs the server as little memory as possible.

A hall of phones is mostly idle connections: what each one holds while nothing is
sent decides how many phones one server can take. Three things python-engineio does by
default cost most for nothing here:

- every browser offers permessage-deflate, and aiohttp accepts it: each connection
  that is ever sent a packet then keeps a zlib compressor (~100 KB). Our packets are a
  few hundred bytes of JSON, too small to gain from compression;
- each socket's outgoing queue is an ``asyncio.Queue`` (see :mod:`.queue`);
- each WebSocket connection keeps four tasks (see :mod:`.idle_socket`).

A projector is handed the hub's events a batch at a time; aiohttp writes each frame with
a system call of its own, so a batch is framed here and written at once
(:meth:`UncompressedWebSocket.send_all`).

And two of its long-polling paths answer badly: a request for a session that was just
closed is answered 500, and a POST too large for the session waits for the client to
poll again before it is answered at all (see :meth:`VenueEngineServer.handle_request`).
"""

from __future__ import annotations

import asyncio
import logging
import struct
from importlib import metadata
from typing import Any

import engineio
from aiohttp import web
from engineio import async_socket
from engineio.async_drivers import aiohttp as engineio_aiohttp

from server.web._socketio.idle_socket import IdleSocket, PingWheel
from server.web._socketio.queue import QuietQueue

log = logging.getLogger(__name__)

# The class python-engineio makes each socket of (async_server._handle_connect), and the
# only one IdleSocket can stand in for: IdleSocket subclasses exactly this.
STOCK_SOCKET: type[Any] = async_socket.AsyncSocket


class UncompressedWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """python-engineio's aiohttp WebSocket, declining permessage-deflate.

    Once the handshake is done, the request headers' copies in the WSGI-style
    ``environ`` (which Socket.IO keeps for the connection's life) are dropped: a
    browser's headers are a kilobyte, and the aiohttp request still has them all.
    """

    async def __call__(self, environ: dict[str, Any]) -> web.WebSocketResponse:
        """Accept the upgrade and run Engine.IO's handler on it."""
        request = environ["aiohttp.request"]
        limit = self.server.max_http_buffer_size
        self._sock = web.WebSocketResponse(max_msg_size=limit, compress=False)
        await self._sock.prepare(request)
        for key in [key for key in environ if key.startswith("HTTP_")]:
            del environ[key]
        self.environ = environ
        await self.handler(self)
        return self._sock

    async def send_all(self, messages: list[str | bytes]) -> None:
        """Write the messages as WebSocket frames in one write to the connection.

        aiohttp writes each frame on its own, a system call each. Our frames are plain
        (no compression, no fragments), so they are framed here as RFC 6455 says. While
        the connection's buffer still holds earlier data (a slow reader), the messages go
        through aiohttp, which waits for it to catch up.
        """
        transport: asyncio.Transport | None = self.environ["aiohttp.request"].transport
        if len(messages) == 1 or transport is None or transport.get_write_buffer_size():
            for message in messages:
                await self.send(message)
            return
        if self._sock.closed or transport.is_closing():
            raise ConnectionResetError("the WebSocket is closed")
        transport.write(b"".join(map(websocket_frame, messages)))

    async def close(self) -> None:
        """Send the close frame and hang up, without reading what the phone still sends.

        aiohttp's default reads on until the phone's own close frame: behind a script that
        flooded the connection, that is megabytes of comments parsed for nothing while the
        rest of the hall waits.
        """
        await self._sock.close(drain=False)

    async def receive_data(self, timeout: float) -> str | bytes | None:
        """The next message's data; None once closed, silent for ``timeout``, or not data.

        aiohttp's own timeout, where python-engineio wraps each wait in a task.
        """
        try:
            message = await self._sock.receive(timeout=timeout)
        except (TimeoutError, RuntimeError):  # timed out, or already closing
            return None
        data = message.data
        return data if isinstance(data, str | bytes) else None


def websocket_frame(message: str | bytes) -> bytes:
    """One unmasked, unfragmented server frame: text for str, binary for bytes (RFC 6455)."""
    if isinstance(message, str):
        opcode, payload = 0x81, message.encode()
    else:
        opcode, payload = 0x82, message
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", opcode, size)
    elif size < 65536:
        header = struct.pack("!BBH", opcode, 126, size)
    else:
        header = struct.pack("!BBQ", opcode, 127, size)
    return header + payload


class VenueEngineServer(engineio.AsyncServer):  # type: ignore[misc]
    """``engineio.AsyncServer`` with idle sockets, light queues and uncompressed WebSockets."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ping_wheel = PingWheel(self.ping_interval)
        self._unknown_socket_logged = False
        # The async driver table is per server: this changes no other server in the process.
        drivers: dict[str, Any] = getattr(self, "_async")  # noqa: B009 (untyped base)
        self._async = {**drivers, "websocket": UncompressedWebSocket}

    def create_queue(self, *args: Any, **kwargs: Any) -> QuietQueue:
        """Each socket's outgoing queue."""
        return QuietQueue()

    async def handle_request(self, request: web.Request) -> web.StreamResponse:
        """Answer one Engine.IO HTTP request; never with a 500.

        A closed socket stays in ``sockets`` until python-engineio's service task sweeps
        it (one round of that task takes the ping timeout, 20 s). Meanwhile its GET path
        answers 400 for that session, but its POST path looks the socket up with
        ``_get_socket``, whose ``KeyError`` reached aiohttp as a 500: after a phone's own
        close packet, or after a POST too large for the session. The closed socket is
        dropped here first, so both answer 400. Anything else that escapes
        python-engineio is logged and answered 400 too.
        """
        sid = request.query.get("sid")
        socket = self.sockets.get(sid) if sid is not None else None
        if socket is not None and socket.closed:
            del self.sockets[sid]
        try:
            response: web.StreamResponse = await super().handle_request(request)
        except web.HTTPException:
            raise  # aiohttp's own answers (a failed WebSocket handshake is a 400)
        except Exception:
            if request.headers.get("Upgrade", "").lower() == "websocket":
                raise  # the WebSocket may be answered already: aiohttp closes it
            log.exception("Engine.IO request failed; answered 400")
            return web.json_response({"message": "Bad request."}, status=400)
        return response

    async def disconnect(self, sid: str | None = None) -> None:
        """Close one session without waiting for its client to fetch the close packet.

        python-engineio calls this when a long-polling POST fails (too large, or a packet
        it cannot read), and waits until the client's next GET has taken the close packet
        before answering the POST: behind a script that never polls again, that POST was
        never answered. The packet is still queued for a GET that comes.
        Without ``sid``, every session is closed as python-engineio does it.
        """
        if sid is None:
            await super().disconnect()
            return
        socket = self.sockets.get(sid)
        if socket is not None:
            await socket.close(wait=False, reason=self.reason.SERVER_DISCONNECT)
            self.sockets.pop(sid, None)

    async def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        # A new socket is announced with "connect" right after python-engineio creates
        # it, before its first ping or read: the moment to make it an IdleSocket.
        if event == "connect":
            self._make_idle(self.sockets.get(args[0]))
        return await super()._trigger_event(event, *args, **kwargs)

    def _make_idle(self, socket: Any) -> None:
        if type(socket) is STOCK_SOCKET:
            socket.__class__ = IdleSocket
        elif socket is not None and not isinstance(socket, IdleSocket):
            # python-engineio now makes its sockets of another class: swapping it would
            # drop whatever that class adds, so the socket keeps python-engineio's tasks.
            if not self._unknown_socket_logged:
                self._unknown_socket_logged = True
                log.error(
                    "python-engineio made a %s.%s socket where IdleSocket expects %s.%s: "
                    "phones keep python-engineio's four tasks each. Re-check "
                    "server/web/_socketio/idle_socket.py against python-engineio %s.",
                    type(socket).__module__,
                    type(socket).__qualname__,
                    STOCK_SOCKET.__module__,
                    STOCK_SOCKET.__qualname__,
                    metadata.version("python-engineio"),
                )

    async def shutdown(self) -> None:
        """Stop the pings, then python-engineio's own background work."""
        self.ping_wheel.stop()
        await super().shutdown()
