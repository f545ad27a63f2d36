"""The moderator's language: gettext catalogues kept as ``.po`` text in the repo.

Each user-facing part (the console, the night's report) keeps its own ``<lang>.po`` files
in a directory of its own. The source strings are English, so English needs no catalogue;
any other language is read from its ``.po`` with Babel and compiled in memory to the
standard library's ``GNUTranslations``, so no compiled ``.mo`` file is committed or built
at install time.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGUAGES = ("zh", "en")


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` names Chinese, else ``en``.

    The variables are read in the order POSIX gives them precedence; the first one set wins.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@cache
def translation(catalogue_dir: Path, language: str) -> gettext.NullTranslations:
    """The translations for ``language`` from ``catalogue_dir/<language>.po``.

    English (the source language) and a language with no catalogue translate to themselves.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    po_path = catalogue_dir / f"{language}.po"
    if language == "en" or not po_path.exists():
        return gettext.NullTranslations()
    # Babel is imported only when a catalogue is read, so English start-up pays nothing.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
