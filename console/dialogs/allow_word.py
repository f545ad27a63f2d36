"""Allow a word from a held comment: an innocent word that contains a listed term."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from console.dialogs.add_term import comment_line
from console.dialogs.word_check import checked_word
from console.language import N_, _
from server.models import Message


def keys_hint() -> Text:
    """The dialog's keys, spelled out."""
    return Text.assemble(
        ("Enter", "bold"), " ", _("allows"), "  ", ("Esc", "bold"), " ", _("cancels")
    )


class AllowWordDialog(ModalScreen[str | None]):
    """Type (or keep) the innocent word; dismisses with it, or None."""

    DEFAULT_CSS = """
    AllowWordDialog {
        align: center middle;
        background: $background 60%;
    }
    AllowWordDialog > Vertical {
        width: 64;
        max-width: 96%;
        height: auto;
        max-height: 96%;
        padding: 0 1;
        border: thick $success;
        border-title-style: bold;
        background: $surface;
    }
    AllowWordDialog .comment, AllowWordDialog .hint, AllowWordDialog .file {
        width: 100%;
        height: 1;
        color: $text-muted;
    }
    AllowWordDialog Label {
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, comment: Message, word: str, file_name: str) -> None:
        super().__init__()
        self.comment = comment
        self.word = word
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        """The comment, the word, where it is written, the keys."""
        with Vertical() as box:
            box.border_title = _("Allow a word")
            yield Static(comment_line(self.comment), classes="comment", markup=False)
            yield Label(_("Word (a listed term inside it no longer holds a comment)"))
            yield Input(self.word, id="word")
            yield Static(
                Text(_("Written to {file}").format(file=self.file_name)),
                classes="file",
                markup=False,
            )
            yield Static(keys_hint(), classes="hint", markup=False)

    def on_mount(self) -> None:
        """Start in the word field."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter allows the word."""
        event.stop()
        word = checked_word(self, event.value)
        if word is not None:
            self.dismiss(word)

    def action_cancel(self) -> None:
        """Close without allowing anything."""
        self.dismiss(None)
