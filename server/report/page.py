"""The night's recap as one HTML file: no script, no network, opens from a USB stick.

Everything the page needs is inside it: the CSS (``report.css``, inlined) and the charts
(inline SVG from :mod:`server.report.charts`). Its Content-Security-Policy forbids every
script and every fetch, so even a nick that slipped past escaping could not run or call
home. Audience text (nicks, words, prizes typed by the moderator) is escaped everywhere.

The page speaks the organiser's language (``zh`` or ``en``) through the catalogue in
``locale/``; its source strings are English.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from babel.dates import format_date

from server.i18n import translation
from server.models import Draw, Entrant, Message, Scheme, Status
from server.report import charts, figures
from server.report.charts import Bar, esc
from server.report.night import Night
from server.report.words import words_of_the_night

HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
CSS = (HERE / "report.css").read_text(encoding="utf-8")
# No script at all, nothing fetched: the page is one file and stays one file.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

TOP_SENDERS = 10
WORDS = 60
CLOUD_SIZES = 6  # word sizes z1 … z6 in report.css


def N_(message: str) -> str:  # gettext's conventional name for "mark, translate later"
    """Mark a string for translation where it is defined; it is translated where shown."""
    return message


OUTCOME_NAMES = {
    Status.SHOWN: N_("shown at once"),
    Status.APPROVED: N_("approved"),
    Status.RETRACTED: N_("taken down"),
    Status.HELD: N_("still waiting"),
    Status.REJECTED: N_("rejected"),
    Status.EXPIRED: N_("expired"),
}
# Categories the server itself makes, and those of the wordlists we ship.
CATEGORY_NAMES = {
    "hold_all": N_("hold everything (H)"),
    "flood": N_("flood (one text, many phones)"),
    "contact": N_("contact details"),
    "ads": N_("ads"),
    "insult": N_("insults"),
    "profanity": N_("profanity"),
    "sexual": N_("sexual"),
}
HOW_NAMES = {
    figures.LITERAL: N_("as written"),
    "initials": N_("initials"),
    "homophone": N_("homophone"),
    "alias": N_("alias"),
    "look-alike": N_("look-alike characters"),
    "pinyin": N_("pinyin"),
    "split": N_("split characters"),
}
VOID_NAMES = {"absent": N_("absent"), "duplicate": N_("duplicate"), "staff": N_("staff")}
WAIT_LABELS = (
    N_("under 10 s"),
    N_("10–30 s"),
    N_("30 s – 1 min"),
    N_("1–2 min"),
    N_("2–5 min"),
    N_("over 5 min"),
)


class RecapPage:
    """One night's page in one language."""

    def __init__(self, night: Night, lang: str, made_at: datetime) -> None:
        self.night = night
        self.lang = lang
        self.made_at = made_at
        self._translations = translation(LOCALE_DIR, lang)

    # -- language ---------------------------------------------------------------------

    def _(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural (as the language counts) with ``{n}`` filled in."""
        return self._translations.ngettext(singular, plural, n).format(n=f"{n:,}")

    def _comments(self, n: int) -> str:
        return self.ngettext("{n} comment", "{n} comments", n)

    def _duration(self, seconds: float) -> str:
        whole = round(seconds)
        if whole < 60:
            return self._("{s} s").format(s=whole)
        minutes, rest = divmod(whole, 60)
        if rest == 0:
            return self._("{m} min").format(m=minutes)
        return self._("{m} min {s} s").format(m=minutes, s=rest)

    def _tip(self, head: str, counts: Mapping[Status, int]) -> str:
        """A bar's tooltip: "12 comments: 8 shown at once, 4 rejected", in stacking order."""
        parts = [
            self._("{n} {outcome}").format(n=f"{counts[s]:,}", outcome=self._outcome(s))
            for s in figures.OUTCOMES
            if counts.get(s, 0)
        ]
        if not parts:
            return head
        return self._("{head}: {detail}").format(head=head, detail=self._(", ").join(parts))

    def _outcome(self, status: Status) -> str:
        return self._(OUTCOME_NAMES[status])

    def _nick(self, nick: str) -> tuple[str, bool]:
        """A nick to show and whether it is our stand-in for none."""
        return (nick, False) if nick else (self._("(no nick)"), True)

    # -- the page ---------------------------------------------------------------------

    def render(self) -> str:
        """The whole HTML document."""
        title = self._("The night in review")
        kicker = self._("Danmaku Deck")
        body = (
            [self._empty()]
            if self.night.empty
            else [
                self._tiles(),
                self._timeline(),
                '<div class="pair">',
                self._categories(),
                self._how(),
                "</div>",
                '<div class="pair">',
                self._waits(),
                self._senders(),
                "</div>",
                self._words(),
                self._lottery(),
            ]
        )
        html_lang = "zh-CN" if self.lang == "zh" else "en"
        return "\n".join(
            [
                "<!doctype html>",
                f'<html lang="{html_lang}">',
                "<head>",
                '<meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{esc(title)} · {esc(self._when_short())}</title>",
                f"<style>{CSS}</style>",
                "</head>",
                "<body>",
                '<header class="masthead"><div class="inner">',
                f'<p class="kicker">{esc(kicker)}</p>',
                f"<h1>{esc(title)}</h1>",
                f'<p class="when">{esc(self._when())}</p>',
                "</div></header>",
                "<main>",
                *body,
                "</main>",
                self._footer(),
                "</body>",
                "</html>",
                "",
            ]
        )

    def _span(self) -> tuple[datetime, datetime] | None:
        times = [m.created_at for m in self.night.messages]
        times += [d.created_at for d in self.night.draws]
        if not times:
            return None
        return datetime.fromtimestamp(min(times)), datetime.fromtimestamp(max(times))

    def _date(self, when: datetime) -> str:
        return format_date(when, "full", locale="zh_CN" if self.lang == "zh" else "en")

    def _when(self) -> str:
        span = self._span()
        if span is None:
            return self._("Nothing was recorded in {db}").format(db=self.night.source)
        first, last = span
        if first.date() == last.date():
            return f"{self._date(first)} · {first:%H:%M} – {last:%H:%M}"
        return f"{self._date(first)} {first:%H:%M} – {self._date(last)} {last:%H:%M}"

    def _when_short(self) -> str:
        span = self._span()
        return self.night.source if span is None else f"{span[0]:%Y-%m-%d}"

    def _empty(self) -> str:
        title = self._("A quiet night")
        text = self._("Nobody sent a comment and no lottery was drawn.")
        return f'<section class="card empty"><h2>{esc(title)}</h2><p>{esc(text)}</p></section>'

    def _section(self, key: str, title: str, sub: str, *content: str) -> str:
        sub_html = f'<p class="sub">{esc(sub)}</p>' if sub else ""
        return (
            f'<section class="card" id="{key}"><h2>{esc(title)}</h2>{sub_html}'
            + "".join(content)
            + "</section>"
        )

    def _note(self, text: str) -> str:
        return f'<p class="note">{esc(text)}</p>'

    def _legend(self, present: set[Status]) -> str:
        items = "".join(
            f'<li><span class="swatch s-{s.value}"></span>{esc(self._outcome(s))}</li>'
            for s in figures.OUTCOMES
            if s in present
        )
        return f'<ul class="legend">{items}</ul>'

    # -- sections ---------------------------------------------------------------------

    def _tiles(self) -> str:
        messages = self.night.messages
        sent = len(messages)
        on_wall = sum(1 for m in messages if m.status.reached_screen)
        held = [m for m in messages if m.reasons]
        senders = {m.sender for m in messages}
        banned = sum(1 for s in senders if (k := self.night.senders.get(s)) and k.banned)
        busiest = figures.busiest_minute(messages)
        winners = sum(len(d.standing) for d in self.night.draws)
        share = f"{on_wall / sent:.0%}" if sent else "–"
        tiles = [
            ("sent", f"{sent:,}", self._("comments sent"), ""),
            ("wall", f"{on_wall:,}", self._("reached the wall"), share),
            (
                "held",
                f"{len(held):,}",
                self._("held for review"),
                self._("{a} approved · {r} rejected").format(
                    a=sum(1 for m in held if m.status in (Status.APPROVED, Status.RETRACTED)),
                    r=sum(1 for m in held if m.status is Status.REJECTED),
                ),
            ),
            (
                "senders",
                f"{len(senders):,}",
                self._("people sent"),
                self.ngettext("{n} banned", "{n} banned", banned) if banned else "",
            ),
        ]
        if busiest is not None:
            tiles.append(
                ("peak", f"{busiest[1]:,}", self._("in the busiest minute"), f"{busiest[0]:%H:%M}")
            )
        tiles.append(
            (
                "prizes",
                f"{winners:,}",
                self._("lottery winners"),
                self.ngettext("{n} round", "{n} rounds", len(self.night.draws)),
            )
        )
        html = "".join(
            f'<div class="tile t-{key}"><span class="big">{big}</span>'
            f'<span class="what">{esc(what)}</span><span class="more">{esc(more)}</span></div>'
            for key, big, what, more in tiles
        )
        return f'<section class="tiles">{html}</section>'

    def _timeline(self) -> str:
        line = figures.timeline(self.night.messages)
        step = line.step_minutes
        title = (
            self._("Comments per minute")
            if step == 1
            else self._("Comments per {m} minutes").format(m=step)
        )
        if not line.counts:
            return self._section("timeline", title, "", self._note(self._("No comments.")))
        days = len({s.date() for s in line.starts}) > 1
        labels = [f"{s:%m-%d %H:%M}" if days else f"{s:%H:%M}" for s in line.starts]
        tips = [
            self._tip(f"{label} · {self._comments(sum(c.values()))}", c)
            for label, c in zip(labels, line.counts, strict=True)
        ]
        present = {s for c in line.counts for s, n in c.items() if n}
        sub = self._("When the hall talked, and what became of each comment.")
        svg = charts.columns(line.counts, labels, tips, title)
        return self._section("timeline", title, sub, self._legend(present), svg)

    def _held(self) -> list[Message]:
        return [m for m in self.night.messages if m.reasons]

    def _rows_chart(self, rows: Sequence[figures.Row], names: Mapping[str, str]) -> str:
        bars = [
            Bar(
                label=self._(names[r.label]) if r.label in names else r.label,
                counts=r.counts,
                title=self._tip(self._comments(r.total), r.counts),
            )
            for r in rows
        ]
        present = {s for r in rows for s, n in r.counts.items() if n}
        return self._legend(present) + charts.bars(bars, self._("held comments"))

    def _categories(self) -> str:
        title = self._("What the filter held, by list")
        rows = figures.by_category(self._held())
        if not rows:
            nothing = self._("Nothing was held: every comment went straight up.")
            return self._section("categories", title, "", self._note(nothing))
        sub = self._("Each held comment once per list it matched, by what became of it.")
        return self._section("categories", title, sub, self._rows_chart(rows, CATEGORY_NAMES))

    def _how(self) -> str:
        title = self._("How it matched")
        rows = figures.by_how(self._held())
        if not rows:
            return self._section("how", title, "", self._note(self._("Nothing was held.")))
        sub = self._("Written as is, or disguised: initials, sound-alikes, look-alikes …")
        return self._section("how", title, sub, self._rows_chart(rows, HOW_NAMES))

    def _waits(self) -> str:
        title = self._("How long held comments waited")
        if self.night.decided_at is None:
            note = self._("This database does not record when comments were decided.")
            return self._section("waits", title, "", self._note(note))
        waits = figures.held_waits(self.night.messages, self.night.decided_at)
        if waits is None:
            note = self._("No held comment was decided.")
            return self._section("waits", title, "", self._note(note))
        facts = [
            (self._duration(waits.median), self._("median wait")),
            (self._duration(waits.p90), self._("nine in ten decided within")),
            (f"{waits.within_a_minute:.0%}", self._("decided within a minute")),
        ]
        facts_html = "".join(
            f'<div class="fact"><span class="big">{esc(big)}</span>'
            f'<span class="what">{esc(what)}</span></div>'
            for big, what in facts
        )
        bars = [
            Bar(self._(label), counts, self._tip(self._comments(sum(counts.values())), counts))
            for label, counts in zip(WAIT_LABELS, waits.buckets, strict=True)
        ]
        present = {s for c in waits.buckets for s, n in c.items() if n}
        sub = self._("From sending to the moderator's decision (or expiry).")
        return self._section(
            "waits",
            title,
            sub,
            f'<div class="facts">{facts_html}</div>',
            self._legend(present),
            charts.bars(bars, title),
        )

    def _senders(self) -> str:
        title = self._("The busiest senders")
        rows = figures.busiest_senders(self.night.messages, self.night.senders, TOP_SENDERS)
        bars = []
        for row in rows:
            nick, muted = self._nick(row.nick)
            if row.namesake:
                nick = f"{nick} ({row.namesake})"  # one nick, two people: two numbered bars
            bars.append(
                Bar(
                    label=nick,
                    counts=row.counts,
                    title=self._tip(f"{nick} · {self._comments(row.total)}", row.counts),
                    tag=self._("banned") if row.banned else "",
                    muted=muted,
                )
            )
        present = {s for r in rows for s, n in r.counts.items() if n}
        sub = self._("By nick: everything each sent, and what became of it.")
        return self._section("senders", title, sub, self._legend(present), charts.bars(bars, title))

    def _words(self) -> str:
        title = self._("Words of the night")
        words = words_of_the_night(figures.wall_texts(self.night.messages), WORDS)
        if not words:
            return self._section("words", title, "", self._note(self._("No words on the wall.")))
        most = words[0][1]
        # Biggest in the middle: the rest alternate to its left and right, smaller outwards.
        ordered = [*reversed(words[1::2]), *words[0::2]]
        spans = []
        for index, (word, count) in enumerate(ordered):
            size = 1 + round((CLOUD_SIZES - 1) * math.sqrt(count / most))
            spans.append(
                f'<span class="w z{size} c{index % 6}" title="{esc(self._comments(count))}">'
                f"{esc(word)}</span>"
            )
        sub = self._("What the wall said most, word by word (shown comments only).")
        return self._section("words", title, sub, f'<p class="cloud">{" ".join(spans)}</p>')

    def _lottery(self) -> str:
        title = self._("The lottery")
        if not self.night.draws:
            return self._section("lottery", title, "", self._note(self._("No lottery rounds.")))
        sub = self._(
            "Each round's seed was fixed before the draw and only its SHA-256 shown; "
            "“danmaku draws --verify” re-runs every round from this record."
        )
        cards = "".join(self._draw(i, d) for i, d in enumerate(self.night.draws, 1))
        return self._section("lottery", title, sub, cards)

    def _scheme(self, draw: Draw) -> str:
        rules = draw.rules
        match rules.scheme:
            case Scheme.CAPPED:
                return self._("one ticket a comment, at most {cap}").format(cap=rules.cap)
            case Scheme.SQRT:
                return self._("tickets by the square root of comments")
            case Scheme.EQUAL:
                return self._("one ticket each")
            case _:
                return self._("one ticket a comment")

    def _draw(self, number: int, draw: Draw) -> str:
        prize = draw.rules.prize or self._("(no prize name)")
        nobody = self._("nobody")
        round_name = self._("Round {n}").format(n=number)
        strip_note = self._("Everyone’s share of the tickets; the winners’ in gold.")
        seed_name = self._("Seed")
        standing = draw.standing
        winners = (
            "".join(
                f'<li class="winner{" muted" if muted else ""}">{esc(nick)}</li>'
                for nick, muted in (self._nick(w.nick) for w in standing)
            )
            or f'<li class="muted">{esc(nobody)}</li>'
        )
        voids = "".join(
            "<li>"
            + esc(
                self._("{nick} voided ({why}) → {instead}").format(
                    nick=self._nick(v.nick)[0],
                    why=self._(VOID_NAMES.get(v.reason.value, v.reason.value)),
                    instead=self._nick(v.replacement.nick)[0]
                    if v.replacement
                    else self._("nobody left"),
                )
            )
            + "</li>"
            for v in draw.voids
        )
        tickets = sum(e.weight for e in draw.entrants)
        facts = " · ".join(
            [
                self.ngettext("{n} entrant", "{n} entrants", len(draw.entrants)),
                self.ngettext("{n} ticket", "{n} tickets", tickets),
                self._scheme(draw),
            ]
        )

        def tip(entrant: Entrant) -> str:
            tickets_text = self.ngettext("{n} ticket", "{n} tickets", entrant.weight)
            return f"{self._nick(entrant.nick)[0]} · {tickets_text}"

        strip = charts.ticket_strip(
            draw.entrants, {w.sender for w in standing}, tip, self._("tickets")
        )
        when = datetime.fromtimestamp(draw.created_at)
        seed_hash = draw.seed_hash or "–"
        return (
            '<article class="draw">'
            f'<p class="round">{esc(round_name)} · {when:%H:%M}</p>'
            f'<h3 class="prize">{esc(prize)}</h3>'
            f'<ul class="winners">{winners}</ul>'
            + (f'<ul class="voids">{voids}</ul>' if voids else "")
            + f'<p class="facts-line">{esc(facts)}</p>'
            f'<div class="strip">{strip}'
            f'<p class="strip-note">{esc(strip_note)}</p></div>'
            '<dl class="proof">'
            f"<dt>{esc(seed_name)}</dt><dd><code>{draw.seed}</code></dd>"
            f"<dt>SHA-256</dt><dd><code>{esc(seed_hash)}</code></dd>"
            "</dl></article>"
        )

    def _footer(self) -> str:
        offset = self.made_at.astimezone().strftime("%z")
        parts = [
            self._("Made by danmaku report from {db} at {at}.").format(
                db=self.night.source, at=f"{self.made_at:%Y-%m-%d %H:%M}"
            ),
            self._("Times are local (UTC{offset}).").format(offset=f"{offset[:3]}:{offset[3:]}"),
        ]
        if self.night.rehearsal_left_out:
            parts.append(
                self.ngettext(
                    "{n} comment from the rehearsal is left out.",
                    "{n} comments from the rehearsal are left out.",
                    self.night.rehearsal_left_out,
                )
            )
        return f"<footer><p>{esc(' '.join(parts))}</p></footer>"
