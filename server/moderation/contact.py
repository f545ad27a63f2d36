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
import string
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate

from server.models import Reason
from server.moderation.tables import PlainTable

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


_FOLDS = _fold_table()
_FOLD = PlainTable(lambda point: _FOLDS.get(point, chr(point)))


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
_DOTS = (r"\.", "点", "。", "dot", r"\(dot\)", r"\[dot\]", r"\[\.\]", r"\(\.\)")
_DOT = f"(?:{'|'.join(_DOTS)})"
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

# Love and applause codes: 520 (I love you), 1314 (forever), 666, 888...
_DIGITS = re.compile(r"\d+")
# A mobile number starts with 1 (or 86), a landline with 0, a service number with 400 or 800.
_NUMBER_STARTS = frozenset("0148")
_APPLAUSE = re.compile(r"(?:520|521|1314|5201314|666+|888+|999+|233+|111+)+")


# Screens. Most comments hold no contact information, and the patterns above are costly, so
# three screens come first, each a necessary condition of the patterns behind it:
# 1. one search of the text as sent for a character or word every finding needs;
# 2. one translation of the text to its shape, and a count and a search of that;
# 3. a search of the shape for each pattern, before that pattern runs.

# Every finding needs, after folding, five digits with nothing but separators between them
# (phones, QQ numbers), one of these characters: 信 加 + x (WeChat prefixes: 微信, 加v, wx, vx,
# weixin), / (a URL's ://), . 点 。 (a host's dot; an e-mail address ends with one), or one of
# these words: dot (a host's dot written out), we (wechat, weixin). The first screen asks a
# little less of the digits: five or more digits and separators from a digit to a digit.
_NEEDED_DIGITS = 5
_NEEDED_CHARACTERS = "信加+x/.点。"
_NEEDED_WORDS = ("dot", "we")
_DIGIT = re.compile(r"\d")
_SEPARATORS = r"\s\-_.·()\u200b-\u200d\u2060\ufeff"  # between digits in _DIGIT_RUN (and _SEP)


def _folding_to(chars: str) -> list[int]:
    """The code points that fold to one of ``chars``: the characters and their styled forms."""
    return sorted(
        {ord(ch) for ch in chars} | {p for p, folded in _FOLDS.items() if folded in chars}
    )


def _class(points: list[int], extra: str = "") -> str:
    r"""A regular expression class of ``points``, after ``extra`` (such as ``\d``)."""
    return f"[{extra}{re.escape(''.join(map(chr, points)))}]"


def _first_screen() -> re.Pattern[str]:
    r"""A search for needed digits, a needed character or a needed word, in any of their forms.

    It starts with one class, of every character a match can start with, so the regular
    expression engine skips to those at C speed (alternatives at the start would be tried one
    by one at every character); lookbehinds then tell which one it found.
    """
    beyond = [p for p in _FOLDS if p > 0xFFFF]
    math = f"{chr(min(beyond))}-{chr(max(beyond))}"

    def forms(points: list[int], extra: str = math) -> str:
        # Beyond the BMP only math letters and digits fold: a class takes them all as one
        # range, since each character listed there is one more test for every one tried.
        # Other digits there are \d.
        return _class([p for p in points if p <= 0xFFFF], extra)

    separator = re.compile(f"[{_SEPARATORS}]")
    digits = [p for p, folded in _FOLDS.items() if _DIGIT.match(folded)]
    separators = [p for p, folded in _FOLDS.items() if separator.match(folded)]
    digit = forms(digits, r"\d")
    digit_or_separator = forms(digits + separators, _SEPARATORS + r"\d")
    branches = [
        f"(?<={digit}){digit_or_separator}{{{_NEEDED_DIGITS - 2},}}{digit}",
        f"(?<={forms(_folding_to(_NEEDED_CHARACTERS))})",
    ]
    for word in _NEEDED_WORDS:
        rest = "".join(forms(_folding_to(ch)) for ch in word[1:])
        branches.append(f"(?<={forms(_folding_to(word[0]))}){rest}")
    word_starts = "".join(word[0] for word in _NEEDED_WORDS)
    first = forms(digits + _folding_to(_NEEDED_CHARACTERS + word_starts), r"\d" + math)
    return re.compile(f"{first}(?:{'|'.join(branches)})")


_FIRST_SCREEN = _first_screen()
# Whether a comment may hold contact information at all (most do not: one C-speed search).
# The engine asks it of every comment, then calls contacts_past_first_screen if need be.
might_have_contact = _FIRST_SCREEN.search

