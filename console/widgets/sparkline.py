"""Comments per minute for the last half hour: shown and held, one line each, one scale.

Two rows of block characters rather than a chart widget: it fits the wall view's top at
80 columns (30 minutes, 30 cells), and read together the rows say at a glance whether the
room turned (the held row rising while the shown row stays put).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from console.language import _
from server.models import Stats

BLOCKS = " ▁▂▃▄▅▆▇█"


def spark(values: Sequence[int], top: int) -> str:
    """One block character per value, scaled so that ``top`` is a full block."""
    if top <= 0:
        return BLOCKS[0] * len(values)
    last = len(BLOCKS) - 1
    return "".join(BLOCKS[0 if v <= 0 else max(1, round(v * last / top))] for v in values)


def sparkline_text(history: Sequence[tuple[int, int]]) -> Text:
    """The two rows for ``(shown, held)`` per minute, oldest first, on one shared scale."""
    shown = [s for s, _ in history]
    held = [h for _shown, h in history]
    top = max([*shown, *held, 0])
    now_shown, now_held = history[-1] if history else (0, 0)
    labels = _("shown"), _("held")
    width = max(map(cell_len, labels)) + 1  # both rows start their blocks in one column
    shown_label, held_label = (label + " " * (width - cell_len(label)) for label in labels)
    per_minute = _("{count}/min")
    return Text.assemble(
        (shown_label, "dim"),
        (spark(shown, top), "green"),
        " " + per_minute.format(count=now_shown) + "\n",
        (held_label, "dim"),
        (spark(held, top), "yellow"),
        " " + per_minute.format(count=now_held),
        (
            "   "
            + _("(last {minutes} min, peak {count}/min)").format(minutes=len(history), count=top),
            "dim",
        ),
    )


class CommentSparkline(Widget):
    """The half hour's sparkline, redrawn whenever the app's numbers change."""

    DEFAULT_CSS = """
    CommentSparkline {
        height: 2;
        padding: 0 1;
    }
    """

    def __init__(self, history: Callable[[], list[tuple[int, int]]], *, id: str | None = None):
        super().__init__(id=id)
        self._history = history

    def on_mount(self) -> None:
        """Follow the app's numbers (a comment counted changes them)."""
        self.watch(self.app, "stats", self._stats_changed, init=True)

    def _stats_changed(self, stats: Stats) -> None:
        self.refresh()

    def render(self) -> Text:
        """Both rows, newest minute at the right."""
        return sparkline_text(self._history())
