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
