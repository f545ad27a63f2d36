"""The lottery view of a gala through the real console: a prize plan drawn round by round
(commit, then draw), voids, and the entrants' chances, with real phones and projectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import socketio
from rich.text import Text
from textual.widgets import Static, TextArea

from console.dialogs.prize_plan import PrizePlanDialog
from console.dialogs.void_winner import VoidWinnerDialog
from console.screens.lottery import LotteryScreen
from console.widgets.draw_history import DrawHistory
from console.widgets.draw_result import DrawResult
from console.widgets.entrants_table import EntrantsTable
from console.widgets.lottery_status import RoundStatus
from server.lottery import seed_hash
from server.models import Prize, Scheme, VoidReason
from server.settings import Settings
from tests.conftest import Console, running_console, send, with_changes


class Phone:
    """A real phone on /send that keeps the ``won`` notices it gets."""

    def __init__(self, sio: socketio.AsyncClient, nick: str) -> None:
        self.sio = sio
        self.nick = nick
        self.won: list[dict[str, Any]] = []
        self.sent = 0

        async def on_won(data: dict[str, Any]) -> None:
            self.won.append(data)

        sio.on("won", on_won, namespace="/send")

    async def comment(self, count: int = 1) -> None:
        """Put ``count`` comments on the wall (each text differs: repeats are refused)."""
        for _ in range(count):
            self.sent += 1
            ack = await send(self.sio, {"text": f"hello {self.sent}", "nick": self.nick})
            assert ack["ok"] and ack["status"] == "shown", ack


def heard(phone: Phone) -> Callable[[], bool]:
    """Whether ``phone`` was told it won (a probe for ``wait_until``)."""
    return lambda: bool(phone.won)


def scheme(screen: LotteryScreen) -> Scheme:
    """The scheme the view's form has now (read afresh: a key changes it)."""
    return screen.scheme


async def phones(console: Console, counts: dict[str, int]) -> dict[str, Phone]:
    """One phone per nick, each with that many comments on the wall."""
    made = {}
    for nick, count in counts.items():
        phone = Phone(await console.phone(f"phone-{nick}"), nick)
        await phone.comment(count)
        made[nick] = phone
    return made


async def open_lottery(console: Console) -> LotteryScreen:
    await console.pilot.press("3")
    await console.wait_until(lambda: console.app.current_mode == "lottery", what="the view")
    screen = console.app.screen
    assert isinstance(screen, LotteryScreen)
    return screen


def entrant_rows(screen: LotteryScreen) -> dict[str, tuple[str, str, str]]:
    """The entrants' table as shown: nick -> (shown, tickets, chance)."""
    table = screen.query_one(EntrantsTable)
    rows = {}
    for index in range(table.row_count):
        nick, shown, tickets, chance = (cell.plain for cell in table.get_row_at(index))
        rows[nick] = (shown, tickets, chance)
    return rows


def round_line(screen: LotteryScreen) -> str:
    return screen.query_one(RoundStatus).plain


def static_text(static: Static) -> str:
    """What a Static shows, as plain text (the views give them rich Text)."""
    content = static.content
    return content.plain if isinstance(content, Text) else str(content)


def plan_line(screen: LotteryScreen) -> str:
    return static_text(screen.query_one("#plan", Static))


