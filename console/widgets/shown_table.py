"""Recently shown live comments, newest first (the cursor row is selected).

A comment taken off the wall stays listed, struck through, until the view is rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from console.language import _
from console.widgets.comment_text import clock, comment_text, nick_text
from server.models import Message, Status

ROWS_KEPT = 200
RETRACTED_STYLE = "dim strike"


def _how(comment: Message) -> Text:
    if comment.status is Status.RETRACTED:
        return Text(_("retracted"), style="bold red")
    if comment.status is Status.HELD:  # an approval undone: back in the queue
        return Text(_("undone"), style="bold red")
    if comment.masked_text is not None:
        return Text(_("masked"), style="yellow")
    if comment.status is Status.APPROVED:
        return Text(_("approved"), style="yellow")
    return Text(_("passed"), style="dim")


def _text_cell(comment: Message) -> Text:
    text = comment_text(comment.as_shown())  # what the projectors show
    if comment.status in (Status.RETRACTED, Status.HELD):
        text.stylize(RETRACTED_STYLE)
    return text


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
        self.add_column(Text(_("time")), key="time", width=8)
        self.add_column(Text(_("how")), key="how", width=9)
        self.add_column(Text(_("from")), key="nick", width=12)
        self.add_column(Text(_("comment")), key="text")

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
        self.add_row(
            Text(str(comment.id), style="dim"),
            Text(clock(comment.created_at)),
            _how(comment),
            nick_text(comment),
            _text_cell(comment),
            key=str(comment.id),
        )

    def mark_retracted(self, comment: Message) -> bool:
        """Strike through a comment that was taken off the wall; False when it is not listed."""
        if comment.id not in self._comments:
            return False
        self._comments[comment.id] = comment
        key = str(comment.id)
        self.update_cell(key, "how", _how(comment))
        self.update_cell(key, "text", _text_cell(comment))
        return True

    def comment(self, comment_id: int) -> Message | None:
        """A listed comment by id."""
        return self._comments.get(comment_id)

    @property
    def selected(self) -> Message | None:
        """The comment under the cursor, if any."""
        if not self._comments or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self._comments.get(int(row_key.value or 0))
