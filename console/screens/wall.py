"""What the wall showed lately: live comments, newest first. A bad one? Ban its sender."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from console.screens.confirm import ConfirmDialog
from console.widgets.comment_text import nick_text
from console.widgets.help_line import HelpLine
from console.widgets.qr_panel import QrPanel
from console.widgets.shown_table import ROWS_KEPT, ShownTable
from console.widgets.status_bar import StatusBar
from server.models import Message
from server.web.service import Service

KEYS = (
    ("b", "ban the selected comment's sender"),
    ("p", "pause"),
    ("u", "QR"),
    ("q", "quit"),
)


class WallScreen(Screen[None]):
    """Recently shown comments (idle replays are left out)."""

    BINDINGS = [Binding("b", "ban", "Ban sender")]

    def __init__(self, service: Service) -> None:
        super().__init__(name="wall")
        self.service = service
        self.hub = service.hub

    def compose(self) -> ComposeResult:
        """Status, the recent comments, the QR when wide, keys."""
        yield StatusBar(self.service.join_url, "wall")
        with Horizontal(classes="body"):
            yield ShownTable(id="shown")
            yield QrPanel(self.service.join_url)
        yield HelpLine(KEYS)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start from the hub's recent comments; events keep it current from here on."""
        self.table.load(self.hub.recent_shown(ROWS_KEPT))

    @property
    def table(self) -> ShownTable:
        """The wall's table."""
        return self.query_one(ShownTable)

    def comment_shown(self, comment: Message) -> None:
        """A live comment went on the wall."""
        if self.is_mounted:
            self.table.add_comment(comment)

    def action_ban(self) -> None:
        """Ban the sender of the selected comment (asking first)."""
        comment = self.table.selected
        if comment is None:
            self.notify("Nothing has been shown yet.", severity="warning")
            return
        if self.hub.is_banned(comment.sender):
            self.notify("That sender is already banned.", severity="warning")
            return
        question = Text.assemble(
            "Ban ",
            nick_text(comment),
            (f" ({comment.sender})", "dim"),
            "?\nTheir later comments are refused, their earlier ones stop replaying, "
            "and they cannot win the lottery.",
        )

        async def ban(confirmed: bool | None) -> None:
            if confirmed:
                await self.hub.ban(comment.sender)

        self.app.push_screen(ConfirmDialog(question, yes="Ban"), ban)
