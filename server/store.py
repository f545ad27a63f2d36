"""The SQLite store: one aiosqlite connection, WAL, grouped commits.

Every accepted message is committed before its ack, but commits are grouped: a
writer awaits :meth:`Store.durable`, which joins the commit already scheduled for
the next few milliseconds instead of paying for one of its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from server.checkpoint import CHECKPOINT_EVERY_SECONDS, WalCheckpointer
from server.models import (
    Draw,
    DrawRules,
    Entrant,
    IntakeMark,
    Message,
    Mode,
    Reason,
    Scheme,
    Sender,
    Status,
    Void,
    VoidReason,
)

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL,
    nick TEXT NOT NULL,
    text TEXT NOT NULL,
    color TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    reasons TEXT NOT NULL,
    shown_count INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    last_shown_at REAL,
    cid TEXT,
    address TEXT,
    masked_text TEXT,
    rehearsal INTEGER NOT NULL DEFAULT 0,
    decided_at REAL
);
CREATE TABLE IF NOT EXISTS senders (
    id TEXT PRIMARY KEY,
    nick TEXT NOT NULL,
    banned INTEGER NOT NULL DEFAULT 0,
    first_seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS draws (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seed INTEGER NOT NULL,
    rules TEXT NOT NULL,
    entrants TEXT NOT NULL,
    winners TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    created_at REAL NOT NULL,
    witnessed TEXT NOT NULL DEFAULT '[]',
    voids TEXT NOT NULL DEFAULT '[]',
    seed_hash TEXT NOT NULL DEFAULT ''
);
-- A cluster's hub: how far it has taken each stream of submissions, written in the same
-- transaction as the comments read there (server.models.IntakeMark).
CREATE TABLE IF NOT EXISTS intake (
    source TEXT PRIMARY KEY,
    position TEXT NOT NULL
);
"""
# Columns added since the first release, for databases made before them.
DRAW_COLUMNS_ADDED = {
    "witnessed": "ALTER TABLE draws ADD COLUMN witnessed TEXT NOT NULL DEFAULT '[]'",
    "voids": "ALTER TABLE draws ADD COLUMN voids TEXT NOT NULL DEFAULT '[]'",
    "seed_hash": "ALTER TABLE draws ADD COLUMN seed_hash TEXT NOT NULL DEFAULT ''",
}

# Message columns added since the first release (issue 15), for databases made before them.
MESSAGE_COLUMNS_ADDED = {
    "masked_text": "ALTER TABLE messages ADD COLUMN masked_text TEXT",
    "rehearsal": "ALTER TABLE messages ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0",
    # When a held comment was decided (issue 17): the night's report shows how long held
    # comments waited. NULL for a comment never held, or back in the queue after an undo.
    "decided_at": "ALTER TABLE messages ADD COLUMN decided_at REAL",
}


class NotOurDatabase(Exception):
    """The file to read is missing or is not a Danmaku Deck database."""


MESSAGE_COLUMNS = (
    "id, sender, nick, text, color, mode, status, reasons, shown_count, created_at, "
    "last_shown_at, cid, masked_text, rehearsal"
)
# What the reads need of each table: a read-only open checks for these (decided_at is
# optional: a database from before it simply has no decision times).
READ_COLUMNS = {
    "messages": frozenset(MESSAGE_COLUMNS.split(", ")),
    "senders": frozenset({"id", "nick", "banned", "first_seen"}),
    "draws": frozenset({"id", "seed", "rules", "entrants", "winners", "algorithm", "created_at",
                        "witnessed", "voids", "seed_hash"}),
}  # fmt: skip


def reasons_to_json(reasons: Sequence[Reason]) -> str:
    """Serialize reasons for the ``reasons`` column."""
    if not reasons:
        return "[]"  # nearly every comment: spare json.dumps
    return json.dumps([r.to_json() for r in reasons], ensure_ascii=False)


def reasons_from_json(raw: str) -> tuple[Reason, ...]:
    """Parse the ``reasons`` column."""
    if raw == "[]":  # nearly every comment: spare json.loads (start-up reads every one)
        return ()
    return tuple(
        Reason(
            term=r["term"],
            category=r["category"],
            span=(r["span"][0], r["span"][1]),
            field=r.get("field", "text"),
            how=r.get("how", ""),
        )
        for r in json.loads(raw)
    )


