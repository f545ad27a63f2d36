"""Maps that grow all night without stalling the hub.

A dict doubles its table as it fills and rehashes every entry in one go, and the hub's
maps of comments grow with the night (the wall keeps every comment that reached the
screen, a retry is recognised all night, the flood guard holds the window's texts). They
all doubled at the same comment: the batch that took the 174,763rd took 66 ms instead of
~6, each doubling twice the last (python benchmarks/hub_growth.py). Two ways out, by key:

- :class:`IdMap`, for message ids: they come in order, so they are kept in spans of
  consecutive ids; only the newest span grows, and no rehash is larger than one span.
- :class:`Shards`, for any other key: a few maps, each key in one by its hash. Each
  holds a share, and the shares fill unevenly enough that their doublings (and the
  rebuilds a map with churn needs) come a few hundred comments apart, not all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar, overload

V = TypeVar("V")
D = TypeVar("D")
M = TypeVar("M")

_NO_DEFAULT = object()
SPAN_BITS = 15  # 32,768 ids a span: its largest rehash is a fraction of a millisecond
SHARDS = 16


class IdMap(Generic[V]):
    """``dict[int, V]`` for message ids (the operations the wall and its replays use)."""

    __slots__ = ("_size", "_spans")

    def __init__(self) -> None:
        self._spans: dict[int, dict[int, V]] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        span = self._spans.get(key >> SPAN_BITS)
        return span is not None and key in span

    def __getitem__(self, key: int) -> V:
        return self._spans[key >> SPAN_BITS][key]

    def __setitem__(self, key: int, value: V) -> None:
        span = self._spans.get(key >> SPAN_BITS)
        if span is None:
            span = self._spans[key >> SPAN_BITS] = {}
        if key not in span:
            self._size += 1
        span[key] = value

    def get(self, key: int) -> V | None:
        """The value for ``key``, or None."""
        span = self._spans.get(key >> SPAN_BITS)
        return None if span is None else span.get(key)

    @overload
    def pop(self, key: int) -> V: ...
    @overload
    def pop(self, key: int, default: D) -> V | D: ...
    def pop(self, key: int, default: object = _NO_DEFAULT) -> object:
        """Remove ``key`` and return its value (or ``default``; KeyError without one)."""
        span = self._spans.get(key >> SPAN_BITS)
        if span is None or key not in span:
            if default is _NO_DEFAULT:
                raise KeyError(key)
            return default
        self._size -= 1
        value = span.pop(key)
        if not span:
            del self._spans[key >> SPAN_BITS]
        return value

    def values(self) -> Iterator[V]:
        """Every value, span by span (ids in ascending spans)."""
        for start in sorted(self._spans):
            yield from self._spans[start].values()


class Shards(Generic[M]):
    """``count`` maps made by ``make``; :meth:`of` is the one that holds ``key``."""

    __slots__ = ("maps",)

    def __init__(self, make: Callable[[], M], count: int = SHARDS) -> None:
        self.maps: tuple[M, ...] = tuple(make() for _ in range(count))

    def of(self, key: Hashable) -> M:
        """The map ``key`` belongs in."""
        return self.maps[hash(key) % len(self.maps)]
