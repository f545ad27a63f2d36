"""The moderator console through the real app: real filter, hub, SQLite file and server,
real Socket.IO phones and projectors, keys pressed with Textual's pilot."""

from __future__ import annotations

import asyncio
import socket
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
import socketio
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Input

from console.app import make_console
from console.dialogs.add_term import AddTermDialog
from console.dialogs.allow_word import AllowWordDialog
from console.dialogs.confirm import ConfirmDialog
from console.dialogs.join import JoinScreen
from console.messages import (
    CommentHeld,
    CommentRetracted,
    StatsUpdated,
    WallCleared,
    message_for,
)
from console.screens.lottery import LotteryScreen
from console.screens.queue import QueueScreen
from console.screens.senders import SendersScreen
from console.screens.wall import WallScreen
from console.widgets.comment_detail import CommentDetail
from console.widgets.comment_text import matched_word
from console.widgets.draw_history import DrawHistory
from console.widgets.draw_result import DrawResult
from console.widgets.held_table import HeldTable
from console.widgets.help_line import HelpLine
from console.widgets.qr_panel import QrPanel
from console.widgets.senders_table import SendersTable
from console.widgets.status_bar import StatusBar
from server import events
from server.models import Message, Mode, Reason, Sender, Stats, Status
from server.settings import Settings
from server.web.service import bind_listener
from tests.conftest import Console, running_console, send, with_changes


def status_lines(console: Console) -> list[str]:
    """The two lines of the open view's status bar, as shown."""
    rendered = console.app.screen.query_one(StatusBar).render().renderables
    assert all(isinstance(line, Text) for line in rendered)
    return [line.plain for line in rendered if isinstance(line, Text)]


def held_table(console: Console) -> HeldTable:
    return console.app.get_screen("queue", QueueScreen).query_one(HeldTable)


def held_texts(console: Console) -> list[str]:
    return [m.text for m in held_table(console).comments]


async def held_comment(console: Console, text: str, nick: str = "", phone_id: str = "p1") -> int:
    """Send a comment the filter flags from a real phone; wait until the queue shows it."""
    phone = await console.phone(phone_id)
    ack = await send(phone, {"text": text, "nick": nick})
    assert ack["ok"] and ack["status"] == "held", ack
    await console.wait_until(lambda: text in held_texts(console), what="the queue")
    return int(ack["id"])


