"""The join QR code drawn in the terminal, with the URL under it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from console.language import _
from server.qr import qr_text

QR_STYLE = "#ffffff on #000000"  # light modules are blocks: force white on black


def qr_block(url: str, quiet: int = 2) -> Text:
    """``server.qr.qr_text`` with a light quiet zone around it, in fixed colours.

    The zone is ``quiet`` modules on the left and right and one text line (two modules)
    above and below, so phones find the code even on a dark terminal.
    """
    lines = qr_text(url).splitlines()
    width = len(lines[0]) + 2 * quiet
    side = "█" * quiet
    framed = ["█" * width, *(f"{side}{line}{side}" for line in lines), "█" * width]
    return Text("\n".join(framed), style=QR_STYLE, no_wrap=True)


class QrPanel(Vertical):
    """A side panel: scan-to-join code and the URL (shown only on wide terminals)."""

    DEFAULT_CSS = """
    QrPanel {
        width: auto;
        height: auto;
        padding: 0 1;
        align-horizontal: center;
    }
    QrPanel > .qr-code {
        width: 31;
    }
    QrPanel > .qr-caption {
        width: 31;
        text-align: center;
        color: $text-muted;
    }
    """

    def __init__(self, join_url: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.join_url = join_url

    def compose(self) -> ComposeResult:
        """The code, then what it opens."""
        yield Static(qr_block(self.join_url), classes="qr-code", markup=False)
        yield Static(
            Text.assemble(_("Scan to join"), "\n", (self.join_url, "bold")),
            classes="qr-caption",
            markup=False,
        )
