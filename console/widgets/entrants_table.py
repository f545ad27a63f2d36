"""Who would enter the next draw, with their tickets and their chance of winning it.

Shown before Enter so the moderator sees a spammer's share while the rules can still
change. The rows are the heaviest :data:`MAX_ROWS` entrants (the ones a scheme is chosen
against); the summary above the table counts everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import DataTable

from console.language import _, counted, ngettext
from console.widgets.comment_text import no_nick, one_line
from server.models import Entrant

MAX_ROWS = 200  # a hall's heaviest senders; redrawing thousands of rows every few seconds is waste
PENDING = Text("…", style="dim", justify="right")


HEAVY = 3.0  # a chance this many times the even share stands out (a spammer's, typically)


def chance_cell(chance: float, exact: bool, even: float = 1.0) -> Text:
    """``12.5%``, ``≈12.5%`` when simulated, ``<0.1%`` for a sliver; red when heavy.

    ``even`` is everyone's chance if all held the same tickets (winners / entrants).
    """
    percent = chance * 100
    shown = "<0.1%" if 0 < percent < 0.1 else f"{percent:.1f}%"
    if not exact and shown not in ("0.0%", "100.0%"):
        shown = "≈" + shown
    heavy = chance >= HEAVY * even and chance < 1
    return Text(shown, style="bold red" if heavy else "", justify="right")


def entrants_summary(entrants: Sequence[Entrant], winners: int, left_out: int) -> Text:
    """``12 entrants · 340 tickets · 3 to win · 2 out`` (on the wall, but out by the rules)."""
    tickets = sum(e.weight for e in entrants)
    parts = [
        counted(ngettext("{count} entrant", "{count} entrants", len(entrants)), len(entrants)),
        counted(ngettext("{count} ticket", "{count} tickets", tickets), tickets),
        counted(_("{count} to win"), winners),
    ]
    if left_out:
        parts.append(Text(_("{count} out").format(count=left_out), style="dim"))
    return Text(" · ").join(parts)


class EntrantsTable(DataTable[Text]):
    """Entrants keyed by sender id, most tickets first; chances fill in when worked out."""

    DEFAULT_CSS = """
    EntrantsTable {
        height: 1fr;
    }
    """

    can_focus = False  # to read; the view's keys stay on the form

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=True)
        self.entrants: tuple[Entrant, ...] = ()
        self.winners = 0
        self.shown: dict[str, int] = {}
        self.chances: dict[str, float] = {}

    def on_mount(self) -> None:
        """Set up the columns (nicks are audience text: every cell is a ``Text``)."""
        self.add_column(Text(_("nick")), key="nick", width=16)
        self.add_column(Text(_("shown"), justify="right"), key="shown", width=5)
        self.add_column(Text(_("tickets"), justify="right"), key="tickets", width=7)
        self.add_column(Text(_("chance"), justify="right"), key="chance", width=7)

    def load(self, entrants: tuple[Entrant, ...], shown: Mapping[str, int], winners: int) -> bool:
        """Show these entrants for a draw of ``winners`` (chances pending); False if unchanged."""
        rows = {e.sender: shown.get(e.sender, 0) for e in entrants}
        if (entrants, rows, winners) == (self.entrants, self.shown, self.winners):
            return False
        self.entrants, self.shown, self.winners, self.chances = entrants, rows, winners, {}
        self.clear()
        heaviest = sorted(entrants, key=lambda e: (-e.weight, e.nick.casefold(), e.sender))
        for entrant in heaviest[:MAX_ROWS]:
            self.add_row(
                Text(one_line(entrant.nick)) if entrant.nick else no_nick(),
                Text(str(rows[entrant.sender]), justify="right"),
                Text(str(entrant.weight), style="bold", justify="right"),
                PENDING,
                key=entrant.sender,
            )
        return True

    def show_chances(
        self,
        entrants: tuple[Entrant, ...],
        winners: int,
        chances: Mapping[str, float],
        exact: bool,
    ) -> None:
        """Fill in the chances worked out for ``entrants`` (ignored if the rows moved on)."""
        if (entrants, winners) != (self.entrants, self.winners) or not entrants:
            return
        self.chances = dict(chances)
        even = min(1.0, winners / len(entrants))
        for row_key in self.rows:
            chance = chances.get(str(row_key.value), 0.0)
            self.update_cell(row_key, "chance", chance_cell(chance, exact, even))
