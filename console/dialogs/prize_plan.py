"""Type the night's prize plan: one prize a line, in drawing order (``三等奖 10``).

The same format as ``--prizes FILE``, parsed by :func:`server.lottery_desk.parse_prize_plan`;
a bad line is named under the text and the dialog stays open until it is fixed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from server.lottery_desk import parse_prize_plan
from server.models import Prize

HINT = Text(
    "One prize a line, in drawing order: its name, then how many winners (三等奖 10). "
    "# starts a comment. Prizes already drawn count from the top; an empty plan draws "
    "one round at a time.",
    style="dim",
)
KEYS = Text.assemble(("Ctrl+S", "bold"), " saves  ", ("Esc", "bold"), " cancels")


def plan_lines(plan: tuple[Prize, ...]) -> str:
    """A plan as the text the dialog edits (and ``--prizes`` reads)."""
    return "".join(f"{prize.name} {prize.count}\n" for prize in plan)


class PrizePlanDialog(ModalScreen[tuple[Prize, ...] | None]):
    """Edit the plan; dismisses with the parsed plan, or None when cancelled."""

    DEFAULT_CSS = """
    PrizePlanDialog {
        align: center middle;
        background: $background 60%;
    }
    PrizePlanDialog > Vertical {
        width: 64;
        max-width: 96%;
        height: auto;
        max-height: 96%;
        padding: 0 1;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
    }
    PrizePlanDialog TextArea {
        height: 10;
        margin: 1 0 0 0;
    }
    PrizePlanDialog #problem {
        color: $error;
        text-style: bold;
    }
    """

    # Priority: the text area would otherwise take both keys for itself.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, plan: tuple[Prize, ...]) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        """The hint, the plan's text, a line for a problem, the keys."""
        with Vertical() as box:
            box.border_title = "Prize plan"
            yield Static(HINT, markup=False)
            yield TextArea(plan_lines(self.plan), id="plan", soft_wrap=False)
            yield Static("", id="problem", markup=False)
            yield Static(KEYS, markup=False)

    def on_mount(self) -> None:
        """Start in the text, at its end (the next prize is usually added there)."""
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Parse the text; close with the plan, or name the line that is wrong."""
        try:
            plan = parse_prize_plan(self.query_one(TextArea).text)
        except ValueError as exc:  # it names the line: keep the dialog open to fix it
            self.query_one("#problem", Static).update(Text(str(exc)))
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        """Close without changing the plan."""
        self.dismiss(None)
