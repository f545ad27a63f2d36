"""The skeleton of a text: its normalized non-noise characters, each tied to its original index.

Matching runs over the skeleton with its runs of one repeated character collapsed, so noise
between a term's characters and repeated letters cost nothing at match time. Everything a
match needs afterwards (how much noise a gap held, whether a neighbour is a letter, where the
character was in the text as sent) is kept in parallel lists.

Building it is a loop over characters, so it is kept off the Python level where it can be:
two ``str.translate`` calls give every character's class and normalized text, Han-only
comments and plain ones (Han characters and noise, with plain letters or with symbols but
not both, or with letters whose words have symbols only at their edges) are built with
C-speed list tools, and only comments whose letters, digits or symbols depend on their
neighbours go run by run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from operator import ne, sub
from typing import TypeGuard

from server.moderation.normalize import (
    APOS,
    CJK,
    DIGIT,
    HAN_AND_NOISE,
    LEET,
    LEET_INNER,
    LEET_MAP,
    MASK,
    NOISE,
    NOISE0,
    UNCHANGED_HAN,
    WILDCARD,
    WORD,
    char_info,
)
from server.moderation.tables import UNKNOWN, PlainTable

_IN_WORD_RUN = frozenset((WORD, DIGIT, LEET, LEET_INNER, MASK, APOS))
_SOLID = frozenset((WORD, DIGIT, LEET))
_ALNUM = frozenset((WORD, DIGIT))
_DOUBLED = re.compile(r"(.)\1", re.DOTALL)


# What a skeleton character is, for word edges: a letter and a digit touching is an edge
# ("fuck666", "sb250"), two letters or two digits touching are not.
K_CJK = 0
K_LETTER = 1
K_DIGIT = 2

MAX_LEET_DIGITS = 2  # "h3ll0", "a55" are leetspeak; "fuck123" is a word then a number
MAX_FILLER_DIGITS = 2  # "傻1逼" is noise; "在8964年" keeps its number
# Punctuation between two digits is part of a number (20:48, 3.14, 1,000, 11/23, 2-0): no term
# reaches across it, however small the gap.
NUMBER_PUNCTUATION = frozenset(":.,/-")
NUMBER_BREAK = 1_000
MAX_SPELLED_GAP = 2  # "d 4 r n", "b.1.t.c.h": noise between the letters of a spelled word


@dataclass(slots=True)
class Skeleton:
    """A normalized text with noise removed, and the maps back to the text as sent.

    Treat it as immutable. Slots, not a named tuple: the filter reads its fields many times
    per comment, and Python specializes reading a slot, not a named tuple's field (a
    descriptor it looks up every time).

    Attributes:
        text: the skeleton characters as one string (each one character).
        orig: for each skeleton character, the index of the original character it came from.
        gap: for each skeleton character, how many (visible) noise characters separate it
            from the previous skeleton character; 0 means the two touch in the original.
        kind: for each skeleton character, ``K_CJK``, ``K_LETTER`` or ``K_DIGIT``.
        has_mask: whether the text has a masking character inside a word (``d*rn``), in
            which case a second skeleton with masks as wildcards is worth matching.
        collapsed: ``text`` with each run of one repeated character written once.
        run_start: for each collapsed character, the skeleton index where its run starts.
        run_len: for each collapsed character, the length of its run.
        solid_han: every character is Han (or another CJK script) and touches the next, so
            a word-edge window needs no walk over ``kind`` and ``gap``.
        repeats: whether some character is repeated (so ``collapsed`` is shorter than
            ``text``).
    """

    text: str
    orig: Sequence[int]
    gap: Sequence[int]
    kind: Sequence[int]
    has_mask: bool
    collapsed: str
    run_start: Sequence[int]
    run_len: Sequence[int]
    solid_han: bool = False
    repeats: bool = False

    @property
    def word(self) -> list[bool]:
        """For each skeleton character, whether it is a letter or digit (not CJK)."""
        return [k != K_CJK for k in self.kind]


class _Builder:
    """Appends skeleton characters, remembering the noise seen since the last one."""

    __slots__ = ("chars", "gap", "kind", "orig", "pending", "wildcards")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.orig: list[int] = []
        self.gap: list[int] = []
        self.kind: list[int] = []
        self.pending = 0
        self.wildcards: list[int] = []  # indices of masks inside a word, added as wildcards

    def add(self, out: str, index: int, kind: int) -> None:
        if len(out) == 1:  # the usual case, kept short: this runs for every character
            self.chars.append(out)
            self.orig.append(index)
            self.gap.append(self.pending)
            self.kind.append(kind)
            self.pending = 0
            return
        first = True
        for ch in out:
            self.chars.append(ch)
            self.orig.append(index)
            self.gap.append(self.pending if first else 0)
            self.kind.append(kind)
            first = False
        self.pending = 0

    def add_touching(self, chars: str, index: Sequence[int], kind: int) -> None:
        """Add one-character items with no noise between them (a Han run, a plain word)."""
        self.chars.extend(chars)
        self.orig.extend(index)
        self.gap.append(self.pending)
        self.gap.extend([0] * (len(chars) - 1))
        self.kind.extend([kind] * len(chars))
        self.pending = 0


def _class_code(point: int) -> str:
    return chr(char_info(chr(point))[1])


def _one_character_text(point: int) -> str:
    out = char_info(chr(point))[0]
    return out if len(out) == 1 else SEVERAL


SEVERAL = "\ue002"  # a character whose normalized text is not one character (or is this)
# Two translate tables over char_info: each character's class as a byte-sized code, and its
# normalized text when that is exactly one character (SEVERAL otherwise: ligatures, ⑩,
# noise that normalizes to nothing), so most comments need no per-character list at all.
# Each maps a character to one character: str.translate's fast case, about twice as fast
# as one table of two-character values.
_CLASS_CODES = PlainTable(_class_code)
_TEXTS = PlainTable(_one_character_text)
_HAN = chr(CJK)
FREE_NOISE = 9  # an emoji joined to the noise before it: neither a gap nor an edge


def _any_of(*classes: int) -> bytes:
    """A regular expression character set of class codes."""
    return b"[" + re.escape(bytes(classes)) + b"]"


# Runs of the class codes: Han characters, noise, word-ish items, joined emoji.
_RUNS = re.compile(
    b"(%s+)|(%s+)|(%s+)|%s+"
    % (_any_of(CJK), _any_of(NOISE), _any_of(*_IN_WORD_RUN), _any_of(FREE_NOISE))
)
# Symbols that are letters or masks only inside a word: without letters or digits, noise.
_SYMBOLS = (LEET, LEET_INNER, MASK, APOS)
# Plain text: Han characters and noise, with plain letters or with symbols but not both.
# Sets of class codes are tested with bytes.strip: the classes are all in the set when
# nothing is left (cheaper than a regular expression search).
_PLAIN = bytes((CJK, WORD, NOISE))
_PLAIN_SYMBOLS = bytes((CJK, NOISE, *_SYMBOLS))
# Letters with ! | * # _ % or apostrophes only at the edges of their words ("HECK!", "ass~'"):
# outside a word those are noise, so the comment is plain unless one sits inside a word.
_EDGE_SYMBOLS = (LEET_INNER, MASK, APOS)
_EDGED = bytes((CJK, WORD, NOISE, *_EDGE_SYMBOLS))
_SYMBOL_INSIDE = re.compile(
    b"%s%s+%s" % (re.escape(bytes((WORD,))), _any_of(*_EDGE_SYMBOLS), re.escape(bytes((WORD,))))
)
_IS_KEPT = bytes(1 if cls in (CJK, WORD) else 0 for cls in range(256))
_IS_VISIBLE = bytes(0 if cls == NOISE0 else 1 for cls in range(256))
_KIND_OF_CLASS = bytes(K_CJK if cls == CJK else K_LETTER for cls in range(256))
_SKIPPED = bytes((NOISE, *_SYMBOLS))
# Digits, Han characters and noise (symbols are noise without a letter): no letter at all.
_NUMBERS = bytes((CJK, DIGIT, NOISE, LEET, LEET_INNER, MASK, APOS))
# Letters beside digits and Han characters, with no symbol at all ("shabi 666"): fine too
# when no letter touches a digit, since then every letter is a plain word and every digit a
# number (a lone digit, which a spelled-out word may claim, is checked apart).
_WORDS_AND_NUMBERS = bytes((CJK, WORD, DIGIT, NOISE))
_LETTER_BY_DIGIT = re.compile(
    b"%s%s|%s%s" % (_any_of(WORD), _any_of(DIGIT), _any_of(DIGIT), _any_of(WORD))
)
_IS_KEPT_NUMBERS = bytes(1 if cls in (CJK, DIGIT, WORD) else 0 for cls in range(256))
_KIND_OF_NUMBERS = bytes(
    K_CJK if cls == CJK else K_LETTER if cls == WORD else K_DIGIT for cls in range(256)
)
# One or two digits alone between Han characters (filler), one noise item between digits.
_FILLER_DIGITS = re.compile(
    b"(?<=%s)%s{1,%d}(?=%s)" % (_any_of(CJK), _any_of(DIGIT), MAX_FILLER_DIGITS, _any_of(CJK))
)
_NUMBER_MARK = re.compile(b"(?<=%s)%s(?=%s)" % (_any_of(DIGIT), _any_of(NOISE), _any_of(DIGIT)))
_HAN_DIGIT = bytes((CJK, DIGIT))
_DIGIT_NOISE_DIGIT = bytes((DIGIT, NOISE, DIGIT))
# A leetspeak digit or symbol with no letter or digit touching it: maybe a spelled-out word.
_LONE_LEET = re.compile(
    b"(?<!%s)%s(?!%s)" % (_any_of(*_ALNUM), _any_of(DIGIT, LEET, LEET_INNER), _any_of(*_ALNUM))
)


def build_skeleton(text: str) -> Skeleton:
    """Normalize ``text`` into its skeleton.

    Leetspeak digits and symbols become letters only inside a run of letters ("d4rn",
    "a$$"), so prices, dates and applause numbers stay digits. Masking characters strictly
    inside a word are noise here; :func:`build_skeletons` also gives the reading with them
    as wildcards.

    Args:
        text: the text as sent (or a wordlist term).

    Returns:
        The skeleton, with the collapsed form and its runs.
    """
    return build_skeletons(text)[0]


def build_skeletons(text: str) -> tuple[Skeleton, Skeleton | None]:
    """The skeleton of ``text``, and its reading with masks as wildcards.

    The second is None unless a mask stands inside a word (``d*rn``); both come from one
    pass over the text.

    Args:
        text: the text as sent (or a wordlist term).
    """
    if not text.isascii():  # (an ASCII text has no Han character: no search for one)
        if UNCHANGED_HAN.fullmatch(text):  # most danmaku: the text is its own skeleton
            return han_skeleton(text), None
        if HAN_AND_NOISE.fullmatch(text):  # many others: the same, with punctuation or emoji
            return _han_and_noise_skeleton(text), None
    codes, outs = char_items(text)
    if not codes.strip(_HAN) and SEVERAL not in outs:
        # Han characters only, each standing for one character (traditional ones among
        # them): the normalized text is the skeleton.
        return han_skeleton(outs), None
    classes, texts, idx = _visible(text, codes, outs)
    if _is_plain(texts, classes):
        return _plain_skeleton(classes, texts, idx), None
    if _is_numbers(texts, classes):
        return _numbers_skeleton(classes, texts, idx), None
    if len(classes) > 2 and _LONE_LEET.search(classes):
        classes = bytearray(classes)
        spelled = list(texts)
        _spelled_leet(spelled, classes)
        texts = "".join(spelled) if isinstance(texts, str) else spelled
    return _run_skeletons(classes, texts, idx)


def _han_and_noise_skeleton(text: str) -> Skeleton:
    """The skeleton of a text :data:`HAN_AND_NOISE` matches: its Han runs, noise as gaps."""
    runs: list[str] = []
    orig: list[int] = []
    gap: list[int] = []
    end = 0
    for run in UNCHANGED_HAN.finditer(text):
        start = run.start()
        gap.append(start - end)
        end = run.end()
        gap.extend([0] * (end - start - 1))
        orig.extend(range(start, end))
        runs.append(run.group())
    chars = "".join(runs)
    return _collapse(chars, orig, gap, bytes(len(chars)), False)


def char_items(text: str) -> tuple[str, str]:
    """Each character's class code, and its normalized text (or ``SEVERAL``)."""
    classes = text.translate(_CLASS_CODES.table)  # PlainTable.translate, inline
    if UNKNOWN in classes:
        classes = _CLASS_CODES.learned(text)
    texts = text.translate(_TEXTS.table)
    if UNKNOWN in texts:
        texts = _TEXTS.learned(text)
    return classes, texts


