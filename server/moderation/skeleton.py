"""The skeleton of a text: its normalized non-noise characters, each tied to its original index.

Matching runs over the skeleton with its runs of one repeated character collapsed, so noise
between a term's characters and repeated letters cost nothing at match time. Everything a
match needs afterwards (how much noise a gap held, whether a neighbour is a letter, where the
character was in the text as sent) is kept in parallel lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.moderation.normalize import (
    APOS,
    CJK,
    DIGIT,
    LEET,
    LEET_INNER,
    LEET_MAP,
    MASK,
    NOISE,
    NOISE0,
    WILDCARD,
    WORD,
    char_info,
    char_table,
)

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

    Attributes:
        chars: the skeleton characters.
        orig: for each skeleton character, the index of the original character it came from.
        gap: for each skeleton character, how many (visible) noise characters separate it
            from the previous skeleton character; 0 means the two touch in the original.
        kind: for each skeleton character, ``K_CJK``, ``K_LETTER`` or ``K_DIGIT``.
        has_mask: whether the text has a masking character inside a word (``d*rn``), in
            which case a second skeleton with masks as wildcards is worth matching.
        collapsed: ``chars`` with each run of one repeated character written once.
        run_start: for each collapsed character, the skeleton index where its run starts.
        run_len: for each collapsed character, the length of its run.
    """

    chars: list[str]
    orig: list[int]
    gap: list[int]
    kind: list[int]
    has_mask: bool
    collapsed: str
    run_start: list[int]
    run_len: list[int]

    @property
    def text(self) -> str:
        """The skeleton as one string (for segmentation and debugging)."""
        return "".join(self.chars)

    @property
    def word(self) -> list[bool]:
        """For each skeleton character, whether it is a letter or digit (not CJK)."""
        return [k != K_CJK for k in self.kind]


class _Builder:
    """Appends skeleton characters, remembering the noise seen since the last one."""

    __slots__ = ("chars", "orig", "gap", "kind", "pending")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.orig: list[int] = []
        self.gap: list[int] = []
        self.kind: list[int] = []
        self.pending = 0

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


def build_skeleton(text: str, masks_as_wildcards: bool = False) -> Skeleton:
    """Normalize ``text`` into its skeleton.

    Leetspeak digits and symbols become letters only inside a run of letters ("d4rn",
    "a$$"), so prices, dates and applause numbers stay digits. Masking characters strictly
    inside a word are noise, or wildcards when ``masks_as_wildcards`` is set.

    Args:
        text: the text as sent (or a wordlist term).
        masks_as_wildcards: map ``*``-style masks inside a word to the wildcard sentinel.

    Returns:
        The skeleton, with the collapsed form and its runs.
    """
    table = char_table()
    infos = [table.get(ch) or char_info(ch) for ch in text]
    # Visible items only; invisible characters (NOISE0) neither cost a gap nor split a word.
    idx = [i for i, info in enumerate(infos) if info[1] != NOISE0]
    if len(idx) != len(infos):
        if "\u200d" in text:
            infos = _join_emoji(text, infos)
        infos = [infos[i] for i in idx]
    outs = [info[0] for info in infos]
    classes = [info[1] for info in infos]
    if len(classes) > 2 and (DIGIT in classes or LEET in classes or LEET_INNER in classes):
        _spelled_leet(outs, classes)
    if classes.count(CJK) + classes.count(NOISE) == len(classes):
        fast = _han_and_noise(outs, classes, idx)
        if fast is not None:
            return fast

    b = _Builder()
    chars, orig, gap, kinds = b.chars, b.orig, b.gap, b.kind
    has_mask = False
    n = len(classes)
    k = 0
    while k < n:
        cls = classes[k]
        if cls == NOISE0:  # an emoji joined to the one before it
            k += 1
        elif cls == NOISE:
            if (
                outs[k] in NUMBER_PUNCTUATION
                and 0 < k < n - 1
                and classes[k - 1] == DIGIT
                and classes[k + 1] == DIGIT
            ):
                b.pending += NUMBER_BREAK
            else:
                b.pending += 1
            k += 1
        elif cls == CJK:
            out = outs[k]
            if len(out) == 1:  # inlined b.add: most danmaku are mostly Han characters
                chars.append(out)
                orig.append(idx[k])
                gap.append(b.pending)
                kinds.append(K_CJK)
                b.pending = 0
            else:
                b.add(out, idx[k], K_CJK)
            k += 1
        else:
            end = k
            while end < n and classes[end] in _IN_WORD_RUN:
                end += 1
            letters = "".join(outs[k:end])
            if _is_filler_digits(classes, letters, k, end):
                b.pending += end - k  # "傻1逼": a digit or two wedged between Han characters
            elif len(letters) == end - k and classes[k:end].count(WORD) == end - k:
                # A plain word (no digits, symbols or ligatures): nothing to decide.
                chars.extend(letters)
                orig.extend(idx[k:end])
                gap.append(b.pending)
                gap.extend([0] * (end - k - 1))
                kinds.extend([K_LETTER] * (end - k))
                b.pending = 0
            else:
                has_mask = (
                    _add_word_run(b, idx, outs, classes, k, end, masks_as_wildcards) or has_mask
                )
            k = end
    return _collapse(b, has_mask)


