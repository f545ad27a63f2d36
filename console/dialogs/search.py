"""``/`` on the wall view: search every comment of the night, and act on what it finds.

Type words from a comment, a nick or a sender id; Enter runs the search over the whole
record (shown, held, rejected, expired, retracted: :meth:`server.hub.Hub.search`) and the
cursor moves to the results, newest first. On a result, ``x`` takes it off every projector,
``b`` bans its sender and ``P`` purges them (both ask first); ``/`` types a new search, Esc
closes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from console.dialogs.confirm import ConfirmDialog
from console.dialogs.purge import ask_purge, sender_question
from console.language import N_, _, ngettext
from console.widgets.comment_text import clock, comment_text, nick_text, status_name
from console.widgets.help_line import keys_text, listed_keys
from server.hub import Hub
from server.models import Message, Status

RESULTS_SHOWN = 200

STATUS_STYLES = {
    Status.SHOWN: "dim",
    Status.APPROVED: "yellow",
    Status.HELD: "bold yellow",
    Status.REJECTED: "red",
    Status.RETRACTED: "bold red",
    Status.EXPIRED: "magenta",
}


class SearchResults(DataTable[Text]):
    """The comments found, newest first (the cursor row is selected)."""

    def __init__(self) -> None:
        super().__init__(id="results", cursor_type="row", zebra_stripes=True)
        self._found: dict[int, Message] = {}

    def on_mount(self) -> None:
        """Columns; every cell a ``Text`` (audience text is never markup)."""
        self.add_column(Text("#"), key="id", width=6)
        self.add_column(Text(_("status")), key="status", width=9)
        self.add_column(Text(_("time")), key="time", width=8)
        self.add_column(Text(_("from")), key="nick", width=12)
        self.add_column(Text(_("comment")), key="text")

    def show(self, found: list[Message]) -> None:
        """List exactly these comments."""
        self.clear()
        self._found = {m.id: m for m in found}
        for message in found:
            self.add_row(
                Text(str(message.id), style="dim"),
                Text(status_name(message.status), style=STATUS_STYLES.get(message.status, "")),
                Text(clock(message.created_at)),
                nick_text(message),
                comment_text(message),
                key=str(message.id),
            )

    @property
    def found(self) -> list[Message]:
        """The comments listed, in row order."""
        return list(self._found.values())

    @property
    def selected(self) -> Message | None:
        """The result under the cursor, if any."""
        if not self._found or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self._found.get(int(row_key.value or 0))


class SearchDialog(ModalScreen[None]):
    """A search field over the night's record, and its results."""

    DEFAULT_CSS = """
    SearchDialog {
        align: center middle;
        background: $background 60%;
    }
    SearchDialog > Vertical {
        width: 96%;
        height: 90%;
        border: thick $primary;
        background: $surface;
    }
    SearchDialog #summary, SearchDialog #keys {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    SearchDialog SearchResults {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "retract", N_("Take off wall")),
        Binding("b", "ban", N_("Ban")),
        Binding("P", "purge", N_("Purge")),
        Binding("slash", "new_search", N_("New search")),
        Binding("escape", "close", N_("Close"), key_display="Esc"),
    ]

    def __init__(self, hub: Hub) -> None:
        super().__init__()
        self.hub = hub
        self.needle = ""

    def compose(self) -> ComposeResult:
        """The field, a line saying what was found, the results, the keys."""
        with Vertical():
            yield Input(placeholder=_("words, a nick or a sender id — Enter searches"), id="needle")
            yield Static(
                Text(_("Every comment of the night: shown, held, rejected, expired.")),
                id="summary",
                markup=False,
            )
            yield SearchResults()
            yield Static(id="keys", markup=False)

    def on_mount(self) -> None:
        """Start typing at once; spell out the keys."""
        self.query_one("#keys", Static).update(keys_text(listed_keys(self.app, self.BINDINGS)))
        self.query_one(Input).focus()

    @property
    def results(self) -> SearchResults:
        """The results table."""
        return self.query_one(SearchResults)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the field has focus, letters are typed, not keys (Esc still closes)."""
        if action in ("retract", "ban", "purge", "new_search"):
            return not isinstance(self.focused, Input)
        return True

    @on(Input.Submitted)
    async def run_search(self, event: Input.Submitted) -> None:
        """Enter: search the record and move to the results."""
        event.stop()
        self.needle = event.value.strip()
        if self.needle:
            await self.refresh_results()
            self.results.focus()

    async def refresh_results(self) -> None:
        """Run the search again (after an action changed what it finds)."""
        found = await self.hub.search(self.needle, RESULTS_SHOWN)
        self.results.show(found)
        more = _(" (the newest shown)") if len(found) == RESULTS_SHOWN else ""
        found_for = ngettext(
            "{count} comment found for {needle}", "{count} comments found for {needle}", len(found)
        ).format(count=len(found), needle="{needle}")
        head, tail = found_for.split("{needle}", 1)
        self.query_one("#summary", Static).update(
            Text.assemble(head, (repr(self.needle), "bold"), tail, more)
        )

    def _selected_or_warn(self) -> Message | None:
        selected = self.results.selected
        if selected is None:
            self.notify(_("No result selected."), severity="warning")
        return selected

    async def action_retract(self) -> None:
        """Take the selected result off every projector now."""
        message = self._selected_or_warn()
        if message is None:
            return
        if await self.hub.retract(message.id) is None:
            self.notify(_("#{id} is not on the wall.").format(id=message.id), severity="warning")
            return
        self.notify(_("#{id} taken off every projector.").format(id=message.id), timeout=3)
        await self.refresh_results()

    def action_ban(self) -> None:
        """Ban the selected result's sender (asking first)."""
        message = self._selected_or_warn()
        if message is None:
            return
        if self.hub.is_banned(message.sender):
            self.notify(_("That sender is already banned."), severity="warning")
            return
        question = Text.assemble(
            sender_question(_("Ban {who}?"), nick_text(message), message.sender),
            "\n",
            _(
                "Their held comments are rejected, later ones refused, earlier ones stop "
                "replaying, and they cannot win the lottery."
            ),
        )

        async def ban(confirmed: bool | None) -> None:
            if confirmed:
                await self.hub.ban(message.sender)
                await self.refresh_results()

        self.app.push_screen(ConfirmDialog(question, yes=_("Ban")), ban)

    def action_purge(self) -> None:
        """Purge the selected result's sender (asking first)."""
        message = self._selected_or_warn()
        if message is not None:
            ask_purge(self, self.hub, message)

    def action_new_search(self) -> None:
        """Back to the field for another search."""
        self.query_one(Input).focus()

    def action_close(self) -> None:
        """Back to the wall view."""
        self.dismiss(None)
