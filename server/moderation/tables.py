"""``str.translate`` tables that stay fast on the characters they do not map."""

from __future__ import annotations

MAX_REMEMBERED = 100_000  # a flood of rare characters must not grow a table forever


class KeepOthers(dict[int, str]):
    """A translate table that leaves the characters it lacks alone, and remembers them.

    ``str.translate`` pays for a raised and cleared KeyError on every character a plain
    dict lacks (the Latin letters of a comment looked up in a table of Han characters, or
    the Han characters in a table of letters); remembered identities make misses rare.
    """

    def __missing__(self, point: int) -> str:
        ch = chr(point)
        if len(self) < MAX_REMEMBERED:  # racing threads only store the same value twice
            self[point] = ch
        return ch


class LearnedSubset(dict[int, str]):
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

    def __missing__(self, point: int) -> str:
        value = self._source.get(point)
        if value is None:
            value = chr(point)
        if len(self) < MAX_REMEMBERED:  # racing threads only store the same value twice
            self[point] = value
        return value
