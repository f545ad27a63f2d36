"""Filters over made-up, test-only wordlists (never the shipped defaults)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from server.models import Reason
from server.moderation import TextFilter, load_filter
from server.moderation.screen import Screen
from server.moderation.spellings import Aliases, extra_spellings
from server.moderation.wordlists import default_dir, default_files, read_all


def write_lists(directory: Path, lists: Mapping[str, Sequence[str]]) -> list[Path]:
    """One file per category (the file's stem is the category), one term a line."""
    paths = []
    for category, terms in lists.items():
        path = directory / f"{category}.txt"
        path.write_text("\n".join(terms) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def warm_filter(
    directory: Path, lists: Mapping[str, Sequence[str]], allow: Sequence[str] = ()
) -> TextFilter:
    """A filter of ``lists`` alone (and ``allow`` as its allow list), jieba warmed up."""
    allow_files = write_lists(directory, {"allow": allow}) if allow else []
    flt = load_filter(write_lists(directory, lists), use_defaults=False, allow_files=allow_files)
    flt.warm_up()
    return flt


def full_path(f: TextFilter, text: str) -> tuple[Reason, ...]:
    """``f``'s reasons for ``text`` with its screen sending every comment down the full path."""
    screen = f._screen
    try:
        f._screen = Screen((), clears_nothing=True)
        return f.check(text).reasons
    finally:
        f._screen = screen


def defaults_without(mechanism: str) -> TextFilter:
    """The default lists' filter with no extra spellings made by ``mechanism`` (a ``how``)."""

    def spellings(term: str, aliases: Aliases | None) -> list[tuple[str, str]]:
        return [s for s in extra_spellings(term, aliases) if s[1] != mechanism]

    lists, allow_words = read_all(*default_files(default_dir()))
    return TextFilter(lists, allow_words, cache_size=0, spellings=spellings)
