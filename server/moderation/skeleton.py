"""The skeleton of a text: its normalized non-noise characters, each tied to its original index.

Matching runs over the skeleton with its runs of one repeated character collapsed, so noise
between a term's characters and repeated letters cost nothing at match time. Everything a
match needs afterwards (how much noise a gap held, whether a neighbour is a letter, where the
character was in the text as sent) is kept in parallel lists.

One builder reads any text, run by run (:func:`run_by_run`): it is the reference. The
others are shortcuts for the shapes most comments take, where no character depends on its
neighbours, so the lists come from regular expressions and ``bytes`` tools at C speed. All
of them are in :data:`BUILDERS`, tried in order; each shortcut is property-tested against
the reference (``tests/test_moderation_fast_paths.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress
from typing import Final

from server.moderation.normalize import (
    APOS,
    CJK,
    DIGIT,
    HAN_AND_NOISE,
    HAN_MASK_LETTER,
    HAN_MASKS,
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
from server.moderation.tables import PlainTable

# What a skeleton character is, for word edges: a letter and a digit touching is an edge
# ("fuck666", "sb250"), two letters or two digits touching are not.
K_CJK: Final = 0
K_LETTER: Final = 1
K_DIGIT: Final = 2

MAX_LEET_DIGITS: Final = 2  # "h3ll0", "a55" are leetspeak; "fuck123" is a word then a number
MAX_FILLER_DIGITS: Final = 2  # "傻1逼" is noise; "在8964年" keeps its number
# Punctuation between two digits is part of a number (20:48, 3.14, 1,000, 11/23, 2-0): no term
# reaches across it, however small the gap.
NUMBER_PUNCTUATION: Final = frozenset(":.,/-")
NUMBER_BREAK: Final = 1_000
MAX_SPELLED_GAP: Final = 2  # "d 4 r n", "b.1.t.c.h": noise between the letters of a spelled word
MAX_HAN_MASKS: Final = 2  # 他*的, 他**的: more masks in a row are decoration, not a character


class Skeleton:
    """A normalized text with noise removed, and the maps back to the text as sent.

    Treat it as immutable. A plain class, not a dataclass: compiled (``setup.py``), its
    ``__init__`` is C, where a dataclass's generated one stays Python, and every comment
    past the screen makes one or two. Slots, not a named tuple, for the pure-Python build:
    Python specializes reading a slot, not a named tuple's field.

    Attributes:
        text: the skeleton characters as one string (each one character).
        orig: for each skeleton character, the index of the original character it came from.
        gap: for each skeleton character, how many (visible) noise characters separate it
            from the previous skeleton character; 0 means the two touch in the original.
        kind: for each skeleton character, ``K_CJK``, ``K_LETTER`` or ``K_DIGIT``.
        has_mask: whether the text has a masking character inside a word (``d*rn``), in
            which case a second skeleton with masks as wildcards is worth matching (and
            :func:`han_masked`'s reading, with masks between Han characters, says so too).
        collapsed: ``text`` with each run of one repeated character written once.
        run_start: for each collapsed character, the skeleton index where its run starts.
        run_len: for each collapsed character, the length of its run.
        solid_han: every character is Han (or another CJK script) and touches the next, so
            a word-edge window needs no walk over ``kind`` and ``gap``. Only the Han
            shortcuts say so; False promises nothing.
        repeats: whether some character is repeated (so ``collapsed`` is shorter than
            ``text``).
    """

    __slots__ = (
        "collapsed",
        "gap",
        "has_mask",
        "kind",
        "orig",
        "repeats",
        "run_len",
        "run_start",
        "solid_han",
        "text",
    )

    def __init__(
        self,
        text: str,
        orig: Sequence[int],
        gap: Sequence[int],
        kind: Sequence[int],
        has_mask: bool,
        collapsed: str,
        run_start: Sequence[int],
        run_len: Sequence[int],
        solid_han: bool = False,
        repeats: bool = False,
    ) -> None:
        self.text = text
        self.orig = orig
        self.gap = gap
        self.kind = kind
        self.has_mask = has_mask
        self.collapsed = collapsed
        self.run_start = run_start
        self.run_len = run_len
        self.solid_han = solid_han
        self.repeats = repeats

    @property
    def word(self) -> list[bool]:
        """For each skeleton character, whether it is a letter or digit (not CJK)."""
        return [k != K_CJK for k in self.kind]


# A skeleton, and its reading with masks as wildcards (None unless a mask stands inside a
# word, ``d*rn``).
Skeletons = tuple[Skeleton, Skeleton | None]


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


def build_skeletons(text: str) -> Skeletons:
    """The skeleton of ``text``, and its reading with masks as wildcards.

    The second is None unless a mask stands inside a word (``d*rn``); both come from one
    pass over the text, by the first builder of :data:`BUILDERS` whose guard takes it.

    Args:
        text: the text as sent (or a wordlist term).
    """
    for fits, build in BUILDERS:
        if fits(text):
            return build(text)
    raise AssertionError("the last builder takes any text")


# Per-character information, as two translate tables over char_info: each character's class
# as a one-character code, and its normalized text when that is exactly one character
# (SEVERAL otherwise: ligatures, ⑩, noise that normalizes to nothing). One character each
# is str.translate's fast case, and most comments then need no per-character list at all.
SEVERAL: Final = "\ue002"  # a character whose normalized text is not one character (or is this)
FREE_NOISE: Final = 9  # an emoji joined to the noise before it: neither a gap nor an edge


def _class_code(point: int) -> str:
    return chr(char_info(chr(point))[1])


def _one_character_text(point: int) -> str:
    out = char_info(chr(point))[0]
    return out if len(out) == 1 else SEVERAL


_CLASS_CODES: Final = PlainTable(_class_code)
_TEXTS: Final = PlainTable(_one_character_text)
_IS_VISIBLE: Final = bytes(0 if cls == NOISE0 else 1 for cls in range(256))


# A text's visible items: its characters but the invisible ones (NOISE0), which neither
# cost a gap nor split a word. For each item: its class (normalize's, or FREE_NOISE) as one
# byte; its normalized text, all in one string when each item stands for exactly one
# character (what the shortcuts need), else a list; its index in the text as sent.
Items = tuple[bytes, str | list[str], Sequence[int]]


# Kept for the last text: its guards and its builder each ask for its items.
@lru_cache(maxsize=1)
def visible_items(text: str) -> Items:
    """The visible items of ``text`` (treat them as immutable: they are shared)."""
    classes = _CLASS_CODES.translate(text).encode("latin-1")
    texts: str | list[str] = _TEXTS.translate(text)
    if SEVERAL in texts:
        texts = [char_info(ch)[0] for ch in text]
    idx: Sequence[int] = range(len(text))
    if NOISE0 in classes:
        visible = classes.translate(_IS_VISIBLE)
        if "\u200d" in text:
            classes = _join_emoji(text, classes)
        classes = bytes(compress(classes, visible))
        idx = list(compress(idx, visible))
        if isinstance(texts, str):
            texts = "".join(compress(texts, visible))
        else:
            texts = list(compress(texts, visible))
    return classes, texts, idx


def _join_emoji(text: str, classes: bytes) -> bytes:
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


_DOUBLED: Final = re.compile(r"(.)\1", re.DOTALL)


def _collapse(
    text: str,
    orig: Sequence[int],
    gap: Sequence[int],
    kind: Sequence[int],
    has_mask: bool,
    solid_han: bool = False,
) -> Skeleton:
    """The skeleton of these lists: each run of one repeated character written once."""
    n = len(text)
    if _DOUBLED.search(text) is None:  # no repeats (most comments): every run is one long
        return Skeleton(text, orig, gap, kind, has_mask, text, range(n), b"\x01" * n, solid_han)
    # A plain loop: compiled, several times as fast as map/compress over the text.
    run_start: list[int] = []
    run_len: list[int] = []
    heads: list[str] = []  # each run's character
    previous = ""
    for at, ch in enumerate(text):
        if ch == previous:
            run_len[-1] += 1
        else:
            run_start.append(at)
            run_len.append(1)
            heads.append(ch)
            previous = ch
    collapsed = "".join(heads)
    return Skeleton(text, orig, gap, kind, has_mask, collapsed, run_start, run_len, solid_han, True)


# The reference: run by run.

_IN_WORD_RUN: Final = (WORD, DIGIT, LEET, LEET_INNER, MASK, APOS)
_SOLID: Final = frozenset((WORD, DIGIT, LEET))  # what a mask inside a word sits between
_ALNUM: Final = frozenset((WORD, DIGIT))


def _any_of(*classes: int) -> bytes:
    """A regular expression character set of class codes."""
    return b"[" + re.escape(bytes(classes)) + b"]"


# Runs of the class codes: Han characters, noise, word-ish items, joined emoji.
_RUNS: Final = re.compile(
    b"(%s+)|(%s+)|(%s+)|%s+"
    % (_any_of(CJK), _any_of(NOISE), _any_of(*_IN_WORD_RUN), _any_of(FREE_NOISE))
)
# A leetspeak digit or symbol with no letter or digit touching it: maybe a spelled-out word.
_LONE_LEET: Final = re.compile(
    b"(?<!%s)%s(?!%s)" % (_any_of(*_ALNUM), _any_of(DIGIT, LEET, LEET_INNER), _any_of(*_ALNUM))
)


def run_by_run(text: str) -> Skeletons:
    """The reference builder: the skeletons of any text, read run by run.

    Runs of Han characters are kept, runs of noise count as gaps, and each run of letters,
    digits and symbols is read as a whole: leetspeak, masks and apostrophes depend on the
    letters around them, a digit or two between Han characters is filler, and punctuation
    between digits breaks a number. The items are read once, with masks inside words as
    wildcards; the skeleton is that reading with the wildcards taken out again, each
    counting as one noise character.
    """
    classes, texts, idx = visible_items(text)
    if _LONE_LEET.search(classes):
        classes, texts = _spelled_leet(classes, texts)
    n = len(classes)
    b = _Builder()
    for run in _RUNS.finditer(classes):
        k, end = run.span()
        if run.lastindex == 1:  # Han characters
            b.add_touching(texts[k:end], idx[k:end], K_CJK)
        elif run.lastindex == 2:  # noise
            between_digits = 0 < k and end < n and classes[k - 1] == DIGIT == classes[end]
            if between_digits and end - k == 1 and texts[k] in NUMBER_PUNCTUATION:
                b.pending += NUMBER_BREAK  # 20:48, 3.14
            else:
                b.pending += end - k
        elif run.lastindex == 3:  # letters, digits and what may stand inside a word
            if classes.count(WORD, k, end) == end - k:  # a word: nothing to decide
                b.add_touching(texts[k:end], idx[k:end], K_LETTER)
            elif classes.count(DIGIT, k, end) == end - k:
                if _is_filler_digits(classes, texts, k, end):
                    b.pending += end - k  # 傻1逼
                else:  # a number: no letter to lean on
                    b.add_touching(texts[k:end], idx[k:end], K_DIGIT)
            else:
                _add_word_run(b, classes, texts, idx, k, end)
        # Otherwise emoji joined to the noise before them: no gap of their own.
    return b.skeletons()


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
        """Add the characters one item stands for (the noise seen before goes to the first)."""
        for ch in out:
            self.chars.append(ch)
            self.orig.append(index)
            self.gap.append(self.pending)
            self.kind.append(kind)
            self.pending = 0

    def add_touching(self, outs: Sequence[str], index: Sequence[int], kind: int) -> None:
        """Add items with no noise between them (a Han run, a word)."""
        if isinstance(outs, str):  # one character each: the lists grow at C speed
            self.chars += outs
            self.orig += index
            self.gap += [self.pending] + [0] * (len(outs) - 1)
            self.kind += [kind] * len(outs)
            self.pending = 0
        else:
            for out, at in zip(outs, index, strict=True):
                self.add(out, at, kind)

    def skeletons(self) -> Skeletons:
        """The skeleton, and the reading with the wildcards when a mask stood inside a word."""
        if not self.wildcards:
            return _collapse("".join(self.chars), self.orig, self.gap, self.kind, False), None
        chars = "".join(self.chars)
        masked = _collapse(chars, list(self.orig), list(self.gap), list(self.kind), True)
        for k in reversed(self.wildcards):  # from the end, so the indices before stay right
            carry = self.gap[k] + 1  # the wildcard and the noise before it, now all noise
            del self.chars[k], self.orig[k], self.gap[k], self.kind[k]
            self.gap[k] += carry  # a mask inside a word always has a character after it
        return _collapse("".join(self.chars), self.orig, self.gap, self.kind, True), masked


def _spelled_leet(classes: bytes, texts: str | list[str]) -> tuple[bytes, str | list[str]]:
    """Lone leetspeak digits and symbols of a spelled-out word, turned into letters.

    In "d 4 r n" or "b.1.t.c.h" every letter stands alone between noise, so no word run
    holds the "4" or the "1". A lone leet character becomes its letter when a lone letter
    (or another such character) sits next to it across at most ``MAX_SPELLED_GAP`` noise
    characters; a countdown "5 4 3" has no letter to lean on and stays digits.

    Returns:
        Copies of ``classes`` and ``texts``, changed where a leet character is a letter
        (each one character still, so one string stays one string).
    """
    spelled = bytearray(classes)
    outs = list(texts)
    n = len(spelled)

    def lone(k: int) -> bool:  # no letter or digit touches it (symbols may: "x!")
        return (k == 0 or spelled[k - 1] not in _ALNUM) and (
            k == n - 1 or spelled[k + 1] not in _ALNUM
        )

    def neighbour_is_letter(k: int, step: int) -> bool:
        j = k + step
        noise = 0
        while 0 <= j < n and spelled[j] == NOISE and noise <= MAX_SPELLED_GAP:
            noise += 1
            j += step
        if not (0 <= j < n) or noise == 0 or noise > MAX_SPELLED_GAP:
            return False
        return spelled[j] == WORD and len(outs[j]) == 1 and lone(j)

    candidates = [
        k
        for k in range(n)
        if spelled[k] in (DIGIT, LEET, LEET_INNER) and outs[k] in LEET_MAP and lone(k)
    ]
    for _ in range(2):  # twice, so "$.3.x" reaches the "$" through the "3"
        for k in candidates:
            if spelled[k] != WORD and (neighbour_is_letter(k, -1) or neighbour_is_letter(k, 1)):
                outs[k] = LEET_MAP[outs[k]]
                spelled[k] = WORD
    return bytes(spelled), "".join(outs) if isinstance(texts, str) else outs


def _is_filler_digits(classes: bytes, texts: Sequence[str], k: int, end: int) -> bool:
    """Whether the digits of items ``k..end`` are at most two, with CJK on both sides."""
    return (
        0 < k
        and end < len(classes)
        and classes[k - 1] == CJK == classes[end]
        and sum(map(len, texts[k:end])) <= MAX_FILLER_DIGITS
    )


def _add_word_run(
    b: _Builder,
    classes: bytes,
    texts: Sequence[str],
    idx: Sequence[int],
    k: int,
    end: int,
) -> None:
    """Add one run of word-ish items, deciding leetspeak, masks and apostrophes by context.

    A mask inside a word is added as a wildcard, its index noted in ``b.wildcards``.
    """
    has_letter = WORD in classes[k:end]
    solid = [j for j in range(k, end) if classes[j] in _SOLID]  # letters, digits, @ and $
    first_solid, last_solid = (solid[0], solid[-1]) if solid else (-1, -1)
    j = k
    while j < end:
        cls = classes[j]
        out = texts[j]
        if cls == WORD:
            b.add(out, idx[j], K_LETTER)
        elif cls == DIGIT:
            group_end = j
            while group_end < end and classes[group_end] == DIGIT:
                group_end += 1
            leet = has_letter and sum(map(len, texts[j:group_end])) <= MAX_LEET_DIGITS
            for g in range(j, group_end):
                for d in texts[g]:
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


def han_masked(text: str, sk: Skeleton) -> Skeleton | None:
    """``sk`` with each mask between two Han characters read as a masked Han character.

    A mask there is one or two of ``HAN_MASKS`` (他*的, 他**的, 他×的), or a lone x (他X的),
    right between the two characters in ``text``; each of its characters becomes a
    ``WILDCARD`` of kind ``K_CJK``, matched by the keys of Han terms with a character
    masked. The builders read such a mask as noise (傻*逼 is 傻逼 spaced) or a letter:
    this is an extra reading, made only for comments the screen saw a mask in (a Python
    walk over the skeleton).

    Args:
        text: the text ``sk`` was built from.
        sk: its skeleton.

    Returns:
        The reading with the Han masks as wildcards, None when ``text`` has none.
    """
    chars, orig, gap, kind = sk.text, sk.orig, sk.gap, sk.kind
    out: list[str] = []
    out_orig: list[int] = []
    out_gap: list[int] = []
    out_kind: list[int] = []
    found = False
    for k, ch in enumerate(chars):
        kind_k, gap_k = kind[k], gap[k]
        if gap_k and kind_k == K_CJK and k and kind[k - 1] == K_CJK:  # 他*的: masks as noise
            between = range(orig[k - 1] + 1, orig[k])
            if len(between) <= MAX_HAN_MASKS and all(
                char_info(text[at])[0] in HAN_MASKS for at in between
            ):
                out += [WILDCARD] * len(between)
                out_orig += between
                out_gap += [0] * len(between)
                out_kind += [K_CJK] * len(between)
                gap_k = 0
                found = True
        elif (
            ch == HAN_MASK_LETTER
            and 0 < k < len(chars) - 1
            and kind[k - 1] == K_CJK == kind[k + 1]
            and orig[k - 1] + 1 == orig[k] == orig[k + 1] - 1
        ):  # 他X的: one x touching a Han character on each side
            ch, kind_k = WILDCARD, K_CJK
            found = True
        out.append(ch)
        out_orig.append(orig[k])
        out_gap.append(gap_k)
        out_kind.append(kind_k)
    if not found:
        return None
    return _collapse("".join(out), out_orig, out_gap, out_kind, True)


# The shortcuts: each for texts where no character depends on its neighbours.


def _unchanged_han(text: str) -> Skeletons:
    """The text itself: touching Han characters, each its own normalized text."""
    n = len(text)
    return _collapse(text, range(n), bytes(n), bytes((K_CJK,)) * n, False, solid_han=True), None


def _han_and_noise(text: str) -> Skeletons:
    """Han characters that stand for themselves, and noise: the Han runs, noise as gaps."""
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
    return _collapse(chars, orig, gap, bytes((K_CJK,)) * len(chars), False), None


# Symbols that are letters or masks only inside a word: without letters or digits, noise.
_SYMBOLS: Final = (LEET, LEET_INNER, MASK, APOS)
# Sets of class codes are tested with bytes.strip: the classes are all in the set when
# nothing is left.
_PLAIN: Final = bytes((CJK, WORD, NOISE))
_PLAIN_SYMBOLS: Final = bytes((CJK, NOISE, *_SYMBOLS))
# Letters with ! | * # _ % or apostrophes only at the edges of their words ("HECK!", "ass~'"):
# outside a word those are noise, so the text is plain unless one sits inside a word.
_EDGE_SYMBOLS: Final = (LEET_INNER, MASK, APOS)
_EDGED: Final = bytes((CJK, WORD, NOISE, *_EDGE_SYMBOLS))
_SYMBOL_INSIDE: Final = re.compile(
    b"%s%s+%s" % (_any_of(WORD), _any_of(*_EDGE_SYMBOLS), _any_of(WORD))
)
_IS_KEPT: Final = bytes(1 if cls in (CJK, WORD) else 0 for cls in range(256))
_HAN: Final = bytes((CJK,))
_KIND_OF_CLASS: Final = bytes(K_CJK if cls == CJK else K_LETTER for cls in range(256))
_SKIPPED: Final = bytes((NOISE, *_SYMBOLS))


def _is_plain(text: str) -> bool:
    """Han characters and noise, with plain letters or with symbols but not both.

    Or letters whose symbols stand only at their words' edges, where they are noise,
    unless one stands alone and may be a spelled-out letter ("b ! t c h").
    """
    classes, texts, _ = visible_items(text)
    if not isinstance(texts, str):
        return False
    if not classes.strip(_PLAIN) or not classes.strip(_PLAIN_SYMBOLS):
        return True
    return (
        not classes.strip(_EDGED)
        and _SYMBOL_INSIDE.search(classes) is None
        and _LONE_LEET.search(classes) is None
    )


def _plain(text: str) -> Skeletons:
    """Every letter and Han character is kept, and every other item is one character of gap.

    Nothing depends on context there: a symbol with no letter or digit in the text, or one
    of ``! | * # _ %`` or an apostrophe at a word's edge, is noise (no word holds it inside
    and no spelled-out word can claim it), so the lists are made at C speed.
    """
    classes, texts, idx = visible_items(text)
    assert isinstance(texts, str)  # (the guard made sure)
    keep = classes.translate(_IS_KEPT)
    kind = classes.translate(_KIND_OF_CLASS, _SKIPPED)
    if 0 not in keep:  # no noise ("nmsl", 這也太): the items are the skeleton, no lists to make
        solid_han = not classes.strip(_HAN)  # Han characters only, all touching
        return _collapse(texts, idx, bytes(len(keep)), kind, False, solid_han), None
    chars = "".join(compress(texts, keep))
    return _collapse(chars, list(compress(idx, keep)), _gaps(keep), kind, False), None


def _gaps(keep: bytes | bytearray) -> list[int]:
    """For each kept item (a 1 in ``keep``), how many items before it since the last kept one."""
    gaps = list(map(len, keep.split(b"\x01")))
    gaps.pop()  # what follows the last kept item
    return gaps


# Digits, Han characters and noise (symbols are noise without a letter): no letter at all.
_NUMBERS: Final = bytes((CJK, DIGIT, NOISE, *_SYMBOLS))
# Letters beside digits and Han characters, with no symbol at all ("shabi 666"): fine too
# when no letter touches a digit, since then every letter is a plain word and every digit a
# number (a lone digit, which a spelled-out word may claim, is checked apart).
_WORDS_AND_NUMBERS: Final = bytes((CJK, WORD, DIGIT, NOISE))
_LETTER_BY_DIGIT: Final = re.compile(
    b"%s%s|%s%s" % (_any_of(WORD), _any_of(DIGIT), _any_of(DIGIT), _any_of(WORD))
)
_IS_KEPT_NUMBERS: Final = bytes(1 if cls in (CJK, DIGIT, WORD) else 0 for cls in range(256))
_KIND_OF_NUMBERS: Final = bytes(
    K_CJK if cls == CJK else K_LETTER if cls == WORD else K_DIGIT for cls in range(256)
)
# The run-by-run rules that depend on neighbours, as searches over the classes: one or two
# digits between Han characters (filler), one noise item between digits (a number break).
_FILLER_DIGITS: Final = re.compile(
    b"(?<=%s)%s{1,%d}(?=%s)" % (_any_of(CJK), _any_of(DIGIT), MAX_FILLER_DIGITS, _any_of(CJK))
)
_NUMBER_MARK: Final = re.compile(
    b"(?<=%s)%s(?=%s)" % (_any_of(DIGIT), _any_of(NOISE), _any_of(DIGIT))
)
_HAN_DIGIT: Final = bytes((CJK, DIGIT))
_DIGIT_NOISE_DIGIT: Final = bytes((DIGIT, NOISE, DIGIT))


def _is_numbers(text: str) -> bool:
    """Digits, Han characters and noise, with symbols or with letters.

    Without a letter no digit is leetspeak and every symbol is noise. With letters, no
    symbol may be there, no letter may touch a digit and no digit stand alone.
    """
    classes, texts, _ = visible_items(text)
    if not isinstance(texts, str):
        return False
    if not classes.strip(_NUMBERS):
        return True
    return (
        not classes.strip(_WORDS_AND_NUMBERS)
        and _LETTER_BY_DIGIT.search(classes) is None
        and _LONE_LEET.search(classes) is None
    )


def _numbers(text: str) -> Skeletons:
    """Letters, digits and Han characters are kept (at C speed), but for two rules.

    Two rules of the run-by-run builder depend on neighbours, and both are found with
    regular expressions over the classes: one or two digits between Han characters are
    filler (傻1逼), and one of ``:.,/-`` between two digits is a number break (20:48).
    """
    classes, chars, idx = visible_items(text)
    assert isinstance(chars, str)  # (the guard made sure)
    keep = bytearray(classes.translate(_IS_KEPT_NUMBERS))
    if _HAN_DIGIT in classes:  # (no filler without this pair: no search)
        for filler in _FILLER_DIGITS.finditer(classes):
            keep[filler.start() : filler.end()] = bytes(filler.end() - filler.start())
    gap = _gaps(keep)
    if _DIGIT_NOISE_DIGIT in classes:  # (likewise for a number break)
        for mark in _NUMBER_MARK.finditer(classes):
            if chars[mark.start()] in NUMBER_PUNCTUATION:
                after = keep.count(1, 0, mark.end())  # the digit after: kept items before it
                gap[after] = NUMBER_BREAK
    kind = bytes(compress(classes.translate(_KIND_OF_NUMBERS), keep))
    orig = list(compress(idx, keep))
    return _collapse("".join(compress(chars, keep)), orig, gap, kind, False), None


Guard = Callable[[str], object]  # true when the builder beside it fits the text
Builder = Callable[[str], Skeletons]


def _always(text: str) -> bool:
    return True


# The builders, cheapest first: the first whose guard takes a text builds its skeletons.
# The reference comes last and takes any text.
BUILDERS: Final[tuple[tuple[Guard, Builder], ...]] = (
    # Han characters that stand for themselves (most danmaku): the text is its skeleton.
    (UNCHANGED_HAN.fullmatch, _unchanged_han),
    # The same with punctuation, symbols and emoji (no letter, digit or invisible character).
    (HAN_AND_NOISE.fullmatch, _han_and_noise),
    # Han characters (traditional ones too), letters and noise, symbols inside no word.
    (_is_plain, _plain),
    # Digits, Han characters and noise, with symbols or with letters apart from the digits.
    (_is_numbers, _numbers),
    # Anything: leetspeak, masks, spelled-out words, ligatures, letters touching digits.
    (_always, run_by_run),
)
