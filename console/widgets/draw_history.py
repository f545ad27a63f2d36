"""Every recorded draw, newest first: enough to answer "who won what earlier, and how"."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from console.language import _, pgettext
from console.widgets.comment_text import clock, prize_text, scheme_text, standing_text
from server.models import Draw


class DrawHistory(DataTable[Text]):
    """Recorded draws keyed by id; adding again (after a void) updates the row."""

    DEFAULT_CSS = """
    DrawHistory {
        height: 1fr;
    }
    """

    can_focus = False  # Tab cycles the form's fields; the history is to read

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.draws: dict[int, Draw] = {}

    def on_mount(self) -> None:
        """Set up the columns."""
        self.add_column(Text("#"), key="id", width=3)
        self.add_column(Text(_("time")), key="time", width=8)
        self.add_column(Text(_("prize")), key="prize", width=10)
        self.add_column(Text(pgettext("draw history", "tickets")), key="scheme", width=12)
        self.add_column(
            Text(pgettext("draw history", "in"), justify="right"), key="entrants", width=4
        )
        self.add_column(Text(_("winners")), key="winners")  # last: a long list runs off the edge

    def load(self, draws: Iterable[Draw]) -> None:
        """Show exactly these draws (any order; shown newest first)."""
        self.clear()
        self.draws.clear()
        for draw in draws:
            self.add_draw(draw)

    def add_draw(self, draw: Draw) -> None:
        """Add one draw at the top, or update its row (a winner voided since)."""
        if draw.id in self.draws:
            if self.draws[draw.id] == draw:
                return
            self.remove_row(str(draw.id))
        self.draws[draw.id] = draw
        voided = _(" ({count} voided)").format(count=len(draw.voids)) if draw.voids else ""
        self.add_row(
            Text(str(draw.id), style="dim"),
            Text(clock(draw.created_at)),
            prize_text(draw.rules.prize, style=""),
            Text(scheme_text(draw.rules), style="dim"),
            Text(str(len(draw.entrants)), justify="right"),
            Text.assemble(standing_text(draw, style=""), (voided, "dim")),
            key=str(draw.id),
        )
        self.sort("id", key=lambda cell: int(cell.plain), reverse=True)
        self.move_cursor(row=0)
