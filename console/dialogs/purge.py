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
from console.language import _, ngettext
from console.widgets.comment_text import nick_text
from server.hub import Hub
from server.models import Message
from server.undo import Decision, Kind


def comments(count: int) -> str:
    """``1 comment``, ``3 comments`` in the console's language."""
    return ngettext("{count} comment", "{count} comments", count).format(count=count)


def sender_question(template: str, nick: Text, sender: str) -> Text:
    """``template`` ("Ban {who}?") with the nick and, dim, the sender id in place of ``{who}``.

    The nick is audience text: it is put in as ``Text``, never formatted into markup.
    """
    head, tail = template.split("{who}", 1)
    return Text.assemble(head, nick, (f" ({sender})", "dim"), tail)


def ask_purge(view: Screen[Any], hub: Hub, comment: Message) -> None:
    """Ask whether to purge ``comment``'s sender; purge and say so on a yes."""
    question = Text.assemble(
        sender_question(_("Purge {who}?"), nick_text(comment), comment.sender),
        "\n",
        _(
            "Banned, every comment of theirs taken off every projector now and never "
            "replayed, their held ones rejected, and no chance in any later draw."
        ),
    )

    async def purge(confirmed: bool | None) -> None:
        if confirmed:
            removed = await hub.purge(comment.sender)
            view.notify(
                _("Purged {who}: {comments} off the wall.").format(
                    who=nick_text(comment).plain, comments=comments(removed)
                ),
                markup=False,
            )

    view.app.push_screen(ConfirmDialog(question, yes=_("Purge")), purge)


def undo_notice(decision: Decision) -> str:
    """What ``z`` took back, in words (plain text: never parsed as markup)."""
    count = len(decision.messages)
    match decision.kind:
        case Kind.APPROVED:
            return _("Undone: {comments} off the wall and back in the queue.").format(
                comments=comments(count)
            )
        case Kind.REJECTED:
            return _("Undone: {comments} back in the queue.").format(comments=comments(count))
        case Kind.BANNED:
            who = decision.nick or decision.sender or _("the sender")
            return _("Undone: {who} is no longer banned; {comments} back in the queue.").format(
                who=who, comments=comments(count)
            )
