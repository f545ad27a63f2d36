"""Add a word to a wordlist from a held comment: comments with it are held from now on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from console.dialogs.word_check import checked_word
from console.language import N_, _
from console.widgets.comment_text import comment_text, nick_text
from server.models import Message


def keys_hint() -> Text:
    """The dialog's keys, spelled out."""
    return Text.assemble(
        ("Enter", "bold"),
        " ",
        _("adds"),
        "  ",
        ("↑↓", "bold"),
        " ",
        _("choose the list"),
        "  ",
        ("Esc", "bold"),
        " ",
        _("cancels"),
    )


def comment_line(comment: Message) -> Text:
    """``#id nick: text`` on one line, matches highlighted, cut with an ellipsis."""
    line = Text.assemble(
        (f"#{comment.id} ", "dim"), nick_text(comment), ": ", comment_text(comment)
    )
    line.no_wrap = True
    line.overflow = "ellipsis"
    return line


class AddTermDialog(ModalScreen[tuple[str, str] | None]):
    """Type (or keep) a word and pick its list; dismisses with ``(word, category)`` or None."""

    DEFAULT_CSS = """
    AddTermDialog {
        align: center middle;
        background: $background 60%;
    }
    AddTermDialog > Vertical {
        width: 64;
        max-width: 96%;
        height: auto;
        max-height: 96%;
        padding: 0 1;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
    }
    AddTermDialog .comment, AddTermDialog .hint {
        width: 100%;
        height: 1;
        color: $text-muted;
    }
    AddTermDialog Label {
        margin-top: 1;
    }
    AddTermDialog OptionList {
        height: auto;
        max-height: 8;
    }
    AddTermDialog OptionList > .option-list--option-highlighted {
        background: $primary;
        color: $text;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("up", "move_list(-1)", N_("Previous list"), show=False),
        Binding("down", "move_list(1)", N_("Next list"), show=False),
    ]

    def __init__(
        self, comment: Message, word: str, lists: Mapping[str, str], category: str
    ) -> None:
        """``lists`` maps each category to the name of its file; ``category`` starts chosen."""
        super().__init__()
        self.comment = comment
        self.word = word
        self.lists = dict(lists)
        self.category = category if category in self.lists else next(iter(self.lists))

    def compose(self) -> ComposeResult:
        """The comment, the word, the lists, the keys."""
        with Vertical() as box:
            box.border_title = _("Add a word to a list")
            yield Static(comment_line(self.comment), classes="comment", markup=False)
            yield Label(_("Word (comments containing it are held for review)"))
            yield Input(self.word, id="word")
            yield Label(_("List"))
            options = [Option(self._prompt(category), id=category) for category in self.lists]
            yield OptionList(*options, id="lists", markup=False)
            yield Static(keys_hint(), classes="hint", markup=False)

    def on_mount(self) -> None:
        """Start in the word field, with the suggested list chosen."""
        lists = self.query_one(OptionList)
        lists.can_focus = False  # the keys stay in the word field; ↑↓ move the choice
        lists.highlighted = list(self.lists).index(self.category)
        self.query_one(Input).focus()

    def _prompt(self, category: str) -> Text:
        """One list: a marker when chosen (for terminals without colour), name, file."""
        marker = "▶ " if category == self.category else "  "
        return Text.assemble(marker, (category, "bold"), (f"  {self.lists[category]}", "dim"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Remember the chosen list and mark it."""
        if event.option.id is None:
            return
        previous, self.category = self.category, event.option.id
        lists = self.query_one(OptionList)
        for category in {previous, self.category}:
            lists.replace_option_prompt(category, self._prompt(category))

    def action_move_list(self, step: int) -> None:
        """Choose the previous or next list."""
        lists = self.query_one(OptionList)
        if step < 0:
            lists.action_cursor_up()
        else:
            lists.action_cursor_down()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter adds the word to the chosen list."""
        event.stop()
        word = checked_word(self, event.value)
        if word is not None:
            self.dismiss((word, self.category))

    def action_cancel(self) -> None:
        """Close without adding anything."""
        self.dismiss(None)
