"""From a wordlist term to the automaton keys that find it.

A key is the collapsed skeleton of a spelling (runs of one character written once) plus the
run lengths the text must have at least, so "ass" is the key "as" needing two s's, and a
text's "daaarn" still matches "darn". Latin terms also get leetspeak and masked-letter
variants; Han terms get pinyin spellings (full, initials, mixed: :mod:`pinyin`), split forms
(亻尔 for 你, :mod:`chaizi`), look-alike characters (徽信 for 微信, :mod:`shapes`), known
stand-ins (傻比, 特么的: :mod:`variants`), filler words inside them (加个微信, 操你个大爷)
and syllable-code keys for the homophone pass (:mod:`homophone`); digit terms get Chinese
numeral spellings (二零四八, 贰零肆捌). Han terms of three characters and more also have keys
with an inner character masked (:func:`masked_han_keys`), for a mask between Han characters
(他*的, 他X的).

Every key's :class:`Entry` says how it spells the term (``kind``: "" for the term itself,
else the word the moderator reads in a reason's ``how``, like "initials").

Extra spellings of a term (the hook for aliases)
    ``term_keys(term, category, extra=[("绿泡泡", "alias")])``: each ``(spelling, how)``
    pair is one more way to write the term, found like the term itself (a Latin spelling
    with word edges and leetspeak, a Han one with the jieba word-edge check and fillers),
    and reported as the term with ``how`` as its mechanism ("绿泡泡 → 加微信 (alias)").
    Several terms may share one extra spelling; one reason per span is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product
from typing import Final

from server.moderation.chaizi import split_spellings
from server.moderation.homophone import term_code_keys
from server.moderation.normalize import I_OR_L, WILDCARD
from server.moderation.pinyin import FULL, INITIALS, pinyin_forms
from server.moderation.shapes import look_alikes
from server.moderation.skeleton import build_skeleton
from server.moderation.variants import variant_spellings

MAX_IL_POSITIONS: Final = 4  # i/l positions varied for "1"/"|": 2**4 variants at most
MIN_MASKABLE_LEN: Final = 4  # "d*rn" yes, "a*s" no: too short to guess
MAX_MASKS: Final = 2  # "f**k"
# A Han term with an inner character masked (他*的, 狗X西: skeleton.han_masked): three
# characters at least, and two masks from five on (打*共*党). Never the first or last
# character: 操你* or *你妈 could be anything (操你大爷, 操你祖宗, 去你妈 ...).
MIN_HAN_MASKABLE_LEN: Final = 3
MIN_TWO_HAN_MASKS_LEN: Final = 5

# Filler words: one of these inside a Han term of at least MIN_FILLER_LEN characters still
# spells it (操你个大爷, 你妈都死了).
MIN_FILLER_LEN: Final = 4
FILLERS: Final = (
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
# Shorter terms (verb-object phrases: 加微信, 刷单, 进群, 卧槽) take only what goes between a
# verb and its object: an aspect mark, a measure word, a quantity, a whose, a direction
# (加个微信, 刷个单, 进了群, 卧了个槽, 加我微信, 加老师微信, 加一下V, 免费来领). Not 的
# or an adjective: 黑的猫 stays an ordinary phrase; 的 joins terms of four characters and more.
PHRASE_FILLERS: Final = (
    "了",
    "个",
    "了个",
    "一个",
    "下",
    "一下",
    "过",
    "一批",
    "来",
    "我",
    "你",
    "他",
    "她",
    "我们",
    "老师",
    "客服",
)

# Chinese numerals for the digits of an all-digit term (0 also as 零 or 〇; 1 also as 幺).
NUMERALS_LOWER: Final = ("〇零", "一幺", "二", "三", "四", "五", "六", "七", "八", "九")
NUMERALS_UPPER: Final = ("零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖")
NUMERAL_CHARS: Final = frozenset("".join(NUMERALS_LOWER + NUMERALS_UPPER) + "两十百千万亿拾佰仟")
MAX_NUMERAL_KEYS: Final = 32

# What a key is, beyond the term's own spelling: the mechanism a reason's ``how`` names.
LITERAL: Final = ""
PINYIN: Final = FULL  # "pinyin"
INITIAL_LETTERS: Final = INITIALS  # "initials"
SPLIT: Final = "split-radical"
LOOK_ALIKE: Final = "look-alike"
FILLER: Final = "filler"
NUMERAL: Final = "numeral"
HOMOPHONE: Final = "homophone"
ALIAS: Final = "alias"
MASKED_HAN: Final = "mask"  # 他*的, 他X的: an inner character of a Han term masked

# Extra ways to spell one term, each with how it spells it: ("绿泡泡", "alias").
ExtraSpellings = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """What a key found: a term (or an allow word) and the conditions to check on a hit.

    Built only through this module, which keeps one object per set of fields, so entries
    compare (and hash) by identity, at C speed: a filter has tens of thousands of keys.

    Attributes:
        term: the term as written in its list.
        category: the list's category ("" for an allow word).
        runs: for each character of the key, how many times the text must repeat it.
        word_start: the first character is a letter/digit: the text must not have a
            letter/digit touching it on the left.
        word_end: likewise on the right.
        cjk_only: every character is CJK: a hit inside a longer CJK word may need jieba.
        allow: an allow word, not a term.
        shared: a spelling several terms may share (草泥马 and 操你妈 are both "cnm"), so
            only the first such term is reported for one span.
        kind: ``LITERAL`` or the mechanism of the spelling (``PINYIN``, ``INITIAL_LETTERS``,
            ``SPLIT``, ``LOOK_ALIKE``, ``FILLER``, ``NUMERAL``, ``HOMOPHONE``,
            ``MASKED_HAN``, or an extra spelling's ``how``).
        spelling: the term's own collapsed key (for ``HOMOPHONE`` and ``LOOK_ALIKE`` keys,
            to compare with the text's characters); for ``MASKED_HAN`` keys the term's
            skeleton, which jieba reads in the masks' places.
    """

    term: str
    category: str
    runs: tuple[int, ...]
    word_start: bool
    word_end: bool
    cjk_only: bool
    allow: bool = False
    shared: bool = False
    kind: str = LITERAL
    spelling: str = ""

    @property
    def needs_repeats(self) -> bool:
        """Whether any character of the key must be repeated in the text."""
        return max(self.runs) > 1


_DOUBLED: Final = re.compile(r"(.)\1", re.DOTALL)
# Entries by their fields, so equal entries are one object (cheap to build and to group).
_entries: dict[tuple[object, ...], Entry] = {}
MAX_SHARED_ENTRIES = 100_000


def _collapse(chars: str) -> tuple[str, tuple[int, ...]]:
    if _DOUBLED.search(chars) is None:  # most spellings: every run is one long
        return chars, (1,) * len(chars)
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
    shared: bool = False,
    kind: str = LITERAL,
    own: str = "",
) -> tuple[str, Entry]:
    key, runs = _collapse(spelling)
    entry = _interned(
        term, category, runs, word[0], word[-1], not any(word), allow, shared, kind, own
    )
    return key, entry


def _interned(
    term: str,
    category: str,
    runs: tuple[int, ...],
    word_start: bool,
    word_end: bool,
    cjk_only: bool,
    allow: bool,
    shared: bool,
    kind: str,
    spelling: str,
) -> Entry:
    """The one :class:`Entry` with these fields.

    A term's keys share a few entries (all its look-alikes one), and entries compare by
    identity, which the matcher's grouping does at C speed.
    """
    fields = (term, category, runs, word_start, word_end, cjk_only, allow, shared, kind, spelling)
    entry = _entries.get(fields)
    if entry is None:
        if len(_entries) >= MAX_SHARED_ENTRIES:
            _entries.clear()  # a long run of live edits: start over rather than grow
            _term_keys.cache_clear()  # (its keys hold the entries of before)
        entry = _entries[fields] = Entry(*fields)
    return entry


def _with(entry: Entry, *, edges: bool | None = None, cjk_only: bool | None = None) -> Entry:
    """``entry`` with its word-edge flags (both) or ``cjk_only`` changed, interned."""
    return _interned(
        entry.term,
        entry.category,
        entry.runs,
        entry.word_start if edges is None else edges,
        entry.word_end if edges is None else edges,
        entry.cjk_only if cjk_only is None else cjk_only,
        entry.allow,
        entry.shared,
        entry.kind,
        entry.spelling,
    )


def _numeral_spellings(digits: str) -> list[str]:
    """Chinese numeral spellings of a digit string: lower case (with the 0/1 choices), upper."""
    lower = ["".join(pick) for pick in product(*(NUMERALS_LOWER[int(d)] for d in digits))]
    upper = "".join(NUMERALS_UPPER[int(d)] for d in digits)
    return list(dict.fromkeys([*lower[: MAX_NUMERAL_KEYS - 1], upper]))


def _filler_spellings(spelling: str, word: Sequence[bool], first_only: bool) -> list[str]:
    """The term with one filler word after one of its Han characters (加个微信, 加一下V).

    ``first_only``: only after the first character (the verb of 加绿泡泡: an extra
    spelling, of which a term may have dozens).
    """
    fillers = PHRASE_FILLERS if len(spelling) < MIN_FILLER_LEN else FILLERS
    cuts = range(1, 2 if first_only else len(spelling))
    own, _ = _collapse(spelling)
    filled = dict.fromkeys(
        spelling[:k] + filler + spelling[k:] for k in cuts if not word[k - 1] for filler in fillers
    )
    # A filler that repeats its neighbour (你 in 你你妈) is the term with a repeat, which
    # its own key finds already.
    return [text for text in filled if _collapse(text)[0] != own]


def _latin_variants(spelling: str, masks: bool = True) -> list[str]:
    """Leetspeak and (with ``masks``) masked spellings of an all-Latin skeleton."""
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
    if masks and len(spelling) >= MIN_MASKABLE_LEN:
        inner = [k for k in range(1, len(spelling) - 1) if spelling[k] != "'"]
        for count in range(1, MAX_MASKS + 1):
            for masked in combinations(inner, count):
                for base in bases:
                    chars = list(base)
                    for k in masked:
                        chars[k] = WILDCARD
                    variants.append("".join(chars))
    return list(dict.fromkeys(variants))


def _masked_han_spellings(spelling: str) -> list[str]:
    """A Han term's spelling with inner characters masked: one, or two from five on.

    Only the term as listed: masking its stand-ins and look-alikes too would find the same
    texts again.
    """
    if len(spelling) < MIN_HAN_MASKABLE_LEN:
        return []
    # Not a character its neighbour repeats: 啪*啪 may as well be 啪啪 spaced.
    inner = [
        k for k in range(1, len(spelling) - 1) if spelling[k] not in spelling[k - 1 : k + 2 : 2]
    ]
    most = 2 if len(spelling) >= MIN_TWO_HAN_MASKS_LEN else 1
    out: list[str] = []
    for count in range(1, most + 1):
        for masked in combinations(inner, count):
            chars = list(spelling)
            for k in masked:
                chars[k] = WILDCARD
            out.append("".join(chars))
    return out


def _han_spelled(text: str, term: str, category: str, kind: str, own: str) -> tuple[str, Entry]:
    """A key for an all-Han spelling of ``term`` (a split form, a look-alike, a stand-in)."""
    return _entry(text, [False] * len(text), term, category, False, kind=kind, own=own)


def _spelling_keys(
    spelling: str, word: list[bool], term: str, category: str, kind: str, shared: bool
) -> list[tuple[str, Entry]]:
    """The keys of one spelling as written (a term, or an extra spelling of one)."""
    keys: list[tuple[str, Entry]] = []
    if all(word):
        # Masks only on the term as listed: f*ck is fuck masked, and masking its extra
        # spellings too (fv*k, ph*ck) would only multiply keys that find the same texts.
        for variant in _latin_variants(spelling, masks=kind == LITERAL):
            keys.append(_entry(variant, word, term, category, False, shared, kind))
    else:
        keys.append(_entry(spelling, word, term, category, False, shared, kind))
    if not word[0]:  # a Han verb first (加微信, 加QQ): fillers after its Han characters
        for filled in _filler_spellings(spelling, word, first_only=shared):
            filled_word = [False] * (len(filled) - len(spelling)) + list(word)
            keys.append(_entry(filled, filled_word, term, category, False, shared, kind or FILLER))
    return keys


def term_keys(
    term: str, category: str, extra: ExtraSpellings = (), *, stand_ins: bool = True
) -> tuple[str, list[tuple[str, Entry]]]:
    """Every key that finds ``term``.

    Args:
        term: the term as written in its list.
        category: its list's category.
        extra: more ways to write the term, each with how it spells it (aliases: see the
            module's docstring).
        stand_ins: also the known homophone stand-ins of :mod:`variants` (傻比 for 傻逼);
            a filter built without homophones has none.

    Returns:
        ``(normal_form, keys)``: the normalized spelling (used to spot duplicates across
        lists; empty when the term is all noise) and ``(key, entry)`` pairs. The first
        pair is the term's own spelling.
    """
    spelling, keys = _term_keys(term, category, tuple(extra), stand_ins)
    return spelling, list(keys)


# A filter is rebuilt on every live edit of its lists: each term's keys are made once.
@lru_cache(maxsize=8192)
def _term_keys(
    term: str, category: str, extra: tuple[tuple[str, str], ...], stand_ins: bool
) -> tuple[str, tuple[tuple[str, Entry], ...]]:
    skeleton = build_skeleton(term)
    spelling = skeleton.text
    if not spelling:
        return "", ()
    keys = _spelling_keys(spelling, skeleton.word, term, category, LITERAL, False)
    if all(skeleton.word) and spelling.isdigit() and len(spelling) >= 2:
        for numeral in _numeral_spellings(spelling):
            key, entry = _entry(numeral, [False], term, category, False, kind=NUMERAL)
            keys.append((key, _with(entry, cjk_only=False)))
    if not any(skeleton.word):
        keys += _han_keys(spelling, term, category, stand_ins)
    for text, how in extra:
        extra_skeleton = build_skeleton(text)
        if extra_skeleton.text and extra_skeleton.text != spelling:
            keys += _spelling_keys(
                extra_skeleton.text, extra_skeleton.word, term, category, how, True
            )
    return spelling, tuple(keys)


def _han_keys(spelling: str, term: str, category: str, stand_ins: bool) -> list[tuple[str, Entry]]:
    """The keys of a Han term's disguises: pinyin, split forms, look-alikes, stand-ins."""
    keys: list[tuple[str, Entry]] = []
    own, _ = _collapse(spelling)
    for form, how in pinyin_forms(spelling):
        # The term's own characters and plain lower-case syllables: its own skeleton.
        word = [ch.isascii() for ch in form]
        key, entry = _entry(form, word, term, category, False, shared=True, kind=how)
        if how == INITIAL_LETTERS and all(word):
            # Initials may have padding in their token (dsb, cnmd): the engine reads the
            # whole token instead of asking for word edges.
            entry = _with(entry, edges=False)
        keys.append((key, entry))
    for split in split_spellings(spelling):
        split_text = _han_text(split)
        if split_text and len(split_text) > len(spelling):
            keys.append(_han_spelled(split_text, term, category, SPLIT, own))
    seen = {spelling}
    for variant in variant_spellings(spelling) if stand_ins else ():
        text = _han_text(variant)
        if text and text not in seen and len(text) == len(variant):
            seen.add(text)
            keys.append(_han_spelled(text, term, category, HOMOPHONE, own))
    if len(spelling) >= 2:
        for k, ch in enumerate(spelling):
            for alike in look_alikes(ch):
                text = spelling[:k] + _normal_han(alike) + spelling[k + 1 :]
                if len(text) == len(spelling) and text not in seen:
                    seen.add(text)
                    keys.append(_han_spelled(text, term, category, LOOK_ALIKE, own))
    return keys


@lru_cache(maxsize=8192)
def _normal_han(ch: str) -> str:
    """A Han character as a skeleton has it (traditional ones simplified; "" for noise)."""
    return build_skeleton(ch).text


def _han_text(text: str) -> str:
    """The skeleton text of Han characters, one by one (no Han character needs context)."""
    return "".join(map(_normal_han, text))


def masked_han_keys(term: str, category: str) -> list[tuple[str, Entry]]:
    """The keys of a Han term with an inner character masked, for the masked reading.

    Args:
        term: the term as written in its list.
        category: its list's category.

    Returns:
        ``(key, entry)`` pairs, each key with ``WILDCARD`` in place of one inner character
        (two from ``MIN_TWO_HAN_MASKS_LEN`` characters on). Empty for terms that are not
        all Han characters or shorter than ``MIN_HAN_MASKABLE_LEN``.
    """
    skeleton = build_skeleton(term)
    if any(skeleton.word):
        return []
    return [
        _han_spelled(masked, term, category, MASKED_HAN, skeleton.text)
        for masked in _masked_han_spellings(skeleton.text)
    ]


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
    entry = _interned(term, category, runs, False, False, True, False, False, HOMOPHONE, key)
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
