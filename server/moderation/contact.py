"""Contact spam (phone, QQ, WeChat, platform accounts, URL, e-mail) as category ``contact``.

Phones are mobile numbers (11 digits, optionally after 86), landlines with their area code
(010-12345678, 0755-1234567) and 400/800 service numbers, in any digits: spaced out, full
width, circled, keycap (1⃣), Chinese numerals (幺 for 1, 洞 for 0). Account plugs are an ID
after a name of WeChat or QQ, however short or nicknamed (V：lucky2026, 加Q, 薇, 扣扣, 企鹅,
绿泡泡), a QQ group number, or an account name after a platform's name (抖音号 dy_x88,
小红书搜：年会小能手, 微博@某某). URLs may spell the dot (点, dot, (dot), [.]) and space it out
("baidu dot com") before a common top-level domain; e-mail addresses may spell the at (at,
(at), #) and the dot.

Runs regular expressions over a one-to-one folded copy of the text (full width to ASCII,
Chinese digits to digits, lower case), so spans index the text as sent. It must stay quiet
on the numbers audiences type: years, scores, dates, times, countdowns, prices, table
numbers, 666, 8888888, 520 and 1314; and on platform names said in passing (我在抖音看到的).

Each reason's ``how`` says what was read, unless the finding was written plainly (a phone
number in ASCII digits): "V：lucky2026 → 微信号 (contact)", "一三八… → 手机号 13812345678
(contact)".
"""

from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Final

from server.models import Reason
from server.moderation.tables import PlainTable

CATEGORY: Final = "contact"

_CHINESE_DIGITS: Final = {
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
    # Radio operators' digits, typed to dodge number filters: 拐 7, 勾 9.
    "拐": "7",
    "勾": "9",
}

# Digits in circles, brackets or with a full stop (⑴ ⒈ ❶ ➀ ㈠ ㊀) have no one-character
# NFKC form; their numeric value says which digit they are.
_DIGIT_SYMBOL_BLOCKS: Final = (
    (0x2460, 0x2500),
    (0x2776, 0x2794),
    (0x3220, 0x322A),
    (0x3280, 0x328A),
)
# A keycap digit is the digit, then U+FE0F and U+20E3 (1️⃣): both fold to an invisible
# separator, so the digits of "1⃣3⃣8⃣" stand side by side.
_KEYCAP_MARKS: Final = "\ufe0f\u20e3"


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
    for lo, hi in _DIGIT_SYMBOL_BLOCKS:
        for o in range(lo, hi):
            value = unicodedata.numeric(chr(o), -1)
            if o not in table and value in range(10):
                table[o] = str(int(value))
    for mark in _KEYCAP_MARKS:
        table[ord(mark)] = "\u200b"
    for ch, digit in _CHINESE_DIGITS.items():
        table[ord(ch)] = digit
    table[ord("\u3002")] = "。"  # kept: a dot stand-in handled by the URL pattern
    return table


_FOLDS: Final = _fold_table()
_FOLD: Final = PlainTable(lambda point: _FOLDS.get(point, chr(point)))


_SEP: Final = r"[\s\-_.·\u200b-\u200d\u2060\ufeff]"
# Digit groups of a phone number may also sit in brackets: "(021) 1234 5678".
_DIGIT_RUN: Final = re.compile(r"\d(?:[\s\-_.·()\u200b-\u200d\u2060\ufeff]*\d)*")

