"""The review queue: held comments, oldest first (the cursor row is selected).

Comments with the same text (a chant, a copy-paste flood: :func:`server.review.group_key`)
share one row with their count; the row stands for its oldest comment, and the queue's
keys decide the whole group at once (the hub's ``approve_group``/``reject_group``).

The table holds a window of the queue, not all of it: Textual's ``DataTable`` does work in
proportion to its rows on every change (``remove_row`` renumbers every row; the next frame
recomputes every row's offset), so with 10,000 held rows a decision took ~100 ms to reach
the screen and the event loop — the server's too — stalled as long
(``benchmarks/console_load.py``). :data:`WINDOW_ROWS` rows (far more than a screen) are in
the ``DataTable``; every held comment is in the model. A decided row is replaced by the next
one from the model, and when the cursor reaches either end of the window it slides, so the
arrows still walk the whole queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from console.widgets.comment_text import clock, comment_text, nick_text, reasons_text
from server.models import Message
from server.review import group_key

COLUMNS = (
    ("#", "id", 5),
    ("×", "count", 4),
    ("time", "time", 8),
    ("from", "nick", 12),
    ("held for", "why", 18),
)
MIN_COMMENT_WIDTH = 20
WINDOW_ROWS = 200  # rows in the DataTable at once: a screenful many times over


def _count_text(count: int) -> Text:
    return Text(f"×{count}", style="bold magenta") if count > 1 else Text("")


class HeldTable(DataTable[Text]):
    """Held comments in rows of one text each, keyed by that text; idempotent updates."""

    DEFAULT_CSS = """
    HeldTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, window: int = WINDOW_ROWS) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._groups: dict[str, dict[int, Message]] = {}  # row key -> its comments, oldest first
        self._row_of: dict[int, str] = {}  # comment id -> its row key
        self._born: dict[str, int] = {}  # row key -> when its group began (queue order)
        self._groups_begun = 0
        self._window = max(2, window)
        self._offset = 0  # the queue position of the window's first row
        self._shown: dict[str, None] = {}  # the window's row keys, in order
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
            self.load(self.comments)

    @property
    def comments(self) -> list[Message]:
        """Every comment in the table, row by row (oldest row first)."""
        return [m for group in self._groups.values() for m in group.values()]

    @property
    def row_count_groups(self) -> int:
        """How many rows (texts) the queue has, in the window or not."""
        return len(self._groups)

    @property
    def window(self) -> tuple[int, int]:
        """The queue positions of the rows in the table now: ``(first, past the last)``."""
        return (self._offset, self._offset + len(self._shown))

    def load(self, comments: Iterable[Message]) -> None:
        """Show exactly these comments, keeping the selection when it is still there."""
        selected = self.selected
        self.clear()
        self._groups.clear()
        self._row_of.clear()
        self._born.clear()
        self._shown.clear()
        self._offset = 0
        for comment in comments:
            self.add_comment(comment)
        if selected is not None:
            self.select(selected.id)

    def add_comment(self, comment: Message) -> None:
        """Add a held comment: a row of its own, or one more in its text's row."""
        if comment.id in self._row_of:
            return
        key = group_key(comment.text)
        self._row_of[comment.id] = key
        group = self._groups.get(key)
        if group is not None:
            group[comment.id] = comment
            if key in self._shown:
                self.update_cell(key, "count", _count_text(len(group)))
            return
        self._groups[key] = {comment.id: comment}
        self._born[key] = self._groups_begun
        self._groups_begun += 1
        if len(self._shown) < self._window and self.window[1] == len(self._groups) - 1:
            self._show_row(key)

    def _show_row(self, key: str) -> None:
        group = self._groups[key]
        self.add_row(*self._cells(next(iter(group.values())), len(group)), key=key)
        self._shown[key] = None

    def _fill(self) -> None:
        """Top the window up from the queue after it (or slide back when it ran dry)."""
        if not self._shown and self._offset >= len(self._groups):
            self._offset = max(0, len(self._groups) - self._window)
        start, end = self.window
        for key in islice(self._groups, end, start + self._window):
            self._show_row(key)

    def _show_window(self, offset: int) -> None:
        """Show the rows from queue position ``offset`` on (the cursor goes to the top)."""
        self.clear()
        self._shown.clear()
        self._offset = max(0, min(offset, len(self._groups) - 1))
        self._fill()

    @staticmethod
    def _cells(comment: Message, count: int) -> tuple[Text, ...]:
        return (
            Text(str(comment.id), style="dim"),
            _count_text(count),
            Text(clock(comment.created_at)),
            nick_text(comment),
            reasons_text(comment.reasons),
            comment_text(comment),
        )

    def remove_comment(self, comment_id: int) -> bool:
        """Drop a comment from its row (the row goes with its last); False when not there."""
        key = self._row_of.pop(comment_id, None)
        if key is None:
            return False
        group = self._groups[key]
        oldest = next(iter(group))
        del group[comment_id]
        if not group:
            del self._groups[key]
            born = self._born.pop(key)
            if key in self._shown:
                del self._shown[key]
                self.remove_row(key)
                self._fill()
            elif self._shown and born < self._born[next(iter(self._shown))]:
                self._offset -= 1  # a row before the window left: the window moved up one
        elif key not in self._shown:
            pass  # its row is outside the window: drawn afresh when the window gets to it
        elif comment_id == oldest:  # the row now stands for the next oldest
            first = next(iter(group.values()))
            for (_, column, _), cell in zip(COLUMNS, self._cells(first, len(group)), strict=False):
                self.update_cell(key, column, cell)
        else:
            self.update_cell(key, "count", _count_text(len(group)))
        return True

    @property
    def selected(self) -> Message | None:
        """The comment under the cursor (the oldest of its row), if any."""
        if not self._groups or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        group = self._groups.get(str(row_key.value))
        return next(iter(group.values())) if group else None

    def group_size(self, comment_id: int) -> int:
        """How many comments share this comment's row (0 when it is not in the table)."""
        key = self._row_of.get(comment_id)
        return 0 if key is None else len(self._groups[key])

    def row_of(self, comment_id: int) -> list[Text]:
        """The cells of the row a comment is in (raises when it is not in the table)."""
        return self.get_row(self._row_of[comment_id])

    def select(self, comment_id: int) -> None:
        """Move the cursor to a comment's row (sliding the window to it), when it is held."""
        key = self._row_of.get(comment_id)
        if key is None:
            return
        if key not in self._shown:
            self._show_window(list(self._groups).index(key) - self._window // 4)
        self.move_cursor(row=self.get_row_index(key))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The cursor reached an end of the window: slide it (the message goes on up)."""
        # The cursor as it is now, not as the message says: a slide posts messages of its own.
        row = self.cursor_row
        if event.data_table is not self or not self.is_valid_row_index(row):
            return
        start, end = self.window
        at_bottom = row >= len(self._shown) - 1 and end < len(self._groups)
        at_top = row <= 0 and start > 0
        if at_bottom or at_top:
            key = str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
            self._show_window(start + row - self._window // 2)
            self.move_cursor(row=self.get_row_index(key), animate=False)
