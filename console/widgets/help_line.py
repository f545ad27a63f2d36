"""One line listing the keys of a view, above the footer.

The keys come from the bindings themselves (the view's, then the app's), the ones the
footer shows too: a key added, changed or hidden there is spelled out here the same way,
with nothing else to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import Static

from console.language import _


def keys_text(keys: Sequence[tuple[str, str]]) -> Text:
    """``key description`` pairs, keys in bold, separated by dots."""
    return Text("  ").join(
        Text.assemble((key, "bold reverse"), " ", description) for key, description in keys
    )


def _phrase(description: str) -> str:
    """The footer's "Ban sender" as "ban sender" (an acronym such as "QR" stays)."""
    if description[1:2].isupper():
        return description
    return description[:1].lower() + description[1:]


def listed_keys(app: App[Any], *binding_lists: Iterable[BindingType]) -> list[tuple[str, str]]:
    """``(key, phrase)`` for every binding the footer shows, in the order given (translated)."""
    return [
        (app.get_key_display(binding), _phrase(_(binding.description)))
        for bindings in binding_lists
        for binding in Binding.make_bindings(bindings)
        if binding.show
    ]


class HelpLine(Static):
    """The keys of the view it is on, spelled out (its screen's, then the app's)."""

    DEFAULT_CSS = """
    HelpLine {
        height: auto;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def on_mount(self) -> None:
        """Spell out the bindings of this screen and of the app."""
        self.update(keys_text(listed_keys(self.app, self.screen.BINDINGS, self.app.BINDINGS)))
