"""Contact spam (phone, QQ, WeChat, URL, e-mail) as category ``contact``, built in.

Phones are mobile numbers (11 digits, optionally after 86), landlines with their area code
(010-12345678, 0755-1234567) and 400/800 service numbers; URLs may spell the dot (点, dot,
(dot), [.]) and space it out ("baidu dot com", "baidu . com") before a common top-level
domain.

Runs regular expressions over a one-to-one folded copy of the text (full width to ASCII,
Chinese digits to digits, lower case), so spans index the text as sent. It must stay quiet
on the numbers audiences type: years, scores, dates, times, countdowns, prices, 666, 8888888,
520 and 1314.
"""

from __future__ import annotations

import re
import unicodedata

from server.models import Reason
from server.moderation.tables import KeepOthers

CATEGORY = "contact"

_CHINESE_DIGITS = {
    "零": "0",
    "〇": "0",
    "洞": "0",
    "一": "1",
    "壹": "1",
    "幺": "1",
    "二": "2",
    "贰": "2",
    "两": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}


def _fold_table() -> dict[int, str]:
    """Single-character folds: full width, circled/styled digits and letters, Chinese digits."""
    table: dict[int, str] = {}
    ranges = [
        (0x41, 0x5B),  # A-Z
        (0xFF01, 0xFF5F),  # full width ASCII
        (0x2460, 0x24EA),  # circled digits and letters
        (0x2070, 0x208F),  # superscripts and subscripts
        (0x00B2, 0x00BA),  # ² ³ ¹
        (0x1D400, 0x1D800),  # mathematical letters and digits
        (0x3000, 0x3001),  # ideographic space
    ]
    for lo, hi in ranges:
        for o in range(lo, hi):
            folded = unicodedata.normalize("NFKC", chr(o)).lower()
            if len(folded) == 1 and folded != chr(o) and folded.isascii():
                table[o] = folded
    for ch, digit in _CHINESE_DIGITS.items():
        table[ord(ch)] = digit
    table[ord("\u3002")] = "。"  # kept: a dot stand-in handled by the URL pattern
    return table


_FOLD = KeepOthers(_fold_table())


def _contact_characters() -> re.Pattern[str]:
    """A character class of everything a finding needs one of: a digit, a Latin letter, 信, 加, +.

    Every pattern below needs at least one such character after folding (a phone or QQ
    number its digits, a WeChat prefix 信, 加 or a letter, a URL or e-mail address its letters
    or digits), so a comment with none of them, the usual Chinese one, skips folding. Any
    character beyond the BMP (math letters and digits, emoji) counts as one: a class listing
    those one by one would be scanned one by one, and one range is a single test.
    """
    needed = re.compile(r"[\da-z信加+]")
    bmp = sorted(p for p, folded in _FOLD.items() if p <= 0xFFFF and needed.match(folded))
    return re.compile(f"[\\dA-Za-z信加+{re.escape(''.join(map(chr, bmp)))}\U00010000-\U0010ffff]")


_CONTACT_CHARACTER = _contact_characters()

_SEP = r"[\s\-_.·\u200b-\u200d\u2060\ufeff]"
# Digit groups of a phone number may also sit in brackets: "(021) 1234 5678".
_DIGIT_RUN = re.compile(r"\d(?:[\s\-_.·()\u200b-\u200d\u2060\ufeff]*\d)*")

