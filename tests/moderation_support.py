"""Filters over made-up, test-only wordlists (never the shipped defaults)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from server.moderation import TextFilter, load_filter


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
