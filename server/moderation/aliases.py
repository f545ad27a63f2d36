"""Aliases: nicknames that stand for part of a term (绿泡泡 for 微信, 企鹅 for QQ, 菠菜 for 博彩).

They are data, not code: ``wordlists/aliases.txt`` ships with the filter and an organiser
may give more files of the same form. One alias a line, ``alias = part`` (the part a term
may contain, as the organiser would write it in a list), ``#`` starts a comment. They apply
to every term of every list: a term that contains a part, or one of the part's aliases, is
also spelled with each of the part's aliases (and the part itself), so "绿泡泡 = 微信" makes
加微信 found as 加绿泡泡, and "v = 微信" makes 加V found as 加绿泡泡 and 加微信 too.

A Latin part or alias stands inside a term only as a word of its own (v in 加V, not in
love), and one part is replaced at a time, so a term gets a handful of spellings, not a
product of them. Each spelling goes to :func:`~server.moderation.keys.term_keys` as an
extra spelling with ``how`` "alias", which the reason shows: "绿泡泡 → 加微信 (alias)".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from server.moderation.skeleton import build_skeleton
from server.moderation.wordlists import parse_terms

ALIAS: Final = "alias"  # the mechanism a reason's ``how`` names
SEPARATOR: Final = "="
MAX_SPELLINGS: Final = 64  # per term: a term with many aliased parts stays cheap to build


class AliasError(ValueError):
    """A line of an alias file that is not ``alias = part``."""


@dataclass(frozen=True, slots=True)
class Aliases:
    """Parts of terms and the aliases each may be written as.

    Attributes:
        groups: for each part (lower case), the part and its aliases, in file order.
    """

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(group) - 1 for group in self.groups.values())

    def spellings(self, term: str) -> list[tuple[str, str]]:
        """The other ways to write ``term`` with one part swapped for an alias.

        Args:
            term: a term as written in its list.

        Returns:
            ``(spelling, "alias")`` pairs, the term's own spelling left out.
        """
        lowered = term.casefold()
        out: dict[str, None] = {}
        for group in self.groups.values():
            for member in group:
                for start in _occurrences(lowered, member):
                    end = start + len(member)
                    for other in group:
                        if other != member:
                            out.setdefault(lowered[:start] + other + lowered[end:], None)
        out.pop(lowered, None)
        return [(spelling, ALIAS) for spelling in list(out)[:MAX_SPELLINGS]]


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _occurrences(text: str, part: str) -> list[int]:
    """Where ``part`` stands in ``text``; a Latin part only as a word of its own."""
    found: list[int] = []
    start = text.find(part)
    while start >= 0:
        end = start + len(part)
        latin_edge = (_is_latin(part[0]) and start > 0 and _is_latin(text[start - 1])) or (
            _is_latin(part[-1]) and end < len(text) and _is_latin(text[end])
        )
        if not latin_edge:
            found.append(start)
        start = text.find(part, start + 1)
    return found


def parse_aliases(lines: Iterable[str], source: str = "aliases") -> Aliases:
    """Aliases from the lines of an alias file.

    Args:
        lines: the file's lines.
        source: the file's name, for error messages.

    Returns:
        The aliases, grouped by part. An alias that normalizes to nothing (an emoji or
        punctuation, which the filter skips as noise) is left out: it could only ever
        spell the rest of the term.

    Raises:
        AliasError: for a line without ``=`` or with an empty side.
    """
    groups: dict[str, dict[str, None]] = {}
    for number, line in enumerate(parse_terms(lines), start=1):
        alias, sep, part = line.partition(SEPARATOR)
        alias, part = alias.strip().casefold(), part.strip().casefold()
        if not sep or not alias or not part:
            raise AliasError(f"{source}: '{line}' is not 'alias {SEPARATOR} part' (entry {number})")
        if not build_skeleton(alias).text or not build_skeleton(part).text:
            continue
        groups.setdefault(part, {part: None}).setdefault(alias, None)
    return Aliases({part: tuple(members) for part, members in groups.items()})


def read_aliases(paths: Sequence[Path]) -> Aliases:
    """Aliases from alias files, merged in order (UTF-8, a BOM is tolerated).

    Args:
        paths: the files; a missing file counts as empty.

    Returns:
        Every file's aliases, grouped by part.

    Raises:
        OSError: when an existing file cannot be read.
        AliasError: for a malformed line.
    """
    groups: dict[str, dict[str, None]] = {}
    for path in paths:
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        for part, members in parse_aliases(lines, path.name).groups.items():
            merged = groups.setdefault(part, {})
            for member in members:
                merged.setdefault(member, None)
    return Aliases({part: tuple(members) for part, members in groups.items()})