async def test_a_prize_plan_is_drawn_round_by_round_commit_first(settings: Settings) -> None:
    plan = (Prize("三等奖", 2), Prize("一等奖", 1))
    async with running_console(with_changes(settings, prize_plan=plan)) as console:
        hub = console.service.hub
        projector = await console.projector()
        audience = await phones(console, {"Ann": 2, "Bo": 1, "Cy": 3, "Di": 1})
        screen = await open_lottery(console)
        result = screen.query_one(DrawResult)
        assert "▶ 三等奖 ×2 · 一等奖 ×1" in plan_line(screen)
        assert round_line(screen).startswith("Enter opens the next round: 三等奖 ×2")

        # Enter commits: the projector gets the prize and the hash, no seed, no winners.
        await console.pilot.press("enter")
        await console.wait_until(lambda: projector.received("lottery"), what="the commitment")
        (committed,) = projector.received("lottery")
        assert committed["prize"] == "三等奖" and committed["count"] == 2
        assert committed["winners"] == [] and "seed" not in committed
        opened = hub.lottery_round
        assert opened is not None and committed["seed_hash"] == opened.seed_hash
        await console.wait_until(lambda: "Round open: 三等奖 ×2" in round_line(screen))
        assert f"sha256 {opened.seed_hash[:16]}…" in round_line(screen)
        assert "Enter draws" in round_line(screen) and hub.draws() == []

        # Enter draws it: the prize, the seed that hashes to the commitment, the winners.
        await console.pilot.press("enter")
        await console.wait_until(lambda: len(projector.received("lottery")) == 2, what="draw")
        announced = projector.received("lottery")[1]
        (first,) = hub.draws()
        assert announced["prize"] == "三等奖" and announced["seed"] == str(first.seed)
        assert seed_hash(int(announced["seed"])) == committed["seed_hash"]
        winners = [w["nick"] for w in announced["winners"]]
        assert winners == [w.nick for w in first.winners] and len(winners) == 2
        for nick in winners:  # each winner's phone hears which prize
            await console.wait_until(heard(audience[nick]), what="won")
            assert audience[nick].won[0]["prize"] == "三等奖"
        await console.wait_until(lambda: "三等奖" in result.plain, what="the result")
        assert f"seed {first.seed}" in result.plain and f"sha256 {first.seed_hash}" in result.plain
        assert all(nick in result.plain for nick in winners)
        assert "on the projector now" in result.plain
        assert "✓ 三等奖 ×2 · ▶ 一等奖 ×1" in plan_line(screen)
        history = screen.query_one(DrawHistory)
        assert [cell.plain for cell in history.get_row_at(0)][2:4] == ["三等奖", "proportional"]

        # The next round's commitment replaces the winners on the projector.
        await console.pilot.press("enter")
        await console.wait_until(lambda: len(projector.received("lottery")) == 3)
        assert projector.received("lottery")[2]["prize"] == "一等奖"
        assert projector.received("lottery")[2]["winners"] == []
        await console.wait_until(lambda: "not on the projector" in result.plain)
        await console.pilot.press("enter")
        await console.wait_until(lambda: len(hub.draws()) == 2, what="the second draw")
        second = hub.draws()[1]
        assert second.rules.prize == "一等奖" and second.rules.winners == 1
        assert not {w.sender for w in second.winners} & {w.sender for w in first.winners}
        await console.wait_until(lambda: "all drawn" in plan_line(screen))