async def test_flagged_comment_waits_in_the_queue_and_a_approves_it(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        message_id = await held_comment(console, "well darn it", nick="Bo")
        table = held_table(console)
        assert table.selected is not None and table.selected.id == message_id
        cells = [cell.plain for cell in table.row_of(message_id)]
        assert cells[3] == "Bo" and "darn (testlist)" in cells[4] and cells[5] == "well darn it"
        comment_cell = table.row_of(message_id)[5]
        assert [comment_cell.plain[s.start : s.end] for s in comment_cell.spans] == ["darn"]
        await console.wait_until(lambda: console.app.stats.held == 1, what="held count")
        assert "well darn it" not in projector.texts()

        await console.pilot.press("a")
        await console.wait_until(
            lambda: "well darn it" in projector.texts(), what="/show to receive it"
        )
        await console.wait_until(lambda: held_texts(console) == [], what="the queue to empty")
        approved = console.service.hub.message(message_id)
        assert approved is not None and approved.status is Status.APPROVED
        await console.wait_until(lambda: console.app.stats.held == 0, what="held count")

        await console.pilot.press("2")
        wall = console.app.screen
        assert isinstance(wall, WallScreen)
        await console.wait_until(lambda: wall.table.selected is not None, what="the wall")
        selected = wall.table.selected
        assert selected is not None and selected.id == message_id


async def test_r_rejects_so_the_comment_never_reaches_the_projector(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        message_id = await held_comment(console, "darn darn")
        await console.pilot.press("r")
        await console.wait_until(lambda: held_texts(console) == [], what="the queue to empty")
        await asyncio.sleep(0.5)
        await console.pilot.pause()
        assert "darn darn" not in projector.texts()
        assert console.service.hub.message(message_id) is None
        assert console.service.hub.held() == []


async def test_b_bans_the_sender_after_a_yes(settings: Settings) -> None:
    async with running_console(settings) as console:
        await held_comment(console, "darn you", nick="troll", phone_id="troll-phone")
        phone = await console.phone("troll-phone")

        await console.pilot.press("b")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("n")  # declining changes nothing
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        assert not console.service.hub.is_banned("client:troll-phone")

        await console.pilot.press("b")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(
            lambda: console.service.hub.is_banned("client:troll-phone"), what="the ban"
        )
        await console.wait_until(lambda: held_texts(console) == [], what="held rejected")
        ack = await send(phone, {"text": "hello again"})
        assert ack["ok"] is False and ack["error"] == "banned"
        other = await send(await console.phone("someone-else"), {"text": "hello"})
        assert other["ok"] is True


async def test_p_pauses_and_resumes_the_wall(settings: Settings) -> None:
    async with running_console(settings) as console:
        phone = await console.phone("p1")
        projector = await console.projector()
        await console.pilot.press("p")
        await console.wait_until(lambda: console.app.stats.paused, what="paused")
        ack = await send(phone, {"text": "anyone there?"})
        assert ack["ok"] is False and ack["error"] == "paused"
        await console.wait_until(lambda: {"paused": True} in projector.received("state"))
        assert "PAUSED" in status_lines(console)[1]

        await console.pilot.press("p")
        await console.wait_until(lambda: not console.app.stats.paused, what="resumed")
        ack = await send(phone, {"text": "anyone there?"})
        assert ack["ok"] is True and ack["status"] == "shown"


async def test_l_then_enter_draws_and_the_projector_shows_the_winner(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        ack = await send(
            await console.phone("alice-phone"), {"text": "hello wall", "nick": "Alice"}
        )
        assert ack["status"] == "shown"

        await console.pilot.press("l")
        lottery = console.app.screen
        assert isinstance(lottery, LotteryScreen)
        await console.pilot.press("enter")  # opens the round: its commitment first
        await console.wait_until(lambda: projector.received("lottery"), what="/show round")
        (committed,) = projector.received("lottery")
        assert committed["winners"] == [] and "seed" not in committed
        await console.pilot.press("enter")  # draws it
        await console.wait_until(lambda: len(projector.received("lottery")) == 2, what="draw")
        announced = projector.received("lottery")[1]
        assert [w["nick"] for w in announced["winners"]] == ["Alice"]
        assert announced["seed_hash"] == committed["seed_hash"]

        (draw,) = console.service.hub.draws()
        result = lottery.query_one(DrawResult)
        await console.wait_until(lambda: "Alice" in result.plain, what="the result")
        assert f"seed {draw.seed}" in result.plain and "1 entrant" in result.plain
        assert "on the projector" in result.plain
        history = lottery.query_one(DrawHistory)
        assert history.row_count == 1

        await console.pilot.press("d")
        await console.wait_until(lambda: projector.received("lottery_clear"), what="clear")
        assert console.service.hub.current_draw is None
        await console.wait_until(lambda: "not on the projector" in result.plain)

        # Alice already won: excluding earlier winners leaves nobody.
        await console.pilot.press("enter")
        await console.wait_until(lambda: "Nobody is eligible yet" in result.plain)
        assert len(console.service.hub.draws()) == 1


async def test_lottery_with_nobody_on_the_wall_says_so(settings: Settings) -> None:
    async with running_console(settings) as console:
        await console.pilot.press("3")
        lottery = console.app.screen
        assert isinstance(lottery, LotteryScreen)
        await console.pilot.press("enter")
        result = lottery.query_one(DrawResult)
        await console.wait_until(lambda: "Nobody is eligible yet" in result.plain)
        assert console.service.hub.draws() == []


async def test_lottery_draws_as_many_winners_as_typed(settings: Settings) -> None:
    async with running_console(settings) as console:
        for n in range(3):
            await send(await console.phone(f"phone-{n}"), {"text": "hi", "nick": f"n{n}"})
        await console.pilot.press("l")
        await console.pilot.press("w", "backspace", "3", "enter", "enter")  # open, draw
        await console.wait_until(lambda: console.service.hub.draws(), what="a draw")
        (draw,) = console.service.hub.draws()
        assert draw.rules.winners == 3 and len(draw.winners) == 3
        await console.pilot.press("escape", "x", "enter", "enter")  # earlier winners may win
        await console.wait_until(lambda: len(console.service.hub.draws()) == 2)
        assert console.service.hub.draws()[1].rules.exclude_previous_winners is False


async def test_audience_markup_is_shown_literally(settings: Settings) -> None:
    async with running_console(settings) as console:
        text = "[bold]x[/] darn"
        message_id = await held_comment(console, text, nick="[red]me[/]")
        table = held_table(console)
        cells = [cell.plain for cell in table.row_of(message_id)]
        assert cells[3] == "[red]me[/]" and cells[5] == text
        await console.pilot.pause()
        rendered = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert "[bold]x[/] darn" in rendered and "[red]me[/]" in rendered
        detail = console.app.screen.query_one(CommentDetail)
        assert isinstance(detail.content, Text) and text in detail.content.plain


async def test_quitting_with_clients_connected_frees_the_port_within_2_s(
    settings: Settings,
) -> None:
    async with AsyncExitStack() as clients:
        async with running_console(settings) as console:
            port = console.service.port
            phone = socketio.AsyncClient(reconnection=False)
            await phone.connect(
                console.service.base_url, namespaces=["/send"], auth={"client_id": "p"}
            )
            clients.push_async_callback(phone.disconnect)
            projector = socketio.AsyncClient(reconnection=False)
            await projector.connect(console.service.base_url, namespaces=["/show"])
            clients.push_async_callback(projector.disconnect)
            await console.wait_until(lambda: console.app.stats.phones == 1, what="phone count")

            await console.pilot.press("q")
            await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
            started = time.monotonic()
            await console.pilot.press("y")
        elapsed = time.monotonic() - started
        assert elapsed < 2.0, f"quitting took {elapsed:.2f} s"
        assert console.app.return_code == 0
        listener = bind_listener("127.0.0.1", port)  # what a restarted danmaku does
        listener.close()
        for _ in range(50):
            if not projector.connected and not phone.connected:
                break
            await asyncio.sleep(0.02)
        assert not projector.connected and not phone.connected


async def test_q_then_n_keeps_running(settings: Settings) -> None:
    async with running_console(settings) as console:
        await console.pilot.press("q")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("n")
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        assert console.app.is_running


async def test_port_in_use_exits_with_a_message(settings: Settings) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        app = make_console(with_changes(settings, port=taken.getsockname()[1]))
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                if not app.is_running:
                    break
                await asyncio.sleep(0.02)
            await pilot.pause()
        assert app.return_code == 1
        assert app.startup_error is not None and "already in use" in app.startup_error
        assert app.service is None
    finally:
        taken.close()


async def test_url_always_visible_and_qr_beside_the_queue_only_when_wide(
    settings: Settings,
) -> None:
    async with running_console(settings, size=(80, 24)) as console:
        url = console.service.join_url
        assert "0.0.0.0" not in url
        assert url in status_lines(console)[0]
        assert not console.app.screen.query_one(QrPanel).display

        await console.pilot.press("u")
        await console.wait_until(lambda: isinstance(console.app.screen, JoinScreen))
        await console.pilot.press("escape")
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))

        await console.pilot.resize_terminal(140, 40)
        await console.wait_until(lambda: console.app.screen.query_one(QrPanel).display)


async def test_a_with_an_empty_queue_does_nothing(settings: Settings) -> None:
    async with running_console(settings) as console:
        await console.pilot.press("a", "r", "A")
        await console.pilot.pause()
        assert isinstance(console.app.screen, QueueScreen)
        assert console.service.hub.held() == []


async def test_approve_all_asks_first_when_many_are_held(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        texts = [f"darn {n}" for n in range(5)]
        for n, text in enumerate(texts):
            await held_comment(console, text, phone_id=f"p{n}")
        await console.pilot.press("A")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(lambda: set(texts) <= set(projector.texts()), what="all")
        await console.wait_until(lambda: held_texts(console) == [])


def test_only_stats_messages_merge() -> None:
    stats = StatsUpdated(Stats(held=1))
    assert stats.can_replace(StatsUpdated(Stats(held=2)))
    held = CommentHeld(comment=None)  # type: ignore[arg-type]
    assert not stats.can_replace(held)
    assert not held.can_replace(CommentHeld(comment=None))  # type: ignore[arg-type]


async def test_b_on_the_wall_bans_the_sender_of_a_comment_that_passed(settings: Settings) -> None:
    async with running_console(settings) as console:
        phone = await console.phone("rude-phone")
        assert (await send(phone, {"text": "passes the filter", "nick": "Rude"}))[
            "status"
        ] == "shown"
        await console.pilot.press("2")
        wall = console.app.screen
        assert isinstance(wall, WallScreen)
        await console.wait_until(lambda: wall.table.selected is not None, what="the wall")
        await console.pilot.press("b")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(lambda: console.service.hub.is_banned("client:rude-phone"))
        assert (await send(phone, {"text": "again"}))["error"] == "banned"


# -- the wall: take a comment down, clear the projectors ----------------------------------


async def open_wall(console: Console) -> WallScreen:
    await console.pilot.press("2")
    wall = console.app.screen
    assert isinstance(wall, WallScreen)
    return wall


async def test_x_on_the_wall_takes_a_comment_off_every_projector_for_good(
    settings: Settings,
) -> None:
    settings = with_changes(settings, replay_idle_seconds=0.3, replay_interval_seconds=0.05)
    async with running_console(settings) as console:
        projector = await console.projector()
        phone = await console.phone("p1")
        kept = (await send(phone, {"text": "a fine comment"}))["id"]
        bad = (await send(phone, {"text": "oops, not for the wall"}))["id"]
        wall = await open_wall(console)
        await console.wait_until(
            lambda: wall.table.selected is not None and wall.table.selected.id == bad,
            what="the newest comment selected",
        )

        def replayed(message_id: int, since: int = 0) -> list[object]:
            return [
                data
                for name, data in projector.events[since:]
                if name == "danmaku" and data["replay"] and data["id"] == message_id
            ]

        await console.wait_until(lambda: replayed(bad), what="the comment to be replayed")

        await console.pilot.press("x")
        await console.wait_until(lambda: projector.received("retract"), what="/show retract")
        assert projector.received("retract") == [{"id": bad}]
        since = len(projector.events)
        assert console.service.hub.message(bad) is None
        await console.wait_until(
            lambda: wall.table.get_row(str(bad))[2].plain == "retracted", what="struck through"
        )
        assert wall.table.selected is not None and wall.table.selected.status is Status.RETRACTED

        await console.wait_until(
            lambda: len(replayed(kept, since)) >= 5, what="replays to go on without it"
        )
        assert replayed(bad, since) == []

        await console.pilot.press("x")  # already down: nothing more is sent
        await asyncio.sleep(0.2)
        await console.pilot.pause()
        assert projector.received("retract") == [{"id": bad}]
        sender = next(s for s in console.service.hub.senders() if s.id == "client:p1")
        assert sender.on_screen == 1  # a retracted comment no longer counts for the lottery


async def test_c_then_y_clears_the_projectors(settings: Settings) -> None:
    async with running_console(settings) as console:
        projector = await console.projector()
        await send(await console.phone("p1"), {"text": "flying by"})
        await open_wall(console)
        await console.pilot.press("c")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("n")
        await console.wait_until(lambda: isinstance(console.app.screen, WallScreen))
        await asyncio.sleep(0.2)
        assert projector.received("clear") == []

        await console.pilot.press("c")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(lambda: projector.received("clear"), what="/show clear")
        assert projector.received("clear") == [{}]
        assert console.service.hub.recent_shown()[0].text == "flying by"  # nothing deleted


# -- live wordlist edits from the queue ---------------------------------------------------


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


async def curation_done(console: Console) -> None:
    """Wait until the console has finished writing a list and swapping in the new filter."""
    await console.wait_until(
        lambda: not any(w.group == "curation" and w.is_running for w in console.app.workers),
        what="the list edit",
    )


async def test_w_adds_a_word_to_a_list_and_the_next_comment_is_held(
    tmp_path: Path, settings: Settings
) -> None:
    mild = tmp_path / "mild.txt"
    mild.write_text("# mild words\ngosh\n", encoding="utf-8")
    settings = with_changes(settings, wordlists=(*settings.wordlists, mild))
    terms_before = lines(settings.wordlists[0])
    async with running_console(settings) as console:
        before = await send(await console.phone("before"), {"text": "heck yes"})
        assert before["status"] == "shown"
        await held_comment(console, "darn heck", phone_id="p1")

        await console.pilot.press("w")
        await console.wait_until(lambda: isinstance(console.app.screen, AddTermDialog))
        dialog = console.app.screen
        assert isinstance(dialog, AddTermDialog)
        assert dialog.query_one(Input).value == "darn"  # the matched term, to edit
        assert dialog.category == "testlist"  # the list that held it
        await console.pilot.press("escape")  # cancelling writes nothing
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        assert lines(mild) == ["# mild words", "gosh"]

        await console.pilot.press("w")
        await console.wait_until(lambda: isinstance(console.app.screen, AddTermDialog))
        await console.pilot.press("#", "enter")  # would read back as a comment: refused
        await console.pilot.pause()
        assert isinstance(console.app.screen, AddTermDialog)
        await console.pilot.press("backspace", "h", "e", "c", "k", "up")
        assert console.app.screen.category == "mild"
        await console.pilot.press("enter")
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        await console.wait_until(lambda: "heck" in lines(mild), what="the list file")
        assert lines(settings.wordlists[0]) == terms_before

        await curation_done(console)  # the filter was rebuilt in a thread and swapped in
        after = await send(await console.phone("after"), {"text": "oh heck"})
        assert after["status"] == "held"
        newest = next(m for m in console.service.hub.held() if m.text == "oh heck")
        assert [(r.term, r.category) for r in newest.reasons] == [("heck", "mild")]


async def test_k_allows_a_word_and_the_next_comment_with_it_passes(
    tmp_path: Path, settings: Settings
) -> None:
    allow = tmp_path / "allow.txt"
    allow.write_text("# innocent words\n", encoding="utf-8")
    settings = with_changes(settings, allow_files=(allow,))
    async with running_console(settings) as console:
        await held_comment(console, "darn tough socks", phone_id="p1")
        await console.pilot.press("k")
        await console.wait_until(lambda: isinstance(console.app.screen, AllowWordDialog))
        dialog = console.app.screen
        assert isinstance(dialog, AllowWordDialog)
        assert dialog.query_one(Input).value == "darn"  # the matched text
        await console.pilot.press("end", *" tough", "enter")  # extend it
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        await console.wait_until(lambda: "darn tough" in lines(allow), what="the allow file")
        assert held_texts(console) == ["darn tough socks"]  # still waits for a decision

        await curation_done(console)
        passes = await send(await console.phone("p3"), {"text": "darn tough boots"})
        assert passes["status"] == "shown"
        still_held = await send(await console.phone("p2"), {"text": "darn it"})
        assert still_held["status"] == "held"


def test_matched_word_widens_a_latin_match_to_its_word_only() -> None:
    def message(text: str) -> Message:
        return Message(1, text, "", "s", "#fff", Mode.SCROLL, Status.HELD, (), 0, 0.0)

    assert matched_word(message("well darnit now"), Reason("darn", "x", (5, 9))) == "darnit"
    assert matched_word(message("so d.a.r.nit!"), Reason("darn", "x", (3, 10))) == "d.a.r.nit"
    chinese = message("今天处女座的运势")
    assert matched_word(chinese, Reason("处女", "x", (2, 4))) == "处女"


# -- the senders -------------------------------------------------------------------------


async def test_senders_view_lists_by_weight_and_bans_and_unbans(settings: Settings) -> None:
    async with running_console(settings) as console:
        alice = await console.phone("alice")
        await send(alice, {"text": "one", "nick": "Alice"})
        await send(alice, {"text": "two", "nick": "Alice"})
        await send(await console.phone("bob"), {"text": "hi", "nick": "Bob"})
        await held_comment(console, "darn", nick="[b]Carol[/b]", phone_id="carol")

        await console.pilot.press("4")
        screen = console.app.screen
        assert isinstance(screen, SendersScreen)
        table = screen.query_one(SendersTable)
        await console.wait_until(lambda: table.row_count == 3, what="three senders")
        rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(3)]
        assert [row[:4] for row in rows] == [
            ["Alice", "2", "2", ""],
            ["Bob", "1", "1", ""],
            ["[b]Carol[/b]", "0", "1", ""],
        ]
        assert table.selected is not None and table.selected.id == "client:alice"

        await send(await console.phone("dave"), {"text": "late", "nick": "Dave"})
        await console.wait_until(lambda: table.row_count == 4, what="a new sender listed")

        await console.pilot.press("b")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(lambda: console.service.hub.is_banned("client:alice"))
        await console.wait_until(lambda: table.get_row("client:alice")[3].plain == "banned")
        assert (await send(alice, {"text": "three"}))["error"] == "banned"

        await console.pilot.press("U")
        await console.wait_until(lambda: not console.service.hub.is_banned("client:alice"))
        assert table.get_row("client:alice")[3].plain == ""
        assert (await send(alice, {"text": "back again"}))["status"] == "shown"


def test_retract_and_clear_events_become_console_messages() -> None:
    comment = Message(7, "t", "", "s", "#fff", Mode.SCROLL, Status.RETRACTED, (), 1, 0.0)
    retracted = message_for(events.Retracted(comment))
    assert isinstance(retracted, CommentRetracted) and retracted.comment is comment
    assert isinstance(message_for(events.WallCleared()), WallCleared)


# -- a failing view never stops the wall ------------------------------------------------


async def test_a_view_that_raises_is_reported_and_the_wall_keeps_serving(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: QueueScreen, comment: Message) -> None:
        raise RuntimeError(f"the queue view broke on #{comment.id}")

    monkeypatch.setattr(QueueScreen, "comment_held", broken)
    async with running_console(settings) as console:
        projector = await console.projector()
        flagged = await send(await console.phone("p1"), {"text": "well darn it"})
        assert flagged["ok"] is True and flagged["status"] == "held"

        await console.wait_until(
            lambda: any(n.severity == "error" for n in console.notifications), what="the notice"
        )
        (notice,) = [n for n in console.notifications if n.severity == "error"]
        assert "queue view" in notice.message and f"#{flagged['id']}" in notice.message
        assert not notice.markup  # the exception text may quote audience text
        failures = [r for r in caplog.records if r.name == "console.dispatch"]
        assert failures and failures[0].exc_info is not None
        assert isinstance(failures[0].exc_info[1], RuntimeError)
        assert console.app.is_running
        assert console.service.hub.held()[0].text == "well darn it"  # the core kept it

        ack = await send(await console.phone("p2"), {"text": "still on air"})
        assert ack["ok"] is True and ack["status"] == "shown"
        await console.wait_until(lambda: "still on air" in projector.texts(), what="/show")
        wall = await open_wall(console)  # the other views still follow the core
        await console.wait_until(
            lambda: wall.table.selected is not None and wall.table.selected.text == "still on air"
        )
        assert console.app.is_running


async def test_a_failing_spaced_out_redraw_is_reported_too(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_console(settings) as console:
        senders = await open_view(console, "4", "senders")
        assert isinstance(senders, SendersScreen)

        def broken(self: SendersTable, senders: list[Sender]) -> None:
            raise RuntimeError("the senders table broke")

        monkeypatch.setattr(SendersTable, "load", broken)
        ack = await send(await console.phone("p1"), {"text": "hello", "nick": "Ann"})
        assert ack["ok"] is True
        await console.wait_until(
            lambda: any("senders view" in n.message for n in console.notifications),
            what="the notice",
        )
        assert console.app.is_running
        assert (await send(await console.phone("p2"), {"text": "again"}))["ok"] is True


async def test_a_failing_event_worker_leaves_the_server_running(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event: events.Event) -> None:
        raise RuntimeError("the translation broke")

    async with running_console(settings) as console:
        monkeypatch.setattr("console.app.message_for", broken)
        projector = await console.projector()
        phone = await console.phone("p1")
        assert (await send(phone, {"text": "first"}))["ok"] is True
        await console.wait_until(
            lambda: any(n.severity == "error" for n in console.notifications), what="the notice"
        )
        assert console.app.is_running
        ack = await send(phone, {"text": "second"})
        assert ack["ok"] is True and ack["status"] == "shown"
        await console.wait_until(lambda: "second" in projector.texts(), what="/show")
        assert console.app.is_running


# -- key help and the status line ------------------------------------------------------------


async def open_view(console: Console, key: str, name: str) -> Screen[Any]:
    await console.pilot.press(key)
    await console.wait_until(lambda: console.app.current_mode == name, what=name)
    return console.app.screen


async def test_each_views_help_line_spells_out_its_bindings(settings: Settings) -> None:
    expected = {
        "queue": "a approve  r reject  A approve all  R reject all  m mask  z undo  b ban  "
        "P purge  w add to list  k allow  p pause  H hold all  t rehearsal  u QR  q quit",
        "wall": "x take off wall  c clear projector  b ban sender  P purge  / search  p pause  "
        "H hold all  t rehearsal  u QR  q quit",
        "lottery": "Enter open/draw  w winners  s scheme  c cap  m min shown  "
        "x exclude earlier  e edit plan  v void winner  d clear projector  Esc back  "
        "p pause  H hold all  t rehearsal  u QR  q quit",
        "senders": "b ban  U unban  p pause  H hold all  t rehearsal  u QR  q quit",
    }
    async with running_console(settings) as console:
        for key, name in (("1", "queue"), ("2", "wall"), ("3", "lottery"), ("4", "senders")):
            view = await open_view(console, key, name)
            content = view.query_one(HelpLine).content
            assert isinstance(content, Text) and content.plain == expected[name]


async def test_status_line_shows_lost_events_only_when_there_are_some(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_console(settings) as console:
        hub = console.service.hub
        assert "dropped" not in status_lines(console)[1]
        # The console and the web adapter subscribed with roomy queues; a new consumer gets a
        # one-event queue and never reads it: the core counts what it loses.
        monkeypatch.setattr("server.bus.SUBSCRIBER_QUEUE_SIZE", 1)
        async with hub.subscribe():
            for _ in range(3):
                hub.clear_wall()
            assert hub.stats().dropped_events == 2
        # While that consumer was stuck, each tick's stats were lost to it too and the count
        # kept climbing; once it is gone the count holds, and the line must show it.
        assert hub.stats().dropped_events >= 2
        await console.wait_until(
            lambda: f"dropped {hub.stats().dropped_events}" in status_lines(console)[1],
            what="the count",
        )
