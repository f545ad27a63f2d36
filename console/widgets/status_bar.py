"""The two status lines at the top of every view: join URL, views, live numbers."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widget import Widget

from server.models import Stats

VIEWS = (
    ("1", "queue", "Queue"),
    ("2", "wall", "Wall"),
    ("3", "lottery", "Lottery"),
    ("4", "senders", "Senders"),
)


def _fit(left: Text, right: Text, width: int) -> Text:
    """``left`` then ``right`` pushed to the right edge, or ``left`` alone when both don't fit."""
    gap = width - left.cell_len - right.cell_len
    if gap < 2:
        return left
    return Text.assemble(left, " " * gap, right)


class StatusBar(Widget):
    """Where phones join, which view is open, and the app's ``stats`` (kept current)."""

    DEFAULT_CSS = """
    StatusBar {
        height: 2;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, join_url: str, view: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.join_url = join_url
        self.view = view
        self.stats = Stats()

    def on_mount(self) -> None:
        """Follow the app's numbers."""
        self.watch(self.app, "stats", self._stats_changed, init=True)

    def _stats_changed(self, stats: Stats) -> None:
        self.stats = stats
        self.refresh()

    def render(self) -> Group:
        """Line one: title, join URL, views. Line two: paused or live, and the numbers."""
        width = max(1, self.content_size.width)
        join = Text.assemble(("Join ", "dim"), (self.join_url, "bold underline"))
        title = Text("Danmaku Deck  ", style="bold")
        views = self._views(compact=False)
        for line in (Text.assemble(title, join), join):
            if line.cell_len + 2 + views.cell_len <= width:
                return Group(_fit(line, views, width), self._numbers())
        return Group(_fit(join, self._views(compact=True), width), self._numbers())

    def _views(self, compact: bool) -> Text:
        """The view keys, the open one highlighted (``compact``: only it is named)."""
        parts = []
        for key, name, label in VIEWS:
            if name == self.view:
                parts.append(Text(f" {key} {label} ", style="reverse bold"))
            else:
                parts.append(Text(f" {key} " if compact else f" {key} {label} ", style="dim"))
        return Text(" " if compact else "  ").join(parts)

    def _numbers(self) -> Text:
        stats = self.stats
        if stats.paused:
            state = Text(" PAUSED ", style="bold white on red")
        else:
            state = Text(" LIVE ", style="bold black on green")
        held_style = "bold black on yellow" if stats.held else ""
        numbers = Text.assemble(
            state,
            "  phones ",
            (str(stats.phones), "bold"),
            " · projectors ",
            (str(stats.show_pages), "bold"),
            " · ",
            (str(stats.per_minute), "bold"),
            "/min · ",
            (f"held {stats.held}", held_style or "bold"),
            " · shown ",
            (str(stats.shown_total), "bold"),
        )
        if stats.dropped_events:  # a consumer fell behind and lost events: something is stale
            numbers.append(" · ")
            numbers.append(f"dropped {stats.dropped_events}", style="bold black on dark_orange")
        return numbers