async def test_v_voids_a_winner_for_a_reason_and_the_projector_follows(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        hub = console.service.hub
        projector = await console.projector()
        audience = await phones(console, {"Ann": 1, "Bo": 1, "Cy": 1})
        screen = await open_lottery(console)
        await console.pilot.press("v")  # nothing on the projector: nothing to void
        assert not isinstance(console.app.screen, VoidWinnerDialog)
        await console.pilot.press("enter", "enter")
        await console.wait_until(lambda: hub.current_draw is not None, what="a draw")
        (draw,) = hub.draws()
        (winner,) = draw.winners

        await console.pilot.press("v")
        await console.wait_until(lambda: isinstance(console.app.screen, VoidWinnerDialog))
        dialog = console.app.screen
        await console.pilot.press("enter")  # no reason yet: it asks for one
        assert console.app.screen is dialog and hub.draws()[0].voids == ()
        assert "Choose a reason first" in static_text(dialog.query_one("#problem", Static))
        await console.pilot.press("d", "enter")  # the same person won on another phone
        await console.wait_until(lambda: len(projector.received("lottery")) == 3, what="void")

        updated = projector.received("lottery")[2]
        (voided,) = hub.draws()[0].voids
        assert voided.sender == winner.sender and voided.reason is VoidReason.DUPLICATE
        assert voided.replacement is not None and voided.seed != draw.seed
        assert updated["id"] == draw.id
        assert updated["voided"] == [{"nick": winner.nick, "reason": "duplicate"}]
        assert [w["nick"] for w in updated["winners"]] == [voided.replacement.nick]
        replacement = audience[voided.replacement.nick]
        await console.wait_until(heard(replacement), what="the replacement's notice")

        result = screen.query_one(DrawResult)
        await console.wait_until(lambda: "voided:" in result.plain, what="the result")
        assert f"{winner.nick} (duplicate) → {voided.replacement.nick}" in result.plain
        history = screen.query_one(DrawHistory)
        assert history.row_count == 1
        assert "(1 voided)" in history.get_row_at(0)[5].plain


async def test_entrants_table_shows_tickets_and_chances_and_follows_the_wall(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        audience = await phones(console, {"Spam": 3, "Bo": 1})
        screen = await open_lottery(console)
        await console.wait_until(lambda: "Spam" in entrant_rows(screen), what="entrants")
        # One winner: tickets over all tickets, exactly.
        assert entrant_rows(screen) == {"Spam": ("3", "3", "75.0%"), "Bo": ("1", "1", "25.0%")}

        await console.pilot.press("c", "backspace", "2")  # capped at 2 tickets
        assert scheme(screen) is Scheme.CAPPED
        await console.wait_until(lambda: entrant_rows(screen)["Spam"] == ("3", "2", "66.7%"))
        await console.pilot.press("escape", "s")  # square root: 173 tickets against 100
        assert scheme(screen) is Scheme.SQRT
        await console.wait_until(lambda: entrant_rows(screen)["Spam"] == ("3", "173", "63.4%"))

        # Comments going up are counted (the list is redrawn within a second or so).
        await audience["Bo"].comment(3)
        await console.wait_until(lambda: entrant_rows(screen)["Bo"] == ("4", "200", "53.6%"))

        # Two winners out of three entrants: simulated, so marked as an estimate.
        audience.update(await phones(console, {"Cy": 1}))
        await console.pilot.press("w", "backspace", "2")
        await console.wait_until(lambda: entrant_rows(screen)["Cy"][2].startswith("≈"))
        assert "3 entrants" in static_text(screen.query_one("#entrants-summary", Static))

        await console.pilot.press("escape", "m", "backspace", "2")  # two comments to enter
        await console.wait_until(lambda: set(entrant_rows(screen)) == {"Spam", "Bo"})
        # The draw goes by the rules the table was showing.
        await console.pilot.press("escape", "enter", "enter")
        await console.wait_until(lambda: console.service.hub.draws(), what="the draw")
        (draw,) = console.service.hub.draws()
        assert draw.rules.scheme is Scheme.SQRT and draw.rules.min_shown == 2
        assert {e.nick: e.weight for e in draw.entrants} == {"Spam": 173, "Bo": 200}


async def test_changed_rules_commit_a_new_round_before_anything_is_drawn(
    settings: Settings,
) -> None:
    async with running_console(settings) as console:
        hub = console.service.hub
        projector = await console.projector()
        await phones(console, {"Ann": 1, "Bo": 2})
        screen = await open_lottery(console)
        await console.pilot.press("enter")
        await console.wait_until(lambda: projector.received("lottery"), what="the commitment")
        await console.pilot.press("s")  # the scheme changes after the commitment
        await console.wait_until(lambda: "The rules changed" in round_line(screen))
        await console.pilot.press("enter")  # commits again instead of drawing
        await console.wait_until(lambda: len(projector.received("lottery")) == 2)
        first, second = projector.received("lottery")
        assert second["winners"] == [] and second["seed_hash"] != first["seed_hash"]
        assert hub.draws() == [] and "Enter draws" in round_line(screen)
        await console.pilot.press("enter")
        await console.wait_until(lambda: hub.draws(), what="the draw")
        assert hub.draws()[0].rules.scheme is Scheme.CAPPED
        assert hub.draws()[0].seed_hash == second["seed_hash"]


async def test_e_types_a_prize_plan_and_a_bad_line_is_named(settings: Settings) -> None:
    async with running_console(settings) as console:
        hub = console.service.hub
        await phones(console, {"Ann": 1})
        screen = await open_lottery(console)
        assert "No prize plan" in plan_line(screen)
        await console.pilot.press("e")
        await console.wait_until(lambda: isinstance(console.app.screen, PrizePlanDialog))
        dialog = console.app.screen
        dialog.query_one(TextArea).text = "特等奖 1\n三等奖 lots\n"
        await console.pilot.press("ctrl+s")
        assert console.app.screen is dialog and hub.prize_plan == ()
        assert "line 2" in static_text(dialog.query_one("#problem", Static))
        dialog.query_one(TextArea).text = "特等奖 1\n三等奖 5  # on the stage\n"
        await console.pilot.press("ctrl+s")
        await console.wait_until(lambda: console.app.screen is screen, what="the view")
        assert console.service.hub.prize_plan == (Prize("特等奖", 1), Prize("三等奖", 5))
        assert "▶ 特等奖 ×1 · 三等奖 ×5" in plan_line(screen)
        assert round_line(screen).startswith("Enter opens the next round: 特等奖 ×1")
