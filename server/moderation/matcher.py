"""The Aho-Corasick pass over a skeleton, and the checks each raw hit must pass.

The automaton finds every key in the collapsed skeleton in one C-speed pass; each hit is
then checked in Python: enough repeats where the term repeats a character, no gap between
two characters wider than ``max_gap`` noise characters, word edges for Latin edges, and no
Chinese numeral touching a numeral spelling of a digit term (二零四八 is not in 一二零四八).

With keys starting with many different characters, the automaton reads UTF-8 bytes
(:mod:`~server.moderation.automata`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import ahocorasick

from server.moderation.automata import as_bytes, characters_before, reads_bytes
from server.moderation.keys import NUMERAL, NUMERAL_CHARS, Entry
from server.moderation.skeleton import K_DIGIT, Skeleton

DEFAULT_MAX_GAP: Final = 4  # noise characters between two term characters: "傻@#￥%逼" still counts


class Hit:
    """A verified hit of one entry: skeleton indices ``start`` to ``end`` (exclusive).

    Treat it as immutable. A plain class with slots, for the same reasons as
    :class:`~server.moderation.skeleton.Skeleton`.

    Attributes:
        entry: what was found.
        start: the first skeleton index of the hit, touching repeats included.
        end: one past the last skeleton index.
        first: the collapsed index of the hit's first character.
        core_start: ``start`` without the touching repeats in front (黑黑猫 starts at the
            second 黑): what a word-edge decision looks at.
        core_end: likewise for ``end``.
    """

    __slots__ = ("core_end", "core_start", "end", "entry", "first", "start")

    def __init__(
        self,
        entry: Entry,
        start: int,
        end: int,
        first: int = 0,
        core_start: int = 0,
        core_end: int = 0,
    ) -> None:
        self.entry = entry
        self.start = start
        self.end = end
        self.first = first
        self.core_start = core_start
        self.core_end = core_end


class Matcher:
    """An automaton over every key, plus the per-hit checks.

    Args:
        keys: ``(key, entry)`` pairs; one key may find several entries.
        max_gap: the most visible noise characters allowed between two term characters.
    """

    def __init__(self, keys: Iterable[tuple[str, Entry]], max_gap: int = DEFAULT_MAX_GAP) -> None:
        grouped: dict[str, dict[Entry, None]] = {}
        for key, entry in keys:
            entries = grouped.get(key)
            if entries is None:
                grouped[key] = {entry: None}
            else:
                entries[entry] = None
        self.max_gap = max_gap
        self._automaton: ahocorasick.Automaton | None = None
        self._bytes = reads_bytes(grouped)
        if grouped:
            automaton = ahocorasick.Automaton()
            # needs_repeats is worked out here once, not on every hit (and once per entry:
            # a term's keys share their entries).
            checks_of: dict[Entry, tuple[Entry, bool]] = {}
            for key, entries in grouped.items():
                checks = []
                for e in entries:
                    check = checks_of.get(e)
                    if check is None:
                        check = checks_of[e] = (e, e.needs_repeats)
                    checks.append(check)
                spelled = as_bytes(key) if self._bytes else key
                automaton.add_word(spelled, (len(key), tuple(checks)))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, sk: Skeleton, haystack: str | None = None) -> list[Hit]:
        """Every verified hit in a skeleton (terms and allow words alike).

        Args:
            sk: the skeleton of the text.
            haystack: what the automaton runs over instead of ``sk.collapsed``: a
                one-to-one translation of it (the homophone pass's syllable codes). A hit
                there whose text is the entry's own ``spelling`` is left out: it is the
                term itself, which the literal pass decides.

        Returns:
            The hits, in the automaton's order (by end).
        """
        if self._automaton is None or not sk.collapsed:
            return []
        hits: list[Hit] = []
        # Read once: the loop below runs for every key the automaton finds.
        repeats, solid_han, gap, kind = sk.repeats, sk.solid_han, sk.gap, sk.kind
        size = len(sk.text)
        text = sk.collapsed if haystack is None else haystack
        plain = not self._bytes or text.isascii()  # then a character is what is read
        encoded = text if plain else as_bytes(text)
        for at, (klen, entries) in self._automaton.iter(encoded):
            last = at if plain else characters_before(encoded, at + 1) - 1
            first = last - klen + 1
            said = None if haystack is None else sk.collapsed[first : last + 1]
            for entry, needs_repeats in entries:
                if said == entry.spelling:
                    continue
                if not repeats:  # runs of one: the hit is its collapsed range
                    if needs_repeats:
                        continue
                    start = core_start = first
                    end = core_end = last + 1
                else:
                    if needs_repeats and not _enough_repeats(sk.run_len, first, entry.runs):
                        continue
                    start, end, core_start, core_end = _extent(sk, first, last, entry.runs)
                # No gap inside the hit wider than max_gap (Han-only comments have none).
                if not solid_han and end - start > 1 and max(gap[start + 1 : end]) > self.max_gap:
                    continue
                # A letter touching a letter (or a digit a digit) is no word edge.
                if entry.word_start and start > 0 and gap[start] == 0:
                    if kind[start - 1] == kind[start]:
                        continue
                if entry.word_end and end < size and gap[end] == 0:
                    if kind[end] == kind[end - 1]:
                        continue
                if entry.kind == NUMERAL and _touches_a_number(sk, start, end):
                    continue
                hits.append(Hit(entry, start, end, first, core_start, core_end))
        return hits


def _enough_repeats(run_len: Sequence[int], first: int, runs: tuple[int, ...]) -> bool:
    """Whether the runs from collapsed index ``first`` on are as long as the term's ``runs``."""
    for k, need in enumerate(runs):
        if run_len[first + k] < need:
            return False
    return True


def _touches_a_number(sk: Skeleton, start: int, end: int) -> bool:
    """Whether a numeral spelling has a digit or Chinese numeral right beside it."""
    chars, gap, kind = sk.text, sk.gap, sk.kind
    if start > 0 and gap[start] == 0:
        if chars[start - 1] in NUMERAL_CHARS or kind[start - 1] == K_DIGIT:
            return True
    if end < len(chars) and gap[end] == 0:
        if chars[end] in NUMERAL_CHARS or kind[end] == K_DIGIT:
            return True
    return False


def _extent(
    sk: Skeleton, first: int, last: int, runs: tuple[int, ...]
) -> tuple[int, int, int, int]:
    """The skeleton range a hit covers, from collapsed indices ``first``..``last``.

    Inner runs count whole. An edge run counts for as many characters as the term needs,
    plus those that touch them (no noise between): "黑黑猫猫猫" is one hit, but the second
    n of "darn nice" belongs to the next word, so "darn" still ends at a word edge.

    Returns:
        ``(start, end, core_start, core_end)``: the range, and the range without the
        touching repeats at its edges.
    """
    gap = sk.gap
    if first == last:
        s = sk.run_start[first]
        e = s + sk.run_len[first]
        return s, e, s, e  # one run (咪咪咪): no edge repeats to tell apart
    run_s = sk.run_start[first]
    core_start = start = run_s + sk.run_len[first] - runs[0]
    while start > run_s and gap[start] == 0:
        start -= 1
    run_e = sk.run_start[last]
    run_end = run_e + sk.run_len[last]
    core_end = end = run_e + runs[-1]
    while end < run_end and gap[end] == 0:
        end += 1
    return start, end, core_start, core_end
