"""The latest draw: its prize, winners (and voids), seed and commitment, and where it shows."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from console.language import _, ngettext
from console.widgets.comment_text import (
    clock,
    draw_rules_text,
    prize_text,
    standing_text,
    voids_text,
)
from server.lottery import seed_hash
from server.models import Draw


def nothing_yet() -> Text:
    """What the panel says before the night's first draw."""
    return Text(_("No draw yet."), style="dim")


def nobody_eligible() -> Text:
    """What the panel says when a round could not be drawn."""
    return Text.assemble(
        (_("Nobody is eligible yet."), "bold black on yellow"),
        " ",
        _(
            "Senders enter once enough of their comments have reached the wall; banned "
            "senders (and, when excluded, earlier winners) cannot win."
        ),
    )


def draw_text(draw: Draw, on_projector: bool) -> Text:
    """What to announce: prize, standing winners, voids, then what makes it checkable."""
    count = len(draw.standing)
    where = (
        Text(_("on the projector now (d takes it off, v voids a winner)"), style="bold green")
        if on_projector
        else Text(_("not on the projector"), style="dim")
    )
    lines = [
        Text.assemble(
            prize_text(draw.rules.prize, style="bold underline"),
            (
                "  " + _("draw #{id} · {time} · ").format(id=draw.id, time=clock(draw.created_at)),
                "dim",
            ),
            where,
        ),
        Text.assemble(
            ngettext("{count} winner: ", "{count} winners: ", count).format(count=count),
            standing_text(draw, style="bold reverse"),
        ),
    ]
    if draw.voids:
        lines.append(Text.assemble((_("voided: "), "bold red"), voids_text(draw)))
    entrants = len(draw.entrants)
    lines.append(
        Text(
            _("seed {seed} · {entrants} · {rules}").format(
                seed=draw.seed,
                entrants=ngettext("{count} entrant", "{count} entrants", entrants).format(
                    count=entrants
                ),
                rules=draw_rules_text(draw),
            ),
            style="dim",
        )
    )
    # Early draws were not committed first: their hash is still the seed's, worked out here.
    lines.append(Text(f"sha256 {draw.seed_hash or seed_hash(draw.seed)}", style="dim"))
    return Text("\n").join(lines)


class DrawResult(Static):
    """What the moderator announces, and whether the projector still shows it."""

    DEFAULT_CSS = """
    DrawResult {
        height: auto;
        min-height: 4;
        padding: 0 1;
        border: round $primary;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(nothing_yet(), id=id, markup=False)
        self.draw: Draw | None = None
        self.on_projector = False

    def show_draw(self, draw: Draw | None, on_projector: bool) -> None:
        """Show a draw (or the hint when there is none)."""
        self.draw, self.on_projector = draw, on_projector
        self.update(nothing_yet() if draw is None else draw_text(draw, on_projector))

    def show_nobody_eligible(self) -> None:
        """Say clearly that the draw could not happen."""
        self.draw, self.on_projector = None, False
        self.update(nobody_eligible())

    @property
    def plain(self) -> str:
        """What the panel says, as plain text (for tests and screen readers)."""
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)
