"""A C-speed screen that lets most comments skip the skeleton.

Building a skeleton is a Python loop over every character, and most comments hold nothing.
The screen translates a comment in one ``str.translate`` call into a coarse alphabet: Han
characters (after normalization) become their syllable codes, letters and digits of any
style become plain letters with the leetspeak look-alikes merged (a 4 @ are one letter, so
are i 1 ! |, o 0, e 3, s 5 $, t 7; not l, see ``_MERGE``), noise and invisible characters
are deleted. One Aho-Corasick pass then looks for the first ``PREFIX`` characters of every
key, written the same way, with runs of one character written once on both sides (but see
:func:`screen_prefix` for keys that need runs). If none is there, no pass of the filter can
find a term:

* a hit is a run of normalized characters with only noise between them, and each key
  character equals its text character (or is its leetspeak or same-sound stand-in), so
  the key's first ``PREFIX`` characters are in the translated text once runs are collapsed;
* characters the skeleton may drop by context are screened both ways: ``@ $ ! |`` once
  deleted (noise between Han characters, 黑!猫) and once as letters (``b!tch``); one or two
  digits or letters between Han characters (傻1逼, digits dropped as filler), a mask
  between letters (``d*rn``) and one between Han characters (他*的, 他×的: × and ※ count
  as masks here; the skeleton reads them as noise anywhere else) send the comment down the
  full path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache, partial
from typing import Final

import ahocorasick

from server.moderation.automata import as_bytes, reads_bytes
from server.moderation.homophone import CODE_FIRST, CODE_LAST, code_table
from server.moderation.normalize import (
    APOS,
    CJK,
    HAN_MASKS,
    I_OR_L,
    LEET,
    LEET_INNER,
    LEET_MAP,
    MASK,
    NOISE,
    NOISE0,
    WILDCARD,
    char_info,
)
from server.moderation.tables import UNKNOWN, PlainTable

MASKED: Final = "\x01"  # a masking character: noise, unless it sits inside a word
LEET_MARK: Final = "\x02"  # @ $ ! |: noise, or letters inside a word
PREFIX: Final = 4  # characters of each key the screen looks for

# Letters and digits that leetspeak lets stand for one another share one screen letter.
# Not l: the skeleton has an l only where the text has one (a 1 or | inside a word is the
# I_OR_L sentinel, screened as i like the keys that have it), and a merged l would send
# every "11" and "il" down the full path for the initials ll.
_MERGE: Final = {
    "4": "a",
    "@": "a",
    "3": "e",
    "1": "i",
    "!": "i",
    "|": "i",
    I_OR_L: "i",
    "0": "o",
    "5": "s",
    "$": "s",
    "7": "t",
}
# One or two ASCII screen characters between non-ASCII ones: maybe digits between Han
# characters, which the skeleton drops as filler (傻1逼).
_FILLER: Final = re.compile(r"[^\x00-\x7f][\x21-\x7e]{1,2}[^\x00-\x7f]")
_MASK_IN_WORD: Final = re.compile(r"[\x21-\x7e]\x01+[\x21-\x7e]")
# A mask or an x between two non-ASCII screen characters: maybe a masked Han character
# between two Han characters (他*的, 他X的), which skeleton.han_masked decides.
_MASK_IN_HAN: Final = re.compile(r"[^\x00-\x7f](?:\x01+|x)[^\x00-\x7f]")
_RUN: Final = re.compile(r"(.)\1", re.DOTALL)
_RUN_OR_FILLER: Final = re.compile(f"{_RUN.pattern}|{_FILLER.pattern}", re.DOTALL)
_NOT_A_CODE: Final = re.compile(f"[^{CODE_FIRST}-{CODE_LAST}]")  # a letter or digit, in screen text
_RUN_TAIL: Final = re.compile(r"(?<=(.))\1+", re.DOTALL)


def collapse(text: str) -> str:
    """``text`` with each run of one character written once."""
    return _RUN_TAIL.sub("", text) if _RUN.search(text) else text


def _letters(text: str) -> str:
    return "".join(_MERGE.get(ch, ch) for ch in text)


def _screen_value(point: int, leet_as_letters: bool) -> str | None:
    """What one character is in the screen alphabet (None: deleted).

    Args:
        point: the character.
        leet_as_letters: map ``@ $ ! |`` to their letters (else to ``LEET_MARK``).
    """
    text, cls = char_info(chr(point))
    if cls == MASK or text in HAN_MASKS:  # (× and ※ are masks only between Han characters)
        return MASKED
    if cls in (NOISE, NOISE0, APOS):
        return None
    if cls == CJK:
        codes = code_table()
        return "".join(codes.get(ord(c), c) for c in text)
    if cls in (LEET, LEET_INNER):
        return _letters(LEET_MAP[text]) if leet_as_letters else LEET_MARK
    return _letters(text)  # letters and digits


_MARK_LEET: Final = PlainTable(partial(_screen_value, leet_as_letters=False))
_KEEP_LEET: Final = PlainTable(partial(_screen_value, leet_as_letters=True))


def screen_key(key: str) -> str:
    """A normalized key (of the literal or the homophone automaton) in the screen alphabet.

    Args:
        key: skeleton characters: Han, letters, digits, ``'``, the i/l sentinel, or syllable
            codes.

    Returns:
        The key in screen letters and codes ("" for a key with a masked letter).
    """
    if WILDCARD in key:
        return ""
    return key.translate(_key_table())


@lru_cache(maxsize=1)
def _key_table() -> dict[int, str | None]:
    """The ``str.translate`` table of :func:`screen_key`.

    Han characters to their codes, leetspeak merged, apostrophes out.
    """
    table: dict[int, str | None] = {ord(ch): letter for ch, letter in _MERGE.items()}
    table[ord("'")] = None
    table.update(code_table())
    return table


def screen_prefix(key: str, runs: tuple[int, ...]) -> str:
    """What the screen looks for to let a key through: its first ``PREFIX`` screen characters.

    Runs are collapsed on both sides. Where the key needs a run (ass, the okk of cokk, 咪咪,
    the initials mm) or two of its characters are one screen letter (i, then I_OR_L), two
    neighbouring characters written as often as the key needs them are looked for instead,
    unless that is shorter. Only two: the text may repeat a character more than the key
    needs, so a run strictly inside what is looked for might not be there as written.

    Args:
        key: a collapsed key (see :func:`screen_key`).
        runs: how many times the text must repeat each of its characters.
    """
    screened = screen_key(key)
    collapsed = collapse(screened)
    prefix = collapsed[:PREFIX]
    if (max(runs) == 1 and collapsed == screened) or len(screened) != len(runs):
        return prefix  # no run (most keys), or an apostrophe taken out
    windows = (
        "".join(ch * need for ch, need in zip(screened[k : k + 2], runs[k : k + 2], strict=True))
        for k in range(len(runs))
    )
    written = max(windows, key=len)
    return written if len(written) >= len(prefix) else prefix


def mask_between_han(screened: str) -> bool:
    """Whether a comment's screen text may have a mask between Han characters (他*的, 他X的).

    Args:
        screened: what :meth:`Screen.look` returned for the comment. With neither
            ``MASKED`` nor an x in it (most comments), there is none: test that first.
    """
    return _MASK_IN_HAN.search(screened) is not None


class Screen:
    """An automaton over the first ``PREFIX`` screen characters of every key of a filter.

    Args:
        keys: keys in skeleton form (see :func:`screen_key`), each with the run lengths
            its entry needs.
        clears_nothing: send every comment down the full path (what the screen is tested
            against).
    """

    def __init__(
        self, keys: Iterable[tuple[str, tuple[int, ...]]], *, clears_nothing: bool = False
    ) -> None:
        self._clears_nothing = clears_nothing
        prefixes = {screen_prefix(key, runs) for key, runs in keys}
        prefixes.discard("")
        self._automaton: ahocorasick.Automaton | None = None
        # Many first characters (the default lists' syllables and letters): read bytes.
        self._bytes = reads_bytes(prefixes)
        if prefixes:
            automaton = ahocorasick.Automaton()
            for prefix in prefixes:
                automaton.add_word(as_bytes(prefix) if self._bytes else prefix, None)
            automaton.make_automaton()
            self._automaton = automaton

    def _has_key(self, screened: str) -> bool:
        if self._automaton is None:
            return False
        for _ in self._automaton.iter(as_bytes(screened) if self._bytes else screened):
            return True
        return False

    def clear(self, text: str) -> bool:
        """Whether the comment certainly holds no term (so the skeleton can be skipped).

        Args:
            text: the comment as sent.

        Returns:
            True when no key can be in it; False when it needs the full check.
        """
        return self.look(text) is None

    def look(self, text: str) -> str | None:
        """None when the comment certainly holds no term, else its screen text.

        Args:
            text: the comment as sent.

        Returns:
            None when no key can be in it (so the skeleton can be skipped). Otherwise
            the comment in screen characters, uncollapsed: for a comment of Han characters
            only, that is one syllable code per character, the homophone pass's haystack.
        """
        # _MARK_LEET.translate(text), and below _has_key(deleted), written out: every
        # comment comes this way, and each call adds about 0.5 % to the filter's instructions.
        screened = text.translate(_MARK_LEET.table)
        if UNKNOWN in screened:
            screened = _MARK_LEET.learned(text)
        if self._clears_nothing:
            return screened
        deleted = screened
        if MASKED in screened:
            if _MASK_IN_WORD.search(_KEEP_LEET.translate(text)) or _MASK_IN_HAN.search(screened):
                return screened
            deleted = deleted.replace(MASKED, "")
        leet = LEET_MARK in screened
        if leet:
            deleted = deleted.replace(LEET_MARK, "")
        automaton = self._automaton
        if automaton is None:
            return None
        for _ in automaton.iter(as_bytes(deleted) if self._bytes else deleted):
            return screened
        suspect = _RUN_OR_FILLER.search(deleted)  # one search for the usual "neither"
        if suspect is not None:
            if suspect.lastindex is None:  # a filler: the full path decides
                return screened
            if self._has_key(_RUN_TAIL.sub("", deleted)) or _FILLER.search(deleted):
                return screened
        if leet and _NOT_A_CODE.search(deleted):
            # Read as letters, @ $ ! | need a letter or digit (only Han characters, in
            # syllable codes, are left in "新年快乐！"): then they may spell one.
            kept = _KEEP_LEET.translate(text).replace(MASKED, "")
            return screened if self._has_run_key(kept) else None
        return None

    def _has_run_key(self, screened: str) -> bool:
        """Whether a key is in ``screened`` with its runs collapsed.

        A key has no run of its own, so one found as written is there once runs are
        collapsed too: only a miss pays for collapsing.
        """
        if self._has_key(screened):
            return True
        return _RUN.search(screened) is not None and self._has_key(_RUN_TAIL.sub("", screened))
