"""The review queue: held comments, oldest first (the cursor row is selected).

Comments with the same text (a chant, a copy-paste flood: :func:`server.review.group_key`)
share one row with their count; the row stands for its oldest comment, and the queue's
keys decide the whole group at once (the hub's ``approve_group``/``reject_group``).

A Line-API widget, not Textual's ``DataTable``: the console shares its event loop with the
server, and a ``DataTable`` re-renders every visible cell after any change (~35 ms a frame
at 120x40 with the queue full, so a decision took ~100 ms to reach the screen and the
wall's send→show waited as long; ``benchmarks/console_load.py``). Here each row is rendered
once into a :class:`~textual.strip.Strip` and kept until that row changes; a frame looks
the visible rows up. Every row is in the widget (10,000 cost nothing until they are seen).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message as TextualMessage
from textual.scroll_view import ScrollView
from textual.strip import Strip

from console.language import N_, _
from console.widgets.comment_text import clock, comment_text, nick_text, reasons_text
from server.models import Message
from server.review import group_key

COLUMNS = (
    ("#", 6),  # ids pass 100,000 on a long night
    ("×", 4),
    (N_("time"), 8),
    (N_("from"), 12),
    (N_("held for"), 18),
)
MIN_COMMENT_WIDTH = 8  # narrower terminals cut the row (the detail below shows it all)
CELL_PADDING = 1  # a space each side of every cell
HEADER = 0  # the header is the first line; rows follow it
EVEN, ODD, CURSOR, CURSOR_BLURRED = range(4)  # how a row is drawn (part of its cache key)


def _count_text(count: int) -> Text:
    return Text(f"×{count}", style="bold magenta") if count > 1 else Text("")


class HeldTable(ScrollView, can_focus=True):
    """Held comments in rows of one text each, keyed by that text; idempotent updates."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "held-table--header",
        "held-table--even-row",
        "held-table--cursor",
        "held-table--cursor-blurred",
    }
    DEFAULT_CSS = """
    HeldTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > .held-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:dark > .held-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .held-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .held-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .held-table--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Highlighted(TextualMessage):
        """The cursor is on another row (or the queue emptied): ``comment`` is its oldest."""

        def __init__(self, table: HeldTable, comment: Message | None) -> None:
            super().__init__()
            self.table = table
            self.comment = comment

        @property
        def control(self) -> HeldTable:
            """The table the cursor moved in."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._groups: dict[str, dict[int, Message]] = {}  # row key -> its comments, oldest first
        self._row_of: dict[int, str] = {}  # comment id -> its row key
        self._order: list[str] = []  # the row keys in queue order: row index -> key
        self.cursor_row = 0
        self._highlighted: str | None = None  # the row key last announced as highlighted
        self._strips: dict[tuple[str, int], Strip] = {}  # (row key, how drawn) -> its line
        self._header: Strip | None = None
        self._width = 0  # the width the strips were made for

    # -- the model ---------------------------------------------------------------------

    @property
    def comments(self) -> list[Message]:
        """Every comment in the table, row by row (oldest row first)."""
        return [m for key in self._order for m in self._groups[key].values()]

    @property
    def row_count(self) -> int:
        """How many rows (texts) the queue has."""
        return len(self._order)

    def load(self, comments: Iterable[Message]) -> None:
        """Show exactly these comments, keeping the selection when it is still there."""
        selected = self.selected
        self._groups.clear()
        self._row_of.clear()
        self._order.clear()
        self._strips.clear()
        self.cursor_row = 0
        for comment in comments:
            self._add(comment)
        self._rows_changed()
        if selected is not None and selected.id in self._row_of:
            self.select(selected.id)
        else:
            self._announce()

    def add_comment(self, comment: Message) -> None:
        """Add a held comment: a row of its own, or one more in its text's row."""
        added = self._add(comment)
        if added is None:
            return
        key, new_row = added
        if not new_row:
            self._row_changed(key)
            return
        self._rows_changed(len(self._order) - 1)
        if len(self._order) == 1:
            self._announce()

    def _add(self, comment: Message) -> tuple[str, bool] | None:
        """Put a comment in the model: its row key and whether the row is new (None: known)."""
        if comment.id in self._row_of:
            return None
        key = group_key(comment.text)
        self._row_of[comment.id] = key
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = {comment.id: comment}
            self._order.append(key)
            return key, True
        group[comment.id] = comment
        return key, False

    def remove_comment(self, comment_id: int) -> bool:
        """Drop a comment from its row (the row goes with its last); False when not there."""
        key = self._row_of.pop(comment_id, None)
        if key is None:
            return False
        group = self._groups[key]
        del group[comment_id]
        if group:  # the count changed (and the row's face, when its oldest left)
            self._row_changed(key)
            return True
        del self._groups[key]
        index = self._order.index(key)
        del self._order[index]
        for variant in range(4):
            self._strips.pop((key, variant), None)
        if index < self.cursor_row:  # a row above left: the cursor stays on its row
            self.cursor_row -= 1
        self.cursor_row = max(0, min(self.cursor_row, len(self._order) - 1))
        self._rows_changed(index)
        self._announce()
        return True

    @property
    def selected(self) -> Message | None:
        """The comment under the cursor (the oldest of its row), if any."""
        if not self._order:
            return None
        return next(iter(self._groups[self._order[self.cursor_row]].values()))

    def group_size(self, comment_id: int) -> int:
        """How many comments share this comment's row (0 when it is not in the table)."""
        key = self._row_of.get(comment_id)
        return 0 if key is None else len(self._groups[key])

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at ``index`` (raises IndexError beyond the last)."""
        group = self._groups[self._order[index]]
        return list(self._cells(next(iter(group.values())), len(group)))

    def row_of(self, comment_id: int) -> list[Text]:
        """The cells of the row a comment is in (raises when it is not in the table)."""
        return self.get_row_at(self._order.index(self._row_of[comment_id]))

    def select(self, comment_id: int) -> None:
        """Move the cursor to a comment's row, when it is held."""
        key = self._row_of.get(comment_id)
        if key is not None:
            self.move_cursor(self._order.index(key))

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

    # -- the cursor --------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on row ``row`` (clamped), scrolled into view."""
        row = max(0, min(row, len(self._order) - 1))
        if row != self.cursor_row:
            self.refresh_line(self.cursor_row + 1)
            self.cursor_row = row
            self.refresh_line(row + 1)
        self._scroll_to_cursor()
        self._announce()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + self._page():
            self.scroll_to(y=self.cursor_row - self._page() + 1, animate=False)

    def _announce(self) -> None:
        """Tell the screen when the selected row is another one than last said."""
        key = self._order[self.cursor_row] if self._order else None
        if key != self._highlighted:
            self._highlighted = key
            self.post_message(self.Highlighted(self, self.selected))

    def action_cursor(self, step: int) -> None:
        """One row up or down."""
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        """A screenful up or down."""
        self.move_cursor(self.cursor_row + direction * self._page())

    def action_first(self) -> None:
        """The oldest row."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """The newest row."""
        self.move_cursor(len(self._order) - 1)

    def on_click(self, event: events.Click) -> None:
        """A click selects the row under it."""
        if event.y > HEADER:
            self.move_cursor(round(self.scroll_y) + event.y - 1)

    def on_focus(self) -> None:
        """The cursor is drawn brighter while the table has the focus."""
        self.refresh_line(self.cursor_row + 1)

    def on_blur(self) -> None:
        """And dimmer without it."""
        self.refresh_line(self.cursor_row + 1)

    # -- drawing -----------------------------------------------------------------------

    def _rows_changed(self, from_index: int = 0) -> None:
        """Rows were added or removed at ``from_index``: it and the rows below move."""
        self.virtual_size = Size(self._width, len(self._order) + 1)
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        if from_index - top + 1 < height:
            self.refresh_lines(max(from_index, top) + 1, height)

    def _row_changed(self, key: str) -> None:
        for variant in range(4):
            self._strips.pop((key, variant), None)
        self.refresh_line(self._order.index(key) + 1)

    def notify_style_update(self) -> None:
        """The theme or the styles changed: every line is drawn afresh."""
        super().notify_style_update()
        self._strips.clear()
        self._header = None

    def render_line(self, y: int) -> Strip:
        """Screen line ``y``: the header, or a row from the cache (drawn when not there)."""
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._strips.clear()
            self._header = None
        if y == HEADER:
            if self._header is None:
                labels = [Text(_(label)) for label, _width in COLUMNS] + [Text(_("comment"))]
                self._header = self._line(labels, "held-table--header")
            return self._header
        index = round(self.scroll_y) + y - 1
        if index >= len(self._order):
            return Strip.blank(width, self.rich_style)
        key = self._order[index]
        if index == self.cursor_row:
            variant = CURSOR if self.has_focus else CURSOR_BLURRED
        else:
            variant = ODD if index % 2 else EVEN  # zebra stripes, as DataTable draws them
        strip = self._strips.get((key, variant))
        if strip is None:
            group = self._groups[key]
            cells = self._cells(next(iter(group.values())), len(group))
            component = {
                EVEN: "held-table--even-row",
                ODD: None,
                CURSOR: "held-table--cursor",
                CURSOR_BLURRED: "held-table--cursor-blurred",
            }[variant]
            strip = self._strips[key, variant] = self._line(cells, component)
        return strip

    def _line(self, cells: Iterable[Text], component: str | None) -> Strip:
        """Cells padded and cut to their columns, in the row's style, as wide as the table."""
        fixed = sum(width + 2 * CELL_PADDING for _label, width in COLUMNS)
        comment_width = max(MIN_COMMENT_WIDTH, self._width - fixed - 2 * CELL_PADDING)
        widths = [width for _label, width in COLUMNS] + [comment_width]
        line = Text(no_wrap=True, end="")
        pad = " " * CELL_PADDING
        for cell, width in zip(cells, widths, strict=True):
            shown = cell.copy()
            shown.truncate(width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(shown)
            line.append(pad)
        style = self.rich_style
        if component is not None:
            style += self.get_component_rich_style(component)
        segments = [
            Segment(text, style + seg_style if seg_style else style, control)
            for text, seg_style, control in line.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(self._width, style)
