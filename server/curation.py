"""Editing the wordlists live, from the console: the files change and the filter follows.

The new filter is built in a thread (jieba and the automaton take a moment) and swapped
into the hub in one assignment, so no comment is ever checked against half a list.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from server.hub import Hub
from server.moderation import TextFilter, load_filter
from server.settings import Settings


def build_filter(settings: Settings) -> TextFilter:
    """The moderation filter from the settings' wordlists and allow lists."""
    return load_filter(
        settings.wordlists,
        use_defaults=settings.use_default_wordlists,
        allow_files=settings.allow_files,
        alias_files=settings.alias_files,
        sense_files=settings.sense_files,
    )


def _build_warm(settings: Settings, warm: bool) -> TextFilter:
    text_filter = build_filter(settings)
    if warm:
        text_filter.warm_up()
    return text_filter


async def build_filter_off_loop(settings: Settings, *, warm: bool = True) -> TextFilter:
    """Build and warm a filter in a thread: jieba's first use blocks for most of a second.

    ``warm=False`` leaves jieba for later (``TextFilter.warm_up``, in a thread too).
    """
    return await asyncio.to_thread(_build_warm, settings, warm)


class Curator:
    """Adds terms to a category's list or to the allow list, and reloads the filter."""

    def __init__(self, hub: Hub, settings: Settings, text_filter: TextFilter) -> None:
        self._hub = hub
        self._settings = settings
        self._filter = text_filter
        self._lock = asyncio.Lock()  # one rebuild at a time, in the order asked

    def categories(self) -> list[str]:
        """Categories whose list file can take a new term, in a stable order."""
        return sorted(self._filter.source_files)

    def list_file(self, category: str) -> Path:
        """The file a new term of ``category`` is written to."""
        return self._filter.source_files[category]

    @property
    def allow_file(self) -> Path | None:
        """The file new allow words are written to (None: no allow list is in use)."""
        return self._filter.allow_file

    async def add_term(self, term: str, category: str) -> bool:
        """Hold ``term`` from now on; False if the list already had it."""
        return await self._write_and_reload(self.list_file(category), term)

    async def allow(self, word: str) -> bool:
        """Let ``word`` through from now on; False if the allow list already had it."""
        path = self.allow_file
        if path is None:
            raise LookupError("No allow list is in use (--no-default-wordlists without --allow).")
        return await self._write_and_reload(path, word)

    async def _write_and_reload(self, path: Path, term: str) -> bool:
        from server.moderation.edit import add_term

        async with self._lock:
            added = await asyncio.to_thread(add_term, path, term)
            if added:
                self._filter = await build_filter_off_loop(self._settings)
                self._hub.replace_checker(self._filter)
            return added
