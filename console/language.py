"""The console's language: gettext catalogues, one translation per running app.

Every word the console shows is an English msgid, marked the standard way so Babel's
extractor finds it: ``_("…")`` where it is shown, ``ngettext`` for counts, ``pgettext``
where one short English word means two things, and ``N_("…")`` for a constant (a key's
description, a column's name) that is translated where it is shown.
The Chinese is in ``console/locale/zh.po`` (read by :func:`server.i18n.translation`).

The app installs its translation in its own task's context (:func:`use_language`), and
every screen, widget, worker and timer it starts inherits that context: an English and a
Chinese console can run in one process side by side (the tests do), and nothing is patched
into ``builtins``. Code that runs outside a console (a unit test calling a helper) speaks
English. Audience text (comments, nicks) never passes through here.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual.binding import ActiveBinding
from textual.screen import Screen

from server.i18n import translation

CATALOGUE_DIR = Path(__file__).parent / "locale"

ENGLISH = gettext.NullTranslations()  # the msgids themselves
_active: ContextVar[gettext.NullTranslations | None] = ContextVar(
    "console_translation", default=None
)


def _translations() -> gettext.NullTranslations:
    return _active.get() or ENGLISH


def use_language(language: str) -> None:
    """Speak ``language`` ("zh" or "en") from here on, in this task and what it starts."""
    _active.set(translation(CATALOGUE_DIR, language))


def _(message: str) -> str:
    """``message`` in the console's language."""
    if not message:  # gettext("") is the catalogue's header, never a word to show
        return message
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message for ``count``, in the console's language."""
    return _translations().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context``, where the same English word needs other words."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark a constant for the catalogue; it is translated with ``_()`` where it is shown."""
    return message


def counted(template: str, count: int, style: str = "bold") -> Text:
    """A translated ``template`` with ``{count}`` in place, the number in ``style``."""
    head, tail = template.split("{count}", 1)
    return Text.assemble(head, (str(count), style), tail)


class TranslatedScreen(Screen[None]):
    """A view whose footer describes its keys in the console's language.

    Textual's footer reads the descriptions straight from the bindings, which are
    class-level English constants: they are translated here, as the footer asks for them.
    The keys themselves never change.
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings Textual reports, each description translated."""
        return {
            key: active._replace(
                binding=replace(active.binding, description=_(active.binding.description))
            )
            for key, active in super().active_bindings.items()
        }
