"""One line listing the keys of a view, above the footer."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static


def keys_text(keys: Sequence[tuple[str, str]]) -> Text:
    """``key description`` pairs, keys in bold, separated by dots."""
    return Text("  ").join(
        Text.assemble((key, "bold reverse"), " ", description) for key, description in keys
    )


class HelpLine(Static):
    """The keys of the current view, spelled out."""

    DEFAULT_CSS = """
    HelpLine {
        height: auto;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, keys: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(keys_text(keys), id=id, markup=False)
