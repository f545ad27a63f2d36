"""The store's batched writes: what a grouped commit promises, on a real SQLite file."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from server.models import Message, Mode, Status
from server.store import Store


def add(
    store: Store,
    text: str,
    *,
    sender: str = "client:a",
    cid: str | None = None,
    message_id: int | None = None,
) -> int:
    message = Message(
        id=store.new_message_id() if message_id is None else message_id,
        text=text,
        nick="",
        sender=sender,
        color="#ffffff",
        mode=Mode.SCROLL,
        status=Status.SHOWN,
        reasons=(),
        shown_count=0,
        created_at=1.0,
        cid=cid,
    )
    store.add_message(message, address="10.0.0.1")
    return message.id


async def test_message_ids_continue_after_a_restart_and_are_never_reused(tmp_path: Path) -> None:
    db = tmp_path / "wall.db"
    store = await Store.open(db)
    first, second = add(store, "one"), add(store, "two")
    await store.durable()
    await store.close()
    # The newest row is deleted by hand: AUTOINCREMENT must still not hand its id out again.
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM messages WHERE id = ?", (second,))
    store = await Store.open(db)
    try:
        third = add(store, "three")
        await store.durable()
        assert (first, second, third) == (1, 2, 3)
        assert [m.text for m in await store.messages()] == ["one", "three"]
    finally:
        await store.close()


async def test_updates_in_the_same_batch_as_the_insert_are_not_lost(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "wall.db")
    try:
        older = add(store, "older")
        await store.durable()
        # One batch: an update of an older row, a new row, and updates of the new row.
        store.count_shown(older, at=5.0)
        newer = add(store, "newer")
        store.set_status(newer, Status.RETRACTED)
        store.count_shown(newer, at=6.0)
        store.count_shown(newer, at=7.0)
        await store.durable()
        by_id = {m.id: m for m in await store.messages()}
        assert by_id[older].shown_count == 1
        assert (by_id[newer].status, by_id[newer].shown_count) == (Status.RETRACTED, 2)
        assert by_id[newer].last_shown_at == 7.0
    finally:
        await store.close()


async def test_a_show_count_is_committed_with_nobody_awaiting_it(tmp_path: Path) -> None:
    db = tmp_path / "wall.db"
    store = await Store.open(db)
    try:
        message_id = add(store, "shown")
        await store.durable()
        store.count_shown(message_id, at=3.0)
        await asyncio.sleep(0.1)  # a few commit delays
        with sqlite3.connect(db) as conn:
            (count,) = conn.execute("SELECT shown_count FROM messages").fetchone()
        assert count == 1
    finally:
        await store.close()


def add_a_clashing_batch(store: Store, first: str) -> None:
    """A fine comment, then two with one id: the second breaks the primary key."""
    add(store, first, sender="client:b")
    taken = add(store, "first")
    add(store, "the same id again", message_id=taken)


async def test_a_failed_commit_fails_every_waiter_and_commits_none_of_its_batch(
    tmp_path: Path,
) -> None:
    store = await Store.open(tmp_path / "wall.db")
    try:
        add_a_clashing_batch(store, "fine")
        results = await asyncio.gather(store.durable(), store.durable(), return_exceptions=True)
        assert all(isinstance(r, sqlite3.IntegrityError) for r in results)
        assert await store.messages() == []
        # The store keeps working afterwards.
        later = add(store, "later")
        await store.durable()
        assert [(m.id, m.text) for m in await store.messages()] == [(later, "later")]
    finally:
        await store.close()


async def test_a_commit_queued_behind_a_failing_one_commits_only_its_own_writes(
    tmp_path: Path,
) -> None:
    # A commit may start while the one before it still runs (a grouped commit's timer
    # does not wait for it): the failed batch's half (the row before the clash) must not
    # ride the next commit.
    store = await Store.open(tmp_path / "wall.db")
    try:
        add_a_clashing_batch(store, "half of a failing batch")
        failing = store.commit_now()
        later = add(store, "the next batch")
        following = store.commit_now()
        results = await asyncio.gather(failing, following, return_exceptions=True)
        assert isinstance(results[0], sqlite3.IntegrityError) and results[1] is None
        assert [(m.id, m.text) for m in await store.messages()] == [(later, "the next batch")]
    finally:
        await store.close()


@pytest.mark.parametrize("writers", [1, 50])
async def test_every_awaited_write_is_on_disk_when_durable_returns(
    tmp_path: Path, writers: int
) -> None:
    db = tmp_path / "wall.db"
    store = await Store.open(db)

    async def write(n: int) -> int:
        message_id = add(store, f"comment {n}", sender=f"client:{n}", cid=f"c{n}")
        await store.durable()
        return message_id

    try:
        ids = await asyncio.gather(*(write(n) for n in range(writers)))
        with sqlite3.connect(db) as conn:  # a second connection sees only committed rows
            on_disk = [row[0] for row in conn.execute("SELECT id FROM messages ORDER BY id")]
        assert on_disk == sorted(ids) == list(range(1, writers + 1))
    finally:
        await store.close()


def rows_in_database_file(db: Path) -> int:
    """Messages in the database file itself, not counting the write-ahead log."""
    # immutable: SQLite reads the file as it is, without its -wal file.
    with contextlib.closing(sqlite3.connect(f"file:{db}?immutable=1", uri=True)) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE name = 'messages'")
        if tables.fetchone() is None:  # even the schema is only in the log so far
            return 0
        return int(conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0])


async def test_commits_reach_the_database_file_itself_within_a_checkpoint(
    tmp_path: Path,
) -> None:
    # Commits only append to the log (no commit pays for copying it); a checkpoint copies
    # them into the database file soon after, so a copy of that file alone is current.
    db = tmp_path / "wall.db"
    store = await Store.open(db, checkpoint_every=0.05)
    try:
        for n in range(300):
            add(store, f"comment {n}")
        await store.durable()
        for _ in range(100):
            if rows_in_database_file(db) == 300:
                break
            await asyncio.sleep(0.05)
        assert rows_in_database_file(db) == 300
        assert [m.text for m in await store.messages()][-1] == "comment 299"
    finally:
        await store.close()
    assert not (tmp_path / "wall.db-wal").exists()  # closed: the log is folded in and gone