# A comment's shape: its folded text with every digit written 0 and only the characters the
# screens below spell kept, so spaces, Han text and emoji are gone. Deleting characters only
# joins what was apart, and the patterns allow nothing but spaces (or, in QQ numbers, anything)
# between the characters the screens spell, so a screen finds in the shape what its pattern
# needs in the folded text.
_SHAPE_KEEPS = frozenset(string.ascii_lowercase + "@()[]:/.点。加+微薇威信扣抠企秋")


def _shape_of(point: int) -> str | None:
    """The shape of one character: 0 for a digit, itself folded if kept, else nothing."""
    folded = _FOLDS.get(point, chr(point))
    if _DIGIT.match(folded):
        return "0"
    return folded if folded in _SHAPE_KEEPS else None


_SHAPE = PlainTable(_shape_of)


def _screen(*alternatives: str) -> re.Pattern[str]:
    """A search of the shape for any of ``alternatives``.

    Each alternative starts with a literal character: then the regular expression engine
    skips to the characters where one can start, instead of trying every alternative at
    every character (as it does once one starts with a class or a group).
    """
    return re.compile("|".join(alternatives))


# Phones need ten digits (one digit proves nothing: "一只" folds to "1只"), counted not searched;
# QQ numbers a prefix with five digits after it; WeChat IDs a prefix; e-mail addresses an @ and
# a dot before their domain; URLs "://", or a dot before a top-level domain (_DOT_SPACED
# without its spaces is one of _DOTS).
_PHONE_DIGITS = 10
_QQ_SCREEN = _screen(*(prefix + "(?:[^0]*0){5}" for prefix in "q扣抠企秋"))
_WECHAT_SCREEN = _screen("信", "vx", "wx", "wechat", "weixin", "加[v微薇威]", r"\+[v微薇威]")
_EMAIL_SCREEN = _screen(*(at + "[a-z0.点]*[.点][a-z]{2}" for at in ("@", r"\(at\)", r"\[at\]")))
_SCHEME_SCREEN = _screen("://")
_SPACED_URL_SCREEN = _screen(*(f"{dot}(?:{_SPACED_TLDS})" for dot in _DOTS))
_URL_SCREEN = _screen(*(f"{dot}(?:{_TLDS})" for dot in _DOTS))  # its TLDs include the spaced
# One search for the usual comment, which none of them lets through.
_WORD_SCREEN = _screen(
    *(
        screen.pattern
        for screen in (_QQ_SCREEN, _WECHAT_SCREEN, _EMAIL_SCREEN, _SCHEME_SCREEN, _URL_SCREEN)
    )
)


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
    return len(set(digits)) > 2 and not _APPLAUSE.fullmatch(digits) and not _is_counting(groups)


def _is_counting(groups: list[str]) -> bool:
    """Whether digit groups count up or down by one (10 9 8 ..., 1 2 3 ...)."""
    if len(groups) < 3:
        return False
    first, second = int(groups[0]), int(groups[1])
    step = second - first
    if step not in (1, -1):
        return False  # the usual answer, after two conversions
    return list(map(int, groups)) == list(range(first, first + step * len(groups), step))


def _looks_like_landline(groups: list[str]) -> bool:
    """Whether digit groups spell a landline with its area code, or a 400/800 number."""
    digits = "".join(groups)
    service = len(digits) == 10 and digits[:3] in ("400", "800")
    if not (service or _has_area_code(digits, groups)):
        return False  # the usual answer, so asked first
    return len(set(digits)) > 2 and not _is_counting(groups)


def _has_area_code(digits: str, groups: list[str]) -> bool:
    """Whether ``digits`` are a landline number: its area code, then the local number.

    Landlines: 010 or 02x then 8 digits; 0[3-9]xx then 7 or 8 digits. The area code is
    a group of its own, or the number is written without separators.
    """
    if digits[0] != "0" or digits[1] == "0":
        return False
    area = 3 if digits[1] in "12" else 4
    if digits[1] == "1" and digits[:3] != "010":
        return False
    local = len(digits) - area
    if local not in ((8,) if area == 3 else (7, 8)):
        return False
    return len(groups) == 1 or len(groups[0]) == area


def _is_number(parts: list[str], total: int) -> bool:
    """Whether digit groups holding ``total`` digits spell a phone number.

    The first digit rules out most kinds at once: a mobile number starts with 1 (or 86), a
    landline with 0, and a 400/800 number has ten digits.
    """
    lead = parts[0][0]
    if total in (11, 13) and lead in "18" and _looks_like_phone(parts):
        return True
    return total <= 12 and (lead == "0" or total == 10) and _looks_like_landline(parts)