# Account plugs: a name of the app, then (after a separator) the account. Several names are
# nicknames or near-homophones people type to dodge filters. A one-character name is a plug
# only after 加/+ ("加V", "+q") or before 号, id or a colon ("V：lucky2026", "薇：x88"), or
# alone before an ID that mixes letters and digits ("v lucky2026").
_WECHAT_NAMES: Final = (
    "微信", "威信", "薇信", "徽信", "维信", "卫信", "伟信", "危信", "v信", "微芯", "wei信",
    "vx", "wx", "wechat", "weixin", "绿泡泡", "绿色泡泡",
)  # fmt: skip
_WECHAT_LETTERS: Final = ("v", "微", "薇", "威", "徽")
_QQ_NAMES: Final = (
    "qq", "扣扣", "抠抠", "叩叩", "寇寇", "蔻蔻", "企鹅", "🐧", "秋秋", "q号", "群号",
)  # fmt: skip
_QQ_LETTERS: Final = ("q", "扣", "抠", "叩")
# 一 is folded to 1 like every Chinese digit: "加一下V" reads "加1下v".
_ADD: Final = r"(?:加|\+|➕)\s*(?:我的|我|个|1下|下|1个)?\s*"
_ACCOUNT_SUFFIX: Final = r"(?:号码|群号|号|群|id|账号|帐号)?"
_LEAD: Final = r"[\s:：=是为\-]*"


def _plug(
    names: tuple[str, ...], letters: tuple[str, ...], lone: tuple[str, ...], account: str
) -> re.Pattern[str]:
    """An app's name (long, or one letter where it reads as a plug), then ``account``.

    Which name matched tells how much the account must look like an ID: group ``named``
    (a long name, or any name after 加) says "account" by itself, group ``marked`` (one of
    ``letters`` before 号, id or a colon) nearly, and one of ``lone`` before a space hardly.
    """
    # A Latin name or letter is a word of its own (not the v of "love"); a Han one needs no
    # edge ("old薇信", "加微abc123"). A Latin letter glued to its ID needs a digit in it
    # ("加vabc123", not "加vacation").
    latin_long = "|".join(re.escape(n) for n in names if n.isascii())
    han_long = "|".join(re.escape(n) for n in names if not n.isascii())
    latin_short = "|".join(re.escape(n) for n in letters if n.isascii())
    han_short = "|".join(re.escape(n) for n in letters if not n.isascii())
    long = rf"(?:(?<![a-z])(?:{latin_long})|{han_long})"
    short = rf"(?:(?<![a-z])(?:{latin_short})|{han_short})"
    return re.compile(
        rf"(?:(?P<named>{_ADD}(?:{long}|(?:{latin_short})(?![a-z])|{han_short}"
        rf"|(?:{latin_short})(?=[a-z0-9_\-]*\d))|{long})"
        rf"|(?P<marked>{short}(?=\s*(?:号|群|id|[:：])))"
        rf"|(?<![a-z])(?:{'|'.join(map(re.escape, lone))})(?=\s))"
        rf"{_ACCOUNT_SUFFIX}{_LEAD}{account}"
    )


_DIGIT_ID: Final = rf"\d(?:{_SEP}?\d){{4,11}}(?!\d)"
_QQ: Final = _plug(_QQ_NAMES, _QQ_LETTERS, ("q",), rf"(?P<id>[1-9](?:{_SEP}?\d){{4,11}})(?!\d)")
_WECHAT: Final = _plug(
    _WECHAT_NAMES,
    _WECHAT_LETTERS,
    ("v", "薇"),
    rf"(?P<id>[a-z0-9_][a-z0-9_\-]{{3,19}}|{_DIGIT_ID})(?![a-z0-9_\-])",
)

# "+V", "+vx", "➕扣扣" with no ID: the plus reads 加 ("add me on it"), a plug by itself. Not
# "ctrl+v" or "C+V" (a letter or digit before the plus).
_PLUS_PLUG: Final = re.compile(
    r"(?<![a-z0-9+])(?:\+|➕)\s*(?P<name>"
    + "|".join(map(re.escape, (*_WECHAT_NAMES, *_QQ_NAMES, *_WECHAT_LETTERS, *_QQ_LETTERS)))
    + r")(?![a-z0-9])"
)