def han_skeleton(outs: str) -> Skeleton:
    """The skeleton of a Han-only comment, from its normalized text (``solid_han`` is True)."""
    n = len(outs)
    if _DOUBLED.search(outs) is None:  # _collapse's usual case, inline: most danmaku
        steps, kind = range(n), bytes((K_CJK,)) * n
        return Skeleton(outs, steps, bytes(n), kind, False, outs, steps, b"\x01" * n, True, False)
    return _collapse(outs, range(n), bytes(n), bytes((K_CJK,)) * n, False, solid_han=True)


def _visible(
    text: str, codes: str, outs: str
) -> tuple[bytes | bytearray, str | list[str], Sequence[int]]:
    """The visible items: their classes, texts and indices in ``text``.

    Invisible characters (NOISE0) neither cost a gap nor split a word, so they are dropped;
    the texts are one string when every character stands for exactly one character.
    """
    classes: bytes | bytearray = codes.encode("latin-1")
    texts: str | list[str] = outs
    if SEVERAL in outs:
        texts = [char_info(ch)[0] for ch in text]
    idx: Sequence[int] = range(len(text))
    if NOISE0 in classes:
        visible = classes.translate(_IS_VISIBLE)
        idx = list(compress(idx, visible))
        if "\u200d" in text:
            classes = _join_emoji(text, classes)
        classes = bytes(compress(classes, visible))
        if isinstance(texts, str):
            texts = "".join(compress(texts, visible))
        else:
            texts = [texts[i] for i in idx]
    return classes, texts, idx


