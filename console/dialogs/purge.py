"""Purging a sender (asked first) and the words for what an undo took back.

Shared by the queue and the wall (and the search results): ``P`` on any comment purges its
sender — banned, every comment of theirs off every projector now, out of idle replay and
weight 0 in any later draw.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.screen import Screen

from console.dialogs.confirm import ConfirmDialog
from console.widgets.comment_text import nick_text
from server.hub import Hub
from server.models import Message
from server.undo import Decision, Kind


def _plural(count: int, noun: str = "comment") -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def ask_purge(view: Screen[Any], hub: Hub, comment: Message) -> None:
    """Ask whether to purge ``comment``'s sender; purge and say so on a yes."""
    question = Text.assemble(
        "Purge ",
        nick_text(comment),
        (f" ({comment.sender})", "dim"),
        "?\nBanned, every comment of theirs taken off every projector now and never "
        "replayed, their held ones rejected, and no chance in any later draw.",
    )

    async def purge(confirmed: bool | None) -> None:
        if confirmed:
            removed = await hub.purge(comment.sender)
            view.notify(
                Text.assemble(
                    "Purged ", nick_text(comment), f": {_plural(removed)} off the wall."
                ).plain,
                markup=False,
            )

    view.app.push_screen(ConfirmDialog(question, yes="Purge"), purge)


def undo_notice(decision: Decision) -> str:
    """What ``z`` took back, in words (plain text: never parsed as markup)."""
    count = len(decision.messages)
    match decision.kind:
        case Kind.APPROVED:
            return f"Undone: {_plural(count)} off the wall and back in the queue."
        case Kind.REJECTED:
            return f"Undone: {_plural(count)} back in the queue."
        case Kind.BANNED:
            who = decision.nick or decision.sender or "the sender"
            return f"Undone: {who} is no longer banned; {_plural(count)} back in the queue."