# Platforms where an account is a plug too. Their own names may take Han account names
# ("公众号：年会福利社"); nicknames that are also everyday words (飞机 is Telegram, and a
# plane) only an @handle or an ID.
_PLATFORMS: Final = {
    "抖音": "抖音号", "快手": "快手号", "小红书": "小红书号", "红书": "小红书号",
    "xhs": "小红书号", "b站": "B站账号", "哔哩哔哩": "B站账号", "bilibili": "B站账号",
    "视频号": "视频号", "公众号": "公众号", "淘宝": "淘宝店", "闲鱼": "闲鱼账号",
    "拼多多": "拼多多店", "微博": "微博账号", "知乎": "知乎账号", "头条": "头条号",
    "西瓜视频": "西瓜视频账号", "instagram": "Instagram账号", "推特": "Twitter账号",
    "twitter": "Twitter账号", "youtube": "YouTube频道", "油管": "YouTube频道",
    "telegram": "Telegram账号", "whatsapp": "WhatsApp账号", "discord": "Discord账号",
}  # fmt: skip
_PLATFORM_NICKNAMES: Final = {
    "飞机": "Telegram账号", "纸飞机": "Telegram账号", "电报": "Telegram账号",
    "tg": "Telegram账号", "ins": "Instagram账号", "ig": "Instagram账号",
}  # fmt: skip
_PLATFORM_SUFFIX: Final = r"(?:号|账号|帐号|id|uid|店铺|店|主页|直播间|频道)?"
# After the name: a colon, 搜 (search for), or an @handle; after "…号" a space will do.
_PLATFORM_MARK: Final = (
    r"(?P<mark>\s*(?:[:：]|搜索?(?:店铺|店名|账号|id)?\s*[:：「『“\"【\[\s]|@)\s*|\s+)"
)
_LATIN_ACCOUNT: Final = r"@?[a-z0-9_][a-z0-9_\-.]{2,29}(?![a-z0-9_\-])"
_HAN_ACCOUNT: Final = r"[\u3400-\u9fff][\u3400-\u9fffa-z0-9_]{1,19}"
_PLATFORM: Final = re.compile(
    rf"(?<![a-z])(?P<name>{'|'.join(map(re.escape, sorted(_PLATFORMS, key=len, reverse=True)))})"
    rf"(?P<suffix>{_PLATFORM_SUFFIX}){_PLATFORM_MARK}"
    rf"(?:(?P<latin>{_LATIN_ACCOUNT})|(?P<han>{_HAN_ACCOUNT}))"
)
_PLATFORM_BY_NICKNAME: Final = re.compile(
    rf"(?<![a-z])(?P<name>{'|'.join(map(re.escape, _PLATFORM_NICKNAMES))})(?![a-z])"
    rf"(?P<suffix>{_PLATFORM_SUFFIX}){_PLATFORM_MARK}(?P<latin>{_LATIN_ACCOUNT})"
)
# Any platform's name or nickname: both patterns above need one. A colon or a 号 lets many
# comments past the platform screen ("弹幕：…", "暗号…"), and this search, which starts with
# literal characters (so the engine skips to them), costs a fraction of the two patterns.
_PLATFORM_NAME: Final = re.compile("|".join(map(re.escape, [*_PLATFORMS, *_PLATFORM_NICKNAMES])))

