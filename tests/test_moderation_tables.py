"""PlainTable: a translate table that learns each character once and reads at dict speed."""

from __future__ import annotations

import pytest

from server.moderation import tables
from server.moderation.tables import UNKNOWN, PlainTable


def _upper_without_spaces(asked: list[int]) -> PlainTable:
    def value_of(point: int) -> str | None:
        asked.append(point)
        return None if chr(point) == " " else chr(point).upper()

    return PlainTable(value_of)


def test_each_character_is_worked_out_once_then_read_from_the_table() -> None:
    asked: list[int] = []
    table = _upper_without_spaces(asked)
    assert table.translate("ab a") == "ABA"  # a space maps to None: deleted
    assert sorted(asked) == [ord(" "), ord("a"), ord("b")]
    assert table.translate("b a") == "BA"
    assert len(asked) == 3  # nothing new: no more questions
    assert "ba".translate(table.table) == "BA"  # the inline form callers use on hot paths


def test_a_character_not_learned_yet_comes_out_unknown_until_learned() -> None:
    table = _upper_without_spaces([])
    assert "xy".translate(table.table) == UNKNOWN * 2
    assert table.learned("xy") == "XY"
    assert "yx".translate(table.table) == "YX"


def test_a_flood_of_rare_characters_starts_the_table_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tables, "MAX_REMEMBERED", 3)
    table = _upper_without_spaces([])
    assert table.translate("abcd") == "ABCD"
    assert table.translate("efgh") == "EFGH"  # the table held more than 3: cleared first
    assert len(table.table) <= 4
