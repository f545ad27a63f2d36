"""The moderator console through the real app: real filter, hub, SQLite file and server,
real Socket.IO phones and projectors, keys pressed with Textual's pilot."""

from __future__ import annotations

import asyncio
import socket
import time
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path

import socketio
from rich.text import Text

from console.app import make_console
from console.messages import CommentHeld, StatsUpdated
from console.screens.confirm import ConfirmDialog
from console.screens.join import JoinScreen
from console.screens.lottery import LotteryScreen
from console.screens.queue import QueueScreen
from console.screens.wall import WallScreen
from console.widgets.comment_detail import CommentDetail
from console.widgets.draw_history import DrawHistory
from console.widgets.draw_result import DrawResult
from console.widgets.held_table import HeldTable
from console.widgets.qr_panel import QrPanel
from console.widgets.status_bar import StatusBar
from server.models import Stats, Status
from server.web.service import bind_listener
from tests.console_support import Console, console_settings, running_console, send


def held_table(console: Console) -> HeldTable:
    return console.app.get_screen("queue", QueueScreen).query_one(HeldTable)


def held_texts(console: Console) -> list[str]:
    return [m.text for m in held_table(console).comments]


async def held_comment(console: Console, text: str, nick: str = "", phone_id: str = "p1") -> int:
    """Send a comment the filter flags from a real phone; wait until the queue shows it."""
    phone = await console.phone(phone_id)
    ack = await send(phone, text, nick)
    assert ack["ok"] and ack["status"] == "held", ack
    await console.wait_until(lambda: text in held_texts(console), what="the queue")
    return int(ack["id"])


