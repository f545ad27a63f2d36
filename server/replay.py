"""The idle-replay pool: pick among the least-shown comments, at random among equals.

Comments live in buckets keyed by ``shown_count``; each bucket is a list with an
index map so that random choice, insertion and removal are all O(1).
"""

from __future__ import annotations

import random

from server.growth import IdMap


class _Bucket:
    """A set of ids with O(1) add, remove and random choice."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.index: IdMap[int] = IdMap()  # the night's comments (server.growth)

    def add(self, item: int) -> None:
        self.index[item] = len(self.items)
        self.items.append(item)

    def remove(self, item: int) -> None:
        position = self.index.pop(item)
        last = self.items.pop()
        if last != item:  # move the last item into the hole
            self.items[position] = last
            self.index[last] = position

    def __len__(self) -> int:
        return len(self.items)


class ReplayPool:
    """Comments eligible for idle replay, with how often each has been shown."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()
        self._count: IdMap[int] = IdMap()
        self._buckets: dict[int, _Bucket] = {}

    def __len__(self) -> int:
        return len(self._count)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._count

    def add(self, message_id: int, shown_count: int) -> None:
        """Make a comment eligible (or update its count)."""
        self.discard(message_id)
        self._count[message_id] = shown_count
        self._buckets.setdefault(shown_count, _Bucket()).add(message_id)

    def discard(self, message_id: int) -> None:
        """Make a comment ineligible (rejected, banned sender, retracted)."""
        count = self._count.pop(message_id, None)
        if count is None:
            return
        bucket = self._buckets[count]
        bucket.remove(message_id)
        if not bucket:
            del self._buckets[count]

    def shown(self, message_id: int) -> None:
        """Note that a pooled comment was shown once more."""
        if message_id in self._count:
            self.add(message_id, self._count[message_id] + 1)

    def pick(self) -> int | None:
        """The id to replay next: a least-shown comment, at random among equals."""
        if not self._buckets:
            return None
        fewest = min(self._buckets)
        return self._rng.choice(self._buckets[fewest].items)
