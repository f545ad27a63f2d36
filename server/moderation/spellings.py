"""Extra spellings of a term, beyond what :mod:`~server.moderation.keys` derives itself.

Three sources, each with the mechanism a reason's ``how`` names: aliases, read from the
alias files (:mod:`~server.moderation.aliases`: 加绿泡泡 for 加微信), letter tricks on English
terms (:mod:`~server.moderation.latin`: fvck for fuck), and their English inflections
(:mod:`~server.moderation.inflections`: idiots for idiot). The shipped ``wordlists/aliases.txt``
always applies, like the filter's other tables of disguises; an organiser's alias files add
to it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from server.moderation.aliases import AliasError, Aliases, read_aliases
from server.moderation.inflections import inflected_spellings
from server.moderation.latin import latin_spellings
from server.moderation.wordlists import default_aliases_file

# A term's extra spellings, each with the mechanism ``how`` names: see extra_spellings.
Spellings = Callable[[str, Aliases | None], list[tuple[str, str]]]


@functools.cache
def default_aliases() -> Aliases:
    """The shipped aliases, read once per process."""
    return read_aliases([default_aliases_file()])


def load_aliases(extra_files: Sequence[Path] = ()) -> Aliases:
    """The shipped aliases plus an organiser's alias files.

    Args:
        extra_files: more alias files (``alias = part`` a line); a missing one is empty.

    Returns:
        All of them, grouped by part.

    Raises:
        OSError: when an existing file cannot be read.
        AliasError: for a malformed line.
    """
    if not extra_files:
        return default_aliases()
    return read_aliases([default_aliases_file(), *extra_files])


def extra_spellings(term: str, aliases: Aliases | None = None) -> list[tuple[str, str]]:
    """The extra ``(spelling, how)`` pairs of ``term``, for ``keys.term_keys``.

    Args:
        term: a term as written in its list.
        aliases: the aliases in force (None: the shipped ones).

    Returns:
        Alias spellings, then letter-trick spellings, then inflections.
    """
    chosen = default_aliases() if aliases is None else aliases
    return chosen.spellings(term) + latin_spellings(term) + inflected_spellings(term)


__all__ = [
    "AliasError",
    "Aliases",
    "Spellings",
    "default_aliases",
    "extra_spellings",
    "load_aliases",
]
