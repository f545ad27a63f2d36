"""English plurals of English terms: idiots for idiot, retards, scumbags, dumbasses.

A list names a word once; people write it in the plural. Each English one-word term of
at least :data:`MIN_LETTERS` letters that is not itself a plural gets its plural as an
extra spelling, with ``how`` "inflection" ("idiots → idiot (inflection)");
:mod:`~server.moderation.keys` then reads leetspeak in it as in any spelling (1d10ts).
The plural follows the regular English rule found in any grammar: -es after s, x, z, ch
and sh, a consonant's final y turned to i, else -s. Irregular plurals are not guessed.
Other inflections (-ed, -ing, -er) are not made: they turned an organiser's "darn" into
"darning", and with a text's run of one letter read once, "rape" into "rapper".

A plural that is an English word of its own would hold innocent text:
tests/test_moderation_inflections.py runs every English word of two dictionaries (web2 and
GCIDE, from the ``english-words`` package) through the default filter and fails on a word
held only because of an inflection; :data:`NOT_INFLECTIONS` keeps such forms out.
"""

from __future__ import annotations

from typing import Final

INFLECTION: Final = "inflection"  # the mechanism a reason's ``how`` names
MIN_LETTERS: Final = 4  # "ass" → "asses", "tit" → "tits": short words collide with real ones
_VOWELS: Final = frozenset("aeiou")
_HISSING: Final = ("s", "x", "z", "ch", "sh")  # a plural takes -es after these
VERB_FORMS: Final = ("ed", "ing")  # fucked, fucking: no plural

# Plurals that are English words of their own, never made; the test names any new one.
NOT_INFLECTIONS: Final[frozenset[str]] = frozenset()


def plural(word: str) -> str:
    """The regular English plural of a lower-case word."""
    if word.endswith(_HISSING):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def inflected_spellings(term: str) -> list[tuple[str, str]]:
    """The plural of an English term, with ``how`` "inflection".

    Args:
        term: a term as written in its list.

    Returns:
        ``[(plural, "inflection")]``; empty for a term that is not one Latin word of at
        least :data:`MIN_LETTERS` letters, that is a plural already (ends in s, not ss),
        or a verb form (-ed, -ing).
    """
    word = term.casefold()
    if len(word) < MIN_LETTERS or not (word.isascii() and word.isalpha()):
        return []
    if (word.endswith("s") and not word.endswith("ss")) or word.endswith(VERB_FORMS):
        return []
    form = plural(word)
    return [] if form in NOT_INFLECTIONS else [(form, INFLECTION)]
