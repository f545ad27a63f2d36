"""Every recorded draw, newest first: enough to answer "who won earlier, and how"."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from console.widgets.comment_text import clock, draw_rules_text, nicks_text
from server.models import Draw


class DrawHistory(DataTable[Text]):
    """Recorded draws keyed by id; adding is idempotent."""

    DEFAULT_CSS = """
    DrawHistory {
        height: 1fr;
    }
    """

    can_focus = False  # Tab cycles the form's fields; the history is to read

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._ids: set[int] = set()

    def on_mount(self) -> None:
        """Set up the columns."""
        self.add_column(Text("#"), key="id", width=4)
        self.add_column(Text("time"), key="time", width=8)
        self.add_column(Text("winners"), key="winners")
        self.add_column(Text("entrants"), key="entrants", width=8)
        self.add_column(Text("seed"), key="seed")
        self.add_column(Text("rules"), key="rules")

    def load(self, draws: Iterable[Draw]) -> None:
        """Show exactly these draws (any order; shown newest first)."""
        self.clear()
        self._ids.clear()
        for draw in draws:
            self.add_draw(draw)

    def add_draw(self, draw: Draw) -> None:
        """Add one draw at the top (ignored when already listed)."""
        if draw.id in self._ids:
            return
        self._ids.add(draw.id)
        self.add_row(
            Text(str(draw.id), style="dim"),
            Text(clock(draw.created_at)),
            nicks_text(draw.winners),
            Text(str(len(draw.entrants))),
            Text(str(draw.seed), style="dim"),
            Text(draw_rules_text(draw), style="dim"),
            key=str(draw.id),
        )
        self.sort("id", key=lambda cell: int(cell.plain), reverse=True)
        self.move_cursor(row=0)
