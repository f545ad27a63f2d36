"""The outcome of the latest draw: winners, seed, entrants, and whether it is on the projector."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from console.widgets.comment_text import clock, draw_rules_text, nicks_text
from server.models import Draw

NOTHING_YET = Text("No draw yet. Press Enter to draw.", style="dim")
NOBODY_ELIGIBLE = Text.assemble(
    ("Nobody is eligible yet. ", "bold black on yellow"),
    "Senders enter once one of their comments has reached the wall; banned senders "
    "(and, when excluded, earlier winners) cannot win.",
)


class DrawResult(Static):
    """What the moderator announces, and whether the projector still shows it."""

    DEFAULT_CSS = """
    DrawResult {
        height: auto;
        min-height: 4;
        padding: 0 1;
        border: round $primary;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(NOTHING_YET, id=id, markup=False)
        self.draw: Draw | None = None
        self.on_projector = False

    def show_draw(self, draw: Draw | None, on_projector: bool) -> None:
        """Show a draw (or the hint when there is none)."""
        self.draw, self.on_projector = draw, on_projector
        if draw is None:
            self.update(NOTHING_YET)
            return
        count = len(draw.winners)
        projector = (
            Text("on the projector now (d takes it off)", style="bold green")
            if on_projector
            else Text("not on the projector", style="dim")
        )
        self.update(
            Text.assemble(
                (f"Draw #{draw.id} ", "bold"),
                (clock(draw.created_at), "dim"),
                f"  {count} winner{'s' if count != 1 else ''}: ",
                nicks_text(draw.winners, style="bold reverse"),
                "\n",
                f"seed {draw.seed} · {len(draw.entrants)} entrant"
                f"{'s' if len(draw.entrants) != 1 else ''} · {draw_rules_text(draw)}",
                "\n",
                projector,
            )
        )

    def show_nobody_eligible(self) -> None:
        """Say clearly that the draw could not happen."""
        self.draw, self.on_projector = None, False
        self.update(NOBODY_ELIGIBLE)

    @property
    def plain(self) -> str:
        """What the panel says, as plain text (for tests and screen readers)."""
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)
