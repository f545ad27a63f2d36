"""A yes/no question over the current view: ``y`` confirms, ``n`` or Esc declines."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from console.language import N_, _


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing something that cannot be undone; dismisses with True or False."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        background: $background 60%;
    }
    ConfirmDialog > Vertical {
        width: 64;
        max-width: 90%;
        height: auto;
        padding: 1 2;
        border: thick $warning;
        background: $surface;
    }
    ConfirmDialog .question {
        width: 100%;
        margin-bottom: 1;
    }
    ConfirmDialog Horizontal {
        width: 100%;
        height: auto;
        align-horizontal: center;
    }
    ConfirmDialog Button {
        margin: 0 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n", "answer(False)", N_("No")),
        Binding("escape", "answer(False)", N_("Cancel")),
    ]

    def __init__(self, question: Text | str, yes: str | None = None) -> None:
        """``yes`` labels the button that confirms (already translated; "Yes" when None)."""
        super().__init__()
        # A str question is ours; audience text must come in as Text (never markup).
        self.question = question if isinstance(question, Text) else Text(question)
        self.yes_label = yes if yes is not None else _("Yes")

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical():
            yield Static(self.question, classes="question", markup=False)
            with Horizontal():
                yield Button(f"{self.yes_label} (y)", variant="error", id="yes")
                yield Button(_("No (n)"), variant="primary", id="no")

    def on_mount(self) -> None:
        """Enter on the focused button answers: start on the safe one."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button answers the question."""
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """A key answers the question."""
        self.dismiss(answer)
