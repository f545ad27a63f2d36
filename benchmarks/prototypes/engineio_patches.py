import asyncio, collections, os
from aiohttp.web import WebSocketResponse
from engineio.async_drivers import aiohttp as eio_aiohttp
import server.web.app as appmod

class PlainWebSocket(eio_aiohttp.WebSocket):
    async def __call__(self, environ):
        request = environ['aiohttp.request']
        self._sock = WebSocketResponse(max_msg_size=self.server.max_http_buffer_size, compress=False)
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock

class LightQueue:
    """The part of asyncio.Queue that Engine.IO uses, with nothing allocated while idle."""
    __slots__ = ("_items", "_getters", "_unfinished", "_finished")
    def __init__(self, *args, **kwargs):
        self._items = None
        self._getters = None
        self._unfinished = 0
        self._finished = None
    def qsize(self): return len(self._items) if self._items else 0
    def empty(self): return not self._items
    def put_nowait(self, item):
        if self._items is None:
            self._items = collections.deque()
        self._items.append(item)
        self._unfinished += 1
        if self._getters:
            for g in self._getters:
                if not g.done():
                    g.set_result(None)
                    break
    async def put(self, item):
        self.put_nowait(item)
    def get_nowait(self):
        if not self._items:
            raise asyncio.QueueEmpty
        item = self._items.popleft()
        if not self._items:
            self._items = None
        return item
    async def get(self):
        while not self._items:
            g = asyncio.get_running_loop().create_future()
            if self._getters is None: self._getters = []
            self._getters.append(g)
            try:
                await g
            finally:
                self._getters.remove(g)
                if not self._getters: self._getters = None
        return self.get_nowait()
    def task_done(self):
        if self._unfinished <= 0: raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0 and self._finished is not None and not self._finished.done():
            self._finished.set_result(None)
    async def join(self):
        if self._unfinished:
            if self._finished is None or self._finished.done():
                self._finished = asyncio.get_running_loop().create_future()
            await self._finished

orig = appmod.make_web_app
def make_web_app(*a, **k):
    app = orig(*a, **k)
    sio = app[appmod.SIO]
    if os.environ.get("NODEFLATE"):
        sio.eio._async = {**sio.eio._async, "websocket": PlainWebSocket}
    if os.environ.get("LIGHTQ"):
        sio.eio.create_queue = lambda *a, **k: LightQueue()
    return app
appmod.make_web_app = make_web_app
import server.web.service as svc
svc.make_web_app = make_web_app

# --- LEAN: reader and writer without per-message tasks (no wait_for wrappers) ---
from engineio import async_socket as _eas, exceptions as _eexc, packet as _epacket

class LeanSocket(_eas.AsyncSocket):
    async def poll(self):
        try:
            async with asyncio.timeout(self.server.ping_interval + self.server.ping_timeout):
                first = await self.queue.get()
            self.queue.task_done()
        except (asyncio.TimeoutError, asyncio.CancelledError):
            raise _eexc.QueueEmpty()
        if first is None:
            return []
        packets = [first]
        while True:
            try:
                pkt = self.queue.get_nowait()
                self.queue.task_done()
                if pkt is None:
                    self.queue.put_nowait(None)
                    break
                packets.append(pkt)
            except asyncio.QueueEmpty:
                break
        return packets

    async def _websocket_handler(self, ws):
        if self.connected:  # an upgrade from polling: the stock path
            return await super()._websocket_handler(ws)
        self.connected = True
        self.upgraded = True

        async def writer():
            while True:
                try:
                    packets = await self.poll()
                except _eexc.QueueEmpty:
                    break
                if not packets:
                    break
                try:
                    for pkt in packets:
                        await ws.send(pkt.encode())
                except Exception:
                    break
            await ws.close()

        writer_task = asyncio.ensure_future(writer())
        sock = ws._sock
        timeout = self.server.ping_interval + self.server.ping_timeout
        limit = self.server.max_http_buffer_size
        while True:
            try:
                msg = await sock.receive(timeout=timeout)
            except BaseException:
                break
            data = msg.data
            if not isinstance(data, (str, bytes)):
                break
            if len(data) > limit:
                break
            pkt = _epacket.Packet(encoded_packet=data)
            try:
                await self.receive(pkt)
            except _eexc.UnknownPacketError:
                pass
            except _eexc.SocketIsClosedError:
                break
            except Exception:
                self.server.logger.exception('Unknown receive error')
        await self.queue.put(None)
        await asyncio.wait_for(writer_task, timeout=None)
        await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

if os.environ.get("LEAN"):
    _eas.AsyncSocket = LeanSocket

# --- LEAN2: one ping wheel per server, and a writer task only while there is something to send
import time as _time

class PingWheel:
    """Sends every socket's next ping from one task, in one-second buckets."""
    def __init__(self, server):
        self.server = server
        self.buckets = {}
        self.task = None
    def add(self, sock):
        due = int((_time.monotonic() + self.server.ping_interval) * 20) + 1
        self.buckets.setdefault(due, []).append(sock)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self.run())
    async def run(self):
        while self.buckets:
            await asyncio.sleep(0.05)
            now = _time.monotonic() * 20
            for due in [d for d in self.buckets if d <= now]:
                for sock in self.buckets.pop(due):
                    if not sock.closing and not sock.closed:
                        sock.last_ping = _time.time()
                        await sock.send(_epacket.Packet(_epacket.PING))

def _wheel(server):
    wheel = getattr(server, "_ping_wheel", None)
    if wheel is None:
        wheel = server._ping_wheel = PingWheel(server)
    return wheel

class Lean2Socket(LeanSocket):
    _ws = None
    _writer = None

    def schedule_ping(self):
        if self.last_ping:
            self.last_ping = None
            _wheel(self.server).add(self)

    async def send(self, pkt):
        if self._ws is None:
            return await super().send(pkt)
        if not await self.check_ping_timeout():
            return
        self.queue.put_nowait(pkt)
        if self._writer is None:
            self._writer = asyncio.ensure_future(self._drain())

    async def _drain(self):
        ws = self._ws
        try:
            while True:
                try:
                    pkt = self.queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                self.queue.task_done()
                if pkt is None:
                    await ws.close()
                    return
                await ws.send(pkt.encode())
        except Exception:
            try:
                await ws.close()
            except Exception:
                pass
        finally:
            self._writer = None

    async def _websocket_handler(self, ws):
        if self.connected:
            return await _eas.AsyncSocket._websocket_handler(self, ws)
        self.connected = True
        self.upgraded = True
        self._ws = ws
        if self.queue.qsize() and self._writer is None:
            self._writer = asyncio.ensure_future(self._drain())
        sock = ws._sock
        timeout = self.server.ping_interval + self.server.ping_timeout
        limit = self.server.max_http_buffer_size
        while True:
            try:
                msg = await sock.receive(timeout=timeout)
            except BaseException:
                break
            data = msg.data
            if not isinstance(data, (str, bytes)) or len(data) > limit:
                break
            pkt = _epacket.Packet(encoded_packet=data)
            try:
                await self.receive(pkt)
            except _eexc.UnknownPacketError:
                pass
            except _eexc.SocketIsClosedError:
                break
            except Exception:
                self.server.logger.exception('Unknown receive error')
        self.queue.put_nowait(None)
        if self._writer is None:
            self._writer = asyncio.ensure_future(self._drain())
        writer = self._writer
        if writer is not None:
            await writer
        await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)

if os.environ.get("LEAN2"):
    _eas.AsyncSocket = Lean2Socket
