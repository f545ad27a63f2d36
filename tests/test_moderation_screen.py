"""The screen that lets comments skip the skeleton never hides a term the full path finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.moderation import TextFilter, load_filter
from server.moderation.homophone import code_table
from server.moderation.skeleton import build_skeleton
from tests.moderation_support import full_path

TERMS = [
    "黑猫",
    "大坏蛋",
    "咪咪",
    "2048",
    "darn",
    "ass",
    "bitch",
    "傻逼",
    "操你大爷",
    "强奸",
    "口交",
]
# Term characters, their stand-ins (homophones, split parts, traditional, variants, leet) and
# noise of every kind the skeleton treats specially.
ALPHABET = (
    "黑猫嘿貓黒大坏蛋怀咪米mM2048二零四八贰darnbitchs4@$!|1*#_%'傻逼煞笔操你个大爷草強强奸弓虽女干"
    "口交胶 \u3000.,!?，。！～…-⭐✨🎉\u200b\u200d\ufe0f:/的了🐶💩"
)


@pytest.fixture(scope="module")
def f(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    path = tmp_path_factory.mktemp("screen") / "terms.txt"
    path.write_text("\n".join(TERMS) + "\n", encoding="utf-8")
    flt = load_filter([path], use_defaults=False, detect_contact=False, cache_size=0)
    flt.warm_up()
    return flt


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_a_screened_comment_holds_nothing(f: TextFilter, text: str) -> None:
    # The verdict with the screen is the full path's: nothing at all, or what the filter's
    # second reading (a word emoji read as noise, 傻🐶逼) found past the screen.
    if f._screen.clear(text):
        assert f.check(text).reasons == full_path(f, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_han_only_comments_are_screened_to_their_syllable_codes(f: TextFilter, text: str) -> None:
    skeleton = build_skeleton(text)
    screened = f._screen.look(text)
    if skeleton.solid_han and screened is not None:
        assert screened == "".join(code_table().get(ord(ch), ch) for ch in skeleton.text)


@pytest.mark.parametrize(
    "text",
    ["黑!猫", "傻1逼", "d*rn", "b!tch", "a$$", "黒猫", "嘿猫", "二零四八", "黑黑猫猫", "大坏坏蛋"],
)
def test_screen_passes_evasions_to_the_full_path(f: TextFilter, text: str) -> None:
    assert not f._screen.clear(text)
    assert f.check(text).reasons


@pytest.mark.parametrize(
    "text",
    # "good game" and "omg": 咪咪's initials are mm, and one m is not them.
    ["大家好", "哈哈哈哈哈", "前方高能！！！", "awsl", "新年快乐🎉", "good game", "omg"],
)
def test_everyday_comments_skip_the_skeleton(f: TextFilter, text: str) -> None:
    assert f._screen.clear(text)


def test_screen_agrees_with_the_full_path_on_the_corpus(f: TextFilter) -> None:
    root = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus"
    for name in ("holds.tsv", "innocent.tsv"):
        for line in (root / name).read_text(encoding="utf-8").split("\n"):
            if line and not line.startswith("#"):
                text = line.split("\t")[-1]
                if f._screen.clear(text):
                    assert f.check(text).reasons == full_path(f, text), text


# Terms with an l, an i and repeats the screen looks for as written (裸聊's initials ll,
# ass, cock's leet spellings cokk and cocc), among their look-alikes: 1 | ! I L and styled l.
LETTER_TERMS = ["slut", "shit", "裸聊", "ass", "cock", "hell"]
LETTER_ALPHABET = "sluthiaockLISC1|!ｌ𝐥5$0 .*'裸聊"


@pytest.fixture(scope="module")
def letters_filter(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    path = tmp_path_factory.mktemp("screen_letters") / "terms.txt"
    path.write_text("\n".join(LETTER_TERMS) + "\n", encoding="utf-8")
    flt = load_filter([path], use_defaults=False, detect_contact=False, cache_size=0)
    flt.warm_up()
    return flt


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=LETTER_ALPHABET, max_size=10))
def test_a_screened_comment_holds_nothing_among_letter_look_alikes(
    letters_filter: TextFilter, text: str
) -> None:
    if letters_filter._screen.clear(text):
        assert full_path(letters_filter, text) == ()


@pytest.mark.parametrize("text", ["11111", "2026-11-23", "this is lit", "the rapper was amazing"])
def test_digits_and_lone_letters_are_no_repeated_letter_term(
    letters_filter: TextFilter, text: str
) -> None:
    assert letters_filter._screen.clear(text)


@pytest.mark.parametrize("text", ["S|ut", "s1ut", "sh1t", "a$$", "coCC", "LL", "ｌｌ"])
def test_letter_look_alikes_pass_to_the_full_path(letters_filter: TextFilter, text: str) -> None:
    assert not letters_filter._screen.clear(text)