_QQ = re.compile(
    r"(?<![a-z])(?:qq|扣扣|抠抠|企鹅|秋秋|q号)(?:号码|号|群)?[\s:：=是为\-]*"
    rf"([1-9](?:{_SEP}?\d){{4,11}})(?!\d)"
)
_WECHAT = re.compile(
    r"(?:(?:加|\+)\s*(?:[v微薇威徽维卫]信|vx|wx|v|微|薇|威)|(?<![a-z])(?:vx|wx|wechat|weixin)|"
    r"[v微薇威徽维卫]信)"
    r"(?:号码|号|id)?[\s:：=是为\-]*"
    r"([a-z][a-z0-9_\-]{5,19}|\d(?:" + _SEP + r"?\d){4,11})(?![a-z0-9_\-])"
)
_EMAIL = re.compile(
    r"[a-z0-9][a-z0-9._%+\-]*(?:@|\(at\)|\[at\])[a-z0-9\-]+(?:(?:\.|点)[a-z0-9\-]+)*(?:\.|点)[a-z]{2,}"
)
_TLDS = (
    "com|cn|net|org|io|cc|top|xyz|me|tv|co|info|vip|club|site|app|link|ly|gg|edu|gov|ink|"
    "shop|online|live|fun|icu|tk|hk|tw|jp|uk|us|ru|de|la|ws|bid|win|cyou|biz|pro|wang"
)
_DOT = r"(?:\.|点|。|dot|\(dot\)|\[dot\]|\[\.\]|\(\.\))"
_URL_SCHEME = re.compile(r"(?:https?|ftp)://[a-z0-9\-._~%!$&'()*+,;=:@/?#\[\]]+")
# A spaced-out dot ("baidu dot com", "baidu . com", "baidu 点 com") only before these.
_SPACED_TLDS = "com|cn|net|org|top|xyz|vip"
_DOT_SPACED = r"(?:\s*(?:\.|点|。|\(dot\)|\[dot\]|\[\.\]|\(\.\))\s*|\s+dot\s+)"
_URL_SPACED = re.compile(
    rf"(?<![a-z0-9@.\-])((?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?{_DOT_SPACED})+(?:{_SPACED_TLDS}))"
    r"(?![a-z0-9])"
)
_URL_BARE = re.compile(
    rf"(?<![a-z0-9@.\-])((?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?{_DOT})+(?:{_TLDS}))(?![a-z0-9])"
    r"(/[a-z0-9\-._~%!$&'()*+,;=:@/?#\[\]]*)?"
)

# Cheap screens, so most comments skip the patterns below: numbers need five digits at least
# ("一只" folds to "1只", so one digit proves nothing); the rest need one of these.
_DIGIT = re.compile(r"\d")
_MIN_DIGITS = 5
# Two patterns, each of whose branches starts with a literal or one class, so the regex engine
# skips ahead to where a match can start instead of trying every branch at every character.
_SCREEN_WORDS = re.compile(
    r"@|\(at\)|\[at\]|信|vx|wx|wechat|weixin|://|加\s*[v微薇威]|\+\s*[v微薇威]"
)
_SCREEN_DOT = re.compile(r"[a-z0-9]\s*(?:\.|点|。|dot|\(|\[)")

# Love and applause codes: 520 (I love you), 1314 (forever), 666, 888...
_DIGITS = re.compile(r"\d+")
# A mobile number starts with 1 (or 86), a landline with 0, a service number with 400 or 800.
_NUMBER_STARTS = frozenset("0148")
_APPLAUSE = re.compile(r"(?:520|521|1314|5201314|666+|888+|999+|233+|111+)+")