def _is_plain(texts: str | list[str], classes: bytes | bytearray) -> TypeGuard[str]:
    """Whether the items suit :func:`_plain_skeleton` (and so ``texts`` is one string)."""
    if not isinstance(texts, str):
        return False
    if not classes.strip(_PLAIN) or not classes.strip(_PLAIN_SYMBOLS):
        return True
    # Symbols only at word edges are noise there, unless one stands alone and may be a
    # spelled-out letter ("b ! t c h"): that is the run-by-run builder's call.
    return (
        not classes.strip(_EDGED)
        and _SYMBOL_INSIDE.search(classes) is None
        and _LONE_LEET.search(classes) is None
    )


def _plain_skeleton(classes: bytes | bytearray, outs: str, idx: Sequence[int]) -> Skeleton:
    """The skeleton of plain items: Han characters and noise, with letters or with symbols.

    Nothing depends on context there: every letter and Han character is kept and every
    other item is one character of gap (a symbol with no letter or digit in the comment, or
    one of ``! | * # _ %`` or an apostrophe at a word's edge, is noise: no word holds it
    inside and no spelled-out word can claim it), so the lists are made at C speed.
    """
    keep = classes.translate(_IS_KEPT)
    kind = classes.translate(_KIND_OF_CLASS, _SKIPPED)
    if 0 not in keep:  # no noise at all ("heimao"): the items are the skeleton
        return _collapse(outs, idx, bytes(len(keep)), kind, False)
    positions = list(compress(range(len(classes)), keep))
    orig = positions if isinstance(idx, range) else [idx[p] for p in positions]
    return _collapse("".join(compress(outs, keep)), orig, _gaps(keep), kind, False)


