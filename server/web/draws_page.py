"""``GET /draws``: the night's lottery record as a page for the audience.

Everything the hall needs to check a draw: the prize, the scheme, the seed's SHA-256 (shown
before the draw) and the seed (after it), the entrants with their tickets and the winners,
voids included. Nicks only, never sender ids. Audience text is escaped; the page has no
script, and its style comes from ``web/draws/style.css`` (the CSP allows no inline style).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from server import lottery
from server.hub import Hub
from server.lottery_desk import Round
from server.models import Draw, Entrant

WORDS = {
    "zh": {
        "title": "抽奖记录",
        "none": "还没有抽奖。",
        "intro": "每轮抽奖前公布种子的 SHA-256，抽奖后公布种子本身。"
        "任何人都可以用记录复算：sha256(种子的十进制数字) 应等于公布的哈希。",
        "prize": "奖项",
        "scheme": "规则",
        "hash": "种子 SHA-256（抽奖前公布）",
        "seed": "种子",
        "mixed": "混入的弹幕条数",
        "winners": "中奖者",
        "entrants": "参与者（票数）",
        "voided": "作废",
        "instead": "补抽",
        "open": "下一轮已锁定种子",
        "anon": "匿名观众",
        "no_prize": "抽奖",
    },
    "en": {
        "title": "Lottery record",
        "none": "No draws yet.",
        "intro": "Before each draw the SHA-256 of its seed is shown; after it, the seed itself. "
        "Anyone can check: sha256(the seed's decimal digits) must equal the hash shown.",
        "prize": "Prize",
        "scheme": "Scheme",
        "hash": "Seed SHA-256 (shown before the draw)",
        "seed": "Seed",
        "mixed": "Comments mixed in",
        "winners": "Winners",
        "entrants": "Entrants (tickets)",
        "voided": "Voided",
        "instead": "redrawn",
        "open": "Next round committed",
        "anon": "anonymous",
        "no_prize": "Draw",
    },
}


def _nick(entrant: Entrant, words: dict[str, str]) -> str:
    return escape(entrant.nick or words["anon"])


def _draw_section(draw: Draw, words: dict[str, str]) -> str:
    rules = draw.rules
    scheme = rules.scheme.value + (f" ≤ {rules.cap}" if rules.cap else "")
    winners = ", ".join(_nick(w, words) for w in draw.standing) or "—"
    entrants = ", ".join(f"{_nick(e, words)} ({e.weight})" for e in draw.entrants)
    voids = "".join(
        f"<li>{escape(v.nick or words['anon'])} — {escape(v.reason.value)}"
        + (f"; {words['instead']}: {_nick(v.replacement, words)}" if v.replacement else "")
        + "</li>"
        for v in draw.voids
    )
    at = datetime.fromtimestamp(draw.created_at).strftime("%H:%M:%S")
    rows = [
        (words["scheme"], escape(scheme)),
        (words["hash"], f"<code>{lottery.commitment(draw)}</code>"),
        (words["seed"], f"<code>{draw.seed}</code>"),
        (words["mixed"], str(len(draw.witnessed))),
        (words["winners"], f"<strong>{winners}</strong>"),
        (words["entrants"], entrants),
    ]
    if voids:
        rows.append((words["voided"], f"<ul>{voids}</ul>"))
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    title = escape(rules.prize or words["no_prize"])
    return f"<section><h2>#{draw.id} {title} <time>{at}</time></h2><table>{table}</table></section>"


def render(draws: Sequence[Draw], committed: Round | None, lang: str) -> str:
    """The whole page, newest draw first."""
    words = WORDS.get(lang, WORDS["en"])
    sections = [_draw_section(d, words) for d in reversed(draws)]
    if committed is not None:
        prize = escape(committed.rules.prize or words["no_prize"])
        sections.insert(
            0,
            f"<section><h2>{words['open']}: {prize}</h2><table><tr><th>{words['hash']}</th>"
            f"<td><code>{committed.seed_hash}</code></td></tr></table></section>",
        )
    body = "".join(sections) or f"<p>{words['none']}</p>"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{words['title']}</title>"
        '<link rel="stylesheet" href="/assets/draws/style.css"></head>'
        f'<body><h1>{words["title"]}</h1><p class="intro">{words["intro"]}</p>{body}'
        "</body></html>"
    )


def draws_pages(hub: Hub) -> dict[str, str]:
    """The page in each language as the hub renders it, for a cluster's workers to serve."""
    return {f"draws.{lang}": render(hub.draws(), hub.lottery_round, lang) for lang in WORDS}
