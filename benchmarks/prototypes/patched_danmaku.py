"""danmaku (python -m console) with experimental patches: EXP=batch,noasync,nodeflate,lightq"""
import asyncio, os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
EXP = set(filter(None, os.environ.get("EXP", "").split(",")))
print("experiments:", sorted(EXP), flush=True)

if "batch" in EXP:
    from server import store as st
    COLS = "(id, sender, nick, text, color, mode, status, reasons, created_at, cid, address)"
    INSERT = f"INSERT INTO messages {COLS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    orig_open = st.Store.open.__func__
    async def open_(cls, path, commit_delay=0.003):
        s = await orig_open(cls, path, commit_delay)
        async with s._db.execute("SELECT COALESCE(MAX(id), 0) FROM messages") as cur:
            (top,) = await cur.fetchone()
        async with s._db.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name='messages'") as cur:
            (seq,) = await cur.fetchone()
        s._next_id = max(top, seq) + 1
        s._batch = []
        return s
    st.Store.open = classmethod(open_)
    async def add_message(self, *, sender, nick, text, color, mode, status, reasons, cid, address, created_at):
        mid = self._next_id
        self._next_id += 1
        self._batch.append((INSERT, (mid, sender, nick, text, color, mode.value, status.value,
                                     st.reasons_to_json(reasons), created_at, cid, address)))
        return mid
    async def upsert_sender(self, sender, nick):
        self._batch.append(("INSERT INTO senders (id, nick, first_seen) VALUES (?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET nick = excluded.nick", (sender, nick, time.time())))
    async def set_status(self, message_id, status):
        self._batch.append(("UPDATE messages SET status = ? WHERE id = ?", (status.value, message_id)))
    async def count_shown(self, message_id, at):
        self._batch.append(("UPDATE messages SET shown_count = shown_count + 1, last_shown_at = ? WHERE id = ?", (at, message_id)))
    async def set_banned(self, sender, banned):
        self._batch.append(("INSERT INTO senders (id, nick, banned, first_seen) VALUES (?, '', ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET banned = excluded.banned", (sender, int(banned), time.time())))
    async def _commit(self):
        pending, self._pending = self._pending, None
        batch, self._batch = self._batch, []
        try:
            i = 0
            while i < len(batch):
                sql = batch[i][0]
                j = i
                while j < len(batch) and batch[j][0] == sql:
                    j += 1
                await self._db.executemany(sql, [p for _, p in batch[i:j]])
                i = j
            await self._db.commit()
        except Exception as exc:
            try:
                await self._db.rollback()
            except Exception:
                pass
            pending.set_exception(exc)
        else:
            pending.set_result(None)
    for f in (add_message, upsert_sender, set_status, count_shown, set_banned, _commit):
        setattr(st.Store, f.__name__, f)

if EXP & {"noasync", "nodeflate", "lightq", "lean2"}:
    import server.web.app as appmod
    sys.path.insert(0, os.path.dirname(__file__))
    if "noasync" in EXP:
        orig_init = appmod.GuardedServer.__init__
        def init(self, *a, **k):
            k["async_handlers"] = False
            orig_init(self, *a, **k)
        appmod.GuardedServer.__init__ = init
    if EXP & {"nodeflate", "lightq", "lean2"}:
        os.environ["NODEFLATE" if "nodeflate" in EXP else "_X"] = "1"
        if "lightq" in EXP: os.environ["LIGHTQ"] = "1"
        if "lean2" in EXP: os.environ["LEAN2"] = "1"
        import engineio_patches as patches  # noqa


if "directemit" in EXP:
    import server.web.app as appmod
    import server.web.broadcast as bc
    from engineio import packet as eio_packet
    from socketio import packet as sio_packet

    async def relay_to_projectors(hub, sio):
        """One subscriber; each event is encoded once and queued on every projector's socket
        directly: no task per recipient, no asyncio.wait per event."""
        def encoded(namespace, name, data):
            pkt = sio.packet_class(sio_packet.EVENT, namespace=namespace, data=[name, data])
            return eio_packet.Packet(eio_packet.MESSAGE, pkt.encode())
        async def send(namespace, room, name, data):
            message = encoded(namespace, name, data)
            for _sid, eio_sid in list(sio.manager.get_participants(namespace, room)):
                await sio.eio.send_packet(eio_sid, message)
        async with hub.subscribe() as events:
            async for event in events:
                try:
                    emit = bc.show_event(event)
                    if emit is not None:
                        await send(bc.SHOW, None, emit[0], emit[1])
                    for name, room, data in bc.phone_events(event):
                        await send(bc.SEND, room, name, data)
                except Exception:
                    bc.log.exception("relaying %s failed", type(event).__name__)
    appmod.relay_to_projectors = relay_to_projectors

