"""The review queue: held comments, oldest first, one row each (the cursor row is selected)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from console.widgets.comment_text import clock, comment_text, nick_text, reasons_text
from server.models import Message

COLUMNS = (("#", "id", 5), ("time", "time", 8), ("from", "nick", 12), ("held for", "why", 18))
MIN_COMMENT_WIDTH = 20


class HeldTable(DataTable[Text]):
    """Held comments keyed by id; adding and removing are idempotent."""

    DEFAULT_CSS = """
    HeldTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._comments: dict[int, Message] = {}
        self._comment_width = MIN_COMMENT_WIDTH

    def on_mount(self) -> None:
        """Set up the columns (every cell is a ``Text``: audience text is never markup)."""
        self._add_columns()

    def _add_columns(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(Text(label), key=key, width=width)
        self.add_column(Text("comment"), key="text", width=self._comment_width)

    def on_resize(self, event: events.Resize) -> None:
        """The comment column takes the width the others leave (the detail shows it all)."""
        fixed = sum(width + 2 * self.cell_padding for _, _, width in COLUMNS)
        width = max(MIN_COMMENT_WIDTH, event.size.width - fixed - 2 * self.cell_padding - 1)
        if width != self._comment_width:
            self._comment_width = width
            self.clear(columns=True)
            self._add_columns()
            self.load(list(self._comments.values()))

    @property
    def comments(self) -> list[Message]:
        """The comments in the table, in row order (oldest first)."""
        return list(self._comments.values())

    def load(self, comments: Iterable[Message]) -> None:
        """Show exactly these comments, keeping the selection when it is still there."""
        selected = self.selected
        self.clear()
        self._comments.clear()
        for comment in comments:
            self.add_comment(comment)
        if selected is not None:
            self.select(selected.id)

    def add_comment(self, comment: Message) -> None:
        """Append a held comment (ignored when it is already in the table)."""
        if comment.id in self._comments:
            return
        self._comments[comment.id] = comment
        self.add_row(
            Text(str(comment.id), style="dim"),
            Text(clock(comment.created_at)),
            nick_text(comment),
            reasons_text(comment.reasons),
            comment_text(comment),
            key=str(comment.id),
        )

    def remove_comment(self, comment_id: int) -> bool:
        """Drop a comment from the table; False when it was not there."""
        if self._comments.pop(comment_id, None) is None:
            return False
        self.remove_row(str(comment_id))
        return True

    @property
    def selected(self) -> Message | None:
        """The comment under the cursor, if any."""
        if not self._comments or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self._comments.get(int(row_key.value or 0))

    def select(self, comment_id: int) -> None:
        """Move the cursor to a comment, when it is in the table."""
        if comment_id in self._comments:
            self.move_cursor(row=self.get_row_index(str(comment_id)))
