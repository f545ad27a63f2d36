"""The Aho-Corasick pass over a skeleton, and the checks each raw hit must pass.

The automaton finds every key in the collapsed skeleton in one C-speed pass; each hit is
then checked in Python: enough repeats where the term repeats a character, no gap between
two characters wider than ``max_gap`` noise characters, and word edges for Latin edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from server.moderation.keys import Entry
from server.moderation.skeleton import Skeleton

DEFAULT_MAX_GAP = 4  # noise characters between two term characters: "傻@#￥%逼" still counts


@dataclass(frozen=True, slots=True)
class Hit:
    """A verified hit of one entry: skeleton indices ``start`` to ``end`` (exclusive)."""

    entry: Entry
    start: int
    end: int


class Matcher:
    """An automaton over every key, plus the per-hit checks.

    Args:
        keys: ``(key, entry)`` pairs; one key may find several entries.
        max_gap: the most visible noise characters allowed between two term characters.
    """

    def __init__(self, keys: Iterable[tuple[str, Entry]], max_gap: int = DEFAULT_MAX_GAP) -> None:
        grouped: dict[str, dict[Entry, None]] = {}
        for key, entry in keys:
            grouped.setdefault(key, {})[entry] = None
        self.max_gap = max_gap
        self.key_count = len(grouped)
        self._automaton: ahocorasick.Automaton | None = None
        if grouped:
            automaton = ahocorasick.Automaton()
            for key, entries in grouped.items():
                automaton.add_word(key, (len(key), tuple(entries)))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, sk: Skeleton) -> list[Hit]:
        """Every verified hit in a skeleton (terms and allow words alike).

        Args:
            sk: the skeleton of the text.

        Returns:
            The hits, in the automaton's order (by end).
        """
        if self._automaton is None or not sk.collapsed:
            return []
        hits: list[Hit] = []
        big: list[int] | None = None  # prefix counts of too-wide gaps, made on demand
        n = len(sk.chars)
        gap, kind, run_len = sk.gap, sk.kind, sk.run_len
        max_gap = self.max_gap
        for last, (klen, entries) in self._automaton.iter(sk.collapsed):
            first = last - klen + 1
            for entry in entries:
                runs = entry.runs
                if entry.needs_repeats and any(
                    run_len[first + k] < need for k, need in enumerate(runs)
                ):
                    continue
                start, end = _extent(sk, first, last, runs)
                if end - start > 1:
                    if big is None:
                        big = _too_wide_prefix(gap, max_gap)
                    if big[end - 1] != big[start]:
                        continue
                # A letter touching a letter (or a digit a digit) is no word edge.
                if entry.word_start and start > 0 and gap[start] == 0:
                    if kind[start - 1] == kind[start]:
                        continue
                if entry.word_end and end < n and gap[end] == 0:
                    if kind[end] == kind[end - 1]:
                        continue
                hits.append(Hit(entry, start, end))
        return hits


def _extent(sk: Skeleton, first: int, last: int, runs: tuple[int, ...]) -> tuple[int, int]:
    """The skeleton range a hit covers, from collapsed indices ``first``..``last``.

    Inner runs count whole. An edge run counts for as many characters as the term needs,
    plus those that touch them (no noise between): "黑黑猫猫猫" is one hit, but the second
    n of "darn nice" belongs to the next word, so "darn" still ends at a word edge.
    """
    gap = sk.gap
    if first == last:
        s = sk.run_start[first]
        return s, s + sk.run_len[first]
    run_s = sk.run_start[first]
    start = run_s + sk.run_len[first] - runs[0]
    while start > run_s and gap[start] == 0:
        start -= 1
    run_e = sk.run_start[last]
    run_end = run_e + sk.run_len[last]
    end = run_e + runs[-1]
    while end < run_end and gap[end] == 0:
        end += 1
    return start, end


def _too_wide_prefix(gap: list[int], max_gap: int) -> list[int]:
    """``out[j]``: how many skeleton positions ``1..j`` follow a gap wider than ``max_gap``."""
    out = [0] * len(gap)
    count = 0
    for j in range(1, len(gap)):
        if gap[j] > max_gap:
            count += 1
        out[j] = count
    return out