def _gaps(keep: bytes | bytearray) -> list[int]:
    """For each kept item (a 1 in ``keep``), how many items before it since the last kept one."""
    gaps = list(map(len, keep.split(b"\x01")))
    gaps.pop()  # what follows the last kept item
    return gaps


def _is_numbers(texts: str | list[str], classes: bytes | bytearray) -> TypeGuard[str]:
    """Whether the items suit :func:`_numbers_skeleton`: digits, Han characters and noise.

    Without a letter in the comment no digit is leetspeak and every symbol is noise. With
    letters, no symbol may be there, no letter may touch a digit and no digit stand alone.
    """
    if not isinstance(texts, str):
        return False
    if not classes.strip(_NUMBERS):
        return True
    return (
        not classes.strip(_WORDS_AND_NUMBERS)
        and _LETTER_BY_DIGIT.search(classes) is None
        and _LONE_LEET.search(classes) is None
    )


def _numbers_skeleton(classes: bytes | bytearray, outs: str, idx: Sequence[int]) -> Skeleton:
    """The skeleton of digits, Han characters and noise, with symbols or with letters, at C speed.

    Two rules of the run-by-run builder depend on neighbours, and both are found with
    regular expressions over the classes: one or two digits between Han characters are
    filler (傻1逼), and one of ``:.,/-`` between two digits is a number break (20:48).
    """
    keep = bytearray(classes.translate(_IS_KEPT_NUMBERS))
    if _HAN_DIGIT in classes:  # a filler follows a Han character: no search without one
        for filler in _FILLER_DIGITS.finditer(classes):
            keep[filler.start() : filler.end()] = bytes(filler.end() - filler.start())
    positions = list(compress(range(len(classes)), keep))
    gap = _gaps(keep)
    if _DIGIT_NOISE_DIGIT in classes:  # likewise, a number break needs this
        for mark in _NUMBER_MARK.finditer(classes):
            if outs[mark.start()] in NUMBER_PUNCTUATION:
                after = positions.index(mark.end())
                gap[after] = NUMBER_BREAK
    orig = positions if isinstance(idx, range) else [idx[p] for p in positions]
    kind = bytes(compress(classes.translate(_KIND_OF_NUMBERS), keep))
    return _collapse("".join(compress(outs, keep)), orig, gap, kind, False)


