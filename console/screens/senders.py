"""Who is sending: every sender with their lottery weight (comments on the wall).

``b`` bans the selected sender (asking first), ``U`` lets a banned one send again.
The list follows the core's events, redrawn at most a few times a second.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Static

from console.dialogs.confirm import ConfirmDialog
from console.dialogs.purge import sender_question
from console.dispatch import Dispatcher
from console.language import N_, _, counted, ngettext
from console.messages import (
    CommentHeld,
    CommentRetracted,
    CommentShown,
    CoreMessage,
    SenderBanned,
    StatsUpdated,
)
from console.screens.view import View
from console.widgets.comment_text import no_nick
from console.widgets.help_line import HelpLine
from console.widgets.qr_panel import QrPanel
from console.widgets.senders_table import SendersTable
from console.widgets.status_bar import StatusBar
from server.models import Sender
from server.web.service import Service

REFRESH_SECONDS = 0.5  # a busy wall changes weights many times a second: redraw at most this often


def _nick(sender: Sender) -> Text:
    return Text(sender.nick, style="bold") if sender.nick else no_nick()


def summary(senders: list[Sender]) -> Text:
    """How many senders, how many can win the lottery, how many are banned."""
    eligible = sum(1 for s in senders if s.on_screen > 0 and not s.banned)
    banned = sum(1 for s in senders if s.banned)
    return Text(" · ").join(
        (
            counted(ngettext("{count} sender", "{count} senders", len(senders)), len(senders)),
            counted(_("{count} in the lottery (weight = comments on the wall)"), eligible),
            counted(_("{count} banned"), banned, "bold red" if banned else "bold"),
        )
    )


class SendersScreen(View):
    """The audience, heaviest lottery weight first."""

    VIEW = "senders"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "ban", N_("Ban")),
        Binding("U", "unban", N_("Unban")),
    ]

    def __init__(self, service: Service, dispatcher: Dispatcher) -> None:
        super().__init__(service, dispatcher)
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        """Status, the counts, the senders, the QR when wide, keys."""
        yield StatusBar(self.service.join_url, "senders")
        with Horizontal(classes="body"):
            with Vertical(classes="main"):
                yield Static(id="summary", classes="section-title", markup=False)
                yield SendersTable(id="senders")
            yield QrPanel(self.service.join_url)
        yield HelpLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start from the hub's senders."""
        self.refresh_senders()

    def on_screen_resume(self) -> None:
        """Back in view: show the latest."""
        self.refresh_senders()

    @property
    def table(self) -> SendersTable:
        """The senders' table."""
        return self.query_one(SendersTable)

    # -- kept current by the core's events (console.dispatch) --------------------------

    def core_event(self, message: CoreMessage) -> None:
        """Comments, bans and retractions change senders' weights: redraw soon."""
        match message:
            case (
                StatsUpdated()
                | CommentHeld()
                | CommentShown()
                | CommentRetracted()
                | SenderBanned()
            ):
                self.senders_changed()

    def senders_changed(self) -> None:
        """Something changed a sender (a comment, a ban, a retraction): redraw soon."""
        if self.is_mounted and self._pending is None:
            self._pending = self.dispatcher.later("senders", REFRESH_SECONDS, self.refresh_senders)

    def refresh_senders(self) -> None:
        """Redraw from the hub now."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        senders = self.hub.senders()
        self.table.load(senders)
        self.query_one("#summary", Static).update(summary(senders))

    # -- the moderator's keys ------------------------------------------------------------

    def _selected_or_warn(self) -> Sender | None:
        sender = self.table.selected
        if sender is None:
            self.notify(_("Nobody has sent anything yet."), severity="warning")
        return sender

    def action_ban(self) -> None:
        """Ban the selected sender (asking first)."""
        sender = self._selected_or_warn()
        if sender is None:
            return
        if self.hub.is_banned(sender.id):
            self.notify(_("That sender is already banned (U unbans)."), severity="warning")
            return
        waiting = sum(1 for m in self.hub.held() if m.sender == sender.id)
        question = Text.assemble(
            sender_question(_("Ban {who}?"), _nick(sender), sender.id),
            "\n",
            ngettext(
                "Their {count} held comment will be rejected, their later comments refused, "
                "their earlier ones stop replaying, and they cannot win the lottery.",
                "Their {count} held comments will be rejected, their later comments refused, "
                "their earlier ones stop replaying, and they cannot win the lottery.",
                waiting,
            ).format(count=waiting),
        )

        async def ban(confirmed: bool | None) -> None:
            if confirmed:  # its Banned event redraws the list
                await self.hub.ban(sender.id)

        self.app.push_screen(ConfirmDialog(question, yes=_("Ban")), ban)

    async def action_unban(self) -> None:
        """Let the selected sender send again (their comments may replay again)."""
        sender = self._selected_or_warn()
        if sender is None:
            return
        if not self.hub.is_banned(sender.id):
            self.notify(_("That sender is not banned."), severity="warning")
            return
        await self.hub.unban(sender.id)
        self.refresh_senders()  # the core has no event for an unban: redraw here
        who = sender.nick or sender.id
        self.notify(
            _("Unbanned {who}: they can send again.").format(who=who), markup=False, timeout=3
        )