_MODES = {mode.value: mode for mode in Mode}  # a dict lookup: Enum(value) is slower
_STATUSES = {status.value: status for status in Status}


def _message_from_row(row: Any) -> Message:
    (mid, sender, nick, text, color, mode, status, reasons, shown, created, last, cid, masked,
     rehearsal) = row  # fmt: skip
    return Message(
        id=int(mid),
        sender=str(sender),
        nick=str(nick),
        text=str(text),
        color=str(color),
        mode=_MODES[mode],
        status=_STATUSES[status],
        reasons=reasons_from_json(str(reasons)),
        shown_count=int(shown),
        created_at=float(created),
        last_shown_at=None if last is None else float(last),
        cid=None if cid is None else str(cid),
        masked_text=None if masked is None else str(masked),
        rehearsal=bool(rehearsal),
    )


def _entrants_to_json(entrants: Iterable[Entrant]) -> str:
    return json.dumps(
        [{"sender": e.sender, "nick": e.nick, "weight": e.weight} for e in entrants],
        ensure_ascii=False,
    )


def _entrants_from_json(raw: str) -> tuple[Entrant, ...]:
    return tuple(_entrant(e) for e in json.loads(raw))


def _entrant(shape: dict[str, Any]) -> Entrant:
    return Entrant(str(shape["sender"]), str(shape["nick"]), int(shape["weight"]))


def _rules_to_json(rules: DrawRules) -> str:
    return json.dumps(
        {
            "winners": rules.winners,
            "exclude_previous_winners": rules.exclude_previous_winners,
            "prize": rules.prize,
            "scheme": rules.scheme.value,
            "cap": rules.cap,
            "min_shown": rules.min_shown,
        },
        ensure_ascii=False,
    )


def _rules_from_json(raw: str) -> DrawRules:
    rules = json.loads(raw)  # draws recorded before prizes and schemes have only the first two
    return DrawRules(
        winners=int(rules["winners"]),
        exclude_previous_winners=bool(rules["exclude_previous_winners"]),
        prize=str(rules.get("prize", "")),
        scheme=Scheme(rules.get("scheme", Scheme.PROPORTIONAL.value)),
        cap=rules.get("cap"),
        min_shown=int(rules.get("min_shown", 1)),
    )


def _voids_to_json(voids: Iterable[Void]) -> str:
    return json.dumps(
        [
            {
                "sender": v.sender,
                "nick": v.nick,
                "reason": v.reason.value,
                "seed": v.seed,
                "replacement": None
                if v.replacement is None
                else {
                    "sender": v.replacement.sender,
                    "nick": v.replacement.nick,
                    "weight": v.replacement.weight,
                },
                "at": v.at,
            }
            for v in voids
        ],
        ensure_ascii=False,
    )


def _voids_from_json(raw: str) -> tuple[Void, ...]:
    return tuple(
        Void(
            sender=str(v["sender"]),
            nick=str(v["nick"]),
            reason=VoidReason(v["reason"]),
            seed=int(v["seed"]),
            replacement=None if v["replacement"] is None else _entrant(v["replacement"]),
            at=float(v["at"]),
        )
        for v in json.loads(raw)
    )


# How long a write waits for others to share its commit. Longer means fewer commits, so
# less CPU (benchmarks/ingest.py at 1,000 comments/s: 0.48 s per 1,000 comments with 3 ms,
# 0.40 with 5 ms) and a later ack; 5 ms is far below what a person notices.
COMMIT_DELAY_SECONDS = 0.005