# E-mail: the @ may be spelled (at, (at), #, 艾特) and the dots too (点, 。, dot).
_AT: Final = r"(?:@|\(at\)|\[at\]|\{at\}|\s+at\s+|#|艾特|圈a)"
_MAIL_DOT: Final = r"(?:\s*(?:\.|点|。|\(dot\)|\[dot\])\s*|\s+dot\s+)"
_EMAIL: Final = re.compile(
    rf"[a-z0-9][a-z0-9._%+\-]*{_AT}[a-z0-9\-]+(?:{_MAIL_DOT}[a-z0-9\-]+)*{_MAIL_DOT}"
    r"(?P<tld>[a-z]{2,})(?![a-z])"
)
_TLDS: Final = (
    "com|cn|net|org|io|cc|top|xyz|me|tv|co|info|vip|club|site|app|link|ly|gg|edu|gov|ink|"
    "shop|online|live|fun|icu|tk|hk|tw|jp|uk|us|ru|de|la|ws|bid|win|cyou|biz|pro|wang"
)
_TLD_SET: Final = frozenset(_TLDS.split("|"))
_DOTS: Final = (r"\.", "点", "。", "dot", r"\(dot\)", r"\[dot\]", r"\[\.\]", r"\(\.\)")
_DOT: Final = f"(?:{'|'.join(_DOTS)})"
_URL_SCHEME: Final = re.compile(r"(?:https?|ftp)://[a-z0-9\-._~%!$&'()*+,;=:@/?#\[\]]+")
# A spaced-out dot ("baidu dot com", "baidu . com", "baidu 点 com") only before these.
_SPACED_TLDS: Final = "com|cn|net|org|top|xyz|vip"
_DOT_SPACED: Final = r"(?:\s*(?:\.|点|。|\(dot\)|\[dot\]|\[\.\]|\(\.\))\s*|\s+dot\s+)"
_URL_SPACED: Final = re.compile(
    rf"(?<![a-z0-9@.\-])((?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?{_DOT_SPACED})+(?:{_SPACED_TLDS}))"
    r"(?![a-z0-9])"
)
_URL_BARE: Final = re.compile(
    rf"(?<![a-z0-9@.\-])((?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?{_DOT})+(?:{_TLDS}))(?![a-z0-9])"
    r"(/[a-z0-9\-._~%!$&'()*+,;=:@/?#\[\]]*)?"
)

# Love and applause codes: 520 (I love you), 1314 (forever), 666, 888...
_DIGITS: Final = re.compile(r"\d+")
# A mobile number starts with 1 (or 86), a landline with 0, a service number with 400 or 800.
_NUMBER_STARTS: Final = frozenset("0148")
_APPLAUSE: Final = re.compile(r"(?:520|521|1314|5201314|666+|888+|999+|233+|111+)+")


# Screens. Most comments hold no contact information, and the patterns above are costly, so
# three screens come first, each a necessary condition of the patterns behind it:
# 1. one search of the text as sent for a character or word every finding needs;
# 2. one translation of the text to its shape, and a count and a search of that;
# 3. a search of the shape for each pattern, before that pattern runs.

# Every finding needs, after folding, five digits with nothing but separators between them
# (phones, QQ numbers, digit IDs), one of these characters: 信 芯 泡 加 + ➕ x (WeChat names
# and 加: 微信, 加v, wx, vx, 绿泡泡), v 薇 (one letter before an ID), : 号 群 搜 @ (an
# account after a name: V：x, 抖音号 x, 威群 x, B站搜 x, 微博@x), / (a URL's ://), . 点 。 (a
# host's dot; an e-mail address ends with one), or one of these words: dot (a host's dot
# written out), we (wechat, weixin), id (微id x). The first screen asks a little less of the
# digits: five or more digits and separators from a digit to a digit.
_NEEDED_DIGITS: Final = 5
_NEEDED_CHARACTERS: Final = "信芯泡加+➕xv薇:号群搜@/.点。"
_NEEDED_WORDS: Final = ("dot", "we", "id")
_DIGIT: Final = re.compile(r"\d")
_SEPARATORS: Final = r"\s\-_.·()\u200b-\u200d\u2060\ufeff"  # in _DIGIT_RUN, _SEP


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


_FIRST_SCREEN: Final = _first_screen()
# Whether a comment may hold contact information at all (most do not: one C-speed search).
# The engine asks it of every comment, then calls contacts_past_first_screen if need be.
might_have_contact = _FIRST_SCREEN.search

