"""Aho-Corasick automata that stay fast when their keys start with many different characters.

pyahocorasick finds a node's next character by reading the node's children one by one. The
default lists' keys start with some 1,800 different characters (terms, look-alikes,
stand-ins, split parts), and most characters of a comment are read at the root: read as
characters, each would be compared with all of them. Read as UTF-8 bytes (each byte one
Latin-1 character), no node has more than a few dozen children, for the price of encoding
the comment. A key's bytes can only match from the first byte of a character, so every hit
still starts and ends on one.

Measured with valgrind (instructions per comment): the literal automaton of the default
lists (1,800 first characters) and their screen (350) gain several thousand from bytes; the
test corpus's screen (160) and the homophone automaton (30) lose a little, so they keep
reading characters.
"""

from __future__ import annotations

from collections.abc import Iterable

BYTES_FROM_FIRST_CHARACTERS = 256  # more different first characters than this: read bytes


def reads_bytes(keys: Iterable[str]) -> bool:
    """Whether an automaton of ``keys`` should read UTF-8 bytes (see the module's docstring)."""
    return len({key[0] for key in keys if key}) > BYTES_FROM_FIRST_CHARACTERS


def as_bytes(text: str) -> str:
    """``text`` in UTF-8, one Latin-1 character per byte (what a byte automaton reads)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def characters_before(encoded: str, end: int) -> int:
    """How many characters ``encoded[:end]`` holds (``end`` at the end of a character)."""
    return len(encoded[:end].encode("latin-1").decode("utf-8", "surrogatepass"))
