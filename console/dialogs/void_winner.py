"""Void one winner of the draw on the projector, for a reason; one replacement is drawn.

The winner is picked from the draw's standing winners (↑↓), the reason with a key
(``a`` absent, ``d`` duplicate person, ``s`` staff): no reason is chosen for the
moderator, since the record keeps it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from console.language import N_, _
from console.widgets.comment_text import no_nick, one_line, prize_text
from server.models import Draw, VoidReason

REASONS = (
    (VoidReason.ABSENT, "a", N_("absent: not in the hall when called")),
    (VoidReason.DUPLICATE, "d", N_("duplicate person: already won on another phone")),
    (VoidReason.STAFF, "s", N_("staff: organisers cannot win")),
)


def keys_hint() -> Text:
    """The dialog's keys, spelled out."""
    return Text.assemble(
        ("↑↓", "bold"),
        " ",
        _("winner"),
        "  ",
        ("a d s", "bold"),
        " ",
        _("reason"),
        "  ",
        ("Enter", "bold"),
        " ",
        _("voids and draws a replacement"),
        "  ",
        ("Esc", "bold"),
        " ",
        _("cancels"),
    )


class VoidWinnerDialog(ModalScreen[tuple[str, VoidReason] | None]):
    """Choose a standing winner and a reason; dismisses with ``(sender, reason)`` or None."""

    DEFAULT_CSS = """
    VoidWinnerDialog {
        align: center middle;
        background: $background 60%;
    }
    VoidWinnerDialog > Vertical {
        width: 68;
        max-width: 96%;
        height: auto;
        max-height: 96%;
        padding: 0 1;
        border: thick $error;
        border-title-style: bold;
        background: $surface;
    }
    VoidWinnerDialog Label {
        margin-top: 1;
    }
    VoidWinnerDialog OptionList {
        width: 100%;
        height: auto;
        max-height: 10;
    }
    VoidWinnerDialog RadioSet {
        width: 100%;
    }
    VoidWinnerDialog #problem {
        color: $error;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"reason('{reason.value}')", reason.value) for reason, key, _ in REASONS),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, draw: Draw) -> None:
        super().__init__()
        self.draw = draw
        self.reason: VoidReason | None = None

    def compose(self) -> ComposeResult:
        """The draw, its winners, the reasons, the keys."""
        with Vertical() as box:
            box.border_title = _("Void a winner of draw #{id}").format(id=self.draw.id)
            yield Static(
                Text.assemble(
                    prize_text(self.draw.rules.prize),
                    " · ",
                    _("a replacement is drawn from those left, with a seed of its own"),
                ),
                markup=False,
            )
            yield Label(_("Winner"))
            yield OptionList(
                *(
                    Option(
                        Text.assemble(
                            Text(one_line(w.nick)) if w.nick else no_nick(),
                            (f"  {w.sender}", "dim"),
                        ),
                        id=w.sender,
                    )
                    for w in self.draw.standing
                ),
                id="standing",
                markup=False,
            )
            yield Label(_("Reason"))
            with RadioSet(id="reasons"):
                for reason, key, words in REASONS:
                    yield RadioButton(Text(f"{key}  {_(words)}"), name=reason.value)
            yield Static("", id="problem", markup=False)
            yield Static(keys_hint(), markup=False)

    def on_mount(self) -> None:
        """Keys on the winners' list; the reasons are chosen with a key (or a click)."""
        self.query_one(RadioSet).can_focus = False
        winners = self.query_one(OptionList)
        winners.highlighted = 0
        winners.focus()

    def action_reason(self, value: str) -> None:
        """Choose the reason."""
        reason = VoidReason(value)
        for button in self.query(RadioButton):
            if button.name == reason.value:
                button.value = True

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Remember the reason chosen (by key or by click)."""
        name = event.pressed.name
        self.reason = VoidReason(name) if name else None
        self.query_one("#problem", Static).update("")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a winner voids them, once a reason is chosen."""
        event.stop()
        if self.reason is None:
            self.query_one("#problem", Static).update(
                Text(_("Choose a reason first: a absent, d duplicate person, s staff."))
            )
            return
        if event.option.id is not None:
            self.dismiss((event.option.id, self.reason))

    def action_cancel(self) -> None:
        """Close without voiding anyone."""
        self.dismiss(None)