async def test_flagged_comment_waits_in_the_queue_and_a_approves_it(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        projector = await console.projector()
        message_id = await held_comment(console, "well darn it", nick="Bo")
        table = held_table(console)
        assert table.selected is not None and table.selected.id == message_id
        cells = [cell.plain for cell in table.get_row(str(message_id))]
        assert cells[2] == "Bo" and "darn (testlist)" in cells[3] and cells[4] == "well darn it"
        comment_cell = table.get_row(str(message_id))[4]
        assert [comment_cell.plain[s.start : s.end] for s in comment_cell.spans] == ["darn"]
        await console.wait_until(lambda: console.app.stats.held == 1, what="held count")
        assert "well darn it" not in projector.texts()

        await console.pilot.press("a")
        await console.wait_until(
            lambda: "well darn it" in projector.texts(), what="/show to receive it"
        )
        assert held_texts(console) == []
        assert console.service.hub.message(message_id).status is Status.APPROVED
        await console.wait_until(lambda: console.app.stats.held == 0, what="held count")

        await console.pilot.press("2")
        wall = console.app.screen
        assert isinstance(wall, WallScreen)
        await console.wait_until(lambda: wall.table.selected is not None, what="the wall")
        assert wall.table.selected.id == message_id


async def test_r_rejects_so_the_comment_never_reaches_the_projector(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        projector = await console.projector()
        message_id = await held_comment(console, "darn darn")
        await console.pilot.press("r")
        await console.wait_until(lambda: held_texts(console) == [], what="the queue to empty")
        await asyncio.sleep(0.5)
        await console.pilot.pause()
        assert "darn darn" not in projector.texts()
        assert console.service.hub.message(message_id) is None
        assert console.service.hub.held() == []


async def test_b_bans_the_sender_after_a_yes(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
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
        ack = await send(phone, "hello again")
        assert ack["ok"] is False and ack["error"] == "banned"
        other = await send(await console.phone("someone-else"), "hello")
        assert other["ok"] is True


async def test_p_pauses_and_resumes_the_wall(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        phone = await console.phone("p1")
        projector = await console.projector()
        await console.pilot.press("p")
        await console.wait_until(lambda: console.app.stats.paused, what="paused")
        ack = await send(phone, "anyone there?")
        assert ack["ok"] is False and ack["error"] == "paused"
        await console.wait_until(lambda: {"paused": True} in projector.received("state"))
        status = console.app.screen.query_one(StatusBar)
        assert "PAUSED" in status.render().renderables[1].plain

        await console.pilot.press("p")
        await console.wait_until(lambda: not console.app.stats.paused, what="resumed")
        ack = await send(phone, "anyone there?")
        assert ack["ok"] is True and ack["status"] == "shown"


async def test_l_then_enter_draws_and_the_projector_shows_the_winner(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        projector = await console.projector()
        ack = await send(await console.phone("alice-phone"), "hello wall", nick="Alice")
        assert ack["status"] == "shown"

        await console.pilot.press("l")
        lottery = console.app.screen
        assert isinstance(lottery, LotteryScreen)
        await console.pilot.press("enter")
        await console.wait_until(lambda: projector.received("lottery"), what="/show lottery")
        (announced,) = projector.received("lottery")
        assert [w["nick"] for w in announced["winners"]] == ["Alice"]

        (draw,) = console.service.hub.draws()
        result = lottery.query_one(DrawResult)
        assert "Alice" in result.plain
        assert f"seed {draw.seed}" in result.plain and "1 entrant" in result.plain
        assert "on the projector" in result.plain
        history = lottery.query_one(DrawHistory)
        assert history.row_count == 1

        await console.pilot.press("d")
        await console.wait_until(lambda: projector.received("lottery_clear"), what="clear")
        assert console.service.hub.current_draw is None
        assert "not on the projector" in result.plain

        # Alice already won: excluding earlier winners leaves nobody.
        await console.pilot.press("enter")
        await console.wait_until(lambda: "Nobody is eligible yet" in result.plain)
        assert len(console.service.hub.draws()) == 1


async def test_lottery_with_nobody_on_the_wall_says_so(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        await console.pilot.press("3")
        lottery = console.app.screen
        assert isinstance(lottery, LotteryScreen)
        await console.pilot.press("enter")
        result = lottery.query_one(DrawResult)
        await console.wait_until(lambda: "Nobody is eligible yet" in result.plain)
        assert console.service.hub.draws() == []


async def test_lottery_draws_as_many_winners_as_typed(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        for n in range(3):
            await send(await console.phone(f"phone-{n}"), "hi", nick=f"n{n}")
        await console.pilot.press("l")
        await console.pilot.press("w", "backspace", "3", "enter")
        await console.wait_until(lambda: console.service.hub.draws(), what="a draw")
        (draw,) = console.service.hub.draws()
        assert draw.rules.winners == 3 and len(draw.winners) == 3
        await console.pilot.press("escape", "x", "enter")  # earlier winners may win again
        await console.wait_until(lambda: len(console.service.hub.draws()) == 2)
        assert console.service.hub.draws()[1].rules.exclude_previous_winners is False


async def test_audience_markup_is_shown_literally(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        text = "[bold]x[/] darn"
        message_id = await held_comment(console, text, nick="[red]me[/]")
        table = held_table(console)
        cells = [cell.plain for cell in table.get_row(str(message_id))]
        assert cells[2] == "[red]me[/]" and cells[4] == text
        await console.pilot.pause()
        rendered = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert "[bold]x[/] darn" in rendered and "[red]me[/]" in rendered
        detail = console.app.screen.query_one(CommentDetail)
        assert isinstance(detail.content, Text) and text in detail.content.plain


async def test_quitting_with_clients_connected_frees_the_port_within_2_s(tmp_path: Path) -> None:
    async with AsyncExitStack() as clients:
        async with running_console(console_settings(tmp_path)) as console:
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


async def test_q_then_n_keeps_running(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        await console.pilot.press("q")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("n")
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))
        assert console.app.is_running


async def test_port_in_use_exits_with_a_message(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        settings = replace(console_settings(tmp_path), port=taken.getsockname()[1])
        app = make_console(settings)
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


async def test_url_always_visible_and_qr_beside_the_queue_only_when_wide(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path), size=(80, 24)) as console:
        url = console.service.join_url
        assert "0.0.0.0" not in url
        status = console.app.screen.query_one(StatusBar)
        assert url in status.render().renderables[0].plain
        assert not console.app.screen.query_one(QrPanel).display

        await console.pilot.press("u")
        await console.wait_until(lambda: isinstance(console.app.screen, JoinScreen))
        await console.pilot.press("escape")
        await console.wait_until(lambda: isinstance(console.app.screen, QueueScreen))

        await console.pilot.resize_terminal(140, 40)
        await console.wait_until(lambda: console.app.screen.query_one(QrPanel).display)


async def test_a_with_an_empty_queue_does_nothing(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        await console.pilot.press("a", "r", "A")
        await console.pilot.pause()
        assert isinstance(console.app.screen, QueueScreen)
        assert console.service.hub.held() == []


async def test_approve_all_asks_first_when_many_are_held(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
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


async def test_b_on_the_wall_bans_the_sender_of_a_comment_that_passed(tmp_path: Path) -> None:
    async with running_console(console_settings(tmp_path)) as console:
        phone = await console.phone("rude-phone")
        assert (await send(phone, "passes the filter", nick="Rude"))["status"] == "shown"
        await console.pilot.press("2")
        wall = console.app.screen
        assert isinstance(wall, WallScreen)
        await console.wait_until(lambda: wall.table.selected is not None, what="the wall")
        await console.pilot.press("b")
        await console.wait_until(lambda: isinstance(console.app.screen, ConfirmDialog))
        await console.pilot.press("y")
        await console.wait_until(lambda: console.service.hub.is_banned("client:rude-phone"))
        assert (await send(phone, "again"))["error"] == "banned"