def fold(text: str) -> str:
    """The one-to-one folded copy of ``text`` the patterns run on.

    Args:
        text: the text as sent.

    Returns:
        A string of the same length: full width and styled digits/letters to ASCII,
        Chinese digits to digits, ASCII letters to lower case.
    """
    return text.translate(_FOLD)


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation a URL pattern swallowed ("see x.com/abc.")."""
    while end > start and text[end - 1] in ".,;:!?)]'":
        end -= 1
    return end


def _looks_like_phone(groups: list[str]) -> bool:
    """Whether digit groups (split by separators) spell a Chinese mobile number."""
    digits = "".join(groups)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) != 11 or digits[0] != "1" or digits[1] not in "3456789":
        return False
    if len(set(digits)) <= 2 or _APPLAUSE.fullmatch(digits):
        return False
    values = [int(g) for g in groups if g]
    if len(values) >= 3:  # a countdown (10 9 8 ...) or a count (1 2 3 ...)
        steps = {b - a for a, b in zip(values, values[1:], strict=False)}
        if steps in ({-1}, {1}):
            return False
    return True


def _is_counting(groups: list[str]) -> bool:
    """Whether digit groups count up or down by one (10 9 8 ..., 1 2 3 ...)."""
    values = [int(g) for g in groups if g]
    if len(values) < 3:
        return False
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    return steps in ({-1}, {1})


def _looks_like_landline(groups: list[str]) -> bool:
    """Whether digit groups spell a landline with its area code, or a 400/800 number.

    Landlines: 010 or 02x then 8 digits; 0[3-9]xx then 7 or 8 digits. The area code is
    a group of its own, or the number is written without separators.
    """
    digits = "".join(groups)
    if len(set(digits)) <= 2 or _is_counting(groups):
        return False
    if len(digits) == 10 and digits[:3] in ("400", "800"):
        return True
    if digits[0] != "0" or digits[1] == "0":
        return False
    area = 3 if digits[1] in "12" else 4
    if digits[1] == "1" and digits[:3] != "010":
        return False
    local = len(digits) - area
    if local not in ((8,) if area == 3 else (7, 8)):
        return False
    return len(groups) == 1 or len(groups[0]) == area


def _phones(text: str) -> list[tuple[int, int]]:
    """Spans of mobile, landline and 400/800 numbers, found inside runs of digit groups."""
    spans: list[tuple[int, int]] = []
    for run in _DIGIT_RUN.finditer(text):
        if run.end() - run.start() < 10:
            continue  # fewer than ten characters hold fewer than ten digits
        groups = [(m.start(), m.end(), m.group()) for m in _DIGITS.finditer(run.group())]
        if sum(len(g[2]) for g in groups) < 10:
            continue
        base = run.start()
        # Try every stretch of consecutive groups: "11-23 13812345678" has a phone at the end.
        for a in range(len(groups)):
            if groups[a][2][0] not in _NUMBER_STARTS:
                continue
            total = 0
            for b in range(a, len(groups)):
                total += len(groups[b][2])
                if total > 13:
                    break
                if total < 10:
                    continue
                parts = [g[2] for g in groups[a : b + 1]]
                if (total in (11, 13) and _looks_like_phone(parts)) or (
                    total <= 12 and _looks_like_landline(parts)
                ):
                    start = base + groups[a][0]
                    if start > 0 and text[start - 1] == "(":
                        start -= 1
                    if start > 0 and text[start - 1] == "+":
                        start -= 1
                    spans.append((start, base + groups[b][1]))
                    break
    return spans


def find_contacts(text: str) -> list[Reason]:
    """Contact information in ``text``.

    Args:
        text: the text as sent.

    Returns:
        One reason per finding (term ``phone``, ``qq``, ``wechat``, ``email`` or ``url``,
        category ``contact``), without findings that lie inside another one (the domain of
        an e-mail, the digits after a WeChat prefix).
    """
    if _CONTACT_CHARACTER.search(text) is None:
        return []
    folded = text.translate(_FOLD)
    found: list[tuple[int, int, str]] = []
    if len(_DIGIT.findall(folded)) >= _MIN_DIGITS:
        found += [(s, e, "phone") for s, e in _phones(folded)]
        found += [(m.start(), m.end(), "qq") for m in _QQ.finditer(folded)]
    if _SCREEN_DOT.search(folded) is None and _SCREEN_WORDS.search(folded) is None:
        return _outermost(found)
    found += [(m.start(), m.end(), "wechat") for m in _WECHAT.finditer(folded)]
    found += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(folded)]
    for m in _URL_SCHEME.finditer(folded):
        found.append((m.start(), _trim(folded, m.start(), m.end()), "url"))
    for m in _URL_SPACED.finditer(folded):
        host = m.group(1)
        labels = [label.strip() for label in re.split(_DOT_SPACED, host)]
        if labels[0].isdigit() or len(labels[0]) < 3:
            continue
        found.append((m.start(), m.end(), "url"))
    for m in _URL_BARE.finditer(folded):
        host = m.group(1)
        first_label = re.split(_DOT, host, maxsplit=1)[0]
        if first_label.isdigit():  # "6点com"? a time, not a host
            continue
        found.append((m.start(), _trim(folded, m.start(), m.end()), "url"))
    return _outermost(found)


def _outermost(found: list[tuple[int, int, str]]) -> list[Reason]:
    """Reasons for the findings that do not lie inside another finding."""
    if not found:
        return []
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if any(s <= start and end <= e for s, e, _ in kept):
            continue
        kept.append((start, end, kind))
    return [Reason(kind, CATEGORY, (start, end)) for start, end, kind in kept]
