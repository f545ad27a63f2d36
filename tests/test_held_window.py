"""The queue's table (a Line-API widget: benchmarks/console_load.py measured a 10,000-row
DataTable at ~100 ms a decision): decided rows leave, the cursor stays on its row when a row
above leaves, and every held comment is reachable with the keys."""

from __future__ import annotations

from textual.app import App, ComposeResult

from console.widgets.held_table import HeldTable
from server.models import Message, Mode, Reason, Status


def held(number: int) -> Message:
    return Message(
        id=number,
        text=f"darn number {number}",
        nick="",
        sender=f"s{number}",
        color="#ffffff",
        mode=Mode.SCROLL,
        status=Status.HELD,
        reasons=(Reason("darn", "testlist", (0, 4)),),
        shown_count=0,
        created_at=1_000_000.0 + number,
    )


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HeldTable()


def shown_ids(table: HeldTable) -> list[int]:
    return [int(table.get_row_at(row)[0].plain) for row in range(table.row_count)]


def screen_text(table: HeldTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_the_queue_refills_scrolls_and_reaches_every_comment() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 8)) as pilot:  # a header and a few rows on screen
        table = app.query_one(HeldTable)
        table.load(held(n) for n in range(1, 13))
        assert shown_ids(table) == list(range(1, 13)) and len(table.comments) == 12

        table.remove_comment(1)  # decided: the next one takes the cursor
        assert table.selected is not None and table.selected.id == 2
        table.add_comment(held(13))  # joins the queue's end
        assert shown_ids(table)[-1] == 13 and table.group_size(13) == 1

        for _ in range(9):  # the cursor walks down past the screen: it scrolls along
            await pilot.press("down")
        await pilot.pause()
        assert table.selected is not None and table.selected.id == 11
        assert table.scroll_y > 0 and "darn number 11" in screen_text(table)

        table.select(13)  # the last: the cursor goes to it
        assert table.selected is not None and table.selected.id == 13
        table.remove_comment(2)  # a row above left: the cursor stays on its row
        assert table.selected is not None and table.selected.id == 13
        await pilot.press("home")
        assert table.selected is not None and table.selected.id == 3

        for number in range(3, 14):
            table.remove_comment(number)
        assert table.row_count == 0 and table.comments == [] and table.selected is None
        table.add_comment(held(20))
        assert shown_ids(table) == [20] and table.selected is not None
        await pilot.pause()
        assert "darn number 20" in screen_text(table)
