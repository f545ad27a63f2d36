"""The main view: held comments waiting for the moderator, oldest first.

Comments with the same text share a row (with their count) and every key here decides the
whole row: one ``a`` approves a chant sent by three hundred phones.

Besides deciding on each comment, the moderator edits the wordlists from here: ``w`` adds
a word to a list, ``k`` adds one to the allow list. The files change and new comments are
checked with the change at once.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer

from console.dialogs.add_term import AddTermDialog
from console.dialogs.allow_word import AllowWordDialog
from console.dialogs.confirm import ConfirmDialog
from console.dialogs.purge import ask_purge, comments, sender_question, undo_notice
from console.dialogs.word_check import term_problem
from console.dispatch import Dispatcher
from console.language import N_, _, ngettext
from console.messages import CommentHeld, CommentResolved, CoreMessage
from console.screens.view import View
from console.widgets.comment_detail import CommentDetail
from console.widgets.comment_text import matched_word, nick_text
from console.widgets.held_table import HeldTable
from console.widgets.help_line import HelpLine
from console.widgets.qr_panel import QrPanel
from console.widgets.status_bar import StatusBar
from server.curation import Curator
from server.models import Message, Reason
from server.web.service import Service

log = logging.getLogger(__name__)

CONFIRM_APPROVE_ALL_OVER = 3  # approving more than this many at once asks first
CONFIRM_REJECT_ALL_OVER = 3  # so does rejecting


class QueueScreen(View):
    """Review held comments: approve, reject, approve all, or ban the sender."""

    VIEW = "queue"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", N_("Approve")),
        Binding("r", "reject", N_("Reject")),
        Binding("A", "approve_all", N_("Approve all")),
        Binding("R", "reject_all", N_("Reject all")),
        Binding("m", "approve_masked", N_("Mask")),
        Binding("z", "undo", N_("Undo")),
        Binding("b", "ban", N_("Ban")),
        Binding("P", "purge", N_("Purge")),
        Binding("w", "add_term", N_("Add to list")),
        Binding("k", "allow_word", N_("Allow")),
    ]

    def __init__(self, service: Service, dispatcher: Dispatcher) -> None:
        super().__init__(service, dispatcher)
        self._described: tuple[Message | None, int] | None = None  # what the detail shows

    def compose(self) -> ComposeResult:
        """Status, the queue with the selected comment in full, the QR when wide, keys."""
        yield StatusBar(self.service.join_url, "queue")
        with Horizontal(classes="body"):
            with Vertical(classes="main"):
                yield HeldTable(id="held")
                yield CommentDetail(id="detail")
            yield QrPanel(self.service.join_url)
        yield HelpLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start from the hub's queue; events keep it current from here on."""
        self.table.load(self.hub.held())
        self._show_selected()

    @property
    def table(self) -> HeldTable:
        """The queue's table."""
        return self.query_one(HeldTable)

    # -- kept current by the core's events (console.dispatch) --------------------------

    def core_event(self, message: CoreMessage) -> None:
        """Held comments join the queue; resolved ones (by any moderator) leave it."""
        match message:
            case CommentHeld(comment=comment):
                self.comment_held(comment)
            case CommentResolved(comment=comment):
                self.comment_resolved(comment)

    def comment_held(self, comment: Message) -> None:
        """A new flagged comment joins the end of the queue."""
        if self.is_mounted:
            self.table.add_comment(comment)
            self._show_selected()

    def comment_resolved(self, comment: Message) -> None:
        """A comment was approved or rejected (here or elsewhere): it leaves the queue."""
        if self.is_mounted and self.table.remove_comment(comment.id):
            self._show_selected()

    def _show_selected(self) -> None:
        """Describe the selected comment, when it or its count changed.

        A new description lays the screen out again: not for every event of the queue.
        """
        selected = self.table.selected
        alike = 0 if selected is None else self.table.group_size(selected.id)
        if (selected, alike) != self._described:
            self._described = (selected, alike)
            self.query_one(CommentDetail).show(selected, alike)

    def on_held_table_highlighted(self, event: HeldTable.Highlighted) -> None:
        """The cursor moved: describe the comment under it."""
        self._show_selected()

    # -- the moderator's keys ------------------------------------------------------------

    def _selected_or_warn(self) -> Message | None:
        comment = self.table.selected
        if comment is None:
            self.notify(_("Nothing is waiting for review."), severity="warning")
        return comment

    async def action_approve(self) -> None:
        """Put the selected row on the wall: its comment and every one with the same text."""
        comment = self._selected_or_warn()
        if comment is None:
            return
        approved = await self.hub.approve_group(comment.id)  # Resolved events update the table
        if not approved:
            self.notify(self._handled(comment), severity="warning")
        elif len(approved) == 1:
            self.notify(_("#{id} approved: it is on the wall.").format(id=comment.id), timeout=2)
        else:
            self.notify(
                _("Approved {comments} with this text.").format(comments=comments(len(approved))),
                timeout=2,
            )

    async def action_reject(self) -> None:
        """Keep the selected row off the wall for good (every comment with its text)."""
        comment = self._selected_or_warn()
        if comment is None:
            return
        rejected = await self.hub.reject_group(comment.id)  # Resolved events update the table
        if not rejected:
            self.notify(self._handled(comment), severity="warning")
        elif len(rejected) == 1:
            self.notify(_("#{id} rejected.").format(id=comment.id), timeout=2)
        else:
            self.notify(
                _("Rejected {comments} with this text.").format(comments=comments(len(rejected))),
                timeout=2,
            )

    @staticmethod
    def _handled(comment: Message) -> str:
        return _("#{id} was already handled.").format(id=comment.id)

    async def action_approve_masked(self) -> None:
        """Approve the selected row with its matched words masked (＊ per character)."""
        comment = self._selected_or_warn()
        if comment is None:
            return
        approved = await self.hub.approve_masked(comment.id)  # Resolved events update the table
        if not approved:
            self.notify(self._handled(comment), severity="warning")
            return
        masked = approved[0].masked_text or ""
        self.notify(
            _("Approved {comments} masked: {text}").format(
                comments=comments(len(approved)), text=masked
            ),
            timeout=3,
            markup=False,
        )

    async def action_undo(self) -> None:
        """Take back the last decision (within a minute); again for the one before."""
        decision = await self.hub.undo()
        if decision is None:
            self.notify(_("Nothing to undo: no decision in the last minute."), severity="warning")
            return
        self.notify(undo_notice(decision), timeout=3, markup=False)
        if decision.messages:  # the comment is back: select it
            self.table.select(decision.messages[0].id)
            self._show_selected()

    async def action_approve_all(self) -> None:
        """Approve the whole queue (asking first when it is more than a few)."""
        count = len(self.hub.held())
        if count == 0:
            self.notify(_("Nothing is waiting for review."), severity="warning")
        elif count <= CONFIRM_APPROVE_ALL_OVER:
            await self._approve_all(True)
        else:
            question = _(
                "Approve all {count} held comments? Every one of them goes on the wall."
            ).format(count=count)
            self.app.push_screen(ConfirmDialog(question, yes=_("Approve all")), self._approve_all)

    async def _approve_all(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        approved = await self.hub.approve_all()  # one Resolved event each empties the table
        self.notify(_("Approved {comments}.").format(comments=comments(approved)), timeout=2)

    async def action_reject_all(self) -> None:
        """Reject the whole queue (asking first when it is more than a few)."""
        count = len(self.hub.held())
        if count == 0:
            self.notify(_("Nothing is waiting for review."), severity="warning")
        elif count <= CONFIRM_REJECT_ALL_OVER:
            await self._reject_all(True)
        else:
            question = _("Reject all {count} held comments? None of them will be shown.").format(
                count=count
            )
            self.app.push_screen(ConfirmDialog(question, yes=_("Reject all")), self._reject_all)

    async def _reject_all(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        rejected = await self.hub.reject_all()  # one Resolved event each empties the table
        self.notify(_("Rejected {comments}.").format(comments=comments(rejected)), timeout=2)

    def action_ban(self) -> None:
        """Ban the selected comment's sender (asking first)."""
        comment = self._selected_or_warn()
        if comment is None:
            return
        waiting = sum(1 for m in self.hub.held() if m.sender == comment.sender)
        question = Text.assemble(
            sender_question(_("Ban {who}?"), nick_text(comment), comment.sender),
            "\n",
            ngettext(
                "Their {count} held comment will be rejected, their later comments refused, "
                "and they cannot win the lottery.",
                "Their {count} held comments will be rejected, their later comments refused, "
                "and they cannot win the lottery.",
                waiting,
            ).format(count=waiting),
        )

        async def ban(confirmed: bool | None) -> None:
            if confirmed:  # their held comments leave the table on their Resolved events
                await self.hub.ban(comment.sender)

        self.app.push_screen(ConfirmDialog(question, yes=_("Ban")), ban)

    def action_purge(self) -> None:
        """Purge the selected comment's sender (asking first)."""
        comment = self._selected_or_warn()
        if comment is not None:
            ask_purge(self, self.hub, comment)

    # -- live wordlist edits -------------------------------------------------------------

    def _curator_or_warn(self) -> Curator | None:
        curator = self.service.curator
        if curator is None:
            self.notify(_("The wordlists cannot be edited in this session."), severity="warning")
        return curator

    @staticmethod
    def _listed_reason(comment: Message, categories: list[str]) -> Reason | None:
        """The first reason from an editable list, else the first reason of any kind."""
        for reason in comment.reasons:
            if reason.category in categories:
                return reason
        return comment.reasons[0] if comment.reasons else None

    def action_add_term(self) -> None:
        """Add a word (the matched term, to edit) to a list: comments with it are held."""
        curator = self._curator_or_warn()
        comment = self._selected_or_warn() if curator else None
        if curator is None or comment is None:
            return
        categories = curator.categories()
        if not categories:
            self.notify(_("No wordlist file is in use to add words to."), severity="warning")
            return
        reason = self._listed_reason(comment, categories)
        word = reason.term if reason is not None else comment.text
        category = reason.category if reason is not None else categories[0]
        lists = {c: curator.list_file(c).name for c in categories}

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.add_term(curator, *result)

        self.app.push_screen(AddTermDialog(comment, word, lists, category), chosen)

    def add_term(self, curator: Curator, word: str, category: str) -> None:
        """Write the word to the list and swap in the rebuilt filter."""
        name = curator.list_file(category).name
        self.apply_list_change(
            curator.add_term(word, category),
            word,
            name,
            _("Added '{word}' to {name}; new comments are checked with it now.").format(
                word=word, name=name
            ),
        )

    @work(group="curation")
    async def apply_list_change(
        self, change: Coroutine[Any, Any, bool], word: str, name: str, done: str
    ) -> None:
        """Await a wordlist change (file written, filter rebuilt) and say how it went."""
        try:
            added = await change
        except ValueError:  # a word no list file can hold
            self.notify(
                _("Could not use '{word}': {error}").format(word=word, error=term_problem(word)),
                severity="error",
                markup=False,
            )
            return
        except Exception as exc:  # an unwritable file, a list that no longer loads
            log.exception("changing %s with %r failed", name, word)
            self.notify(
                _("Could not change {name} with '{word}': {error}").format(
                    name=name, word=word, error=exc
                ),
                severity="error",
                markup=False,
            )
            return
        if added:
            self.notify(done, markup=False)
        else:
            self.notify(
                _("'{word}' is already in {name}.").format(word=word, name=name),
                severity="warning",
                markup=False,
            )

    def action_allow_word(self) -> None:
        """Allow the innocent word around the match: a term inside it no longer holds."""
        curator = self._curator_or_warn()
        comment = self._selected_or_warn() if curator else None
        if curator is None or comment is None:
            return
        path = curator.allow_file
        if path is None:
            self.notify(
                _("No allow list is in use (start with --allow FILE to have one)."),
                severity="warning",
            )
            return
        reason = self._listed_reason(comment, curator.categories())
        word = matched_word(comment, reason) if reason is not None else comment.text

        def chosen(result: str | None) -> None:
            if result is not None:
                self.allow_word(curator, result)

        self.app.push_screen(AllowWordDialog(comment, word, path.name), chosen)

    def allow_word(self, curator: Curator, word: str) -> None:
        """Write the word to the allow list and swap in the rebuilt filter."""
        path = curator.allow_file
        name = path.name if path is not None else _("the allow list")
        self.apply_list_change(
            curator.allow(word),
            word,
            name,
            _(
                "Allowed '{word}' ({name}); new comments are checked with it now. "
                "The held comment stays here: a approves it."
            ).format(word=word, name=name),
        )
