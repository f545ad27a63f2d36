"""A mask between two Han characters of a term stands for the character it hides (他*的,
狗X西, 妈×个逼), and the near misses it must let through. Made-up and test-only lists, and a
few checks with the default ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.moderation import TextFilter, load_filter
from server.moderation.normalize import WILDCARD
from server.moderation.skeleton import K_CJK, build_skeleton, han_masked
from tests.moderation_support import full_path, warm_filter

LISTS = {
    "abuse": ["他妈的", "狗东西", "妈了个逼", "傻逼", "操你妈", "咪咪猫"],
    "pets": ["黑猫", "打倒大坏蛋"],
    "mild": ["darn"],
}
ALLOW = ["黑猫警长"]


@pytest.fixture(scope="module")
def f(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    return warm_filter(tmp_path_factory.mktemp("mask-lists"), LISTS, allow=ALLOW)


def reasons(flt: TextFilter, text: str) -> list[tuple[str, str]]:
    return [(r.term, r.how) for r in flt.check(text).reasons]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("他*的", "他妈的"),
        ("他X的", "他妈的"),
        ("他x的", "他妈的"),
        ("他×的", "他妈的"),
        ("他※的", "他妈的"),
        ("他＊的", "他妈的"),  # full width: * once NFKC has folded it
        ("他#的", "他妈的"),
        ("他%的", "他妈的"),
        ("他**的", "他妈的"),  # two masks for one character, as f**k has for one letter
        ("狗*西", "狗东西"),
        ("你这个狗X西！", "狗东西"),
        ("妈*个逼", "妈了个逼"),
        ("妈了×逼", "妈了个逼"),
        ("打*大*蛋", "打倒大坏蛋"),  # five characters and more: two masked
        ("打**坏蛋", "打倒大坏蛋"),
    ],
)
def test_a_mask_between_han_characters_of_a_term_holds_it(
    f: TextFilter, text: str, term: str
) -> None:
    verdict = f.check(text)
    assert [r.term for r in verdict.reasons] == [term]
    reason = verdict.reasons[0]
    assert reason.how == f"{text[reason.span[0] : reason.span[1]]} → {term} (mask)"


def test_a_mask_read_as_noise_still_spaces_its_term(f: TextFilter) -> None:
    # The wildcard reading is an extra one: 傻*逼 and 操你*妈 hold as they did, spaced.
    assert reasons(f, "傻*逼") == [("傻逼", "傻*逼 → 傻逼 (spacing)")]
    assert reasons(f, "操你*妈") == [("操你妈", "操你*妈 → 操你妈 (spacing)")]


def test_a_mask_inside_a_latin_word_says_leet_as_before(f: TextFilter) -> None:
    assert reasons(f, "d*rn it") == [("darn", "d*rn → darn (leet)")]


@pytest.mark.parametrize(
    "text",
    [
        # A mask between Han characters that is inside no term.
        "我*爱你",
        "第*名",
        "共*个",
        "2*3=6",
        "他*们的",
        # X as a letter: not between two Han characters, or not alone.
        "X光片",
        "他用iPhone X拍的",
        "小X",
        "他XX的",
        # A mask at the start or end of a term: 操你* may be 操你妈 or 操你大爷 or nothing
        # at all, and *妈的 any of a dozen phrases. Too ambiguous to hold.
        "操你*",
        "他妈*",
        "*妈的",
        # More than two masks are decoration; masks with spaces around are punctuation.
        "他***的",
        "他 * 的",
        # A masked character its neighbour repeats: 咪*猫 may be 咪猫 spaced.
        "咪*猫",
        # The plain reading finds the allow word (黑猫警长): the masked one adds no 黑猫.
        "黑猫#警长来了",
    ],
)
def test_near_misses_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()


def test_the_masked_reading_marks_each_mask_as_a_han_wildcard() -> None:
    text = "他*的 X光"
    masked = han_masked(text, build_skeleton(text))
    assert masked is not None
    assert masked.text == f"他{WILDCARD}的x光"  # X after a space is a letter
    assert list(masked.orig) == [0, 1, 2, 4, 5]
    assert list(masked.gap) == [0, 0, 0, 1, 0]
    assert masked.kind[1] == K_CJK
    x_between = han_masked("他X的", build_skeleton("他X的"))
    assert x_between is not None and x_between.text == f"他{WILDCARD}的"
    for plain in ("X光", "我 * 你", "a*b", "他的", "小XX同学"):
        assert han_masked(plain, build_skeleton(plain)) is None


@pytest.fixture(scope="module")
def defaults() -> TextFilter:
    flt = load_filter()
    flt.warm_up()
    return flt


@pytest.mark.parametrize(
    "text",
    ["他*的", "他X的", "他×的", "狗*西", "操你*妈", "操*你妈", "去*你妈的", "妈*个逼"],
)
def test_default_terms_masked_inside_are_held(defaults: TextFilter, text: str) -> None:
    assert defaults.check(text).reasons


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("他X的", "他X的 → 他妈的 (mask)"),
        ("你这个狗*西", "狗*西 → 狗东西 (mask)"),
        ("傻*逼", "傻*逼 → 傻逼 (spacing)"),
    ],
)
def test_default_hows_name_the_mask(defaults: TextFilter, text: str, how: str) -> None:
    assert [r.how for r in defaults.check(text).reasons] == [how]


@pytest.mark.parametrize(
    "text",
    [
        "拍X光片",
        "A股X月行情",
        "小X同学你好",
        "第*名是谁",
        "3×4等于12",
        # The masked term read as written is part of a longer word: 神经病学 is medicine.
        "神*病学教授",
    ],
)
def test_default_everyday_masks_pass(defaults: TextFilter, text: str) -> None:
    assert defaults.check(text).reasons == ()


# The terms' characters, every mask, x in both cases, and what else stands between them.
MASK_ALPHABET = "他妈的狗东西了个逼打倒大坏蛋*#_%×※＊xX ，a1"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=MASK_ALPHABET, max_size=8))
def test_the_screen_lets_every_masked_term_through(f: TextFilter, text: str) -> None:
    if not f._screen.clear(text):
        return
    assert full_path(f, text) == ()
