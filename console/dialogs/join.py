"""The join QR code, big, with the URLs for phones and for the projector."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from console.language import N_, _
from console.widgets.qr_panel import qr_block


class JoinScreen(ModalScreen[None]):
    """Hold the laptop up to the room: phones scan this. Esc or ``u`` closes it."""

    DEFAULT_CSS = """
    JoinScreen {
        align: center middle;
        background: $background 70%;
    }
    JoinScreen > Vertical {
        width: auto;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        border: thick $primary;
        background: $surface;
        align-horizontal: center;
        overflow-y: auto;
    }
    JoinScreen .qr-code {
        width: 100%;
        text-align: center;
    }
    JoinScreen .urls {
        width: auto;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("u", "close", N_("Close")),
    ]

    def __init__(self, join_url: str, projector_url: str) -> None:
        super().__init__()
        self.join_url = join_url
        self.projector_url = projector_url

    def compose(self) -> ComposeResult:
        """The code, then where it leads."""
        with Vertical():
            yield Static(qr_block(self.join_url), classes="qr-code", markup=False)
            yield Static(
                Text.assemble(
                    (_("Phones: "), "dim"),
                    (self.join_url, "bold underline"),
                    "\n",
                    (_("Projector: "), "dim"),
                    (self.projector_url, "bold"),
                    "\n",
                    (_("Esc closes"), "dim"),
                ),
                classes="urls",
                markup=False,
            )

    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)
