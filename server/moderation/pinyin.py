"""Pinyin spellings of a Chinese term: full (heimao), initials (sb, cnm) and mixed (黑mao, 傻b).

Only the spellings are made here. The matcher treats a full spelling's Latin edges as word
edges, so "heimao" is found as a token ("hei mao", "我的heimao") but never inside an English
word; initials are checked by the engine against the whole Latin token around them (see
:func:`initials_token_ok`), so "dsb" (大傻逼) and "cnmd" (操你妈的) hold while "usb" and
"NCT" do not.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product
from typing import Final

MAX_MIXED_CHARS: Final = 4  # 3**n mixed spellings per term: keep n small
FULL: Final = "pinyin"  # how: the term's syllables (caiyuan, 裁yuan)
INITIALS: Final = "initials"  # how: some of its syllables by their first letter (sb, 傻b, 加wx)

# Initials that are also everyday English words or chat interjections are never keys: "no",
# "so", "hmm" are no insult, whatever term they abbreviate.
ENGLISH_WORDS: Final = frozenset(
    "am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ya yo "
    "ah eh ha hm um uh hh xd "  # chat interjections (hmm is hm once repeats collapse)
    "and are but can did for get got had has her him his how its let may new not now one "
    "our out see she the too two use was way who why yes yet you".split()
)

# Initials of the words that pad abuse in a token (dsb 大傻逼, nmd 你妈的, mdzz 妈的智障):
# what may stand before or after a term's initials inside one Latin token.
PADDING_BEFORE: Final = frozenset(("d", "md", "ni", "ta"))  # 大, 妈的
PADDING_AFTER: Final = frozenset(("d", "de", "le", "a"))  # 的, 了, 啊


@lru_cache(maxsize=4096)  # the pinyin keys and the homophone keys read each term
def read_aloud(text: str) -> tuple[str, ...]:
    """The toneless reading pypinyin gives ``text`` in context (``lazy_pinyin``), remembered."""
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


def syllables_of(term: str) -> list[str] | None:
    """The toneless syllables of a Han term as pypinyin reads it (None when unknown)."""
    syllables = read_aloud(term)
    if len(syllables) != len(term) or not all(s.isascii() and s.isalpha() for s in syllables):
        return None
    return [s.replace("ü", "v") for s in syllables]


def pinyin_forms(term: str) -> list[tuple[str, str]]:
    """Pinyin spellings of a term made of Han characters, each with how it spells the term.

    Args:
        term: the normalized (simplified) term; only Han characters.

    Returns:
        ``(spelling, how)`` pairs: the full toneless spelling (``FULL``), the initials
        (``INITIALS``, unless they are an English word) and, for terms of at most
        ``MAX_MIXED_CHARS`` characters, every mix keeping at least one character and
        writing the others as syllables or initials (``FULL`` when no initial is in it).
        Empty when pypinyin does not know a character or the term is a single character.
    """
    if len(term) < 2:
        return []
    syllables = syllables_of(term)
    if syllables is None:
        return []
    forms = [("".join(syllables), FULL)]
    initials = "".join(s[0] for s in syllables)
    if initials not in ENGLISH_WORDS:
        forms.append((initials, INITIALS))
    if len(term) <= MAX_MIXED_CHARS:
        options = [(c, s, s[0]) for c, s in zip(term, syllables, strict=True)]
        for picks in product(*(range(3) for _ in term)):
            if 0 not in picks or all(pick == 0 for pick in picks):
                continue  # the term itself, or no character kept (full and initials above)
            spelled = "".join(option[pick] for option, pick in zip(options, picks, strict=True))
            forms.append((spelled, INITIALS if 2 in picks else FULL))
    return list(dict.fromkeys(forms))


def initials_token_ok(token: str, start: int, end: int, initials: frozenset[str]) -> bool:
    """Whether the Latin ``token`` reads as the initials at ``start:end`` plus padding.

    What stands before and after must be padding (``PADDING_BEFORE``, ``PADDING_AFTER``) or
    other terms' initials, so "dsb", "nmd", "mdzz" and "wcnm" are read as initials and
    "usb", "nct", "jazz" are not.

    Args:
        token: the whole run of letters around the hit, lower case.
        start: where the initials start in it.
        end: where they end.
        initials: every initials spelling of the filter's terms.
    """
    return TokenReader(initials).reads_as_initials(token, start, end)


class TokenReader:
    """:func:`initials_token_ok` for one filter's initials, its piece sets made once.

    Args:
        initials: every initials spelling of the filter's terms (as written: zz, not z).
    """

    def __init__(self, initials: frozenset[str]) -> None:
        self._before = PADDING_BEFORE | initials
        self._after = PADDING_AFTER | initials
        self._longest = max(map(len, self._before | self._after))

    def reads_as_initials(self, token: str, start: int, end: int) -> bool:
        """Whether ``token`` is the initials at ``start:end`` plus padding or other initials."""
        return _splits(token[:start], self._before, self._longest) and _splits(
            token[end:], self._after, self._longest
        )


def _splits(rest: str, pieces: frozenset[str], longest: int) -> bool:
    """Whether ``rest`` is a sequence of ``pieces`` ("" is), none longer than ``longest``."""
    if not rest:
        return True
    ok = [True] + [False] * len(rest)
    for end in range(1, len(rest) + 1):
        for start in range(max(0, end - longest), end):
            if ok[start] and rest[start:end] in pieces:
                ok[end] = True
                break
    return ok[-1]


# Latin abbreviations of everyday life that are also some term's initials (WC 卧槽, JR
# 贱人): written in capitals right before a Chinese word they are that word (请问WC在几楼,
# 坐JR去京都); three letters and more are never initials then (NBA, PPT, KTV, CEO).
EVERYDAY_ABBREVIATIONS: Final = frozenset(
    "wc jr hr qq pk ok dj mc tv ps pc id ip ai vr ar ui ux pr sd ad cd mv gg mm bb vs "
    "nba cba ppt ktv kfc usb vip atm gps app dna ceo cfo cto coo mba pdf dvd led lcd nfc "
    "sos diy".split()
)


def everyday_abbreviation(written: str, followed_by_han: bool) -> bool:
    """Whether a Latin token as written is an everyday abbreviation, not initials.

    Args:
        written: the token as sent (its case matters: "WC" before 在 is the toilet).
        followed_by_han: a Han character touches it on the right.
    """
    folded = written.casefold()
    if folded not in EVERYDAY_ABBREVIATIONS:
        return False
    return len(folded) >= 3 or (written.isupper() and followed_by_han)