def _run_skeletons(
    classes: bytes | bytearray, outs: str | list[str], idx: Sequence[int]
) -> tuple[Skeleton, Skeleton | None]:
    """The skeleton of any visible items, built run by run, and its wildcard reading.

    The second is None unless a mask stands inside a word. The items are read once, with
    masks as wildcards; the skeleton is that reading with the wildcards taken out again,
    each counting as one noise character.
    """
    b = _Builder()
    n = len(classes)
    for run in _RUNS.finditer(classes):
        k, end = run.span()
        group = run.lastindex
        if group == 1:  # Han characters
            if isinstance(outs, str):  # one character each: the whole run at once
                b.add_touching(outs[k:end], idx[k:end], K_CJK)
            else:
                for j in range(k, end):
                    b.add(outs[j], idx[j], K_CJK)
        elif group == 2:  # noise
            if (
                end - k == 1
                and 0 < k < n - 1
                and classes[k - 1] == DIGIT
                and classes[k + 1] == DIGIT
                and outs[k] in NUMBER_PUNCTUATION
            ):
                b.pending += NUMBER_BREAK
            else:
                b.pending += end - k
        elif group == 3:  # letters, digits and what may stand inside a word
            letters = outs[k:end] if isinstance(outs, str) else "".join(outs[k:end])
            if 0 < k and end < n and _is_filler_digits(classes, letters, k, end):
                b.pending += end - k  # "傻1逼": a digit or two wedged between Han characters
            elif len(letters) == end - k and classes.count(WORD, k, end) == end - k:
                # A plain word (no digits, symbols or ligatures): nothing to decide.
                b.add_touching(letters, idx[k:end], K_LETTER)
            elif len(letters) == end - k and classes.count(DIGIT, k, end) == end - k:
                b.add_touching(letters, idx[k:end], K_DIGIT)  # a number: no letter to lean on
            else:
                _add_word_run(b, idx, outs, classes, k, end)
    if not b.wildcards:
        return _collapse("".join(b.chars), b.orig, b.gap, b.kind, False), None
    masked = _collapse("".join(b.chars), list(b.orig), list(b.gap), list(b.kind), True)
    for k in reversed(b.wildcards):  # from the end, so the indices before stay right
        carry = b.gap[k] + 1  # the wildcard and the noise before it, now all noise
        del b.chars[k], b.orig[k], b.gap[k], b.kind[k]
        b.gap[k] += carry  # a mask inside a word always has a character after it
    return _collapse("".join(b.chars), b.orig, b.gap, b.kind, True), masked


def _join_emoji(text: str, classes: bytes | bytearray) -> bytes:
    """Noise joined to the noise before it by a zero-width joiner (👨‍👩‍👧) costs no gap.

    One emoji drawn from a ZWJ sequence is one noise character, not three.

    Args:
        text: the text as sent.
        classes: the class of each of its characters.

    Returns:
        The classes with each joined noise character marked ``FREE_NOISE``.
    """
    out = bytearray(classes)
    for i in range(2, len(text)):
        if text[i - 1] == "\u200d" and out[i] == NOISE and classes[i - 2] in (NOISE, NOISE0):
            out[i] = FREE_NOISE
    return bytes(out)


