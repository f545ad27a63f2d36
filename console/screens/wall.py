"""What the wall showed lately: live comments, newest first, under the half hour's sparkline.

A bad one? ``x`` takes it off every projector at once, ``b`` bans its sender, ``P`` purges
them, and ``c`` clears whatever is flying on the projectors right now. ``/`` searches every
comment of the night (:mod:`console.dialogs.search`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer

from console.dialogs.confirm import ConfirmDialog
from console.dialogs.purge import ask_purge, sender_question
from console.dialogs.search import SearchDialog
from console.language import N_, _
from console.messages import CommentRetracted, CommentShown, CoreMessage
from console.screens.view import View
from console.widgets.comment_text import nick_text
from console.widgets.help_line import HelpLine
from console.widgets.qr_panel import QrPanel
from console.widgets.shown_table import ROWS_KEPT, ShownTable
from console.widgets.sparkline import CommentSparkline
from console.widgets.status_bar import StatusBar
from server.models import Message, Status


class WallScreen(View):
    """Recently shown comments (idle replays are left out)."""

    VIEW = "wall"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "retract", N_("Take off wall")),
        Binding("c", "clear_wall", N_("Clear projector")),
        Binding("b", "ban", N_("Ban sender")),
        Binding("P", "purge", N_("Purge")),
        Binding("slash", "search", N_("Search")),
    ]

    def compose(self) -> ComposeResult:
        """Status, the recent comments, the QR when wide, keys."""
        yield StatusBar(self.service.join_url, "wall")
        yield CommentSparkline(self.hub.history)
        with Horizontal(classes="body"):
            yield ShownTable(id="shown")
            yield QrPanel(self.service.join_url)
        yield HelpLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start from the hub's recent comments; events keep it current from here on."""
        self.table.load(self.hub.recent_shown(ROWS_KEPT))

    @property
    def table(self) -> ShownTable:
        """The wall's table."""
        return self.query_one(ShownTable)

    # -- kept current by the core's events (console.dispatch) --------------------------

    def core_event(self, message: CoreMessage) -> None:
        """Live comments join the top; retracted ones (by any moderator) are struck through."""
        match message:
            case CommentShown(comment=comment):
                self.comment_shown(comment)
            case CommentRetracted(comment=comment):
                self.comment_retracted(comment)

    def comment_shown(self, comment: Message) -> None:
        """A live comment went on the wall."""
        if self.is_mounted:
            self.table.add_comment(comment)

    def comment_retracted(self, comment: Message) -> None:
        """A comment was taken off the wall (here or elsewhere): strike it through."""
        if self.is_mounted:
            self.table.mark_retracted(comment)

    # -- the moderator's keys ------------------------------------------------------------

    def _selected_or_warn(self) -> Message | None:
        comment = self.table.selected
        if comment is None:
            self.notify(_("Nothing has been shown yet."), severity="warning")
        return comment

    async def action_retract(self) -> None:
        """Take the selected comment off every projector now; it is never replayed again."""
        comment = self._selected_or_warn()
        if comment is None:
            return
        if comment.status is Status.RETRACTED:
            self.notify(
                _("#{id} is already off the wall.").format(id=comment.id), severity="warning"
            )
            return
        retracted = await self.hub.retract(comment.id)  # its Retracted event strikes it through
        if retracted is None:
            self.notify(
                _("#{id} is no longer on the wall.").format(id=comment.id), severity="warning"
            )
            return
        self.notify(
            _("#{id} taken off every projector; it will not be replayed.").format(id=comment.id),
            timeout=3,
        )

    def action_clear_wall(self) -> None:
        """Clear what is flying on the projectors now (asking first)."""

        def clear(confirmed: bool | None) -> None:
            if confirmed:
                self.hub.clear_wall()

        self.app.push_screen(
            ConfirmDialog(
                _(
                    "Clear the projector screens now? Every comment flying right now "
                    "disappears. Nothing is deleted: replays and new comments go on."
                ),
                yes=_("Clear"),
            ),
            clear,
        )

    def action_ban(self) -> None:
        """Ban the sender of the selected comment (asking first)."""
        comment = self._selected_or_warn()
        if comment is None:
            return
        if self.hub.is_banned(comment.sender):
            self.notify(_("That sender is already banned."), severity="warning")
            return
        question = Text.assemble(
            sender_question(_("Ban {who}?"), nick_text(comment), comment.sender),
            "\n",
            _(
                "Their later comments are refused, their earlier ones stop replaying, "
                "and they cannot win the lottery."
            ),
        )

        async def ban(confirmed: bool | None) -> None:
            if confirmed:
                await self.hub.ban(comment.sender)

        self.app.push_screen(ConfirmDialog(question, yes=_("Ban")), ban)

    def action_purge(self) -> None:
        """Purge the sender of the selected comment (asking first)."""
        comment = self._selected_or_warn()
        if comment is not None:
            ask_purge(self, self.hub, comment)

    def action_search(self) -> None:
        """Search every comment of the night; act on a result from there."""
        self.app.push_screen(SearchDialog(self.hub))
