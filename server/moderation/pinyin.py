"""Pinyin spellings of a Chinese term: full (heimao), initials (cnm) and mixed (黑mao, hei猫).

Only the spellings are made here; the matcher treats their Latin edges as word edges, so
"heimao" is found as a token ("hei mao", "我的heimao") but never inside an English word.
"""

from __future__ import annotations

from itertools import product

MAX_MIXED_CHARS = 4  # 2**n - 2 mixed spellings per term: keep n small
MIN_INITIALS = 3  # "sb"-length initials collide with ordinary abbreviations


def pinyin_forms(term: str) -> list[str]:
    """Pinyin spellings of a term made of Han characters.

    Args:
        term: the normalized (simplified) term; only Han characters.

    Returns:
        The full toneless spelling (two syllables or more), the initials when there are at
        least ``MIN_INITIALS`` of them, and the spellings mixing characters and syllables
        (for terms of at most ``MAX_MIXED_CHARS`` characters). Empty when pypinyin does not
        know a character or the term is a single character.
    """
    if len(term) < 2:
        return []
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(term)
    if len(syllables) != len(term) or not all(s.isascii() and s.isalpha() for s in syllables):
        return []
    forms = ["".join(syllables)]
    if len(syllables) >= MIN_INITIALS:
        forms.append("".join(s[0] for s in syllables))
    if len(term) <= MAX_MIXED_CHARS:
        for choice in product((False, True), repeat=len(term)):
            if all(choice) or not any(choice):
                continue
            forms.append(
                "".join(s if use else c for c, s, use in zip(term, syllables, choice, strict=True))
            )
    return forms
