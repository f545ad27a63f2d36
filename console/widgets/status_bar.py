"""The two status lines at the top of every view: join URL, views, live numbers."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widget import Widget

from console.language import N_, _
from server.models import Stats

VIEWS = (
    ("1", "queue", N_("Queue")),
    ("2", "wall", N_("Wall")),
    ("3", "lottery", N_("Lottery")),
    ("4", "senders", N_("Senders")),
)


OLDEST_WARNING_SECONDS = 60  # a held danmaku older than this is losing its moment


def wait_text(seconds: int) -> str:
    """A wait as the status line spells it: ``45s``, ``1:05``."""
    if seconds < 60:
        return _("{seconds}s").format(seconds=seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


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
        join = Text.assemble((_("Join") + " ", "dim"), (self.join_url, "bold underline"))
        title = Text("Danmaku Deck  ", style="bold")
        views = self._views(compact=False)
        for line in (Text.assemble(title, join), join):
            if line.cell_len + 2 + views.cell_len <= width:
                return Group(_fit(line, views, width), self._numbers(width))
        return Group(_fit(join, self._views(compact=True), width), self._numbers(width))

    def _views(self, compact: bool) -> Text:
        """The view keys, the open one highlighted (``compact``: only it is named)."""
        parts = []
        for key, name, label in VIEWS:
            if name == self.view:
                parts.append(Text(f" {key} {_(label)} ", style="reverse bold"))
            else:
                parts.append(Text(f" {key} " if compact else f" {key} {_(label)} ", style="dim"))
        return Text(" " if compact else "  ").join(parts)

    def _numbers(self, width: int) -> Text:
        """The live numbers; shorter labels when the full ones do not fit ``width``."""
        for compact, terse in ((False, False), (True, False), (True, True)):
            numbers = self._numbers_in(compact, terse)
            if numbers.cell_len <= width:
                break
        return numbers

    def _numbers_in(self, compact: bool, terse: bool) -> Text:
        stats = self.stats
        if stats.paused:
            state = Text(" " + _("PAUSED") + " ", style="bold white on red")
        else:
            state = Text(" " + _("LIVE") + " ", style="bold black on green")
        if stats.hold_all:  # the panic switch: nothing reaches the wall without a decision
            state = Text.assemble(state, (" " + _("HOLDING ALL") + " ", "bold white on dark_red"))
        if stats.rehearsal:  # what is sent now is a test: it will come down, it never counts
            state = Text.assemble(state, (" " + _("REHEARSAL") + " ", "bold black on magenta"))
        held_style = "bold black on yellow" if stats.held else ""
        numbers = Text.assemble(
            state,
            "  " + (_("ph") if compact else _("phones")) + " ",
            (str(stats.phones), "bold"),
            " · " + (_("pj") if compact else _("projectors")) + " ",
            (str(stats.show_pages), "bold"),
            " · ",
            (str(stats.per_minute), "bold"),
            _("/min"),
            " · ",
            (_("held {count}").format(count=stats.held), held_style or "bold"),
        )
        if stats.held or stats.held_per_minute or stats.decided_per_minute:
            numbers.append_text(self._pressure(terse))
        numbers.append(" · " + _("shown") + " ")
        numbers.append(str(stats.shown_total), style="bold")
        if stats.expired:
            numbers.append(" · " + (_("exp") if compact else _("expired")) + " ")
            numbers.append(str(stats.expired), style="bold")
        if stats.dropped_events:  # a consumer fell behind and lost events: something is stale
            numbers.append(" · ")
            numbers.append(
                _("dropped {count}").format(count=stats.dropped_events),
                style="bold black on dark_orange",
            )
        return numbers

    def _pressure(self, terse: bool) -> Text:
        """Whether the moderator keeps up: the oldest wait, held in against decided out."""
        stats = self.stats
        oldest = stats.oldest_held_seconds
        late = stats.held > 0 and oldest > OLDEST_WARNING_SECONDS
        return Text.assemble(
            " · " if terse else " · " + _("oldest") + " ",
            (wait_text(oldest) if stats.held else "-", "bold white on red" if late else "bold"),
            " · +" if terse else " · " + _("in") + " ",
            (str(stats.held_per_minute), "bold"),
            " -" if terse else " " + _("out") + " ",
            (str(stats.decided_per_minute), "bold"),
            _("/min"),
        )
