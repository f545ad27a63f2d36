"""Rehearsal mode (issue 15): comments sent meanwhile are marked, fly as usual, never count
for the lottery and are left out of the export unless asked; ending it takes them off every
projector and out of idle replay. In the core on a real SQLite file, and through the real
console against a real server with real Socket.IO phones and projectors."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from console.cli import build_parser, main, settings_from_args
from console.dialogs.confirm import ConfirmDialog
from console.screens.lottery import LotteryScreen
from console.screens.queue import QueueScreen
from console.widgets.entrants_table import EntrantsTable
from console.widgets.held_table import HeldTable
from console.widgets.status_bar import StatusBar
from server import events
from server.export import export
from server.hub import Hub
from server.models import DrawRules, Status, Submission
from server.moderation import TextFilter
from server.settings import Settings
from server.store import Store
from tests.conftest import Console, running_console, send, with_changes


def sub(sender: str, text: str) -> Submission:
    return Submission(sender=sender, text=text, nick=sender.upper())


async def next_events(stream: AsyncIterator[events.Event], kind: type[Any], count: int) -> Any:
    """The next ``count`` events of ``kind`` (others are skipped), waiting at most 5 s."""

    async def find() -> list[Any]:
        found: list[Any] = []
        async for event in stream:
            if isinstance(event, kind):
                found.append(event)
                if len(found) == count:
                    return found
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(find(), 5)


async def exported(db_path: Path, include_rehearsal: bool = False) -> list[dict[str, Any]]:
    out = io.StringIO()
    await export(db_path, "json", out, include_rehearsal=include_rehearsal)
    records: list[dict[str, Any]] = json.loads(out.getvalue())
    return records


# -- the core --------------------------------------------------------------------------------


async def test_rehearsal_comments_fly_are_marked_and_never_count_for_the_lottery(
    hub: Hub,
) -> None:
    hub.open_round(DrawRules())  # comments reaching the wall from now on are mixed in
    real = await hub.submit(sub("fan", "before the show"))
    async with hub.subscribe() as stream:
        hub.start_rehearsal()
        (switched,) = await next_events(stream, events.RehearsalChanged, 1)
        test = await hub.submit(sub("crew", "testing one two"))
        (shown,) = await next_events(stream, events.Shown, 1)
    assert switched.rehearsal is True and hub.stats().rehearsal is True
    assert shown.message.id == test.id and shown.message.rehearsal is True
    held = await hub.submit(sub("crew", "darn mic check"))
    (approved,) = await hub.approve_group(held.id)
    assert approved.rehearsal is True
    assert {m.id for m in hub.recent_shown()} == {real.id, test.id, held.id}
    weights = {s.id: s.on_screen for s in hub.senders()}
    assert weights == {"fan": 1, "crew": 0}
    assert [e.sender for e in hub.entrants(DrawRules())] == ["fan"]
    draw = await hub.draw(DrawRules())
    assert [w.sender for w in draw.winners] == ["fan"]
    assert draw.witnessed == ((real.id, "before the show"),)  # nor mixed into the draw


async def test_ending_rehearsal_retracts_each_and_rejects_its_held_ones(hub: Hub) -> None:
    real = await hub.submit(sub("fan", "the real thing"))
    hub.start_rehearsal()
    tests = [(await hub.submit(sub("crew", f"sound check {i}"))).id for i in range(3)]
    waiting = await hub.submit(sub("crew", "darn light check"))
    during = await hub.submit(sub("fan", "darn during"))
    (approved,) = await hub.approve_group(during.id)
    assert hub.rehearsal_left() == (4, 1)
    async with hub.subscribe() as stream:
        assert await hub.end_rehearsal() == (4, 1)
        retracted = await next_events(stream, events.Retracted, 4)
        (switched,) = await next_events(stream, events.RehearsalChanged, 1)
    assert sorted(e.message.id for e in retracted) == sorted([*tests, approved.id])
    assert switched.rehearsal is False and hub.stats().rehearsal is False
    assert [m.id for m in hub.recent_shown()] == [real.id]
    assert hub.held() == [] and hub.message(waiting.id) is None
    replayed = {m.id for m in (hub.replay_once() for _ in range(10)) if m is not None}
    assert replayed == {real.id}
    assert await hub.undo() is None  # the approval during the rehearsal is gone with it
    after = await hub.submit(sub("crew", "now it counts"))
    assert hub.message(after.id) is not None and not hub.message(after.id).rehearsal  # type: ignore[union-attr]
    assert {s.id: s.on_screen for s in hub.senders()} == {"fan": 1, "crew": 1}


async def test_the_record_keeps_them_marked_and_a_restart_leaves_them_down(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(with_changes(settings, rehearsal=True), checker)
    assert hub.rehearsal and hub.stats().rehearsal
    test = await hub.submit(sub("crew", "testing"))
    held = await hub.submit(sub("crew", "darn testing"))
    await hub.close()
    # Restarted in rehearsal mode, the rehearsal goes on: its comments come back.
    again = await Hub.open(with_changes(settings, rehearsal=True), checker)
    assert [m.id for m in again.recent_shown()] == [test.id]
    assert [m.id for m in again.held()] == [held.id]
    await again.close()
    # Restarted without it, the rehearsal is over: nothing of it is up or waiting.
    live = await Hub.open(settings, checker)
    assert live.recent_shown() == [] and live.held() == [] and not live.rehearsal
    assert {s.id: s.on_screen for s in live.senders()} == {"crew": 0}
    await live.close()
    store = await Store.open(settings.db_path)
    record = {m.id: (m.status, m.rehearsal) for m in await store.messages()}
    await store.close()
    assert record == {test.id: (Status.SHOWN, True), held.id: (Status.REJECTED, True)}


async def test_export_leaves_a_rehearsal_out_unless_asked(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    real = await hub.submit(sub("fan", "the real thing"))
    hub.start_rehearsal()
    test = await hub.submit(sub("crew", "testing"))
    await hub.end_rehearsal()
    await hub.close()
    plain = await exported(settings.db_path)
    assert [(r["id"], r["rehearsal"]) for r in plain] == [(real.id, False)]
    everything = await exported(settings.db_path, include_rehearsal=True)
    assert [(r["id"], r["status"], r["rehearsal"]) for r in everything] == [
        (real.id, "shown", False),
        (test.id, "shown", True),
    ]


async def test_an_older_database_gains_the_rehearsal_column(
    tmp_path: Path, settings: Settings, checker: TextFilter
) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:  # the messages table as issue 15's parts 1-3 left it
        conn.execute(
            "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT NOT NULL,"
            " nick TEXT NOT NULL, text TEXT NOT NULL, color TEXT NOT NULL, mode TEXT NOT NULL,"
            " status TEXT NOT NULL, reasons TEXT NOT NULL, shown_count INTEGER NOT NULL"
            " DEFAULT 0, created_at REAL NOT NULL, last_shown_at REAL, cid TEXT, address TEXT,"
            " masked_text TEXT)"
        )
        conn.execute(
            "INSERT INTO messages (sender, nick, text, color, mode, status, reasons, created_at)"
            " VALUES ('old', 'Old', 'from last year', '#ffffff', 'scroll', 'shown', '[]', 1.0)"
        )
    hub = await Hub.open(with_changes(settings, db_path=db), checker)
    assert [(m.text, m.rehearsal) for m in hub.recent_shown()] == [("from last year", False)]
    assert {s.id: s.on_screen for s in hub.senders()} == {"old": 1}
    await hub.close()
    assert [r["text"] for r in await exported(db)] == ["from last year"]


def test_the_command_line_starts_in_rehearsal_and_exports_it_on_request(
    settings: Settings, checker: TextFilter, capfd: pytest.CaptureFixture[str]
) -> None:
    assert settings_from_args(build_parser().parse_args(["--rehearsal"])).rehearsal is True
    assert settings_from_args(build_parser().parse_args([])).rehearsal is False
    serve = build_parser().parse_args(["serve", "--rehearsal"])
    assert settings_from_args(serve).rehearsal is True

    async def night() -> None:
        hub = await Hub.open(with_changes(settings, rehearsal=True), checker)
        await hub.submit(sub("crew", "testing"))
        await hub.close()

    asyncio.run(night())
    db = str(settings.db_path)
    capfd.readouterr()
    assert main(["export", "--db", db]) == 0
    assert json.loads(capfd.readouterr().out) == []
    assert main(["export", "--db", db, "--include-rehearsal", "--format", "csv"]) == 0
    header, row = capfd.readouterr().out.splitlines()
    assert header.endswith(",rehearsal") and row.endswith(",True")


# -- the console -----------------------------------------------------------------------------


def status_line(console: Console) -> str:
    line = console.app.screen.query_one(StatusBar).render().renderables[1]
    return str(getattr(line, "plain", line))


def held_table(console: Console) -> HeldTable:
    return console.app.get_screen("queue", QueueScreen).query_one(HeldTable)


async def test_t_rehearses_and_ending_it_after_a_yes_retracts_each_from_the_projector(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        hub = console.service.hub
        projector = await console.projector()
        fan = await console.phone("fan")
        crew = await console.phone("crew")
        real = (await send(fan, {"text": "the real thing", "nick": "Fan"}))["id"]
        await console.pilot.press("t")
        await console.wait_until(lambda: "REHEARSAL" in status_line(console), what="banner")
        tests = [(await send(crew, {"text": f"check {i}", "nick": "Crew"}))["id"] for i in (1, 2)]
        held = (await send(crew, {"text": "darn check", "nick": "Crew"}))["id"]
        await projector.wait_for(lambda p: {"check 1", "check 2"} <= set(p.texts()))
        await console.wait_until(lambda: [m.id for m in held_table(console).comments] == [held])
        assert held_table(console).row_of(held)[5].plain == "rehearsal: darn check"

        # The lottery view: only the real comment's sender enters.
        await console.pilot.press("3")
        await console.wait_until(lambda: isinstance(console.app.screen, LotteryScreen))
        entrants = console.app.screen.query_one(EntrantsTable)
        await console.wait_until(lambda: entrants.row_count == 1, what="entrants")
        assert entrants.get_row_at(0)[0].plain == "Fan"
        assert [e.nick for e in hub.entrants(DrawRules())] == ["Fan"]

        await console.pilot.press("t")  # ending asks first; "n" keeps rehearsing
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("n")
        await console.wait_until(lambda: isinstance(console.app.screen, LotteryScreen))
        assert hub.rehearsal and projector.received("retract") == []
        await console.pilot.press("t")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await projector.wait_for(lambda p: len(p.received("retract")) == 2)
        assert sorted(r["id"] for r in projector.received("retract")) == tests
        assert projector.received("clear") == []
        await console.wait_until(lambda: "REHEARSAL" not in status_line(console), what="banner")
        await console.wait_until(lambda: held_table(console).comments == [], what="the queue")
        assert [m.id for m in hub.recent_shown()] == [real]
        after = (await send(crew, {"text": "live now", "nick": "Crew"}))["id"]
        await projector.wait_for(lambda p: "live now" in p.texts())
        assert {e.nick for e in hub.entrants(DrawRules())} == {"Fan", "Crew"}
    records = await exported(settings.db_path)
    assert [r["id"] for r in records] == [real, after]
    everything = await exported(settings.db_path, include_rehearsal=True)
    assert {r["id"] for r in everything if r["rehearsal"]} == {*tests, held}


async def test_the_console_started_with_rehearsal_says_so_from_the_start(
    settings: Settings,
) -> None:
    async with running_console(with_changes(settings, rehearsal=True)) as console:
        assert "REHEARSAL" in status_line(console)
        projector = await console.projector()
        crew = await console.phone("crew")
        test = (await send(crew, {"text": "first light"}))["id"]
        await projector.wait_for(lambda p: "first light" in p.texts())
        await console.pilot.press("t")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await projector.wait_for(lambda p: p.received("retract") == [{"id": test}])
        assert not console.service.hub.rehearsal
