"""Audience text as Rich ``Text``: never parsed as markup, matched spans highlighted.

Not a widget: the helpers the console's tables and panels share. Every string a phone
sent (comment, nick) enters the console through :class:`rich.text.Text`, so
``[bold]x[/]`` is shown as typed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from rich.text import Text

from console.language import N_, _
from server.models import Draw, DrawRules, Entrant, Message, Reason, Scheme, Status, VoidReason

MATCH_STYLE = "bold black on yellow"


def no_nick() -> Text:
    """The dim placeholder for a sender who gave no nick."""
    return Text(_("(no nick)"), style="dim")


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
        return no_nick()
    return highlighted(message.nick, message.reasons, "nick")


def comment_text(message: Message) -> Text:
    """The comment as sent, matched spans highlighted (a rehearsal's is tagged so)."""
    shown = highlighted(message.text, message.reasons, "text")
    if message.rehearsal:
        return Text.assemble((_("rehearsal: "), "magenta"), shown)
    return shown


def reasons_text(reasons: Iterable[Reason]) -> Text:
    """Why a comment was held: ``term (category)`` per distinct hit, repeats counted.

    A hit through a disguise says how it matched after the category:
    ``傻逼 (abuse: sb → 傻逼 (initials))``.
    """
    counts: dict[tuple[str, str, str, str], int] = {}
    for reason in reasons:
        key = (reason.term, reason.category, reason.field, reason.how)
        counts[key] = counts.get(key, 0) + 1
    parts: list[Text] = []
    for (term, category, field, how), count in counts.items():
        part = Text.assemble(
            (_("nick: ") if field == "nick" else "", "dim"),
            (term, "bold"),
            f" ×{count}" if count > 1 else "",
            " (",
            (category, "italic"),
            (f": {how_text(how)}" if how else "", "dim"),
            ")",
        )
        parts.append(part)
    return Text(", ").join(parts)


# The disguises the filter names at the end of a reason's ``how`` ("sb → 傻逼 (initials)").
MECHANISMS = (
    N_("alias"),
    N_("contact"),
    N_("filler"),
    N_("homophone"),
    N_("initials"),
    N_("leet"),
    N_("look-alike"),
    N_("numeral"),
    N_("pinyin"),
    N_("repeat"),
    N_("spacing"),
    N_("split-radical"),
    N_("traditional"),
)
_MECHANISM = re.compile(r"^(.*) \(([a-z-]+)\)$", re.S)


def how_text(how: str) -> str:
    """A reason's ``how`` with the disguise's name in the console's language.

    The core writes the name in English; one it does not list here is shown as written.
    """
    match = _MECHANISM.match(how)
    if match is None or match[2] not in MECHANISMS:
        return how
    return f"{match[1]} ({_(match[2])})"


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
    Scheme.PROPORTIONAL: N_("proportional"),
    Scheme.CAPPED: N_("capped"),
    Scheme.SQRT: N_("square root"),
    Scheme.EQUAL: N_("equal"),
}
VOID_REASON_NAMES = {
    VoidReason.ABSENT: N_("absent"),
    VoidReason.DUPLICATE: N_("duplicate"),
    VoidReason.STAFF: N_("staff"),
}
STATUS_NAMES = {
    Status.SHOWN: N_("shown"),
    Status.APPROVED: N_("approved"),
    Status.HELD: N_("held"),
    Status.REJECTED: N_("rejected"),
    Status.RETRACTED: N_("retracted"),
    Status.EXPIRED: N_("expired"),
}


def scheme_name(scheme: Scheme) -> str:
    """A weight scheme's name in the console's language."""
    return _(SCHEME_NAMES[scheme])


def void_reason_name(reason: VoidReason) -> str:
    """Why a winner was voided, in a word of the console's language."""
    return _(VOID_REASON_NAMES[reason])


def status_name(status: Status) -> str:
    """A comment's status in the console's language (the record keeps the English value)."""
    name = STATUS_NAMES.get(status)
    return _(name) if name is not None else status.value


def scheme_text(rules: DrawRules) -> str:
    """How comments became tickets: ``proportional``, ``capped at 5``, ``square root``."""
    name = scheme_name(rules.scheme)
    if rules.scheme is Scheme.CAPPED and rules.cap:
        return _("{scheme} at {cap}").format(scheme=name, cap=rules.cap)
    return name


def rules_text(rules: DrawRules) -> str:
    """A draw's rules in a few words: tickets, the entry minimum, earlier winners."""
    who = _("earlier winners out") if rules.exclude_previous_winners else _("earlier winners in")
    if rules.min_shown > 1:
        return _("{scheme}, min {count} shown, {who}").format(
            scheme=scheme_text(rules), count=rules.min_shown, who=who
        )
    return _("{scheme}, {who}").format(scheme=scheme_text(rules), who=who)


def draw_rules_text(draw: Draw) -> str:
    """A short description of a draw's rules (how many were asked, and how tickets went)."""
    return _("{count} asked, {rules}").format(
        count=draw.rules.winners, rules=rules_text(draw.rules)
    )


def prize_text(prize: str, style: str = "bold") -> Text:
    """A prize's name (typed by the organiser, shown as typed), or a dim placeholder."""
    return Text(one_line(prize), style=style) if prize else Text(_("(no prize name)"), style="dim")


def standing_text(draw: Draw, style: str = "bold") -> Text:
    """The winners now (a voided one's replacement in their place), or a dim "none"."""
    if not draw.standing:
        return Text(_("none"), style="dim")
    return nicks_text(draw.standing, style=style)


def voids_text(draw: Draw) -> Text:
    """Each voided winner, why, and who replaced them: ``Dan (absent) → Eve``."""
    parts = [
        Text.assemble(
            Text(one_line(void.nick) or "?", style="strike"),
            (f" ({void_reason_name(void.reason)}) → ", "dim"),
            Text(one_line(void.replacement.nick) or "?", style="bold")
            if void.replacement is not None
            else Text(_("nobody left"), style="dim"),
        )
        for void in draw.voids
    ]
    return Text(", ").join(parts)


def clock(timestamp: float) -> str:
    """``HH:MM:SS`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(timestamp))
