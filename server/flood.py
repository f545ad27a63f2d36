"""Duplicate floods: the same text again from one sender, or from many senders at once.

A sender repeating themselves within the window is refused (it would only clutter the
wall). Many senders sending one longer text within the window looks like a coordinated
campaign (an ad, a slogan): it is held for the moderator. Short texts ("666", "哈哈哈",
"生日快乐") are the audience applauding together and are never a flood.
"""

from __future__ import annotations

from collections import OrderedDict

from server.growth import Shards
from server.text import visible_length

CATEGORY = "flood"


def flood_key(text: str) -> str:
    """Texts that differ only in case or spacing are the same text."""
    return "".join(text.casefold().split())


class FloodGuard:
    """Remembers who sent which text recently."""

    def __init__(self, window_seconds: float, senders_for_flood: int, min_length: int) -> None:
        self._window = window_seconds
        self._senders_for_flood = senders_for_flood
        self._min_length = min_length
        # text key -> {sender: last time}, each ordered by last use (oldest first): pruning
        # stops at the first text still in use, and counting a text's recent senders reads
        # from its newest sender back. A stadium's countdown ("新年快乐" from 20,000 phones)
        # would otherwise walk every sender of the text on every comment: 14 s of CPU.
        # In shards: the window's texts at 5,000 comments/s are 150,000 (server.growth).
        self._recent: Shards[OrderedDict[str, dict[str, float]]] = Shards(OrderedDict)

    def is_repeat(self, sender: str, text: str, now: float) -> bool:
        """Whether this sender already sent this text within the window."""
        key = flood_key(text)
        seen = self._recent.of(key).get(key)
        return seen is not None and now - seen.get(sender, -1e18) < self._window

    def record(self, sender: str, text: str, now: float) -> bool:
        """Note an accepted text; say whether it is now a many-sender flood."""
        key = flood_key(text)
        texts = self._recent.of(key)
        senders = texts.pop(key, {})
        senders.pop(sender, None)  # to the end: the newest sender last
        senders[sender] = now
        texts[key] = senders
        horizon = now - self._window
        # A busy wall prunes as it goes, never in a lump.
        self._forget_before(texts, horizon, at_most=2)
        if visible_length(text) < self._min_length:
            return False  # applause: never a flood, however many send it
        return self._senders_since(senders, horizon) >= self._senders_for_flood

    def _senders_since(self, senders: dict[str, float], horizon: float) -> int:
        """How many of a text's senders sent it since ``horizon``, counted up to a flood."""
        count = 0
        for at in reversed(senders.values()):  # newest first
            if at < horizon or count == self._senders_for_flood:
                break
            count += 1
        return count

    def forget(self, sender: str, text: str, at: float) -> None:
        """Undo :meth:`record` of this text by this sender at ``at`` (it was never stored)."""
        key = flood_key(text)
        senders = self._recent.of(key).get(key)
        if senders is not None and senders.get(sender) == at:
            del senders[sender]

    def prune(self, now: float) -> None:
        """Forget texts nobody sent within the window."""
        for texts in self._recent.maps:
            self._forget_before(texts, now - self._window)

    @staticmethod
    def _forget_before(
        texts: OrderedDict[str, dict[str, float]], horizon: float, at_most: int | None = None
    ) -> None:
        """Forget texts nobody sent since ``horizon`` (up to ``at_most`` of them)."""
        forgotten = 0
        while texts and forgotten != at_most:
            key, senders = next(iter(texts.items()))
            if senders and next(reversed(senders.values())) >= horizon:  # its newest
                break
            del texts[key]
            forgotten += 1
