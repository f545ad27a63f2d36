"""Engine.IO, tuned so that an idle phone costs the server as little memory as possible.

A hall of phones is mostly idle connections: what each one holds while nothing is
sent decides how many phones one server can take. Two things python-engineio does by
default cost most for nothing here:

- every browser offers permessage-deflate, and aiohttp accepts it: each connection
  that is ever sent a packet then keeps a zlib compressor (~100 KB). Our packets are a
  few hundred bytes of JSON, too small to gain from compression;
- each socket's outgoing queue is an ``asyncio.Queue``, which allocates its deque and
  its waiter deques up front.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any

import engineio
from aiohttp.web import WebSocketResponse
from engineio import async_socket
from engineio.async_drivers import aiohttp as engineio_aiohttp

from server.web.idle_socket import IdleSocket, PingWheel


class QuietQueue:
    """The part of ``asyncio.Queue`` that Engine.IO uses, allocating nothing while empty.

    Unbounded, one consumer per queue (the socket's writer): ``put`` never waits.
    """

    __slots__ = ("_items", "_getters", "_unfinished", "_all_done")

    def __init__(self) -> None:
        self._items: collections.deque[Any] | None = None
        self._getters: list[asyncio.Future[None]] | None = None
        self._unfinished = 0
        self._all_done: asyncio.Future[None] | None = None

    def qsize(self) -> int:
        """How many items wait."""
        return len(self._items) if self._items else 0

    def empty(self) -> bool:
        """True when nothing waits."""
        return not self._items

    def put_nowait(self, item: Any) -> None:
        """Add an item and wake a waiting consumer."""
        if self._items is None:
            self._items = collections.deque()
        self._items.append(item)
        self._unfinished += 1
        for getter in self._getters or ():
            if not getter.done():
                getter.set_result(None)
                break

    async def put(self, item: Any) -> None:
        """Add an item (never waits: the queue is unbounded)."""
        self.put_nowait(item)

    def get_nowait(self) -> Any:
        """Take the oldest item.

        Raises:
            asyncio.QueueEmpty: when nothing waits.
        """
        if not self._items:
            raise asyncio.QueueEmpty
        item = self._items.popleft()
        if not self._items:
            self._items = None  # an empty deque is ~600 bytes; idle sockets keep none
        return item

    async def get(self) -> Any:
        """Take the oldest item, waiting for one."""
        while not self._items:
            getter = asyncio.get_running_loop().create_future()
            if self._getters is None:
                self._getters = []
            self._getters.append(getter)
            try:
                await getter
            finally:
                self._getters.remove(getter)
                if not self._getters:
                    self._getters = None
        return self.get_nowait()

    def task_done(self) -> None:
        """Mark one item taken earlier as processed.

        Raises:
            ValueError: when called more often than items were put.
        """
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0 and self._all_done is not None and not self._all_done.done():
            self._all_done.set_result(None)

    async def join(self) -> None:
        """Wait until every item put has been processed."""
        if self._unfinished:
            if self._all_done is None or self._all_done.done():
                self._all_done = asyncio.get_running_loop().create_future()
            await self._all_done


class UncompressedWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """python-engineio's aiohttp WebSocket, declining permessage-deflate.

    Once the handshake is done, the request headers' copies in the WSGI-style
    ``environ`` (which Socket.IO keeps for the connection's life) are dropped: a
    browser's headers are a kilobyte, and the aiohttp request still has them all.
    """

    async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse:
        """Accept the upgrade and run Engine.IO's handler on it."""
        request = environ["aiohttp.request"]
        limit = self.server.max_http_buffer_size
        self._sock = WebSocketResponse(max_msg_size=limit, compress=False)
        await self._sock.prepare(request)
        for key in [key for key in environ if key.startswith("HTTP_")]:
            del environ[key]
        self.environ = environ
        await self.handler(self)
        return self._sock

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


class VenueEngineServer(engineio.AsyncServer):  # type: ignore[misc]
    """``engineio.AsyncServer`` with idle sockets, light queues and uncompressed WebSockets."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ping_wheel = PingWheel(self.ping_interval)
        # The async driver table is per server: this changes no other server in the process.
        drivers: dict[str, Any] = getattr(self, "_async")  # noqa: B009 (untyped base)
        self._async = {**drivers, "websocket": UncompressedWebSocket}

    def create_queue(self, *args: Any, **kwargs: Any) -> QuietQueue:
        """Each socket's outgoing queue."""
        return QuietQueue()

    async def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        # A new socket is announced with "connect" right after python-engineio creates
        # it, before its first ping or read: the moment to make it an IdleSocket.
        if event == "connect":
            socket = self.sockets.get(args[0])
            if type(socket) is async_socket.AsyncSocket:
                socket.__class__ = IdleSocket
        return await super()._trigger_event(event, *args, **kwargs)

    async def shutdown(self) -> None:
        """Stop the pings, then python-engineio's own background work."""
        self.ping_wheel.stop()
        await super().shutdown()
