"""Letter tricks on English terms beyond digit-for-letter leetspeak: fvck, phuck, fuk, biatch, Fxxk.

:mod:`~server.moderation.keys` already reads digits and symbols as letters (sh1t, b!tch,
a$$), masks (f*ck) and repeats (fuuuck). What it cannot see is a *spelling* change: a letter
swapped for one that sounds or looks alike, a letter dropped, a slang ending. Each rule
below rewrites an all-Latin term once; a term gets every single rewrite and every pair of
two, as extra spellings with ``how`` "leet" ("fvck → fuck (leet)").

A rewrite that spells an English word would hold innocent text (cok for cock holds "cook",
since a text's run of one letter counts once): tests/test_moderation_latin.py runs every
English word of two dictionaries (web2 and GCIDE, from the ``english-words`` package)
through the default filter and fails on a word held only because of these rules;
``NOT_REWRITES`` keeps such spellings out.
"""

from __future__ import annotations

import re
from typing import Final

LEET: Final = "leet"  # the mechanism a reason's ``how`` names
MIN_LETTERS: Final = 4  # "ass" → "as", "fag" → "fg": shorter terms have too little left to read
MAX_SPELLINGS: Final = 16  # each gets its own leetspeak variants in keys.py (masks: the term only)
MAX_PAIRED_LETTERS: Final = 6

# (pattern, replacement, what the rule is): applied to the term's lower-case letters.
Rules = tuple[tuple[re.Pattern[str], str, str], ...]
RULES: Final[Rules] = (
    (re.compile(r"u"), "v", "v for u: fvck"),
    (re.compile(r"^f"), "ph", "ph for f: phuck"),
    (re.compile(r"ck"), "k", "ck as k: fuk, dik"),
    (re.compile(r"ck"), "q", "ck as q: fuq"),
    (re.compile(r"ck"), "kk", "ck as kk: fukk"),
    (re.compile(r"ck"), "cc", "ck as cc: fucc"),
    (re.compile(r"i"), "y", "y for i: shyt, bytch"),
    (re.compile(r"ee"), "ea", "ea for ee: (no default term yet)"),
    (re.compile(r"itch"), "iatch", "slang ending: biatch"),
    (re.compile(r"itch"), "eotch", "slang ending: beotch"),
    (re.compile(r"itch"), "iotch", "slang ending: biotch"),
    (re.compile(r"er(s?)$"), r"a\1", "slang ending: fucka, fuckas"),
    (re.compile(r"er(s?)$"), r"ah\1", "slang ending: fuckah"),
    (re.compile(r"ing$"), "in", "dropped g: fuckin"),
    (re.compile(r"ing$"), "n", "dropped in: fuckn"),
    (re.compile(r"ss"), "zz", "z for s: azz"),
    (re.compile(r"s$"), "z", "z for a plural s: bitchez"),
    (re.compile(r"^c"), "k", "k for c: kunt"),
    (re.compile(r"uc"), "cu", "swapped letters: fcuk"),
)

# x as a censor's mark inside a word, as Chinese pages print Fxxk for fuck: never paired
# with another trick (bxatch is nobody's spelling), so outside RULES and the cap.
CENSOR_RULES: Final[Rules] = (
    (re.compile(r"(?<=[a-z])[aeiou](?=[a-z])"), "x", "x for a vowel: fxck, bxtch"),
    (re.compile(r"(?<=[a-z])[aeiou][^aeiou](?=[a-z])"), "xx", "xx for two letters: fxxk"),
)

# The one vowel of a short word dropped (fck, sht, btch, dck): a rule of its own, since it
# applies only when the word has a single vowel, and not between two of one letter (cock):
# "cck" is read as a repeated c, so it would hold every "ck" (duck, rocks).
_VOWELS: Final = "aeiou"

# Rewrites that would hold an English word or a common abbreviation, never used: a text's
# run of one letter matches it once, so "cok" (cock) would hold "cook". The test finds
# them for the default terms; add here what it names.
NOT_REWRITES: Final[frozenset[str]] = frozenset({"fcc", "cok"})


def _vowel_dropped(word: str) -> list[str]:
    vowels = [k for k, ch in enumerate(word) if ch in _VOWELS]
    if len(vowels) != 1 or len(word) < MIN_LETTERS:
        return []
    k = vowels[0]
    if not 0 < k < len(word) - 1 or word[k - 1] == word[k + 1]:
        return []
    return [word[:k] + word[k + 1 :]]


def _rewrites(word: str, rules: Rules = RULES) -> list[str]:
    """Every spelling one rule (at each place it applies) makes of ``word``."""
    out: list[str] = []
    for pattern, replacement, _ in rules:
        for m in pattern.finditer(word):
            out.append(word[: m.start()] + m.expand(replacement) + word[m.end() :])
    return out


def _tricks(word: str) -> list[str]:
    """Every spelling one letter trick makes of ``word``."""
    return _rewrites(word) + _vowel_dropped(word)


def latin_spellings(term: str) -> list[tuple[str, str]]:
    """The letter-trick spellings of an English term, each with ``how`` "leet".

    Args:
        term: a term as written in its list.

    Returns:
        ``(spelling, "leet")`` pairs: one or two rewrites of the term; empty for a term that
        is not one Latin word of at least ``MIN_LETTERS`` letters.
    """
    word = term.casefold()
    if len(word) < MIN_LETTERS or not (word.isascii() and word.isalpha()):
        return []
    first = [s for s in _tricks(word) if len(s) >= MIN_LETTERS - 1]  # fuk, fck
    seen: dict[str, None] = dict.fromkeys(first)
    # Two tricks at once only on short words (phvck), where one trick is a big part of the
    # word: a long word (motherfucker) read with one trick is read already.
    for spelling in first if len(word) <= MAX_PAIRED_LETTERS else ():
        for second in _tricks(spelling):
            if len(second) >= MIN_LETTERS:  # two tricks leave too little of "fvk", "fcc"
                seen.setdefault(second, None)
    seen.pop(word, None)
    tricks = [s for s in seen if s not in NOT_REWRITES][:MAX_SPELLINGS]
    censored = [s for s in _rewrites(word, CENSOR_RULES) if s not in NOT_REWRITES]
    return [(s, LEET) for s in tricks + censored]
