"""Which touching character pairs stand inside some dictionary word, at a term's edges.

A dictionary word that reaches across the first edge of a hit holds the character before
the hit and the hit's first character side by side; one across the last edge holds the
hit's last character and the one after it. So when neither pair occurs inside any word of
jieba's dictionary, no reading can cross the hit's edges, and the filter needs no
dictionary walk to say so. Indexing every pair of the dictionary would take a third of a
second; only pairs with a term's first character second, or its last character first,
can answer a question the filter asks, and those take a tenth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


class EdgePairs:
    """The pairs of touching characters inside dictionary words, at some terms' edges.

    Args:
        dictionary: every word (and word prefix) of the dictionary.
        terms: the terms whose edges will be asked about.
    """

    def __init__(self, dictionary: Iterable[str], terms: Iterable[str]) -> None:
        terms = [term for term in terms if term]
        self._firsts = frozenset(term[0] for term in terms)
        self._lasts = frozenset(term[-1] for term in terms)
        pairs: set[str] = set()
        if terms:
            words = "\n".join(dictionary)  # one string: the search runs at C speed
            # Lookaheads, so that pairs overlapping each other are all found.
            before_first = f"(?=([^\n][{re.escape(''.join(sorted(self._firsts)))}]))"
            after_last = f"(?=([{re.escape(''.join(sorted(self._lasts)))}][^\n]))"
            pairs.update(re.findall(before_first, words))
            pairs.update(re.findall(after_last, words))
        self._pairs = frozenset(pairs)

    def no_word_across(self, text: str, start: int, end: int) -> bool:
        """True when no dictionary word can reach across offset ``start`` or ``end`` of ``text``.

        False says nothing (a pair is there, or an edge character was never indexed): the
        caller walks the dictionary then.
        """
        if start > 0 and (
            text[start] not in self._firsts or text[start - 1 : start + 1] in self._pairs
        ):
            return False
        if end < len(text) and (
            text[end - 1] not in self._lasts or text[end - 1 : end + 1] in self._pairs
        ):
            return False
        return True
