"""``str.translate`` tables that learn each character on first sight and read fast after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Final

MAX_REMEMBERED = 100_000  # a flood of rare characters must not grow a table forever

UNKNOWN: Final = "\U0010ffff"  # a PlainTable's unlearned character (a noncharacter)
_UNKNOWN_POINT: Final = ord(UNKNOWN)


def _stored(value: str | None) -> str | int | None:
    """A value as the table keeps it: one character as its code point.

    ``str.translate`` writes a code point straight into its output; a one-character string
    it copies as a string, which costs more.
    """
    return ord(value) if value is not None and len(value) == 1 else value


class PlainTable:
    """A ``str.translate`` table read at plain-dict speed, that learns on first sight.

    ``str.translate`` reads a dict subclass through its ``__getitem__``, which costs about
    as much again per character as the look-up itself; a ``defaultdict`` is read like a
    plain dict. Its default cannot know the character, so a character the table has not
    learned comes out as ``UNKNOWN``: the caller checks for it and calls :meth:`learned`
    (:meth:`translate` does both). At most ``MAX_REMEMBERED`` characters are kept; a flood of
    rare ones starts the table afresh.

    Threads may share a table: the default is made in C (no thread switch can put
    ``UNKNOWN`` over a learned value), and :meth:`learned` learns until nothing is unknown.

    Args:
        value_of: what one character (a code point) maps to; None deletes it.
    """

    def __init__(self, value_of: Callable[[int], str | None]) -> None:
        self.table: defaultdict[int, str | int | None] = defaultdict(_UNKNOWN_POINT.__int__)
        self._value_of = value_of

    def translate(self, text: str) -> str:
        """``text`` translated through the table."""
        out = text.translate(self.table)
        return self.learned(text) if UNKNOWN in out else out

    def learned(self, text: str) -> str:
        """``text`` translated, after learning the characters the table lacked."""
        table = self.table
        out = UNKNOWN
        while UNKNOWN in out:  # once, unless another thread starts the table afresh meanwhile
            if len(table) > MAX_REMEMBERED:
                table.clear()
            for ch in set(text):
                point = ord(ch)
                if table.get(point, _UNKNOWN_POINT) == _UNKNOWN_POINT:
                    table[point] = _stored(self._value_of(point))
            out = text.translate(table)
        return out
