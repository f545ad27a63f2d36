"""Everyone who sent something, heaviest lottery weight first (the cursor row is selected)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from console.language import _
from console.widgets.comment_text import no_nick, one_line
from server.models import Sender


def weight_order(sender: Sender) -> tuple[int, int, str, str]:
    """Most comments on the wall first, then most sent, then by nick and id."""
    return (-sender.on_screen, -sender.total, sender.nick.casefold(), sender.id)


class SendersTable(DataTable[Text]):
    """Senders keyed by id; reloading keeps the cursor on the same sender."""

    DEFAULT_CSS = """
    SendersTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._senders: dict[str, Sender] = {}

    def on_mount(self) -> None:
        """Set up the columns (every cell is a ``Text``: nicks are audience text)."""
        self.add_column(Text(_("nick")), key="nick", width=16)
        self.add_column(Text(_("on wall"), justify="right"), key="weight", width=7)
        self.add_column(Text(_("sent"), justify="right"), key="total", width=5)
        self.add_column(Text(_("banned")), key="banned", width=6)
        self.add_column(Text(_("id")), key="id")

    @property
    def senders(self) -> list[Sender]:
        """The senders in row order."""
        return list(self._senders.values())

    def load(self, senders: Iterable[Sender]) -> None:
        """Show exactly these senders, heaviest first, keeping the cursor's sender."""
        selected = self.selected
        row = self.cursor_row
        ordered = sorted(senders, key=weight_order)
        if ordered == self.senders:
            return
        self.clear()
        self._senders = {sender.id: sender for sender in ordered}
        for sender in ordered:
            banned = sender.banned
            self.add_row(
                Text(one_line(sender.nick)) if sender.nick else no_nick(),
                Text(str(sender.on_screen), style="bold", justify="right"),
                Text(str(sender.total), justify="right"),
                Text(_("banned"), style="bold red") if banned else Text(""),
                Text(sender.id, style="dim"),
                key=sender.id,
            )
        if selected is not None and selected.id in self._senders:
            self.move_cursor(row=self.get_row_index(selected.id))
        elif ordered:
            self.move_cursor(row=min(max(row, 0), len(ordered) - 1))

    @property
    def selected(self) -> Sender | None:
        """The sender under the cursor, if any."""
        if not self._senders or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self._senders.get(str(row_key.value))
