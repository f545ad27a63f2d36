"""Recently shown live comments, newest first (the cursor row is selected)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from console.widgets.comment_text import clock, comment_text, nick_text
from server.models import Message, Status

ROWS_KEPT = 200


class ShownTable(DataTable[Text]):
    """Live comments that reached the wall; adding is idempotent."""

    DEFAULT_CSS = """
    ShownTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._comments: dict[int, Message] = {}

    def on_mount(self) -> None:
        """Set up the columns (every cell is a ``Text``)."""
        self.add_column(Text("#"), key="id", width=5)
        self.add_column(Text("time"), key="time", width=8)
        self.add_column(Text("how"), key="how", width=8)
        self.add_column(Text("from"), key="nick", width=12)
        self.add_column(Text("comment"), key="text")

    def load(self, comments: Iterable[Message]) -> None:
        """Show exactly these comments (given newest first)."""
        self.clear()
        self._comments.clear()
        for comment in comments:
            self._append(comment)

    def add_comment(self, comment: Message) -> None:
        """Put a newly shown comment at the top; the selection stays on its comment."""
        if comment.id in self._comments:
            return
        following = self.cursor_row <= 0
        selected = self.selected
        self._append(comment)
        self.sort("id", key=lambda cell: int(cell.plain), reverse=True)
        while len(self._comments) > ROWS_KEPT:
            oldest = min(self._comments)
            del self._comments[oldest]
            self.remove_row(str(oldest))
        if following or selected is None or selected.id not in self._comments:
            self.move_cursor(row=0)
        else:
            self.move_cursor(row=self.get_row_index(str(selected.id)))

    def _append(self, comment: Message) -> None:
        self._comments[comment.id] = comment
        how = "approved" if comment.status is Status.APPROVED else "passed"
        self.add_row(
            Text(str(comment.id), style="dim"),
            Text(clock(comment.created_at)),
            Text(how, style="yellow" if comment.status is Status.APPROVED else "dim"),
            nick_text(comment),
            comment_text(comment),
            key=str(comment.id),
        )

    @property
    def selected(self) -> Message | None:
        """The comment under the cursor, if any."""
        if not self._comments or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self._comments.get(int(row_key.value or 0))
