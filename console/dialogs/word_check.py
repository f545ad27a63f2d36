"""The one check both wordlist dialogs apply to the word the moderator typed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from server.moderation.edit import check_term


def checked_word(screen: Screen[Any], value: str) -> str | None:
    """The word ready for a list file, or None after telling the moderator why not."""
    try:
        return check_term(value)
    except ValueError as exc:  # empty, or it would read back as a comment
        screen.notify(f"{exc}.", severity="error", markup=False)
        return None
