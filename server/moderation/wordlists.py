"""Reading wordlist files: one term a line, ``#`` starts a comment, the file stem is the category.

The default lists ship in ``wordlists/``; ``allow.txt`` there is the allow list (innocent words
that contain a term), ``aliases.txt`` the aliases (nicknames of term parts, read by
:mod:`~server.moderation.aliases`) and ``senses.txt`` the words that show a term's everyday
sense (:mod:`~server.moderation.senses`), none of them a category. docs/wordlists.md says where each
list's terms come from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ALLOW_STEM: Final = "allow"
ALIASES_STEM: Final = "aliases"
SENSES_STEM: Final = "senses"


@dataclass(frozen=True, slots=True)
class WordList:
    """The terms of one file.

    Attributes:
        category: the file's stem, reported with every hit.
        terms: the terms in file order, without comments, blanks or duplicates.
    """

    category: str
    terms: tuple[str, ...]


def parse_terms(lines: Iterable[str]) -> tuple[str, ...]:
    """The terms in wordlist lines.

    A ``#`` at the start of a line, or after whitespace, starts a comment (so a term may
    still contain ``#``, as in ``c#``). Surrounding whitespace is dropped.

    Args:
        lines: the file's lines.

    Returns:
        The distinct terms, in order.
    """
    seen: dict[str, None] = {}
    for line in lines:
        text = line.strip()
        if text.startswith("#"):
            continue
        for marker in (" #", "\t#", "\u3000#"):
            cut = text.find(marker)
            if cut >= 0:
                text = text[:cut]
        text = text.strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def read_wordlist(path: Path) -> WordList:
    """Read one wordlist file (UTF-8, a BOM is tolerated).

    Args:
        path: the file; its stem becomes the category.

    Returns:
        The file's terms under its category.

    Raises:
        OSError: when the file cannot be read.
    """
    text = path.read_text(encoding="utf-8-sig")
    return WordList(path.stem, parse_terms(text.splitlines()))


def default_dir() -> Path:
    """The directory of the shipped default wordlists.

    Returns:
        ``server.assets.default_wordlist_dir()`` when the project is installed, otherwise
        the ``wordlists/`` folder of the source tree this package sits in.
    """
    from server.assets import default_wordlist_dir

    try:
        return default_wordlist_dir()
    except ModuleNotFoundError:  # running from a source tree that was never installed
        return Path(__file__).resolve().parents[2] / "wordlists"


def default_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """Split a wordlist directory into category files and allow files.

    Args:
        directory: a directory of ``*.txt`` files.

    Returns:
        ``(category_files, allow_files)``, each sorted by name; the aliases and senses
        files are neither.
    """
    files = sorted(directory.glob("*.txt"))
    allow = [p for p in files if p.stem == ALLOW_STEM]
    return [p for p in files if p.stem not in (ALLOW_STEM, ALIASES_STEM, SENSES_STEM)], allow


def default_aliases_file() -> Path:
    """The shipped aliases file (``aliases.txt`` beside the default lists)."""
    return default_dir() / f"{ALIASES_STEM}.txt"


def default_senses_file() -> Path:
    """The shipped senses file (``senses.txt`` beside the default lists)."""
    return default_dir() / f"{SENSES_STEM}.txt"


def read_all(
    category_files: Sequence[Path], allow_files: Sequence[Path]
) -> tuple[list[WordList], tuple[str, ...]]:
    """Read category lists and allow lists.

    Args:
        category_files: files whose stem is a category.
        allow_files: files of allow words; one that does not exist yet counts as empty (the
            console creates it when the first word is allowed).

    Returns:
        ``(wordlists, allow_words)``.
    """
    lists = [read_wordlist(p) for p in category_files]
    allow: dict[str, None] = {}
    for path in allow_files:
        if not path.exists():
            continue
        for word in read_wordlist(path).terms:
            allow.setdefault(word, None)
    return lists, tuple(allow)
