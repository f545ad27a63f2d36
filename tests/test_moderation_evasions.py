"""Evasion classes added for issue 3 (homophones, 拆字, fillers, numerals, variants...) and
the near-misses each must let through. Made-up and test-only terms, never the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.moderation import TextFilter, load_filter
from server.moderation.chaizi import split_spellings
from server.moderation.homophone import Judge, is_pinyin_word, same_tone, toneless
from server.moderation.shapes import split_forms
from server.moderation.skeleton import build_skeleton
from tests.moderation_support import warm_filter

LISTS = {
    "pets": ["黑猫", "大坏蛋", "2048"],
    "abuse": ["傻逼", "操你妈", "他妈的", "你妈", "操你大爷", "你妈死了", "婊子", "贱人"],
    "adult": ["口交", "做爱", "约炮", "强奸", "鸡巴", "一夜情", "处女"],
    "mild": ["darn", "bitch", "sex"],
}


@pytest.fixture(scope="module")
def f(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    return warm_filter(tmp_path_factory.mktemp("evasion-lists"), LISTS)


def terms(flt: TextFilter, text: str) -> list[str]:
    return [r.term for r in flt.check(text).reasons]


# --- homophones --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("嘿猫", "黑猫"),
        ("那只嘿猫好凶", "黑猫"),
        ("煞笔", "傻逼"),
        ("约泡吗", "约炮"),
        ("他强歼了", "强奸"),
        ("裱子", "婊子"),
        ("尼玛", "你妈"),
        ("草泥马", "操你妈"),
        ("草你大爷", "操你大爷"),
        ("艹你大爷", "操你大爷"),
        ("作爱", "做爱"),
        ("一夜晴", "一夜情"),
        ("口胶", "口交"),
        ("处钕", "处女"),
    ],
)
def test_homophones_netizens_use_hold(f: TextFilter, text: str, term: str) -> None:
    assert term in terms(f, text)


@pytest.mark.parametrize(
    "text",
    [
        "这只狗的黑毛真亮",  # 毛 is commoner than 猫: the literal reading wins
        "他戴着一顶黑帽",  # one character swapped for another tone
        "戴着黑帽子的那位",  # 黑|帽子: across a word edge
        "两人发生了口角",  # a dictionary word
        "口角炎好疼",  # inside a longer dictionary word
        "搬几把椅子过来",
        "这匹黑马杀出来了",
        "他骂的很难听",  # 骂 is commoner than 妈
        "其实是她骂的",
        "我手麻的不行",  # 的 is a function word: no evidence
        "这匹马的腿受伤了",
        "你马上到吗",
        "你骂谁呢",
        "强健的体魄",
        "约泡温泉吗",  # 约|泡温泉
        "一夜晴朗",  # 一夜|晴朗
        "嘿嘿猫猫好可爱",  # 嘿嘿|猫猫
        "笑得眯眯眼",
        "啥比赛这么好看",
    ],
)
def test_ordinary_words_that_merely_sound_like_a_term_pass(f: TextFilter, text: str) -> None:
    assert terms(f, text) == []


def test_homophones_can_be_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "abuse.txt"
    path.write_text("傻逼\n", encoding="utf-8")
    assert terms(load_filter([path], use_defaults=False), "煞笔") == ["傻逼"]
    assert terms(load_filter([path], use_defaults=False, homophones=False), "煞笔") == []


def test_a_homophone_spelled_in_a_list_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "abuse.txt"
    path.write_text("傻逼\n煞笔\n", encoding="utf-8")
    assert terms(load_filter([path], use_defaults=False), "煞笔") == ["煞笔"]


def test_the_allow_list_vetoes_a_homophone(tmp_path: Path) -> None:
    lists = tmp_path / "adult.txt"
    lists.write_text("做爱\n", encoding="utf-8")
    allow = tmp_path / "allow.txt"
    allow.write_text("停车坐爱枫林晚\n", encoding="utf-8")
    assert terms(load_filter([lists], use_defaults=False), "停车坐爱枫林晚") == ["做爱"]
    flt = load_filter([lists], use_defaults=False, allow_files=[allow])
    assert terms(flt, "停车坐爱枫林晚") == []
    assert terms(flt, "作爱") == ["做爱"]


def test_homophone_spans_index_the_original_text(f: TextFilter) -> None:
    (reason,) = f.check("哈哈，嘿猫！").reasons
    assert reason.span == (3, 5)


def test_judge_rules() -> None:
    freq = {"黑": 11296, "嘿": 481, "猫": 1908, "毛": 7753, "口角": 150}.get
    judge = Judge(lambda w: freq(w) or 0)
    assert judge.holds("黑猫", "嘿猫")
    assert not judge.holds("黑猫", "黑猫")  # the term itself is the literal pass's
    assert not judge.holds("黑猫", "黑毛")


def test_syllables_and_tones() -> None:
    assert toneless("nǚ") == "nv"
    assert toneless("hēi") == "hei"
    assert same_tone("嘿", "黑")
    assert not same_tone("帽", "牛")
    assert is_pinyin_word("heimao")
    assert is_pinyin_word("made")
    assert not is_pinyin_word("it")


# --- split radicals, fillers, variants, numerals ------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("弓虽奸", "强奸"),
        ("强女干", "强奸"),
        ("他弓虽女干了", "强奸"),
        ("黑犭苗", "黑猫"),
        ("又鸟巴", "鸡巴"),
        ("约火包", "约炮"),
        ("扌喿你妈", "操你妈"),
        ("⼥⼲强", None),  # Kangxi radicals fold to 女干: still not 强奸 (wrong order)
    ],
)
def test_split_radical_forms(f: TextFilter, text: str, term: str | None) -> None:
    if term is None:
        assert terms(f, text) == []
    else:
        assert term in terms(f, text)


def test_split_spellings_split_one_character_or_more() -> None:
    assert "女干" in split_spellings("奸")  # held only with a bound part: see test_lookalikes
    assert "女干" not in split_spellings("强奸")
    assert {"弓虽奸", "强女干", "弓虽女干"} <= set(split_spellings("强奸"))


def test_split_forms_are_han_characters() -> None:
    for char in "强奸黑猫鸡巴约炮操你妈婊子":
        for form in split_forms(char):
            assert len(form) == 2 and char not in form
            assert all(not w for w in build_skeleton(form).word), form


@pytest.mark.parametrize("text", ["这个女干部很强", "女干部", "弓虽然"])
def test_split_forms_alone_pass(f: TextFilter, text: str) -> None:
    assert terms(f, text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("操你个大爷", "操你大爷"),
        ("操你家大爷", "操你大爷"),
        ("操你这个大爷", "操你大爷"),
        ("你妈都死了", "你妈死了"),
        ("你妈早就死了", None),  # two fillers: not the term any more
    ],
)
def test_filler_words_inside_long_terms(f: TextFilter, text: str, term: str | None) -> None:
    if term is None:
        assert "你妈死了" not in terms(f, text)
    else:
        assert term in terms(f, text)


@pytest.mark.parametrize("text", ["黑的猫", "大大的坏蛋", "口是交", "黑又猫"])
def test_short_terms_take_no_filler_but_a_phrase_filler(f: TextFilter, text: str) -> None:
    assert terms(f, text) == []


@pytest.mark.parametrize(("text", "term"), [("做了爱", "做爱"), ("约个炮", "约炮")])
def test_verb_object_terms_take_an_aspect_or_measure_word(
    f: TextFilter, text: str, term: str
) -> None:
    assert term in terms(f, text)


@pytest.mark.parametrize("text", ["黒猫", "一隻黒貓", "売"])
def test_variant_characters_fold(f: TextFilter, text: str) -> None:
    assert build_skeleton("黒").text == "黑"
    if "猫" in text or "貓" in text:
        assert "黑猫" in terms(f, text)


@pytest.mark.parametrize(
    "text", ["二零四八", "二〇四八", "贰零肆捌", "密码是二零四八吗", "②⓪④⑧", "𝟚𝟘𝟜𝟠"]
)
def test_chinese_numerals_and_styled_digits(f: TextFilter, text: str) -> None:
    assert "2048" in terms(f, text)


@pytest.mark.parametrize("text", ["一二零四八", "二零四八五", "20:48", "20.48", "20,48", "2-048"])
def test_numbers_around_a_digit_term_pass(f: TextFilter, text: str) -> None:
    assert terms(f, text) == []


# --- letters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("ᴅᴀʀɴ", "darn"),
        ("d 4 r n", "darn"),
        ("b 1 t c h", "bitch"),
        ("$.3.x", "sex"),
        ("b👨\u200d👩\u200d👧·i✨t✨c✨h", "bitch"),
    ],
)
def test_small_caps_spelled_leet_and_emoji_sequences(f: TextFilter, text: str, term: str) -> None:
    assert term in terms(f, text)


# An emoji that reads as a word (🐶 as 狗, 🐷 as 猪, 💩 as 屎) typed inside a term to break
# it up, as any other sticker would be: the term holds, and ``how`` says what happened.
@pytest.mark.parametrize(
    ("text", "term", "how"),
    [
        ("你是傻🐶逼吗", "傻逼", "傻🐶逼 → 傻逼 (spacing)"),
        ("傻🐷逼", "傻逼", "傻🐷逼 → 傻逼 (spacing)"),
        ("b💩itch", "bitch", "b💩itch → bitch (leet)"),
        ("操🐴你妈", "操你妈", "操🐴你妈 → 操你妈 (spacing)"),
    ],
)
def test_a_word_emoji_inside_a_term_is_noise_there(
    f: TextFilter, text: str, term: str, how: str
) -> None:
    reasons = [r for r in f.check(text).reasons if r.term == term]
    assert [r.how for r in reasons] == [how]


def test_a_word_emoji_still_reads_as_its_word() -> None:
    """🐴 stands for 马 where it completes a term (草泥🐴), and ``how`` says so."""
    flt = load_filter(use_defaults=True)
    reasons = [r for r in flt.check("草泥🐴").reasons if r.term == "草泥马"]
    assert [r.how for r in reasons] == ["草泥🐴 → 草泥马 (emoji)"]


@pytest.mark.parametrize("text", ["我家的🐶叫旺财", "你好🐷", "🐶🐶🐶", "贱🐷可爱"])
def test_word_emoji_between_innocent_words_pass(f: TextFilter, text: str) -> None:
    assert terms(f, text) == []


@pytest.mark.parametrize("text", ["5 4 3 2 1", "I have 2 cats", "a 1 b", "$ 5"])
def test_spelled_digits_without_letters_stay_digits(f: TextFilter, text: str) -> None:
    assert terms(f, text) == []


# --- word edges decided by jieba --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [("他是强奸犯", "强奸"), ("强奸罪", "强奸"), ("贱人们", "贱人"), ("约炮群", "约炮")],
)
def test_terms_inside_longer_words_hold(f: TextFilter, text: str, term: str) -> None:
    assert term in terms(f, text)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("这个路口交通不是特别好", "口交"),
        ("他被叫做爱心大使", "做爱"),
        ("我们要做爱国青年", "做爱"),
        ("大约炮火连天", "约炮"),
        ("小鸡巴掌大小", "鸡巴"),
        ("你妈妈真年轻", "你妈"),
        ("其他妈妈的孩子都很乖", "他妈的"),
        ("各处女厕所都在排队", "处女"),
    ],
)
def test_terms_across_word_edges_pass(f: TextFilter, text: str, term: str) -> None:
    assert term not in terms(f, text)


@pytest.mark.parametrize("text", ["傻傻逼逼", "大大坏坏蛋蛋", "操操操你妈妈妈"])
def test_repeat_evasions_are_read_as_the_term(f: TextFilter, text: str) -> None:
    assert terms(f, text)


def test_variant_folding_leaves_chinese_characters_alone() -> None:
    from pathlib import Path as P

    import opencc

    from server.moderation.normalize import _variants

    for variant in _variants(P(opencc.__file__).parent):
        try:
            variant.encode("gb2312")
        except UnicodeEncodeError:
            continue
        raise AssertionError(f"{variant} is a GB2312 character but is folded")
