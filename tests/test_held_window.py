"""The queue's table holds a window of the queue (benchmarks/console_load.py: a 10,000-row
DataTable made each decision ~100 ms): decided rows are replaced from the queue, the
cursor slides the window, and every held comment stays reachable."""

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
        yield HeldTable(window=5)


def shown_ids(table: HeldTable) -> list[int]:
    return [int(table.get_row_at(row)[0].plain) for row in range(table.row_count)]


async def test_a_window_of_the_queue_refills_slides_and_reaches_every_comment() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(HeldTable)
        table.load(held(n) for n in range(1, 13))
        assert shown_ids(table) == [1, 2, 3, 4, 5] and table.row_count_groups == 12
        assert len(table.comments) == 12

        table.remove_comment(1)  # decided: the next one in the queue takes its place
        assert shown_ids(table) == [2, 3, 4, 5, 6]
        table.add_comment(held(13))  # joins the queue's end, beyond the window
        assert shown_ids(table) == [2, 3, 4, 5, 6] and table.group_size(13) == 1

        for _ in range(4):  # the cursor walks down to the window's last row: it slides
            await pilot.press("down")
        await pilot.pause()
        assert table.selected is not None and table.selected.id == 6
        assert table.window[0] > 0 and 6 in shown_ids(table) and 7 in shown_ids(table)

        table.select(13)  # far beyond: the window goes to it
        assert table.selected is not None and table.selected.id == 13
        start, _ = table.window
        table.remove_comment(2)  # before the window: the window's place moves up one
        assert table.window[0] == start - 1 and shown_ids(table)[-1] == 13

        for number in range(3, 14):
            table.remove_comment(number)
        assert table.row_count == 0 and table.comments == [] and table.window == (0, 0)
        table.add_comment(held(20))
        assert shown_ids(table) == [20]
