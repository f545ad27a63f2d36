"""What keeps the filter fast must not change what it finds.

The automata read UTF-8 bytes when their keys start with many different characters
(:mod:`server.moderation.automata`); a term's keys are built once and shared across
rebuilds (:mod:`server.moderation.keys`); initials are read against the initials as written.
Made-up test-only lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.moderation import TextFilter, automata, keys, load_filter

TERMS = ["傻逼", "他妈的", "黑猫", "咪咪", "智障", "畜生", "啪啪", "加微信", "微信", "darn", "ass"]
# Term characters, their look-alikes and stand-ins, letters, digits, noise, and characters
# outside the Basic Multilingual Plane (four UTF-8 bytes each).
ALPHABET = (
    "傻逼煞笔沙他妈的马特么黑猫嘿锚咪米智障畜生啪加微信徽薇威"
    "sbtmdzzcspwxSBZZCSP2048 .,!@$*|1'，。🐴🐎𠀀𝐬𝐛\u200b"
)


def build(tmp: Path, terms: list[str]) -> TextFilter:
    path = tmp / "terms.txt"
    path.write_text("\n".join(terms) + "\n", encoding="utf-8")
    flt = load_filter([path], use_defaults=False, detect_contact=False, cache_size=0)
    flt.warm_up()
    return flt


@pytest.fixture(scope="module")
def by_characters(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    return build(tmp_path_factory.mktemp("chars"), TERMS)


@pytest.fixture(scope="module")
def by_bytes(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    patch = pytest.MonkeyPatch()
    patch.setattr(automata, "BYTES_FROM_FIRST_CHARACTERS", 0)  # every automaton reads bytes
    try:
        return build(tmp_path_factory.mktemp("bytes"), TERMS)
    finally:
        patch.undo()


def test_the_two_filters_read_differently(by_characters: TextFilter, by_bytes: TextFilter) -> None:
    assert by_bytes._matcher._bytes and by_bytes._screen._bytes
    assert not by_characters._matcher._bytes and not by_characters._screen._bytes


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=16))
def test_reading_bytes_finds_the_same_terms_at_the_same_spans(
    by_characters: TextFilter, by_bytes: TextFilter, text: str
) -> None:
    assert by_bytes.check(text) == by_characters.check(text)


@pytest.mark.parametrize(
    ("text", "term", "span"),
    [
        ("𠀀傻逼", "傻逼", (1, 3)),  # after a character of four bytes (two in Python: none)
        ("🐴🐴 你他妈的", "他妈的", (4, 7)),
        ("𝐬𝐛!", "傻逼", (0, 2)),
        ("加个微信", "加微信", (0, 4)),
    ],
)
def test_spans_count_characters_when_reading_bytes(
    by_bytes: TextFilter, text: str, term: str, span: tuple[int, int]
) -> None:
    assert (term, span) in [(r.term, r.span) for r in by_bytes.check(text).reasons]


def test_the_default_lists_read_bytes() -> None:
    # Their keys start with well over a thousand characters (look-alikes, stand-ins, splits).
    flt = load_filter(cache_size=0)
    assert flt._matcher._bytes


@pytest.mark.parametrize("text", ["CSP证书", "csp", "shlp", "usb"])
def test_a_lone_letter_is_no_piece_of_initials(by_characters: TextFilter, text: str) -> None:
    # 啪啪's initials are pp: a lone p beside 畜生's cs does not make "csp" initials.
    assert by_characters.check(text).reasons == ()


@pytest.mark.parametrize(
    ("text", "term"),
    [("mdzz", "智障"), ("主持人是个zz吧", "智障"), ("cspp", "畜生"), ("mm", "咪咪")],
)
def test_initials_with_a_letter_twice_still_hold(
    by_characters: TextFilter, text: str, term: str
) -> None:
    assert term in [r.term for r in by_characters.check(text).reasons]


def test_rebuilding_after_the_shared_entries_start_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long run of live edits empties the shared entries (and the keys made with them):
    # a filter built after that finds its terms as before.
    monkeypatch.setattr(keys, "MAX_SHARED_ENTRIES", 50)
    first = build(tmp_path, TERMS)
    second = build(tmp_path, [*TERMS, "脑残"])
    for flt in (first, second):
        assert [r.term for r in flt.check("你个傻b").reasons] == ["傻逼"]
        assert [r.how for r in flt.check("徽信").reasons] == ["徽信 → 微信 (look-alike)"]
    assert [r.term for r in second.check("脑c").reasons] == ["脑残"]
