"""From a wordlist term to the automaton keys that find it.

A key is the collapsed skeleton of a spelling (runs of one character written once) plus the
run lengths the text must have at least, so "ass" is the key "as" needing two s's, and a
text's "daaarn" still matches "darn". Latin terms also get leetspeak and masked-letter
variants; Han terms get pinyin spellings, split-radical spellings (女干 for 奸, see
:mod:`~server.moderation.chaizi`), filler words inside long terms (操你个大爷) and syllable-code
keys for the homophone pass (:mod:`~server.moderation.homophone`); digit terms get Chinese
numeral spellings (二零四八, 贰零肆捌).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations, product

from server.moderation.chaizi import split_spellings
from server.moderation.homophone import term_code_keys
from server.moderation.normalize import I_OR_L, WILDCARD
from server.moderation.pinyin import pinyin_forms
from server.moderation.skeleton import build_skeleton

MAX_IL_POSITIONS = 4  # i/l positions varied for "1"/"|": 2**4 variants at most
MIN_MASKABLE_LEN = 4  # "d*rn" yes, "a*s" no: too short to guess
MAX_MASKS = 2  # "f**k"

# Filler words: one of these inside a Han term of at least MIN_FILLER_LEN characters still
# spells it (操你个大爷, 你妈都死了). Shorter terms never take one: a filler turns a short term
# into an ordinary phrase too easily (处了女, 黑的猫).
MIN_FILLER_LEN = 4
FILLERS = (
    "的",
    "了",
    "个",
    "你",
    "他",
    "她",
    "我",
    "都",
    "也",
    "就",
    "真",
    "是",
    "啊",
    "呀",
    "哦",
    "么",
    "这",
    "那",
    "一",
    "全",
    "家",
    "这个",
    "那个",
    "一个",
)

# Chinese numerals for the digits of an all-digit term (0 also as 零 or 〇; 1 also as 幺).
NUMERALS_LOWER = ("〇零", "一幺", "二", "三", "四", "五", "六", "七", "八", "九")
NUMERALS_UPPER = ("零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖")
NUMERAL_CHARS = frozenset("".join(NUMERALS_LOWER + NUMERALS_UPPER) + "两十百千万亿拾佰仟")
MAX_NUMERAL_KEYS = 32

# What a key is, beyond the term's own spelling.
LITERAL = ""
PINYIN = "pinyin"
SPLIT = "split"
FILLER = "filler"
NUMERAL = "numeral"
HOMOPHONE = "homophone"


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
        kind: ``LITERAL`` or the kind of variant the key spells (``PINYIN``, ``SPLIT``,
            ``FILLER``, ``NUMERAL``, ``HOMOPHONE``).
        spelling: for ``HOMOPHONE`` keys, the term's own collapsed key, to compare with the
            text's characters.
    """

    term: str
    category: str
    runs: tuple[int, ...]
    word_start: bool
    word_end: bool
    cjk_only: bool
    allow: bool = False
    alias: bool = False
    kind: str = LITERAL
    spelling: str = ""

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
    spelling: str,
    word: list[bool],
    term: str,
    category: str,
    allow: bool,
    alias: bool = False,
    kind: str = LITERAL,
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
        kind=kind,
    )
    return key, entry


def _numeral_spellings(digits: str) -> list[str]:
    """Chinese numeral spellings of a digit string: lower case (with the 0/1 choices), upper."""
    lower = ["".join(pick) for pick in product(*(NUMERALS_LOWER[int(d)] for d in digits))]
    upper = "".join(NUMERALS_UPPER[int(d)] for d in digits)
    return list(dict.fromkeys([*lower[: MAX_NUMERAL_KEYS - 1], upper]))


def _filler_spellings(spelling: str) -> list[str]:
    """The term with one filler word between two of its characters."""
    return [
        spelling[:k] + filler + spelling[k:] for k in range(1, len(spelling)) for filler in FILLERS
    ]


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
        if spelling.isdigit() and len(spelling) >= 2:
            for numeral in _numeral_spellings(spelling):
                key, entry = _entry(numeral, [False], term, category, False, kind=NUMERAL)
                keys.append((key, replace(entry, cjk_only=False)))
    else:
        keys.append(_entry(spelling, skeleton.word, term, category, allow=False))
    if not any(skeleton.word):
        for form in pinyin_forms(spelling):
            form_skeleton = build_skeleton(form)
            keys.append(
                _entry(
                    form_skeleton.text,
                    form_skeleton.word,
                    term,
                    category,
                    False,
                    alias=True,
                    kind=PINYIN,
                )
            )
        for split in split_spellings(spelling):
            split_text = build_skeleton(split).text
            if split_text and len(split_text) > len(spelling):
                keys.append(
                    _entry(split_text, [False] * len(split_text), term, category, False, kind=SPLIT)
                )
        if len(spelling) >= MIN_FILLER_LEN:
            for filled in _filler_spellings(spelling):
                keys.append(
                    _entry(filled, [False] * len(filled), term, category, False, kind=FILLER)
                )
    return spelling, keys


def homophone_keys(term: str, category: str) -> list[tuple[str, Entry]]:
    """The syllable-code keys of a Han term, for the homophone pass.

    Args:
        term: the term as written in its list.
        category: its list's category.

    Returns:
        ``(code_key, entry)`` pairs; the entry's ``spelling`` is the term's collapsed key.
        Empty for terms that are not all Han characters or shorter than two characters.
    """
    skeleton = build_skeleton(term)
    if not skeleton.text or any(skeleton.word):
        return []
    key, runs = _collapse(skeleton.text)
    entry = Entry(
        term=term,
        category=category,
        runs=runs,
        word_start=False,
        word_end=False,
        cjk_only=True,
        kind=HOMOPHONE,
        spelling=key,
    )
    return [(code_key, entry) for code_key in term_code_keys(key, runs)]


def allow_keys(word: str) -> list[tuple[str, Entry]]:
    """The key of an allow word (normalized like the text; no variants).

    Args:
        word: the allow word as written.

    Returns:
        Zero or one ``(key, entry)`` pair.
    """
    skeleton = build_skeleton(word)
    if not skeleton.text:
        return []
    return [_entry(skeleton.text, skeleton.word, word, "", allow=True)]
