"""Comments per minute for the last half hour: shown and held, one line each, one scale.

Two rows of block characters rather than a chart widget: it fits the wall view's top at
80 columns (30 minutes, 30 cells), and read together the rows say at a glance whether the
room turned (the held row rising while the shown row stays put).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widget import Widget

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
    held = [h for _, h in history]
    top = max([*shown, *held, 0])
    now_shown, now_held = history[-1] if history else (0, 0)
    return Text.assemble(
        ("shown ", "dim"),
        (spark(shown, top), "green"),
        f" {now_shown}/min\n",
        ("held  ", "dim"),
        (spark(held, top), "yellow"),
        f" {now_held}/min",
        (f"   (last {len(history)} min, peak {top}/min)", "dim"),
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
