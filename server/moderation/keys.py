"""From a wordlist term to the automaton keys that find it.

A key is the collapsed skeleton of a spelling (runs of one character written once) plus the
run lengths the text must have at least, so "ass" is the key "as" needing two s's, and a
text's "daaarn" still matches "darn". Latin terms also get leetspeak and masked-letter
variants; Han terms get pinyin spellings.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, product

from server.moderation.normalize import I_OR_L, WILDCARD
from server.moderation.pinyin import pinyin_forms
from server.moderation.skeleton import build_skeleton

MAX_IL_POSITIONS = 4  # i/l positions varied for "1"/"|": 2**4 variants at most
MIN_MASKABLE_LEN = 4  # "d*rn" yes, "a*s" no: too short to guess
MAX_MASKS = 2  # "f**k"


@dataclass(frozen=True, slots=True)
class Entry:
    """What a key found: a term (or an allow word) and the conditions to check on a hit.

    Attributes:
        term: the term as written in its list.
        category: the list's category ("" for an allow word).
        runs: for each character of the key, how many times the text must repeat it.
        word_start: the first character is a letter/digit: the text must not have a
            letter/digit touching it on the left.
        word_end: likewise on the right.
        cjk_only: every character is CJK: a hit inside a longer CJK word may need jieba.
        allow: an allow word, not a term.
        alias: a pinyin spelling: several terms may share it (草泥马 and 操你妈 are both
            "cnm"), so only the first such term is reported for one span.
    """

    term: str
    category: str
    runs: tuple[int, ...]
    word_start: bool
    word_end: bool
    cjk_only: bool
    allow: bool = False
    alias: bool = False

    @property
    def needs_repeats(self) -> bool:
        """Whether any character of the key must be repeated in the text."""
        return any(r > 1 for r in self.runs)


def _collapse(chars: str) -> tuple[str, tuple[int, ...]]:
    out: list[str] = []
    runs: list[int] = []
    for ch in chars:
        if out and out[-1] == ch:
            runs[-1] += 1
        else:
            out.append(ch)
            runs.append(1)
    return "".join(out), tuple(runs)


def _entry(
    spelling: str, word: list[bool], term: str, category: str, allow: bool, alias: bool = False
) -> tuple[str, Entry]:
    key, runs = _collapse(spelling)
    entry = Entry(
        term=term,
        category=category,
        runs=runs,
        word_start=word[0],
        word_end=word[-1],
        cjk_only=not any(word),
        allow=allow,
        alias=alias,
    )
    return key, entry


def _latin_variants(spelling: str) -> list[str]:
    """Leetspeak and masked spellings of an all-Latin skeleton."""
    # A text's "1" or "|" inside a word reads as i or l; a term written "sh1t" means either.
    il = [k for k, ch in enumerate(spelling) if ch in ("i", "l", I_OR_L)][:MAX_IL_POSITIONS]
    choices = [("i", "l", I_OR_L) if spelling[k] == I_OR_L else (spelling[k], I_OR_L) for k in il]
    bases: list[str] = []
    for picks in product(*choices):
        chars = list(spelling)
        for k, pick in zip(il, picks, strict=True):
            chars[k] = pick
        bases.append("".join(chars))
    variants = list(bases)
    if len(spelling) >= MIN_MASKABLE_LEN:
        inner = [k for k in range(1, len(spelling) - 1) if spelling[k] != "'"]
        for count in range(1, MAX_MASKS + 1):
            for masked in combinations(inner, count):
                for base in bases:
                    chars = list(base)
                    for k in masked:
                        chars[k] = WILDCARD
                    variants.append("".join(chars))
    return list(dict.fromkeys(variants))


def term_keys(term: str, category: str) -> tuple[str, list[tuple[str, Entry]]]:
    """Every key that finds ``term``.

    Args:
        term: the term as written in its list.
        category: its list's category.

    Returns:
        ``(normal_form, keys)``: the normalized spelling (used to spot duplicates across
        lists; empty when the term is all noise) and ``(key, entry)`` pairs.
    """
    skeleton = build_skeleton(term)
    spelling = skeleton.text
    if not spelling:
        return "", []
    keys: list[tuple[str, Entry]] = []
    if all(skeleton.word):
        for variant in _latin_variants(spelling):
            keys.append(_entry(variant, skeleton.word, term, category, allow=False))
    else:
        keys.append(_entry(spelling, skeleton.word, term, category, allow=False))
    if not any(skeleton.word):
        for form in pinyin_forms(spelling):
            form_skeleton = build_skeleton(form)
            keys.append(
                _entry(form_skeleton.text, form_skeleton.word, term, category, False, alias=True)
            )
    return spelling, keys


def allow_keys(word: str) -> list[tuple[str, Entry]]:
    """The key of an allow word (normalized like the text; no variants).

    Args:
        word: the allow word as written.

    Returns:
        Zero or one ``(key, entry)`` pair.
    """
    skeleton = build_skeleton(word)
    if not skeleton.chars:
        return []
    return [_entry(skeleton.text, skeleton.word, word, "", allow=True)]
