"""The one check both wordlist dialogs apply to the word the moderator typed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from console.language import _
from server.moderation.edit import check_term


def term_problem(value: str) -> str:
    """Why ``value`` cannot go in a list file, in the console's language.

    The same three cases as :func:`server.moderation.edit.check_term`, whose own message
    is English.
    """
    text = value.strip()
    if not text:
        return _("An empty word cannot be added.")
    if len(text.splitlines()) > 1:
        return _("A word must fit on one line.")
    return _("'{word}' would read back as a comment: drop the '#'.").format(word=text)


def checked_word(screen: Screen[Any], value: str) -> str | None:
    """The word ready for a list file, or None after telling the moderator why not."""
    try:
        return check_term(value)
    except ValueError:  # empty, or it would read back as a comment
        screen.notify(term_problem(value), severity="error", markup=False)
        return None
