"""The filter's shortcuts decide exactly what the long way decides."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from server.models import Reason
from server.moderation import segment
from server.moderation.boundary import han_window
from server.moderation.contact import (
    _FIRST_SCREEN,
    _FOLDS,
    _NEEDED_CHARACTERS,
    _NEEDED_WORDS,
    _SEPARATORS,
    contacts_past_first_screen,
    contacts_unscreened,
    might_have_contact,
)
from server.moderation.normalize import CJK, HAN_AND_NOISE, UNCHANGED_HAN, WILDCARD
from server.moderation.skeleton import (
    BUILDERS,
    Builder,
    Guard,
    Skeleton,
    Skeletons,
    _is_plain,
    _plain,
    build_skeleton,
    build_skeletons,
    run_by_run,
    visible_items,
)

# Han characters that stand for themselves, punctuation, symbols and emoji; and what
# HAN_AND_NOISE must refuse: traditional characters, letters, digits, invisible characters
# and the joiner of an emoji sequence.
HAN_AND_NOISE_ACCEPTS = "黑猫你妈的 ，。！？!@*'_~…😂⭐"
HAN_AND_NOISE_REFUSES = "這貓a1\u200b\u200d\ufe0f"
# Han characters (traditional ones too), letters, symbols that are letters only inside a
# word (！ is ! after NFKC), noise, invisible characters and an emoji sequence.
ALPHABET = "黑猫你妈的這貓abcXY@$!|*#_%'’ ，。！～…-⭐✨\u200b\u200d\ufe0f\u2062👨👩"
# Digits of several styles (① is one digit, ⑩ two), the number punctuation, Han characters,
# symbols and letters: the numbers shortcut's domain (symbols, or letters) and its edges.
DIGITS_ALPHABET = "黑猫你妈0123456789①⑩@$!|*#_%'’ ，。-:.,/⭐\u200bdarnsb"

# Each shortcut of BUILDERS, by its builder's name: the characters its texts are drawn from,
# and a text it is the first to take.
SHORTCUTS = {
    "_unchanged_han": ("黑猫你妈的哈", "主播太强了"),
    "_han_and_noise": (HAN_AND_NOISE_ACCEPTS, "主播你妈，死了！😂"),
    "_plain": (ALPHABET, "這也太 nmsl"),
    "_numbers": (DIGITS_ALPHABET, "比分20:48了"),
}


def _builder_name(pair: tuple[Guard, Builder]) -> str:
    return pair[1].__name__


def _fields(sk: Skeleton) -> tuple[object, ...]:
    """Everything but ``solid_han``, a promise only the Han shortcuts make."""
    return (
        sk.text,
        list(sk.orig),
        list(sk.gap),
        list(sk.kind),
        sk.has_mask,
        sk.collapsed,
        list(sk.run_start),
        list(sk.run_len),
        sk.repeats,
    )


def _readings(skeletons: Skeletons) -> tuple[object, ...]:
    plain, masked = skeletons
    return _fields(plain), None if masked is None else _fields(masked)


@pytest.mark.parametrize("pair", BUILDERS[:-1], ids=_builder_name)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_each_shortcut_builds_what_the_reference_builds(
    pair: tuple[Guard, Builder], data: st.DataObject
) -> None:
    fits, build = pair
    alphabet, _ = SHORTCUTS[build.__name__]
    text = data.draw(st.text(alphabet=alphabet, max_size=16))
    assume(fits(text))
    assert _readings(build(text)) == _readings(run_by_run(text))


def test_every_shortcut_is_pinned_and_the_reference_comes_last() -> None:
    *shortcuts, (takes_any, reference) = BUILDERS
    assert reference is run_by_run
    assert takes_any("sh!t d*rn 傻1逼 ⑩") and takes_any("")
    assert [_builder_name(pair) for pair in shortcuts] == list(SHORTCUTS)
    for pair in shortcuts:  # each is reached: no shortcut before it takes its example
        _, example = SHORTCUTS[_builder_name(pair)]
        assert next(p for p in BUILDERS if p[0](example)) is pair, example


def test_numbers_keep_their_breaks_and_drop_filler_digits() -> None:
    score = build_skeleton("比分20:48了")
    assert score.text == "比分2048了"
    assert score.gap[score.text.index("4")] >= 1_000  # no term reaches across 20:48
    assert build_skeleton("傻1逼").text == "傻逼"
    assert build_skeleton("在8964年").text == "在8964年"


def test_one_pass_gives_both_readings_of_a_masked_word() -> None:
    plain, masked = build_skeletons("you d*rn 4*5")
    assert masked is not None
    assert masked.text == f"youd{WILDCARD}rn45"
    assert plain.text == "youdrn45"
    assert list(plain.gap) == [0, 0, 0, 1, 1, 0, 1, 1]  # a mask is one noise character
    assert list(plain.orig) == [0, 1, 2, 4, 6, 7, 9, 11]
    assert list(masked.orig) == [0, 1, 2, 4, 5, 6, 7, 9, 11]
    spelled, masked = build_skeletons("s__l**ut")
    assert masked is not None and masked.text == f"s{WILDCARD * 2}l{WILDCARD * 2}ut"
    assert spelled.text == "slut" and list(spelled.gap) == [0, 2, 2, 0]
    assert list(spelled.orig) == [0, 3, 6, 7]
    assert masked.collapsed == f"s{WILDCARD}l{WILDCARD}ut"
    assert _fields(build_skeletons("d*rn")[0]) == _fields(build_skeleton("d*rn"))
    plain_darn, masked_darn = build_skeletons("darn")
    assert _fields(plain_darn) == _fields(build_skeleton("darn")) and masked_darn is None


def test_symbols_without_letters_are_noise_and_with_letters_are_not_plain() -> None:
    assert _is_plain("去你妈的！！！")
    assert _plain("去你妈的！！！")[0].text == "去你妈的"
    assert not _is_plain("sh!t")


def test_no_word_across_the_edges_means_no_straddle() -> None:
    segment.prepare(["口交", "操你妈"])
    freq = segment._quiet_jieba().dt.FREQ
    assert not segment._word_across(freq, "你真是个操你妈", 4, 7)
    assert not segment.straddles("你真是个操你妈", 4, 7)
    assert segment._word_across(freq, "这个路口交通不是特别好", 3, 5)  # 路口, 交通
    assert segment.straddles("这个路口交通不是特别好", 3, 5)


# Characters of the corpus's word-edge lines: windows of them read many ways.
HAN_WINDOWS = "这个路口交通不是特别好其他妈妈的孩子都很乖各处女厕所都在排队大约炮火连天的你死了"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=HAN_WINDOWS, min_size=1, max_size=12))
def test_our_reading_is_jiebas_own(window: str) -> None:
    segment.prepare(["口交", "你妈", "约炮", "处女"])
    dt = segment._quiet_jieba().dt
    route: dict[int, tuple[float, int]] = {}
    dt.calc(window, dt.get_DAG(window), route)
    ours = segment._route(dt, window)
    assert [ours[i] for i in range(len(window))] == [route[i] for i in range(len(window))]


def test_every_form_of_what_a_contact_needs_passes_the_first_contact_screen() -> None:
    forms: dict[str, list[str]] = {}  # folded character -> the characters that fold to it
    for point, folded in list(_FOLDS.items()):
        forms.setdefault(folded, []).append(chr(point))
    plain = _NEEDED_CHARACTERS + "0123456789" + "".join(_NEEDED_WORDS) + " -_.·()\u200b\ufeff"
    for ch in plain:
        forms.setdefault(ch, []).append(ch)
    for folded, chars in forms.items():
        for ch in chars:
            if folded.isdecimal():  # five digits, with separators or not
                assert _FIRST_SCREEN.search(f"哈{ch * 5}哈"), hex(ord(ch))
                assert _FIRST_SCREEN.search(f"哈1{ch}3-4 5哈"), hex(ord(ch))
            elif re.fullmatch(f"[{_SEPARATORS}]", folded):
                assert _FIRST_SCREEN.search(f"哈1{ch}2{ch * 3}3{ch}4{ch}5哈"), hex(ord(ch))
            elif folded in _NEEDED_CHARACTERS:
                assert _FIRST_SCREEN.search(f"哈{ch}哈"), hex(ord(ch))
    for word in _NEEDED_WORDS:
        for i, letter in enumerate(word):
            for ch in forms[letter]:
                assert _FIRST_SCREEN.search(f"哈{word[:i]}{ch}{word[i + 1 :]}哈"), hex(ord(ch))
    for digit in "٣߃३𑁧🯱":  # digits of other scripts, in and beyond the BMP
        assert _FIRST_SCREEN.search(digit * 5), hex(ord(digit))
    for quiet in ("哈哈哈主播太强了吧 what the HECK 😂", "来 九五二七 走起", "2026年", "1234 "):
        assert not _FIRST_SCREEN.search(quiet), quiet
    assert _contacts("哈哈哈主播太强了吧") == []
    assert _contacts("加V：wxid_870939")


# Pieces of contact details and of the numbers audiences type, plain and styled.
CONTACT_PIECES = [
    *"0134568一三八零幺８⑧𝟖 -_.·()+：:@/。点加信微薇威vVxXwWqQ扣企号哈😂\u200b\u3000",
    *["86", "qq", "ＱＱ", "扣扣", "抠抠", "企鹅", "秋秋", "q号", "wechat", "WeiXin", "ｖｘ", "wx"],
    *["加V", "+v", "+威", "加微", "＋薇", "加威", "V信", "威信", "徽信", "abcdefg", "12345678"],
    *["(at)", "[at]", "dot", "ＤＯＴ", "(dot)", "[dot]", "[.]", "(.)", "://", "https", "ftp"],
    *["com", "ＣＮ", "net", "top", "io", "www", "baidu", "abc", "foo@qq", "a(at)b", "x[at]163"],
    *["ｍｅ＠ａ", ".cn", ".io", "点com", "。top", " . ", " dot "],
    *["12345", "138 1234 5678", "一二三四五六", "０１０-１２３４５６７８", "400", "5201314"],
]


def _contacts(text: str) -> list[Reason]:
    """What the engine asks of the contact module: both screens, then the patterns."""
    return contacts_past_first_screen(text) if might_have_contact(text) else []


def _the_long_way(text: str) -> list[Reason]:
    """:func:`_contacts` without the screens: every pattern over the folded text."""
    return contacts_unscreened(text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(CONTACT_PIECES), max_size=16).map("".join))
def test_the_contact_screens_let_every_finding_through(text: str) -> None:
    assert _contacts(text) == _the_long_way(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="黑猫你妈的强奸犯", max_size=24), st.data())
def test_a_han_only_window_is_the_walked_window(text: str, data: st.DataObject) -> None:
    solid = build_skeleton(text)
    assume(solid.solid_han and len(solid.text) >= 1)
    walked = Skeleton(
        solid.text,
        solid.orig,
        solid.gap,
        solid.kind,
        solid.has_mask,
        solid.collapsed,
        solid.run_start,
        solid.run_len,
        solid_han=False,
        repeats=solid.repeats,
    )
    start = data.draw(st.integers(0, len(solid.text) - 1))
    end = data.draw(st.integers(start + 1, len(solid.text)))
    assert han_window(solid, start, end) == han_window(walked, start, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), max_size=12))
def test_han_that_stands_for_itself_is_its_own_normalized_text(text: str) -> None:
    classes, texts, _ = visible_items(text)
    plain = not classes.strip(bytes((CJK,))) and texts == text
    assert bool(UNCHANGED_HAN.fullmatch(text)) == (plain and text != "")


def test_traditional_characters_are_not_their_own_normalized_text() -> None:
    assert UNCHANGED_HAN.fullmatch("黑猫你妈")
    assert not UNCHANGED_HAN.fullmatch("這也太")  # 這 is 这
    assert build_skeleton("這也太").text == "这也太"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=HAN_AND_NOISE_ACCEPTS + HAN_AND_NOISE_REFUSES, min_size=1, max_size=14))
def test_han_and_noise_takes_only_its_own_characters(text: str) -> None:
    refused = any(ch in HAN_AND_NOISE_REFUSES for ch in text)
    assert (HAN_AND_NOISE.fullmatch(text) is None) == refused


def test_han_and_noise_refuses_letters_digits_and_invisible_characters() -> None:
    assert HAN_AND_NOISE.fullmatch("主播你妈，死了！😂")
    for text in ("你妈a", "你妈1", "你\u200b妈", "這也太"):
        assert not HAN_AND_NOISE.fullmatch(text), text