def _han_and_noise(outs: list[str], classes: list[int], idx: list[int]) -> Skeleton | None:
    """The skeleton of a text of Han characters and noise only (most danmaku).

    Built with comprehensions; None when a character expands to several (then the general
    loop runs).
    """
    keep = [j for j, cls in enumerate(classes) if cls == CJK]
    chars = [outs[j] for j in keep]
    if len("".join(chars)) != len(chars):
        return None
    b = _Builder()
    b.chars = chars
    b.orig = [idx[j] for j in keep]
    b.gap = [b_ - a - 1 for a, b_ in zip([-1, *keep], keep, strict=False)]
    b.kind = [K_CJK] * len(keep)
    return _collapse(b, False)


_FREE_NOISE = ("", NOISE0)  # costs no gap, like an invisible character, but stays visible


def _join_emoji(text: str, infos: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Noise joined to the noise before it by a zero-width joiner (👨‍👩‍👧) costs no gap.

    One emoji drawn from a ZWJ sequence is one noise character, not three.
    """
    out = list(infos)
    for i in range(2, len(text)):
        if text[i - 1] == "\u200d" and out[i][1] == NOISE and infos[i - 2][1] in (NOISE, NOISE0):
            out[i] = _FREE_NOISE
    return out


def _spelled_leet(outs: list[str], classes: list[int]) -> None:
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


def _is_filler_digits(classes: list[int], text: str, k: int, end: int) -> bool:
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
    idx: list[int],
    outs: list[str],
    classes: list[int],
    k: int,
    end: int,
    masks_as_wildcards: bool,
) -> bool:
    """Add one run of word-ish items, deciding leetspeak, masks and apostrophes by context.

    Returns:
        Whether the run has a masking character inside a word.
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
    has_mask = False
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
                    has_mask = True
                    out = WILDCARD if masks_as_wildcards else ""
                else:
                    out = ""
            else:  # APOS
                out = "'" if has_letter and inside else ""
            if out:
                b.add(out, idx[j], K_LETTER)
            else:
                b.pending += 1
        j += 1
    return has_mask


def _collapse(b: _Builder, has_mask: bool) -> Skeleton:
    """Write each run of one repeated character once, remembering where runs start."""
    chars = b.chars
    text = "".join(chars)
    if _DOUBLED.search(text) is None:  # no repeats (most comments): runs of one
        n = len(chars)
        return Skeleton(chars, b.orig, b.gap, b.kind, has_mask, text, list(range(n)), [1] * n)
    run_start = [j for j, ch in enumerate(chars) if j == 0 or ch != chars[j - 1]]
    ends = [*run_start[1:], len(chars)]  # one longer than run_start when chars is empty
    run_len = [e - s for s, e in zip(run_start, ends, strict=False)]
    collapsed = [chars[j] for j in run_start]
    return Skeleton(
        b.chars, b.orig, b.gap, b.kind, has_mask, "".join(collapsed), run_start, run_len
    )
