"""Two lines above the lottery's result: the prize plan's progress, and the round's state.

The round line says what Enter does next, so a moderator never guesses: open a round (its
seed's SHA-256 goes on the projector first), draw the open one, or commit it again when
the rules changed since it was opened.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from console.language import _, ngettext
from console.widgets.comment_text import one_line
from server.lottery_desk import Round
from server.models import DrawRules, Prize

HASH_SHOWN = 16  # hex digits of a commitment in one line; the result panel has all 64


def plan_text(plan: tuple[Prize, ...], drawn: int) -> Text:
    """``Plan ✓ 三等奖 ×10 · ▶ 二等奖 ×3 · 一等奖 ×1``, or how to type one."""
    if not plan:
        return Text.assemble(
            (_("No prize plan"), "bold"),
            _(": each round draws the winners typed, with no prize name (e types a plan)."),
            style="dim",
        )
    parts = []
    for index, prize in enumerate(plan):
        label = f"{one_line(prize.name)} ×{prize.count}"
        if index < drawn:
            parts.append(Text(f"✓ {label}", style="dim"))
        elif index == drawn:
            parts.append(Text(f"▶ {label}", style="bold reverse"))
        else:
            parts.append(Text(label))
    done = Text("  " + _("all drawn"), style="bold green") if drawn >= len(plan) else Text("")
    return Text.assemble((_("Plan") + " ", "bold"), Text(" · ").join(parts), done)


def _round_name(rules: DrawRules) -> Text:
    name = Text(one_line(rules.prize), style="bold") if rules.prize else Text("")
    count = ngettext("{count} winner", "{count} winners", rules.winners).format(count=rules.winners)
    return Text.assemble(name, f" ×{rules.winners}" if rules.prize else count)


def short_hash(seed_hash: str) -> str:
    """The first hex digits of a commitment, with an ellipsis."""
    return seed_hash[:HASH_SHOWN] + "…" if len(seed_hash) > HASH_SHOWN else seed_hash


def round_text(committed: Round | None, rules: DrawRules | None, problem: str) -> Text:
    """What Enter does now, given the open round (if any) and the form's rules."""
    if committed is not None:
        where = (
            _("on the projector")
            if committed.on_projector
            else _("taken off the projector, still open")
        )
        opened = Text.assemble(
            ("● " + _("Round open: "), "bold"),
            _round_name(committed.rules),
            f" · sha256 {short_hash(committed.seed_hash)} · {where}",
        )
        if rules is not None and rules != committed.rules:
            return Text.assemble(
                opened,
                ("  " + _("The rules changed: Enter commits a new round with them"), "bold yellow"),
            )
        if rules is None:
            return Text.assemble(opened, (f"  {problem}", "bold red"))
        return Text.assemble(opened, ("  " + _("Enter draws"), "bold green"))
    if rules is None:
        return Text(problem, style="bold red")
    return Text.assemble(
        _("Enter opens the next round: "),
        _round_name(rules),
        (_(" (shows its commitment on the projector; Enter again draws)"), "dim"),
    )


class RoundStatus(Static):
    """The open round, or what Enter opens next."""

    DEFAULT_CSS = """
    RoundStatus {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    @property
    def plain(self) -> str:
        """What the line says, as plain text (for tests)."""
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)