def _spelled_leet(outs: list[str], classes: bytearray) -> None:
    """Turn lone leetspeak digits and symbols of a spelled-out word into letters, in place.

    In "d 4 r n" or "b.1.t.c.h" every letter stands alone between noise, so no word run
    holds the "4" or the "1". A lone leet character becomes its letter when a lone letter
    (or another such character) sits next to it across at most ``MAX_SPELLED_GAP`` noise
    characters; a countdown "5 4 3" has no letter to lean on and stays digits.
    """
    n = len(classes)

    def lone(k: int) -> bool:  # no letter or digit touches it (symbols may: "x!")
        return (k == 0 or classes[k - 1] not in _ALNUM) and (
            k == n - 1 or classes[k + 1] not in _ALNUM
        )

    def neighbour_is_letter(k: int, step: int) -> bool:
        j = k + step
        noise = 0
        while 0 <= j < n and classes[j] == NOISE and noise <= MAX_SPELLED_GAP:
            noise += 1
            j += step
        if not (0 <= j < n) or noise == 0 or noise > MAX_SPELLED_GAP:
            return False
        return classes[j] == WORD and len(outs[j]) == 1 and lone(j)

    candidates = [
        k
        for k in range(n)
        if classes[k] in (DIGIT, LEET, LEET_INNER) and outs[k] in LEET_MAP and lone(k)
    ]
    for _ in range(2):  # twice, so "$.3.x" reaches the "$" through the "3"
        for k in candidates:
            if classes[k] != WORD and (neighbour_is_letter(k, -1) or neighbour_is_letter(k, 1)):
                outs[k] = LEET_MAP[outs[k]]
                classes[k] = WORD


def _is_filler_digits(classes: bytes | bytearray, text: str, k: int, end: int) -> bool:
    """Whether items ``k..end`` are at most two digits with a CJK character on both sides."""
    return (
        0 < k
        and end < len(classes)
        and classes[k - 1] == CJK
        and classes[end] == CJK
        and len(text) <= MAX_FILLER_DIGITS
        and all(cls == DIGIT for cls in classes[k:end])
    )


def _add_word_run(
    b: _Builder,
    idx: Sequence[int],
    outs: str | list[str],
    classes: bytes | bytearray,
    k: int,
    end: int,
) -> None:
    """Add one run of word-ish items, deciding leetspeak, masks and apostrophes by context.

    A mask inside a word is added as a wildcard, its index noted in ``b.wildcards``.
    """
    has_letter = False
    first_solid = last_solid = -1  # letters, digits, @ and $: what masks sit between
    for j in range(k, end):
        cls = classes[j]
        if cls == WORD:
            has_letter = True
        if cls in _SOLID:
            if first_solid < 0:
                first_solid = j
            last_solid = j
    j = k
    while j < end:
        cls = classes[j]
        out = outs[j]
        if cls == WORD:
            b.add(out, idx[j], K_LETTER)
        elif cls == DIGIT:
            group_end = j
            while group_end < end and classes[group_end] == DIGIT:
                group_end += 1
            leet = has_letter and sum(map(len, outs[j:group_end])) <= MAX_LEET_DIGITS
            for g in range(j, group_end):
                for d in outs[g]:
                    mapped = LEET_MAP.get(d) if leet else None
                    if mapped is None:
                        b.add(d, idx[g], K_DIGIT)
                    else:
                        b.add(mapped, idx[g], K_LETTER)
            j = group_end
            continue
        else:
            inside = first_solid < j < last_solid
            if cls == LEET:
                out = LEET_MAP[out] if has_letter else ""
            elif cls == LEET_INNER:
                out = LEET_MAP[out] if has_letter and inside else ""
            elif cls == MASK:
                if has_letter and inside:
                    b.wildcards.append(len(b.chars))
                    out = WILDCARD
                else:
                    out = ""
            else:  # APOS
                out = "'" if has_letter and inside else ""
            if out:
                b.add(out, idx[j], K_LETTER)
            else:
                b.pending += 1
        j += 1


def _collapse(
    text: str,
    orig: Sequence[int],
    gap: Sequence[int],
    kind: Sequence[int],
    has_mask: bool,
    solid_han: bool = False,
) -> Skeleton:
    """Write each run of one repeated character once, remembering where runs start."""
    n = len(text)
    if _DOUBLED.search(text) is None:  # no repeats (most comments): runs of one
        return Skeleton(text, orig, gap, kind, has_mask, text, range(n), b"\x01" * n, solid_han)
    starts = list(map(ne, text, [None, *text]))  # True where a run starts
    run_start = list(compress(range(n), starts))
    run_len = list(map(sub, [*run_start[1:], n], run_start))
    collapsed = "".join(compress(text, starts))
    return Skeleton(text, orig, gap, kind, has_mask, collapsed, run_start, run_len, solid_han, True)