if "ckpt" in EXP:
    import sqlite3
    from server import store as st2
    _orig_open2 = st2.Store.open.__func__
    async def open_ckpt(cls, path, commit_delay=0.003):
        s = await _orig_open2(cls, path, commit_delay)
        await s._db.execute("PRAGMA wal_autocheckpoint=0")
        def checkpoint(conn=[]):
            if not conn:
                conn.append(sqlite3.connect(path, check_same_thread=False))
            conn[0].execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        async def loop():
            while True:
                await asyncio.sleep(1.0)
                try:
                    await asyncio.to_thread(checkpoint)
                except Exception as exc:
                    print("checkpoint failed", exc, flush=True)
        s._ckpt_task = asyncio.ensure_future(loop())
        return s
    st2.Store.open = classmethod(open_ckpt)

if "gclog" in EXP or "refreeze" in EXP:
    import gc as _gc, time as _t
    _start = [0.0]
    def _cb(phase, info):
        if phase == "start":
            _start[0] = _t.perf_counter()
        else:
            ms = (_t.perf_counter() - _start[0]) * 1000
            if ms > 3:
                open(os.environ.get("GC_LOG", os.devnull), "a").write(f"{_t.time():.3f} gc gen{info['generation']} {ms:.1f} ms collected={info['collected']}\n")
    if "gclog" in EXP:
        _gc.callbacks.append(_cb)
    if "refreeze" in EXP:
        from server.hub import Hub as _Hub
        _orig_tick = _Hub.tick
        _last = [0.0]
        def tick(self):
            _orig_tick(self)
            now = _t.monotonic()
            if now - _last[0] >= 1.0:
                _last[0] = now
                _gc.freeze()
        _Hub.tick = tick

if "roomindex" in EXP:
    import socketio as _sio
    import server.web.app as appmod2

    class RoomIndexedManager(_sio.AsyncManager):
        """python-socketio's manager, but a leaving client's rooms are looked up, not found by
        scanning every room of the namespace (O(all clients) per disconnect)."""

        def __init__(self):
            super().__init__()
            self._extra_rooms = {}  # (namespace, sid) -> rooms besides None and the sid's own

        def basic_enter_room(self, sid, namespace, room, eio_sid=None):
            super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
            if room is not None and room != sid:
                self._extra_rooms.setdefault((namespace, sid), set()).add(room)

        def basic_leave_room(self, sid, namespace, room):
            super().basic_leave_room(sid, namespace, room)
            rooms = self._extra_rooms.get((namespace, sid))
            if rooms is not None:
                rooms.discard(room)
                if not rooms:
                    del self._extra_rooms[(namespace, sid)]

        def basic_disconnect(self, sid, namespace, **kwargs):
            if namespace in self.rooms:
                for room in [*self._extra_rooms.pop((namespace, sid), ()), sid, None]:
                    self.basic_leave_room(sid, namespace, room)
            self.callbacks.pop(sid, None)
            for pending in (self.pending_connect, self.pending_disconnect):
                if namespace in pending and sid in pending[namespace]:
                    pending[namespace].remove(sid)
                    if not pending[namespace]:
                        del pending[namespace]

    _orig_init2 = appmod2.GuardedServer.__init__
    def _init2(self, *a, **k):
        k["client_manager"] = RoomIndexedManager()
        _orig_init2(self, *a, **k)
    appmod2.GuardedServer.__init__ = _init2

if "noroom" in EXP:  # measurement only: what the per-sender room costs
    from server.web import namespaces as _ns
    async def _no_room(self, *a, **k):
        return None
    _ns.SendNamespace.enter_room = _no_room

from console.cli import main
sys.exit(main())
