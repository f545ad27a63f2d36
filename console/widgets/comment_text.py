"""Audience text as Rich ``Text``: never parsed as markup, matched spans highlighted.

Not a widget: the helpers the console's tables and panels share. Every string a phone
sent (comment, nick) enters the console through :class:`rich.text.Text`, so
``[bold]x[/]`` is shown as typed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from rich.text import Text

from server.models import Draw, DrawRules, Entrant, Message, Reason, Scheme

MATCH_STYLE = "bold black on yellow"
NO_NICK = "(no nick)"


def one_line(text: str) -> str:
    """The text with line breaks turned into spaces (same length, so spans still fit)."""
    return text.replace("\r", " ").replace("\n", " ")


def highlighted(text: str, reasons: Iterable[Reason], field: str = "text") -> Text:
    """``text`` with every span matched in ``field`` ("text" or "nick") highlighted."""
    shown = Text(one_line(text))
    for reason in reasons:
        if reason.field != field:
            continue
        start, end = reason.span
        start, end = max(0, start), min(len(text), end)
        if start < end:
            shown.stylize(MATCH_STYLE, start, end)
    return shown


def nick_text(message: Message) -> Text:
    """The sender's nick (highlighted where it matched), or a dim placeholder."""
    if not message.nick:
        return Text(NO_NICK, style="dim")
    return highlighted(message.nick, message.reasons, "nick")


REHEARSAL_TAG = "rehearsal: "


def comment_text(message: Message) -> Text:
    """The comment as sent, matched spans highlighted (a rehearsal's is tagged so)."""
    shown = highlighted(message.text, message.reasons, "text")
    if message.rehearsal:
        return Text.assemble((REHEARSAL_TAG, "magenta"), shown)
    return shown


def reasons_text(reasons: Iterable[Reason]) -> Text:
    """Why a comment was held: ``term (category)`` per distinct hit, repeats counted."""
    counts: dict[tuple[str, str, str], int] = {}
    for reason in reasons:
        key = (reason.term, reason.category, reason.field)
        counts[key] = counts.get(key, 0) + 1
    parts: list[Text] = []
    for (term, category, field), count in counts.items():
        part = Text.assemble(
            ("nick: " if field == "nick" else "", "dim"),
            (term, "bold"),
            f" ×{count}" if count > 1 else "",
            " (",
            (category, "italic"),
            ")",
        )
        parts.append(part)
    return Text(", ").join(parts)


def _word_char(char: str) -> bool:
    """A letter or digit of a spaced script (CJK text has no spaces to stop at)."""
    return char.isalnum() and ord(char) < 0x2E80


def matched_word(message: Message, reason: Reason) -> str:
    """The text a reason matched, widened to the whole word it sits in (spaced scripts only).

    ``darn`` matched in ``darnit`` gives ``darnit``; a CJK hit is given as matched.
    """
    source = message.nick if reason.field == "nick" else message.text
    start, end = max(0, reason.span[0]), min(len(source), reason.span[1])
    if start >= end:
        return reason.term
    while start > 0 and _word_char(source[start - 1]) and _word_char(source[start]):
        start -= 1
    while end < len(source) and _word_char(source[end]) and _word_char(source[end - 1]):
        end += 1
    return one_line(source[start:end]).strip()


def nicks_text(entrants: Iterable[Entrant], style: str = "bold") -> Text:
    """Winners' or entrants' nicks, comma separated."""
    return Text(", ").join(Text(one_line(e.nick) or "?", style=style) for e in entrants)


SCHEME_NAMES = {
    Scheme.PROPORTIONAL: "proportional",
    Scheme.CAPPED: "capped",
    Scheme.SQRT: "square root",
    Scheme.EQUAL: "equal",
}


def scheme_text(rules: DrawRules) -> str:
    """How comments became tickets: ``proportional``, ``capped at 5``, ``square root``."""
    name = SCHEME_NAMES[rules.scheme]
    if rules.scheme is Scheme.CAPPED and rules.cap:
        return f"{name} at {rules.cap}"
    return name


def rules_text(rules: DrawRules) -> str:
    """A draw's rules in a few words: tickets, the entry minimum, earlier winners."""
    who = "earlier winners out" if rules.exclude_previous_winners else "earlier winners in"
    minimum = f", min {rules.min_shown} shown" if rules.min_shown > 1 else ""
    return f"{scheme_text(rules)}{minimum}, {who}"


def draw_rules_text(draw: Draw) -> str:
    """A short description of a draw's rules (how many were asked, and how tickets went)."""
    return f"{draw.rules.winners} asked, {rules_text(draw.rules)}"


def prize_text(prize: str, style: str = "bold") -> Text:
    """A prize's name (typed by the organiser, shown as typed), or a dim placeholder."""
    return Text(one_line(prize), style=style) if prize else Text("(no prize name)", style="dim")


def standing_text(draw: Draw, style: str = "bold") -> Text:
    """The winners now (a voided one's replacement in their place), or a dim "none"."""
    if not draw.standing:
        return Text("none", style="dim")
    return nicks_text(draw.standing, style=style)


def voids_text(draw: Draw) -> Text:
    """Each voided winner, why, and who replaced them: ``Dan (absent) → Eve``."""
    parts = [
        Text.assemble(
            Text(one_line(void.nick) or "?", style="strike"),
            (f" ({void.reason.value}) → ", "dim"),
            Text(one_line(void.replacement.nick) or "?", style="bold")
            if void.replacement is not None
            else Text("nobody left", style="dim"),
        )
        for void in draw.voids
    ]
    return Text(", ").join(parts)


def clock(timestamp: float) -> str:
    """``HH:MM:SS`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(timestamp))
