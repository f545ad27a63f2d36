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

from console.language import N_, _
from server.lottery_desk import parse_prize_plan
from server.models import Prize

HINT = N_(
    "One prize a line, in drawing order: its name, then how many winners (三等奖 10). "
    "# starts a comment. Prizes already drawn count from the top; an empty plan draws "
    "one round at a time."
)


def keys_hint() -> Text:
    """The dialog's keys, spelled out."""
    return Text.assemble(
        ("Ctrl+S", "bold"), " ", _("saves"), "  ", ("Esc", "bold"), " ", _("cancels")
    )


def plan_problem(text: str) -> str | None:
    """The first line that is not a prize and a count, named in the console's language.

    Each line goes through the core's own parser, whose message is English.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            parse_prize_plan(line)
        except ValueError:
            return _("line {number}: '{line}' is not a prize and a count (e.g. 三等奖 10)").format(
                number=number, line=line.strip()
            )
    return None


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
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "cancel", N_("Cancel"), priority=True),
    ]

    def __init__(self, plan: tuple[Prize, ...]) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        """The hint, the plan's text, a line for a problem, the keys."""
        with Vertical() as box:
            box.border_title = _("Prize plan")
            yield Static(Text(_(HINT), style="dim"), markup=False)
            yield TextArea(plan_lines(self.plan), id="plan", soft_wrap=False)
            yield Static("", id="problem", markup=False)
            yield Static(keys_hint(), markup=False)

    def on_mount(self) -> None:
        """Start in the text, at its end (the next prize is usually added there)."""
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Parse the text; close with the plan, or name the line that is wrong."""
        text = self.query_one(TextArea).text
        try:
            plan = parse_prize_plan(text)
        except ValueError as exc:  # name the line: keep the dialog open to fix it
            self.query_one("#problem", Static).update(Text(plan_problem(text) or str(exc)))
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        """Close without changing the plan."""
        self.dismiss(None)
