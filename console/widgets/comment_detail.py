"""The selected held comment in full: who sent it, the whole text, and why it was held."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from console.language import _
from console.widgets.comment_text import clock, comment_text, nick_text, reasons_text
from server.models import Message


def nothing_waiting() -> Text:
    """The hint while the queue is empty."""
    return Text(
        _("Nothing waiting for review. Flagged comments appear here, oldest first."), style="dim"
    )


class CommentDetail(Static):
    """A few wrapped lines about one comment (or a hint when the queue is empty)."""

    DEFAULT_CSS = """
    CommentDetail {
        height: auto;
        min-height: 3;
        max-height: 6;
        padding: 0 1;
        border-top: solid $primary;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(nothing_waiting(), id=id, markup=False)

    def show(self, comment: Message | None, alike: int = 1) -> None:
        """Describe ``comment`` (``alike``: held comments with its text), or say none waits."""
        if comment is None:
            self.update(nothing_waiting())
            return
        self.update(
            Text.assemble(
                (f"#{comment.id} ", "bold"),
                (clock(comment.created_at), "dim"),
                "  " + _("from") + " ",
                nick_text(comment),
                (f"  ({comment.sender})", "dim"),
                (
                    "  " + _("×{count}: one key decides all of them").format(count=alike)
                    if alike > 1
                    else "",
                    "bold magenta",
                ),
                "\n",
                comment_text(comment),
                "\n",
                (_("held for: "), "dim"),
                reasons_text(comment.reasons),
            )
        )
