"""``str.translate`` tables that stay fast on the characters they do not map."""

from __future__ import annotations

from typing import TypeVar

MAX_REMEMBERED = 100_000  # a flood of rare characters must not grow a table forever

V = TypeVar("V")


class LearnedTable(dict[int, V]):
    """A ``str.translate`` table filled on first sight of each character.

    A subclass says what one character maps to (:meth:`value_of`); the answer is
    remembered, so the table holds the characters comments have used (at most
    ``MAX_REMEMBERED``) and ``str.translate`` finds each one with a plain look-up.
    """

    def value_of(self, point: int) -> V:
        """What the character ``point`` maps to (None deletes it)."""
        raise NotImplementedError

    def __missing__(self, point: int) -> V:
        value = self.value_of(point)
        if len(self) < MAX_REMEMBERED:  # racing threads only store the same value twice
            self[point] = value
        return value


class KeepOthers(LearnedTable[str]):
    """A translate table that leaves the characters it lacks alone, and remembers them.

    ``str.translate`` pays for a raised and cleared KeyError on every character a plain
    dict lacks (the Latin letters of a comment looked up in a table of Han characters, or
    the Han characters in a table of letters); remembered identities make misses rare.
    """

    def value_of(self, point: int) -> str:
        """The character itself."""
        return chr(point)


class LearnedSubset(LearnedTable[str]):
    """A translate table that copies entries from a big one on first sight of a character.

    A comment's characters are looked up in a table of the few thousand characters the
    audience has used so far rather than one of every Han character: the small table stays
    in the processor's cache between comments. Characters the big table lacks stay as
    they are.

    Args:
        source: the full table (code point to replacement).
    """

    def __init__(self, source: dict[int, str]) -> None:
        super().__init__()
        self._source = source

    def value_of(self, point: int) -> str:
        """The character's entry in the full table, else the character itself."""
        value = self._source.get(point)
        return chr(point) if value is None else value