def _number_span(
    text: str, start: int, end: int, groups: list[str], first: int, last: int
) -> tuple[int, int]:
    """The span of the digit groups ``first`` to ``last`` of the run ``text[start:end]``.

    With the "(" of an area code and the "+" of a country code before them.
    """
    if first > 0 or last < len(groups) - 1:  # not the whole run
        spans = [m.span() for m in _DIGITS.finditer(text, start, end)]
        start, end = spans[first][0], spans[last][1]
    if start > 0 and text[start - 1] == "(":
        start -= 1
    if start > 0 and text[start - 1] == "+":
        start -= 1
    return start, end


Finding = tuple[int, int, str]  # start, end, term


def contacts_past_first_screen(text: str) -> list[Reason]:
    """Contact information in a text :data:`might_have_contact` has let through.

    Args:
        text: the text as sent.

    Returns:
        One reason per finding (term ``phone``, ``qq``, ``wechat``, ``email`` or ``url``,
        category ``contact``), without findings that lie inside another one (the domain of
        an e-mail, the digits after a WeChat prefix).
    """
    shape = _SHAPE.translate(text)
    phone = len(shape) >= _PHONE_DIGITS and shape.count("0") >= _PHONE_DIGITS
    words = _WORD_SCREEN.search(shape) is not None
    if not (phone or words):
        return []
    return _outermost(_findings(_FOLD.translate(text), shape, phone, words))


def _findings(folded: str, shape: str, phone: bool, words: bool) -> list[Finding]:
    """Findings of the patterns whose screens ``shape`` passes, in the order always collected."""
    found = _phone_findings(folded) if phone else []
    if words:
        for screen, finder in _WORD_FINDERS:
            if screen.search(shape) is not None:
                found += finder(folded)
    return found


def _phone_findings(folded: str) -> list[Finding]:
    """Mobile, landline and 400/800 numbers, found inside runs of digit groups."""
    found: list[Finding] = []
    for run in _DIGIT_RUN.finditer(folded):
        start, end = run.span()
        if end - start < 10:
            continue  # fewer than ten characters hold fewer than ten digits
        groups = _DIGITS.findall(folded, start, end)
        counts = list(accumulate(map(len, groups)))  # digits up to the end of each group
        if counts[-1] < 10:
            continue
        # Try every stretch of consecutive groups holding 10 to 13 digits, shortest first:
        # "11-23 13812345678" has a phone at the end.
        for a, first in enumerate(groups):
            if first[0] not in _NUMBER_STARTS:
                continue
            before = counts[a] - len(first)
            for b in range(bisect_left(counts, before + 10), bisect_right(counts, before + 13)):
                if _is_number(groups[a : b + 1], counts[b] - before):
                    found.append((*_number_span(folded, start, end, groups, a, b), "phone"))
                    break
    return found


def _qq_findings(folded: str) -> list[Finding]:
    return [(m.start(), m.end(), "qq") for m in _QQ.finditer(folded)]


def _wechat_findings(folded: str) -> list[Finding]:
    return [(m.start(), m.end(), "wechat") for m in _WECHAT.finditer(folded)]


def _email_findings(folded: str) -> list[Finding]:
    return [(m.start(), m.end(), "email") for m in _EMAIL.finditer(folded)]


def _scheme_url_findings(folded: str) -> list[Finding]:
    return [
        (m.start(), _trim(folded, m.start(), m.end()), "url") for m in _URL_SCHEME.finditer(folded)
    ]


def _spaced_url_findings(folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _URL_SPACED.finditer(folded):
        labels = [label.strip() for label in re.split(_DOT_SPACED, m.group(1))]
        if labels[0].isdigit() or len(labels[0]) < 3:
            continue
        found.append((m.start(), m.end(), "url"))
    return found


def _url_findings(folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _URL_BARE.finditer(folded):
        first_label = re.split(_DOT, m.group(1), maxsplit=1)[0]
        if first_label.isdigit():  # "6点com"? a time, not a host
            continue
        found.append((m.start(), _trim(folded, m.start(), m.end()), "url"))
    return found


# In the order findings were always collected: of two with the same span, the first is kept.
_WORD_FINDERS = (
    (_QQ_SCREEN, _qq_findings),
    (_WECHAT_SCREEN, _wechat_findings),
    (_EMAIL_SCREEN, _email_findings),
    (_SCHEME_SCREEN, _scheme_url_findings),
    (_SPACED_URL_SCREEN, _spaced_url_findings),
    (_URL_SCREEN, _url_findings),
)


def _outermost(found: list[Finding]) -> list[Reason]:
    """Reasons for the findings that do not lie inside another finding."""
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[Finding] = []
    for start, end, kind in found:
        if any(s <= start and end <= e for s, e, _ in kept):
            continue
        kept.append((start, end, kind))
    return [Reason(kind, CATEGORY, (start, end)) for start, end, kind in kept]