# A comment's shape: its folded text with every digit written 0 and only the characters the
# screens below spell kept, so spaces, Han text and emoji are gone. Deleting characters only
# joins what was apart, and the patterns allow nothing but spaces (or, in QQ numbers, anything)
# between the characters the screens spell, so a screen finds in the shape what its pattern
# needs in the folded text.
_SHAPE_KEEPS: Final = frozenset(
    string.ascii_lowercase + "@#()[]:/.点。加+➕微薇威徽信芯泡扣抠叩寇蔻企秋群🐧号搜艾特圈"
)


def _shape_of(point: int) -> str | None:
    """The shape of one character: 0 for a digit, itself folded if kept, else nothing."""
    folded = _FOLDS.get(point, chr(point))
    if _DIGIT.match(folded):
        return "0"
    return folded if folded in _SHAPE_KEEPS else None


_SHAPE: Final = PlainTable(_shape_of)


def _screen(*alternatives: str) -> re.Pattern[str]:
    """A search of the shape for any of ``alternatives``.

    Each alternative starts with a literal character: then the regular expression engine
    skips to the characters where one can start, instead of trying every alternative at
    every character (as it does once one starts with a class or a group).
    """
    return re.compile("|".join(alternatives))


# Phones need ten digits (one digit proves nothing: "一只" folds to "1只"), counted not searched;
# QQ numbers a name with five digits after it; WeChat IDs a long name, 加, or one letter
# before 号, id or a colon, or before an ID with a digit; platform accounts a colon, 号, 搜 or
# @; e-mail addresses an at and a dot before their domain; URLs "://", or a dot before a
# top-level domain (_DOT_SPACED without its spaces is one of _DOTS).
_PHONE_DIGITS: Final = 10
_QQ_SCREEN: Final = _screen(*(name + "(?:[^0]*0){5}" for name in "q扣抠叩寇蔻企秋群🐧"))
_WECHAT_SCREEN: Final = _screen(
    *("信", "芯", "泡", "vx", "wx", "wechat", "weixin", "加", r"\+", "➕"),
    *(letter + "(?:号|群|id|:)" for letter in _WECHAT_LETTERS),
    *(letter + "[a-z]*0" for letter in ("v", "薇")),
)
_PLATFORM_SCREEN: Final = _screen(":", "号", "搜", "@")
_EMAIL_SCREEN: Final = _screen(
    *(
        at + r"[a-z0.点。()\[\]]*(?:[.点。)\]]|dot)[a-z]{2}"
        for at in ("@", r"\(at\)", r"\[at\]", "at", "#", "艾特", "圈a")
    )
)
_SCHEME_SCREEN: Final = _screen("://")
_SPACED_URL_SCREEN: Final = _screen(*(f"{dot}(?:{_SPACED_TLDS})" for dot in _DOTS))
_URL_SCREEN: Final = _screen(*(f"{dot}(?:{_TLDS})" for dot in _DOTS))  # its TLDs include the spaced
# One search for the usual comment, which none of them lets through.
_WORD_SCREEN: Final = _screen(
    *(
        screen.pattern
        for screen in (
            _QQ_SCREEN,
            _WECHAT_SCREEN,
            _PLATFORM_SCREEN,
            _EMAIL_SCREEN,
            _SCHEME_SCREEN,
            _URL_SCREEN,
        )
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
    if end < len(text) and text[end] == "\u200b":  # the keycap of the last digit (1⃣)
        end += 1
    return start, end


Finding = tuple[int, int, str, str]  # start, end, term, what it is ("" if it shows itself)

# The account of a plug must look more like an ID the less its name says "account".
_MIN_NAMED_LETTERS: Final = 6  # "微信 support": letters alone make an ID after a full name
_MIN_MARKED_ID: Final = 4  # "V：ab12": a colon after one letter, then letters with a digit or _
_MIN_LONE_ID: Final = 6  # "v lucky2026": one letter and a space, then letters and digits
_MIN_DISTINCT_DIGITS: Final = 3  # "q 666666" is applause


def contacts_past_first_screen(text: str) -> list[Reason]:
    """Contact information in a text :data:`might_have_contact` has let through.

    Args:
        text: the text as sent.

    Returns:
        One reason per finding (term ``phone``, ``qq``, ``wechat``, ``account``, ``email``
        or ``url``, category ``contact``), without findings that lie inside another one
        (the domain of an e-mail, the digits after a WeChat prefix).
    """
    shape = _SHAPE.translate(text)
    phone = len(shape) >= _PHONE_DIGITS and shape.count("0") >= _PHONE_DIGITS
    words = _WORD_SCREEN.search(shape) is not None
    if not (phone or words):
        return []
    return _outermost(text, _findings(_FOLD.translate(text), shape, phone, words))


def contacts_unscreened(text: str) -> list[Reason]:
    """What :func:`contacts_past_first_screen` finds, the long way: every pattern, no screen.

    The reference the screens are tested against.

    Args:
        text: the text as sent.

    Returns:
        The same reasons as the screened way.
    """
    folded = _FOLD.translate(text)
    found = _phone_findings(folded)
    for _, finder in _WORD_FINDERS:
        found += finder(folded)
    return _outermost(text, found)


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
                    digits = "".join(groups[a : b + 1])
                    label = ("手机号 " if digits[0] in "18" else "电话 ") + digits
                    found.append((*_number_span(folded, start, end, groups, a, b), "phone", label))
                    break
    return found


def _digits_of(account: str) -> str:
    """The digits of an account written as (maybe spaced) digits, else ""."""
    digits = _DIGIT_GAPS.sub("", account)
    return digits if digits.isdecimal() else ""


_DIGIT_GAPS: Final = re.compile(_SEP)


def _looks_like_id(account: str, how_named: str) -> bool:
    """Whether ``account`` is an ID, after a name of strength ``how_named``.

    ``how_named``: "named" (a full name, or 加), "marked" (one letter and a colon), "lone".
    """
    digits = _digits_of(account)
    if digits:
        if how_named != "lone":
            return len(digits) >= _NEEDED_DIGITS
        return (
            len(digits) >= _MIN_LONE_ID
            and len(set(digits)) >= _MIN_DISTINCT_DIGITS
            and not _APPLAUSE.fullmatch(digits)
        )
    if not any("a" <= ch <= "z" for ch in account):
        return False
    marked = any(ch.isdecimal() or ch in "_-" for ch in account)
    if how_named == "named":
        return (account[0].isalpha() and len(account) >= _MIN_NAMED_LETTERS) or (
            marked and len(account) >= _MIN_MARKED_ID
        )
    if how_named == "marked":
        return marked and len(account) >= _MIN_MARKED_ID
    return len(account) >= _MIN_LONE_ID and any(ch.isdecimal() for ch in account)


def _plug_findings(pattern: re.Pattern[str], term: str, folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in pattern.finditer(folded):
        how_named = "named" if m["named"] else "marked" if m["marked"] else "lone"
        if not _looks_like_id(m["id"], how_named):
            continue
        if term == "qq":
            label = "QQ群" if "群" in folded[m.start() : m.start("id")] else "QQ号"
        else:
            label = "微信号"
        found.append((m.start(), m.end(), term, label))
    return found


def _qq_findings(folded: str) -> list[Finding]:
    return _plug_findings(_QQ, "qq", folded)


def _wechat_findings(folded: str) -> list[Finding]:
    found = _plug_findings(_WECHAT, "wechat", folded)
    for m in _PLUS_PLUG.finditer(folded):
        qq = m["name"] in _QQ_NAMES or m["name"] in _QQ_LETTERS
        term, label = ("qq", "加QQ") if qq else ("wechat", "加微信")
        found.append((m.start(), m.end(), term, label))
    return found


def _platform_findings(folded: str) -> list[Finding]:
    """An account after a platform's name (抖音号 x, 公众号：x, 微博@x, 飞机 @x)."""
    found: list[Finding] = []
    if _PLATFORM_NAME.search(folded) is None:
        return found
    for pattern, names in ((_PLATFORM, _PLATFORMS), (_PLATFORM_BY_NICKNAME, _PLATFORM_NICKNAMES)):
        for m in pattern.finditer(folded):
            if not m["mark"].strip() and "号" not in m["suffix"]:
                continue  # "抖音 很火": only "…号" takes an account after a bare space
            latin = m["latin"]
            if latin is not None and not _looks_like_account(latin.lstrip("@"), m["mark"]):
                continue
            found.append((m.start(), m.end(), "account", names[m["name"]]))
    return found


def _looks_like_account(account: str, mark: str) -> bool:
    """Whether a Latin ``account`` after a platform's name is one (not "3点" or "ok")."""
    if _digits_of(account):
        return _looks_like_id(account, "marked")
    if not any("a" <= ch <= "z" for ch in account):
        return False
    return bool(mark.strip()) or any(ch.isdecimal() or ch in "_-." for ch in account)


def _email_findings(folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _EMAIL.finditer(folded):
        spelled = "@" not in m[0] or m[0].count(".") + m[0].count("。") == 0
        if spelled and m["tld"] not in _TLD_SET:
            continue  # "me at home dot now": a spelled address needs a real domain
        found.append((m.start(), m.end(), "email", "邮箱"))
    return found


def _scheme_url_findings(folded: str) -> list[Finding]:
    return [
        (m.start(), _trim(folded, m.start(), m.end()), "url", "网址")
        for m in _URL_SCHEME.finditer(folded)
    ]


def _spaced_url_findings(folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _URL_SPACED.finditer(folded):
        labels = [label.strip() for label in re.split(_DOT_SPACED, m.group(1))]
        if labels[0].isdigit() or len(labels[0]) < 3:
            continue
        found.append((m.start(), m.end(), "url", "网址"))
    return found


def _url_findings(folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _URL_BARE.finditer(folded):
        first_label = re.split(_DOT, m.group(1), maxsplit=1)[0]
        if first_label.isdigit():  # "6点com"? a time, not a host
            continue
        found.append((m.start(), _trim(folded, m.start(), m.end()), "url", "网址"))
    return found


# In the order findings were always collected: of two with the same span, the first is kept.
_WORD_FINDERS: Final = (
    (_QQ_SCREEN, _qq_findings),
    (_WECHAT_SCREEN, _wechat_findings),
    (_PLATFORM_SCREEN, _platform_findings),
    (_EMAIL_SCREEN, _email_findings),
    (_SCHEME_SCREEN, _scheme_url_findings),
    (_SPACED_URL_SCREEN, _spaced_url_findings),
    (_URL_SCREEN, _url_findings),
)

# What a finding shows by itself, so that ``how`` has nothing to add: a number in ASCII
# digits in groups of three or more, an address or link written with @ and dots.
_PLAIN: Final = {
    "phone": re.compile(r"\+?\(?[0-9]{2,}\)?(?:[ \-]?[0-9]{3,})*"),
    "email": re.compile(r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-.]+", re.IGNORECASE),
    "url": re.compile(r"[a-z0-9\-._~%!$&'()*+,;=:@/?#\[\]]+", re.IGNORECASE),
}


def _how(written: str, term: str, label: str) -> str:
    """The reason's ``how``: "V：lucky2026 → 微信号 (contact)", or "" when plain to see."""
    plain = _PLAIN.get(term)
    if plain is not None and plain.fullmatch(written) and "dot" not in written.lower():
        return ""
    return f"{written} → {label} (contact)"


def _outermost(text: str, found: list[Finding]) -> list[Reason]:
    """Reasons for the findings that do not lie inside another finding."""
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[Finding] = []
    for finding in found:
        start, end = finding[0], finding[1]
        if any(s <= start and end <= e for s, e, _, _ in kept):
            continue
        kept.append(finding)
    return [
        Reason(term, CATEGORY, (start, end), how=_how(text[start:end], term, label))
        for start, end, term, label in kept
    ]