# The writes, in the order a batch runs them: rows are inserted before they are updated.
INSERT_MESSAGE = (
    "INSERT INTO messages (id, sender, nick, text, color, mode, status, reasons, created_at,"
    " cid, address, rehearsal, shown_count, last_shown_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SHOWN_COUNT, LAST_SHOWN_AT = 12, 13  # in an INSERT_MESSAGE row: a show before its commit
UPSERT_SENDER_NICK = (
    "INSERT INTO senders (id, nick, first_seen) VALUES (?, ?, ?)"
    " ON CONFLICT(id) DO UPDATE SET nick = excluded.nick"
)
UPSERT_SENDER_BANNED = (
    "INSERT INTO senders (id, nick, banned, first_seen) VALUES (?, '', ?, ?)"
    " ON CONFLICT(id) DO UPDATE SET banned = excluded.banned"
)
# A retraction keeps the time an approved comment was decided; any other change sets it.
UPDATE_STATUS = (
    "UPDATE messages SET status = ?1,"
    " decided_at = CASE WHEN ?1 = 'retracted' THEN decided_at ELSE ?2 END WHERE id = ?3"
)
SET_INTAKE = (
    "INSERT INTO intake (source, position) VALUES (?, ?)"
    " ON CONFLICT(source) DO UPDATE SET position = excluded.position"
)
COUNT_SHOWN = "UPDATE messages SET shown_count = shown_count + 1, last_shown_at = ? WHERE id = ?"
UPDATE_MASKED = "UPDATE messages SET masked_text = ? WHERE id = ?"
WRITE_ORDER = (
    INSERT_MESSAGE,
    SET_INTAKE,  # one row per source: where the intake stands after the batch's messages
    UPSERT_SENDER_NICK,
    UPSERT_SENDER_BANNED,
    UPDATE_STATUS,
    UPDATE_MASKED,
    COUNT_SHOWN,
)


def _write_batch(conn: sqlite3.Connection, batch: dict[str, list[Sequence[Any]]]) -> None:
    """Run a batch of buffered writes, in :data:`WRITE_ORDER`, and commit it, or none of it.

    A failed batch is rolled back here, in the same trip to the database thread: the next
    batch may already be queued behind it, and must not commit this one's half.
    """
    try:
        for sql in WRITE_ORDER:
            if sql in batch:
                conn.executemany(sql, batch[sql])
        conn.commit()
    except BaseException:
        try:
            conn.rollback()
        except sqlite3.Error:  # the connection itself is gone: the next commit says so
            log.exception("rollback failed")
        raise


class Store:
    """Owns the database file; open it with :meth:`open`, close it with :meth:`close`.

    Writes are buffered in memory (message ids are assigned here, not by SQLite) and
    run as one batch per grouped commit: a busy wall pays one trip to the database
    thread per statement kind every few milliseconds, not one per comment.
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        commit_delay: float,
        next_id: int,
        clock: Callable[[], float] = time.time,
        checkpointer: WalCheckpointer | None = None,
    ) -> None:
        self._db = db
        self._checkpointer = checkpointer  # None: opened read-only
        self._clock = clock  # the hub's: decision times on the same clock as created_at
        self._commit_delay = commit_delay
        self._next_message_id = next_id
        self._batch: dict[str, list[Sequence[Any]]] = {}
        # The batch's new messages by id: a show counted before their commit goes in the
        # INSERT (a live comment is shown at once), not in an UPDATE of its own.
        self._new_rows: dict[int, list[Any]] = {}
        self._marks: dict[str, str] = {}  # intake source -> position: the last one written
        self._pending: asyncio.Future[None] | None = None
        self._timer: asyncio.Handle | None = None  # starts the pending commit
        self._commits: set[asyncio.Task[None]] = set()  # kept: the loop holds tasks weakly

    @classmethod
    async def open(
        cls,
        path: Path,
        commit_delay: float = COMMIT_DELAY_SECONDS,
        *,
        clock: Callable[[], float] = time.time,
        checkpoint_every: float = CHECKPOINT_EVERY_SECONDS,
    ) -> Store:
        """Open (creating if needed) the database at ``path`` in WAL mode."""
        db = await aiosqlite.connect(path)
        await db.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable across process crashes in WAL mode (only power loss can
        # drop the last commits), and it spares an fsync per grouped commit.
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA wal_autocheckpoint=0")  # the checkpointer's job, not a commit's
        await db.executescript(SCHEMA)
        # Earlier releases kept a unique index on (sender, cid). A retry is known by the
        # hub's RetryMemory, restored from this table at start, so the index guarded nothing
        # more; its random keys made each commit write about a page per comment: ~14 us of
        # CPU per comment, an eighth of a cluster hub's (benchmarks/hub_batch_cpu.py).
        await db.execute("DROP INDEX IF EXISTS messages_sender_cid")
        async with db.execute("PRAGMA table_info(draws)") as cursor:
            columns = {str(row[1]) async for row in cursor}
        for column, statement in DRAW_COLUMNS_ADDED.items():
            if column not in columns:
                await db.execute(statement)
        async with db.execute("PRAGMA table_info(messages)") as cursor:
            message_columns = {str(row[1]) async for row in cursor}
        for column, statement in MESSAGE_COLUMNS_ADDED.items():
            if column not in message_columns:
                await db.execute(statement)
        await db.commit()
        # AUTOINCREMENT never reuses an id, even one whose row was deleted.
        query = (
            "SELECT MAX(COALESCE((SELECT MAX(id) FROM messages), 0),"
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0))"
        )
        async with db.execute(query) as cursor:
            row = await cursor.fetchone()
        checkpointer = WalCheckpointer(path, checkpoint_every)
        checkpointer.start()
        next_id = int(row[0] if row else 0) + 1
        return cls(db, commit_delay, next_id=next_id, clock=clock, checkpointer=checkpointer)

    @classmethod
    async def open_read_only(cls, path: Path) -> Store:
        """Open an existing database to read it: nothing is created, migrated or written.

        It may be in use by a running server meanwhile (WAL lets readers in).

        Raises:
            NotOurDatabase: when there is no file at ``path``, or the file is not a
                Danmaku Deck database (or one from before the columns we read).
        """
        if not path.is_file():
            raise NotOurDatabase(f"No database at {path}")
        db = await aiosqlite.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            for table, wanted in READ_COLUMNS.items():
                async with db.execute(f"PRAGMA table_info({table})") as cursor:
                    columns = {str(row[1]) async for row in cursor}
                if not columns:
                    raise NotOurDatabase(f"{path} is not a Danmaku Deck database")
                if missing := wanted - columns:
                    raise NotOurDatabase(
                        f"{path} was made by an older Danmaku Deck (no {', '.join(sorted(missing))}"
                        f" in {table}); open it once with `danmaku export --db {path}` to update it"
                    )
        except sqlite3.DatabaseError as exc:  # not SQLite at all ("file is not a database")
            await db.close()
            raise NotOurDatabase(f"{path} is not a Danmaku Deck database ({exc})") from None
        except BaseException:
            await db.close()
            raise
        return cls(db, COMMIT_DELAY_SECONDS, next_id=0)

    async def close(self) -> None:
        """Commit whatever is pending and close the connection."""
        await self.durable()
        if self._checkpointer is not None:
            await self._checkpointer.stop()
        await self._db.close()  # the last connection: SQLite checkpoints and drops the log

    # -- durability -------------------------------------------------------------------

    async def durable(self) -> None:
        """Return once everything written so far is committed (grouped with other writers).

        Raises:
            Exception: whatever SQLite raised; none of the batch was committed.
        """
        await asyncio.shield(self._schedule_commit())

    def commit_now(self) -> asyncio.Future[None]:
        """Start committing everything written so far; the future is that commit's outcome.

        For a caller that is a group already (a cluster's intake writes a whole stream
        batch): no wait for others to join. What is written after this call goes in a
        later commit. Await the future through :func:`asyncio.shield`.
        """
        pending = self._schedule_commit()
        if self._timer is not None:  # not waiting for others to join
            self._timer.cancel()
            self._start_commit()
        return pending

    def _schedule_commit(self) -> asyncio.Future[None]:
        if self._pending is None:
            loop = asyncio.get_running_loop()
            self._pending = loop.create_future()
            self._timer = loop.call_later(self._commit_delay, self._start_commit)
        return self._pending

    def _start_commit(self) -> None:
        """Take what is written so far as one batch and commit it (later writes wait)."""
        self._timer = None
        pending, self._pending = self._pending, None
        batch, self._batch = self._batch, {}
        if self._marks:
            batch[SET_INTAKE] = list(self._marks.items())
        self._new_rows, self._marks = {}, {}
        assert pending is not None
        commit = asyncio.ensure_future(self._commit(batch, pending))
        self._commits.add(commit)
        commit.add_done_callback(self._commits.discard)

    async def _commit(
        self, batch: dict[str, list[Sequence[Any]]], pending: asyncio.Future[None]
    ) -> None:
        try:
            await self._in_db_thread(_write_batch, batch)
        except Exception as exc:  # every waiter learns that its write did not land
            log.error("a grouped commit failed: %s", exc)
            pending.set_exception(exc)
            pending.exception()  # retrieved: counts of shows are written with no one awaiting
        else:
            pending.set_result(None)

    async def _in_db_thread(self, function: Callable[..., None], *args: Any) -> None:
        """Run ``function(sqlite3_connection, *args)`` in aiosqlite's thread, in one trip.

        aiosqlite's public calls each take a trip to its thread and back (a wake-up of the
        event loop); a batch of several statements plus its commit would take several.
        This uses aiosqlite's internal ``_execute`` (aiosqlite is pinned below 0.23, and
        tests/test_store.py covers it).
        """
        await self._db._execute(function, self._db._conn, *args)  # type: ignore[no-untyped-call]

    def _write(self, sql: str, params: Sequence[Any]) -> None:
        self._batch.setdefault(sql, []).append(params)

    # -- writes (buffered: await durable() to commit them) ------------------------------

    def new_message_id(self) -> int:
        """The id the next message gets (assigned here so a Message is built once, whole)."""
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def add_message(self, message: Message, address: str | None) -> None:
        """Buffer a new message (its id from :meth:`new_message_id`) and the phone's address."""
        row = [
            message.id,
            message.sender,
            message.nick,
            message.text,
            message.color,
            message.mode.value,
            message.status.value,
            reasons_to_json(message.reasons),
            message.created_at,
            message.cid,
            address,
            int(message.rehearsal),
            message.shown_count,
            message.last_shown_at,
        ]
        self._write(INSERT_MESSAGE, row)
        self._new_rows[message.id] = row

    def upsert_sender(self, sender: str, nick: str) -> None:
        """Record a sender (or their latest nick)."""
        self._write(UPSERT_SENDER_NICK, (sender, nick, time.time()))

    def set_status(self, message_id: int, status: Status) -> None:
        """Change a message's moderation status (and record when a held one was decided)."""
        decided_at = None if status is Status.HELD else self._clock()
        self._write(UPDATE_STATUS, (status.value, decided_at, message_id))

    def set_masked(self, message_id: int, masked_text: str | None) -> None:
        """Record the masked form a comment was approved with (None: shown as sent)."""
        self._write(UPDATE_MASKED, (masked_text, message_id))

    def set_intake(self, mark: IntakeMark) -> None:
        """Record how far an intake has read; committed with the next batch, unawaited.

        Written right after the message read at ``mark``, it lands in the same transaction.
        """
        self._marks[mark.source] = mark.position  # only the last one of a batch matters
        self._schedule_commit()

    def count_shown(self, message_id: int, at: float) -> None:
        """Add one to a message's ``shown_count``; committed with the next batch, unawaited."""
        row = self._new_rows.get(message_id)
        if row is None:
            self._write(COUNT_SHOWN, (at, message_id))
        else:  # not inserted yet: the insert says it
            row[SHOWN_COUNT] += 1
            row[LAST_SHOWN_AT] = at
        self._schedule_commit()

    def set_banned(self, sender: str, banned: bool) -> None:
        """Ban or unban a sender."""
        self._write(UPSERT_SENDER_BANNED, (sender, int(banned), time.time()))

    async def add_draw(self, draw: Draw) -> int:
        """Record a draw (its ``id`` is ignored) and return its id; await :meth:`durable`."""
        cursor = await self._db.execute(
            "INSERT INTO draws (seed, rules, entrants, winners, algorithm, created_at, witnessed,"
            " voids, seed_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draw.seed,
                _rules_to_json(draw.rules),
                _entrants_to_json(draw.entrants),
                _entrants_to_json(draw.winners),
                draw.algorithm,
                draw.created_at,
                json.dumps(draw.witnessed, ensure_ascii=False),
                _voids_to_json(draw.voids),
                draw.seed_hash,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def set_voids(self, draw_id: int, voids: tuple[Void, ...]) -> None:
        """Record a draw's voided winners and their replacements; await :meth:`durable`."""
        await self._db.execute(
            "UPDATE draws SET voids = ? WHERE id = ?", (_voids_to_json(voids), draw_id)
        )

    # -- reads (start-up and export; the hot path reads memory) --------------------------

    async def messages(self, *, rehearsal: bool = True) -> list[Message]:
        """Every message, oldest first (``rehearsal=False``: a rehearsal's left out)."""
        where = "" if rehearsal else " WHERE NOT rehearsal"
        query = f"SELECT {MESSAGE_COLUMNS} FROM messages{where} ORDER BY id"
        async with self._db.execute(query) as cur:
            rows = await cur.fetchall()  # one trip to the database thread, not one per 64 rows
        return [_message_from_row(row) for row in rows]

    async def decision_times(self) -> dict[int, float] | None:
        """When each decided held comment was decided, by message id (rehearsal's included).

        None for a database from before decision times were recorded (read-only, so never
        migrated); comments decided before then are missing from the dict.
        """
        async with self._db.execute("PRAGMA table_info(messages)") as cursor:
            if "decided_at" not in {str(row[1]) async for row in cursor}:
                return None
        query = "SELECT id, decided_at FROM messages WHERE decided_at IS NOT NULL"
        async with self._db.execute(query) as cur:
            rows = await cur.fetchall()
        return {int(mid): float(at) for mid, at in rows}

    async def intake_position(self, source: str) -> str | None:
        """Where an intake stands in ``source`` (None: it never read from it)."""
        query = "SELECT position FROM intake WHERE source = ?"
        async with self._db.execute(query, (source,)) as cur:
            row = await cur.fetchone()
        return None if row is None else str(row[0])

    async def search(self, needle: str, limit: int) -> list[Message]:
        """Messages whose text, nick or sender contains ``needle``, newest first.

        Case is ignored for ASCII letters (SQLite's LIKE). Read on demand (the moderator's
        ``/``), never on a hot path: a scan of the table in SQLite's thread, not the loop's.
        """
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = (
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE text LIKE ?1 ESCAPE '\\'"
            " OR nick LIKE ?1 ESCAPE '\\' OR sender LIKE ?1 ESCAPE '\\' ORDER BY id DESC LIMIT ?2"
        )
        async with self._db.execute(query, (pattern, limit)) as cur:
            return [_message_from_row(row) async for row in cur]

    async def senders(self) -> list[Sender]:
        """Every sender with their counts (``on_screen`` is the lottery weight)."""
        query = """
            SELECT s.id, s.nick, s.banned,
                   COALESCE(SUM(m.status IN ('shown', 'approved') AND NOT m.rehearsal), 0),
                   COUNT(m.id)
            FROM senders s LEFT JOIN messages m ON m.sender = s.id
            GROUP BY s.id ORDER BY s.first_seen
        """
        async with self._db.execute(query) as cur:
            return [
                Sender(str(r[0]), str(r[1]), bool(r[2]), int(r[3]), int(r[4])) async for r in cur
            ]

    async def draws(self) -> list[Draw]:
        """Every recorded draw, oldest first."""
        query = (
            "SELECT id, seed, rules, entrants, winners, algorithm, created_at, witnessed, voids,"
            " seed_hash FROM draws ORDER BY id"
        )
        async with self._db.execute(query) as cur:
            return [
                Draw(
                    id=int(r[0]),
                    seed=int(r[1]),
                    rules=_rules_from_json(r[2]),
                    entrants=_entrants_from_json(r[3]),
                    winners=_entrants_from_json(r[4]),
                    algorithm=str(r[5]),
                    created_at=float(r[6]),
                    witnessed=tuple((int(i), str(t)) for i, t in json.loads(r[7])),
                    voids=_voids_from_json(r[8]),
                    seed_hash=str(r[9]),
                )
                async for r in cur
            ]
