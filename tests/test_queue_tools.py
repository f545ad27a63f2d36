"""One moderator against a busy night (issue 15): the queue's pressure, expiry, grouped
texts, reject all, hold everything — in the core on a real SQLite file, and through the real
console against a real server with real Socket.IO phones and projectors."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import socketio
from rich.text import Text

from console.dialogs.confirm import ConfirmDialog
from console.screens.queue import QueueScreen
from console.widgets.held_table import HeldTable
from console.widgets.status_bar import StatusBar
from server import events
from server.export import export
from server.hub import Hub
from server.models import Status, Submission
from server.moderation import TextFilter, load_filter
from server.settings import Settings
from server.store import Store
from tests.conftest import Console, running_console, send, with_changes


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def checker(wordlist: Path) -> TextFilter:
    return load_filter([wordlist], use_defaults=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def hub(settings: Settings, checker: TextFilter, clock: Clock) -> AsyncIterator[Hub]:
    hub = await Hub.open(settings, checker, clock=clock)
    yield hub
    await hub.close()


def sub(sender: str, text: str) -> Submission:
    return Submission(sender=sender, text=text)


async def next_event(stream: AsyncIterator[events.Event], kind: type[Any]) -> Any:
    """The next event of ``kind`` (others are skipped), waiting at most 5 s."""

    async def find() -> Any:
        async for event in stream:
            if isinstance(event, kind):
                return event
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(find(), 5)


# -- the core --------------------------------------------------------------------------------


async def test_stats_show_the_oldest_wait_and_held_in_against_decided_out(
    hub: Hub, clock: Clock
) -> None:
    first = await hub.submit(sub("a", "darn one"))
    clock.now += 30
    await hub.submit(sub("b", "darn two"))
    await hub.submit(sub("c", "clean"))
    clock.now += 15
    stats = hub.stats()
    assert stats.oldest_held_seconds == 45
    assert (stats.held, stats.held_per_minute, stats.decided_per_minute) == (2, 2, 0)
    await hub.approve(first.id)
    stats = hub.stats()
    assert stats.oldest_held_seconds == 15 and stats.decided_per_minute == 1
    clock.now += 61  # the minute has passed for both rates
    stats = hub.stats()
    assert (stats.held_per_minute, stats.decided_per_minute) == (0, 0)


async def test_a_comment_held_past_hold_expire_expires_in_the_record_and_the_export(
    settings: Settings, checker: TextFilter, clock: Clock
) -> None:
    hub = await Hub.open(with_changes(settings, hold_expire_seconds=60), checker, clock=clock)
    try:
        async with hub.subscribe() as stream:
            old = await hub.submit(sub("a", "darn old"))
            clock.now += 30
            young = await hub.submit(sub("b", "darn young"))
            clock.now += 31
            hub.tick()
            resolved = await next_event(stream, events.Resolved)
        assert resolved.message.id == old.id and resolved.message.status is Status.EXPIRED
        assert [m.id for m in hub.held()] == [young.id]
        assert hub.stats().expired == 1
        assert await hub.approve(old.id) is None  # gone from the queue: nothing to decide
    finally:
        await hub.close()
    store = await Store.open(settings.db_path)
    statuses = {m.id: m.status for m in await store.messages()}
    await store.close()
    assert statuses == {old.id: Status.EXPIRED, young.id: Status.HELD}
    out = io.StringIO()
    await export(settings.db_path, "json", out)
    assert {r["id"]: r["status"] for r in json.loads(out.getvalue())}[old.id] == "expired"
    again = await Hub.open(settings, checker, clock=clock)  # the count survives a restart
    assert again.stats().expired == 1
    await again.close()


async def test_hold_expire_off_keeps_every_comment_waiting(
    settings: Settings, checker: TextFilter, clock: Clock
) -> None:
    hub = await Hub.open(with_changes(settings, hold_expire_seconds=None), checker, clock=clock)
    try:
        await hub.submit(sub("a", "darn"))
        clock.now += 86_400
        hub.tick()
        assert len(hub.held()) == 1 and hub.stats().expired == 0
    finally:
        await hub.close()


async def test_identical_texts_are_one_group_decided_at_once(hub: Hub) -> None:
    chant = [(await hub.submit(sub(f"s{i}", f"DARN  the ref{' ' * i}"))).id for i in range(3)]
    other = await hub.submit(sub("x", "darn something else"))
    assert hub.held_group(chant[1]) == chant
    approved = await hub.approve_group(chant[2])
    assert sorted(m.id for m in approved) == chant
    assert [m.id for m in hub.held()] == [other.id]
    assert hub.stats().decided_per_minute == 3
    assert {m.id for m in hub.recent_shown()} == set(chant)


async def test_reject_all_rejects_every_held_comment(hub: Hub) -> None:
    ids = [(await hub.submit(sub(f"s{i}", f"darn {i}"))).id for i in range(5)]
    assert await hub.reject_all() == 5
    assert hub.held() == [] and hub.recent_shown() == []
    assert all(hub.message(i) is None for i in ids)


async def test_hold_all_holds_what_the_filter_passes_and_nothing_is_refused_more(
    hub: Hub,
) -> None:
    async with hub.subscribe() as stream:
        hub.set_hold_all(True)
        assert (await next_event(stream, events.HoldAllChanged)).hold_all is True
    held = await hub.submit(sub("a", "perfectly clean"))
    assert held.status is Status.HELD
    (message,) = hub.held()
    assert [r.category for r in message.reasons] == ["hold_all"]
    assert hub.stats().hold_all is True
    hub.set_hold_all(False)
    assert (await hub.submit(sub("b", "clean again"))).status is Status.SHOWN


# -- the console -----------------------------------------------------------------------------


def held_table(console: Console) -> HeldTable:
    return console.app.get_screen("queue", QueueScreen).query_one(HeldTable)


def status_line(console: Console) -> Text:
    rendered = console.app.screen.query_one(StatusBar).render().renderables
    line = rendered[1]
    assert isinstance(line, Text)
    return line


async def review_notices(phone: socketio.AsyncClient) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []

    async def record(data: dict[str, Any]) -> None:
        received.append(data)

    phone.on("review", record, namespace="/send")
    return received


async def test_status_line_warns_when_the_oldest_waits_over_a_minute(settings: Settings) -> None:
    async with running_console(settings) as console:
        phone = await console.phone("p1")
        ack = await send(phone, {"text": "darn it"})
        await console.wait_until(lambda: console.app.stats.held == 1, what="held count")
        line = status_line(console)
        assert "held 1" in line.plain and "in 1 out 0/min" in line.plain
        assert "oldest 0s" in line.plain
        assert not any("on red" in str(span.style) for span in line.spans)
        # The comment has waited 90 s: the hub's clock says so (it reads the queue's entry).
        hub = console.service.hub
        hub._review._held[ack["id"]] = (hub._clock() - 90, hub._review._held[ack["id"]][1])
        await console.wait_until(
            lambda: "oldest 1:30" in status_line(console).plain, what="the oldest wait"
        )
        line = status_line(console)
        start = line.plain.index("1:30")
        assert any(
            span.start <= start < span.end and "on red" in str(span.style) for span in line.spans
        )


async def test_short_hold_expire_tells_the_phone_and_leaves_the_queue(settings: Settings) -> None:
    async with running_console(with_changes(settings, hold_expire_seconds=0.5)) as console:
        projector = await console.projector()
        phone = await console.phone("p1")
        notices = await review_notices(phone)
        ack = await send(phone, {"text": "darn late"})
        assert ack["status"] == "held"
        await console.wait_until(lambda: notices, what="the review notice")
        assert notices == [{"id": ack["id"], "status": "expired"}]
        await console.wait_until(lambda: held_table(console).comments == [], what="the queue")
        await console.wait_until(lambda: console.app.stats.expired == 1, what="the count")
        assert "expired 1" in status_line(console).plain
        assert "darn late" not in projector.texts()


async def test_one_row_for_a_chant_and_a_approves_every_copy(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        phones = [await console.phone(f"fan{i}") for i in range(3)]
        ids = [(await send(p, {"text": "darn ref"}))["id"] for p in phones]
        table = held_table(console)
        await console.wait_until(lambda: len(table.comments) == 3, what="the queue")
        assert table.row_count == 1 and table.row_of(ids[0])[1].plain == "×3"
        await console.pilot.press("a")
        await console.wait_until(
            lambda: projector.texts().count("darn ref") == 3, what="/show to show all three"
        )
        await console.wait_until(lambda: table.row_count == 0, what="the row to go")
        assert console.service.hub.held() == []


async def test_R_rejects_all_after_a_yes_and_phones_hear_rejected(settings: Settings) -> None:
    async with running_console(settings) as console:
        phone = await console.phone("p1")
        notices = await review_notices(phone)
        ids = [(await send(phone, {"text": f"darn number {i}"}))["id"] for i in range(4)]
        table = held_table(console)
        await console.wait_until(lambda: len(table.comments) == 4, what="the queue")
        await console.pilot.press("R")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("n")
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        assert len(console.service.hub.held()) == 4
        await console.pilot.press("R")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(lambda: len(notices) == 4, what="four review notices")
        assert notices == [{"id": i, "status": "rejected"} for i in ids]
        await console.wait_until(lambda: table.comments == [], what="the queue to empty")


async def test_R_with_three_or_fewer_rejects_without_asking(settings: Settings) -> None:
    async with running_console(settings) as console:
        phone = await console.phone("p1")
        for i in range(2):
            await send(phone, {"text": f"darn {i}"})
        table = held_table(console)
        await console.wait_until(lambda: len(table.comments) == 2, what="the queue")
        await console.pilot.press("R")
        await console.wait_until(lambda: table.comments == [], what="the queue to empty")
        assert not isinstance(console.app.screen, ConfirmDialog)


async def test_H_holds_everything_with_a_banner_and_the_phone_hears_held(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        phone = await console.phone("p1")
        await console.pilot.press("H")
        await console.wait_until(lambda: console.app.stats.hold_all, what="hold all")
        assert "HOLDING ALL" in status_line(console).plain
        ack = await send(phone, {"text": "a clean hello"})
        assert ack["ok"] is True and ack["status"] == "held"
        await console.wait_until(
            lambda: [m.text for m in held_table(console).comments] == ["a clean hello"]
        )
        await console.pilot.press("H")
        await console.wait_until(lambda: not console.app.stats.hold_all, what="hold all off")
        assert "HOLDING ALL" not in status_line(console).plain
        assert (await send(phone, {"text": "another hello"}))["status"] == "shown"
        await projector.wait_for(lambda p: "another hello" in p.texts())
        assert "a clean hello" not in projector.texts()


# -- part 2: undo, masked approval, purge (core) ---------------------------------------------


async def test_undo_takes_back_an_approval_then_the_rejection_before_it(
    hub: Hub, clock: Clock
) -> None:
    rejected = await hub.submit(sub("a", "darn first"))
    approved = await hub.submit(sub("b", "darn second"))
    await hub.reject(rejected.id)
    await hub.approve(approved.id)
    assert hub.senders()[1].on_screen == 1
    async with hub.subscribe() as stream:
        decision = await hub.undo()
        retracted = await next_event(stream, events.Retracted)
        back = await next_event(stream, events.Held)
    assert decision is not None and [m.id for m in decision.messages] == [approved.id]
    assert retracted.message.id == approved.id == back.message.id
    assert [m.id for m in hub.held()] == [approved.id]
    assert hub.recent_shown() == [] and hub.stats().shown_total == 0
    assert {s.id: s.on_screen for s in hub.senders()}["b"] == 0
    assert await hub.undo() is not None  # the one before: the rejection
    assert [m.id for m in hub.held()] == [approved.id, rejected.id]
    assert await hub.undo() is None
    await hub.approve(rejected.id)
    clock.now += 61
    assert await hub.undo() is None  # past the minute: it stands
    assert hub.held()[0].id == approved.id and len(hub.held()) == 1


async def test_undo_lifts_a_ban_and_returns_what_it_rejected(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    first = await hub.submit(sub("troll", "darn one"))
    second = await hub.submit(sub("troll", "darn two"))
    assert await hub.ban("troll") == 2 and hub.held() == []
    decision = await hub.undo()
    assert decision is not None and decision.sender == "troll"
    assert not hub.is_banned("troll")
    assert [m.id for m in hub.held()] == [first.id, second.id]
    assert (await hub.submit(sub("troll", "hello"))).status is Status.SHOWN
    await hub.close()
    store = await Store.open(settings.db_path)
    statuses = {m.id: m.status for m in await store.messages()}
    banned = {s.id: s.banned for s in await store.senders()}
    await store.close()
    assert statuses[first.id] is Status.HELD and statuses[second.id] is Status.HELD
    assert banned.get("troll", False) is False


async def test_undo_leaves_a_comment_taken_down_since_down(hub: Hub) -> None:
    accepted = await hub.submit(sub("a", "darn"))
    await hub.approve(accepted.id)
    await hub.retract(accepted.id)
    decision = await hub.undo()
    assert decision is not None and hub.held() == []


async def test_approve_masked_shows_one_star_per_grapheme_and_keeps_both_forms(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    accepted = await hub.submit(sub("a", "Darn! 一只黑猫 darn"))
    async with hub.subscribe() as stream:
        (approved,) = await hub.approve_masked(accepted.id)
        shown = await next_event(stream, events.Shown)
    assert approved.text == "Darn! 一只黑猫 darn"
    assert approved.masked_text == "＊＊＊＊! 一只＊＊ ＊＊＊＊"
    assert shown.message.as_shown().text == "＊＊＊＊! 一只＊＊ ＊＊＊＊"
    assert [m.text for m in hub.catch_up(0)] == ["＊＊＊＊! 一只＊＊ ＊＊＊＊"]
    await hub.close()
    store = await Store.open(settings.db_path)
    (record,) = await store.messages()
    await store.close()
    assert (record.text, record.masked_text, record.status) == (
        "Darn! 一只黑猫 darn",
        "＊＊＊＊! 一只＊＊ ＊＊＊＊",
        Status.APPROVED,
    )
    out = io.StringIO()
    await export(settings.db_path, "json", out)
    (row,) = json.loads(out.getvalue())
    assert (
        row["text"] == "Darn! 一只黑猫 darn" and row["masked_text"] == "＊＊＊＊! 一只＊＊ ＊＊＊＊"
    )


def test_mask_covers_whole_graphemes_and_ignores_flood_and_hold_all() -> None:
    from server.admission import HOLD_ALL
    from server.masking import mask
    from server.models import Reason

    family = "👨\u200d👩\u200d👧"
    text = f"a{family}b"
    assert mask(text, [Reason("x", "t", (1, 3))]) == "a＊b"  # half an emoji masks all of it
    assert mask("chant chant", [Reason("chant chant", "flood", (0, 11)), HOLD_ALL]) == (
        "chant chant"
    )
    assert mask("ab", [Reason("b", "t", (1, 2), field="nick")]) == "ab"  # a nick hit is not here


async def test_purge_bans_takes_every_comment_down_and_leaves_no_weight(
    hub: Hub, clock: Clock
) -> None:
    ids = [(await hub.submit(sub("tester", f"probe number {i}"))).id for i in range(3)]
    held = await hub.submit(sub("tester", "darn probe"))
    keep = await hub.submit(sub("fan", "lovely show"))
    async with hub.subscribe() as stream:
        assert await hub.purge("tester") == 3
        retracted = {(await next_event(stream, events.Retracted)).message.id for _ in ids}
    assert retracted == set(ids)
    assert hub.is_banned("tester") and hub.message(held.id) is None
    assert [m.id for m in hub.recent_shown()] == [keep.id]
    assert {s.id: s.on_screen for s in hub.senders()}["tester"] == 0
    await hub.unban("tester")  # even unbanned, nothing of theirs is left to count or replay
    assert {s.id: s.on_screen for s in hub.senders()}["tester"] == 0
    replayed = {m.id for m in (hub.replay_once() for _ in range(10)) if m is not None}
    assert replayed == {keep.id}
    assert await hub.undo() is None  # a purge is not undone with z


# -- part 2 through the console ----------------------------------------------------------------


async def test_z_after_a_takes_it_off_the_projector_and_back_to_the_queue(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        phone = await console.phone("p1")
        message_id = (await send(phone, {"text": "darn good"}))["id"]
        table = held_table(console)
        await console.wait_until(lambda: len(table.comments) == 1, what="the queue")
        await console.pilot.press("a")
        await projector.wait_for(lambda p: "darn good" in p.texts())
        await console.wait_until(lambda: table.comments == [], what="the queue to empty")
        await console.pilot.press("z")
        await projector.wait_for(lambda p: p.received("retract") == [{"id": message_id}])
        await console.wait_until(lambda: [m.id for m in table.comments] == [message_id])
        assert console.service.hub.stats().shown_total == 0


async def test_z_after_r_and_after_b_brings_the_comments_back(settings: Settings) -> None:
    async with running_console(settings) as console:
        phone = await console.phone("troll")
        first = (await send(phone, {"text": "darn one"}))["id"]
        second = (await send(phone, {"text": "darn two"}))["id"]
        table = held_table(console)
        await console.wait_until(lambda: len(table.comments) == 2, what="the queue")
        await console.pilot.press("r")
        await console.wait_until(lambda: [m.id for m in table.comments] == [second])
        await console.pilot.press("b")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        hub = console.service.hub
        await console.wait_until(lambda: hub.is_banned("client:troll") and not table.comments)
        await console.pilot.press("z")  # the ban
        await console.wait_until(lambda: [m.id for m in table.comments] == [second])
        assert not hub.is_banned("client:troll")
        assert (await send(phone, {"text": "hello again"}))["ok"] is True
        await console.pilot.press("z")  # the rejection before it
        await console.wait_until(lambda: {m.id for m in table.comments} == {first, second})


async def test_m_shows_the_masked_text_on_the_projector(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        phone = await console.phone("p1")
        notices = await review_notices(phone)
        message_id = (await send(phone, {"text": "what a darn 黑猫 show"}))["id"]
        await console.wait_until(lambda: len(held_table(console).comments) == 1)
        await console.pilot.press("m")
        await projector.wait_for(lambda p: bool(p.danmaku()))
        (shown,) = projector.danmaku()
        assert shown["id"] == message_id and shown["text"] == "what a ＊＊＊＊ ＊＊ show"
        await console.wait_until(lambda: notices == [{"id": message_id, "status": "approved"}])
        late = await console.projector({"last_id": 0})  # a page that reconnects: masked too
        await late.wait_for(lambda p: p.texts() == ["what a ＊＊＊＊ ＊＊ show"])


async def test_P_purges_a_sender_from_every_projector_after_a_yes(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        tester = await console.phone("tester")
        shown = [(await send(tester, {"text": f"testing {i}"}))["id"] for i in range(2)]
        await send(tester, {"text": "darn test"})
        await console.wait_until(lambda: len(held_table(console).comments) == 1)
        await projector.wait_for(lambda p: len(p.danmaku()) == 2)
        await console.pilot.press("P")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await projector.wait_for(lambda p: len(p.received("retract")) == 2)
        assert sorted(r["id"] for r in projector.received("retract")) == shown
        await console.wait_until(lambda: held_table(console).comments == [])
        assert (await send(tester, {"text": "still here?"}))["error"] == "banned"
        assert {s.id: s.on_screen for s in console.service.hub.senders()}["client:tester"] == 0


# -- part 3: search and the sparkline -----------------------------------------------------------


async def test_search_finds_every_status_by_text_nick_or_sender(
    settings: Settings, checker: TextFilter, clock: Clock
) -> None:
    hub = await Hub.open(with_changes(settings, hold_expire_seconds=60), checker, clock=clock)
    try:
        expired = await hub.submit(Submission(sender="s1", text="darn Lantern one"))
        clock.now += 61
        hub.tick()
        shown = await hub.submit(Submission(sender="s2", text="lantern two"))
        rejected = await hub.submit(Submission(sender="s3", text="darn lantern three"))
        await hub.reject(rejected.id)
        held = await hub.submit(Submission(sender="s4", text="darn 50%_off"))
        by_nick = await hub.submit(Submission(sender="s5", text="hi", nick="LanternFan"))
        found = await hub.search("lantern")
        assert [(m.id, m.status) for m in found] == [
            (by_nick.id, Status.SHOWN),
            (rejected.id, Status.REJECTED),
            (shown.id, Status.SHOWN),
            (expired.id, Status.EXPIRED),
        ]
        assert [m.id for m in await hub.search("s4")] == [held.id]  # by sender
        assert [m.id for m in await hub.search("%_")] == [held.id]  # wildcards are literal
        assert await hub.search("nothing like it") == []
    finally:
        await hub.close()


async def test_history_counts_shown_and_held_per_minute_for_half_an_hour(
    settings: Settings, checker: TextFilter, clock: Clock
) -> None:
    clock.now = 60 * 100_000  # the start of a minute
    hub = await Hub.open(settings, checker, clock=clock)
    try:
        await hub.submit(sub("a", "hello"))
        await hub.submit(sub("b", "darn"))
        clock.now += 60
        await hub.submit(sub("c", "hi again"))
        history = hub.history()
        assert len(history) == 30 and history[-2:] == [(1, 1), (1, 0)]
        assert sum(s + h for s, h in history) == 3
    finally:
        await hub.close()
    clock.now += 60
    again = await Hub.open(settings, checker, clock=clock)  # rebuilt from the record
    assert again.history()[-3:] == [(1, 1), (1, 0), (0, 0)]
    clock.now += 30 * 60
    assert sum(s + h for s, h in again.history()) == 0
    await again.close()


def test_sparkline_rows_share_one_scale() -> None:
    from console.widgets.sparkline import spark, sparkline_text

    assert spark([0, 4, 8], 8) == " ▄█"
    assert spark([1, 0], 100) == "▁ "  # a single comment still shows
    lines = sparkline_text([(8, 0), (0, 8), (4, 2)]).plain.splitlines()
    assert lines[0].startswith("shown █ ▄") and lines[1].startswith("held   █▂")


async def search_for(console: Console, needle: str) -> Any:
    from textual.widgets import Input

    from console.dialogs.search import SearchDialog

    await console.pilot.press("2")
    await console.wait_until(lambda: console.app.current_mode == "wall")
    await console.pilot.press("slash")
    await console.wait_until(lambda: isinstance(console.app.screen, SearchDialog))
    dialog = console.app.screen
    assert isinstance(dialog, SearchDialog)
    dialog.query_one(Input).value = needle
    await console.pilot.press("enter")
    await console.wait_until(lambda: dialog.results.found, what="results")
    return dialog


async def test_slash_finds_a_rejected_comment_and_x_takes_a_shown_one_down(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        phone = await console.phone("p1")
        rejected = (await send(phone, {"text": "darn lantern"}))["id"]
        await console.wait_until(lambda: len(held_table(console).comments) == 1)
        await console.pilot.press("r")
        await console.wait_until(lambda: held_table(console).comments == [])
        shown = (await send(phone, {"text": "a lantern glows"}))["id"]
        await projector.wait_for(lambda p: "a lantern glows" in p.texts())
        dialog = await search_for(console, "lantern")
        rows = [(m.id, m.status) for m in dialog.results.found]
        assert rows == [(shown, Status.SHOWN), (rejected, Status.REJECTED)]
        assert dialog.results.get_row(str(rejected))[1].plain == "rejected"
        await console.pilot.press("x")  # the cursor is on the newest: the shown one
        await projector.wait_for(lambda p: p.received("retract") == [{"id": shown}])
        await console.wait_until(
            lambda: dialog.results.found[0].status is Status.RETRACTED, what="refreshed"
        )


async def test_P_from_a_search_result_purges_the_sender(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        tester = await console.phone("tester")
        shown = (await send(tester, {"text": "probe the filter"}))["id"]
        await projector.wait_for(lambda p: len(p.danmaku()) == 1)
        await search_for(console, "tester")  # by sender id
        await console.pilot.press("P")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await projector.wait_for(lambda p: p.received("retract") == [{"id": shown}])
        assert console.service.hub.is_banned("client:tester")


async def test_wall_view_shows_the_sparkline(settings: Settings) -> None:
    from console.widgets.sparkline import CommentSparkline

    async with running_console(settings) as console:
        phone = await console.phone("p1")
        await send(phone, {"text": "hello"})
        await send(phone, {"text": "darn"})
        await console.pilot.press("2")
        await console.wait_until(lambda: console.app.current_mode == "wall")
        line = console.app.screen.query_one(CommentSparkline)
        # One comment shown, one held: a full block in each row, wherever the minute fell
        # (the two sends may straddle a minute's turn, so the current minute's count may be 0).
        await console.wait_until(lambda: line.render().plain.count("█") == 2)
        shown_row, held_row = line.render().plain.splitlines()
        assert shown_row.count("█") == 1 and held_row.count("█") == 1
        assert "peak 1/min" in held_row
