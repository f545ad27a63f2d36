"""Issue 13's Chinese mechanisms: initials, stand-ins, look-alikes, split forms, fillers, and
the near-misses each must let through, with the ``how`` a moderator reads. Made-up test-only
lists and examples of our own (not the dev corpus's rows)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from server.moderation import TextFilter, load_filter
from server.moderation.pinyin import initials_token_ok, pinyin_forms
from server.moderation.shapes import look_alikes, split_forms
from server.moderation.variants import variant_spellings

LISTS = {
    "abuse": ["傻逼", "他妈的", "你妈", "卧槽", "脑残", "垃圾", "废物", "神经病", "滚", "王八蛋"],
    "abuse2": ["智障", "贱人", "婊子", "狗东西", "去死"],
    "spam": ["加微信", "加QQ", "进群", "刷单", "代购", "私聊"],
    "work": ["裁员", "降薪", "兼职"],
}


@pytest.fixture(scope="module")
def lists_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("disguise-lists")
    for category, words in LISTS.items():
        (directory / f"{category}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def f(lists_dir: Path) -> TextFilter:
    flt = load_filter(sorted(lists_dir.glob("*.txt")), use_defaults=False, detect_contact=False)
    flt.warm_up()
    return flt


def hows(flt: TextFilter, text: str) -> list[tuple[str, str]]:
    return [(r.term, r.how) for r in flt.check(text).reasons]


# --- pinyin initials ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("裁判sb吧", "sb → 傻逼 (initials)"),
        ("SB裁判", "SB → 傻逼 (initials)"),
        ("Sb!", "Sb → 傻逼 (initials)"),
        ("tmd又输了", "tmd → 他妈的 (initials)"),
        ("nc", "nc → 脑残 (initials)"),
        ("wc 这也行", "wc → 卧槽 (initials)"),
        ("扫码jq", "jq → 进群 (initials)"),
        ("私信加wx", "加wx → 加微信 (initials)"),
        ("一群脑c", "脑c → 脑残 (initials)"),
        ("真是傻b一个", "傻b → 傻逼 (initials)"),
        ("nmd", "nm → 你妈 (initials)"),  # 你妈 plus 的
        ("dsb", "sb → 傻逼 (initials)"),  # 大 plus 傻逼
    ],
)
def test_initials_hold_as_whole_tokens(f: TextFilter, text: str, how: str) -> None:
    assert how in [h for _, h in hows(f, text)]


@pytest.mark.parametrize(
    "text",
    [
        "NBA总决赛",
        "PPT做完了",
        "KTV续摊",
        "HR说可以",
        "USB接口坏了",
        "请问WC在哪",  # capitals before a Chinese word: the toilet
        "WC门口见",
        "this is a jazz bar",
        "pizza到了",
        "NCT好帅",
        "hmm",
        "No way",
        "sbc",  # not padding of any term's initials
        "King Jr.的演讲",
        "Michael Jr.",
    ],
)
def test_abbreviations_words_and_names_that_contain_initials_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()


def test_initials_token_reads_padding_and_other_initials() -> None:
    known = frozenset({"sb", "nm", "wc"})
    assert initials_token_ok("dsb", 1, 3, known)
    assert initials_token_ok("wcnm", 0, 2, known)
    assert initials_token_ok("nmd", 0, 2, known)
    assert not initials_token_ok("usb", 1, 3, known)
    assert not initials_token_ok("sbx", 0, 2, known)


def test_pinyin_forms_say_how() -> None:
    forms = dict(pinyin_forms("傻逼"))
    assert forms["shabi"] == "pinyin"
    assert forms["sb"] == "initials"
    assert forms["傻b"] == "initials"
    assert forms["傻bi"] == "pinyin"
    assert "be" not in dict(pinyin_forms("白鹅"))  # an English word is never initials


# --- full pinyin and names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("要caiyuan了", "caiyuan → 裁员 (pinyin)"),
        ("Caiyuan又来了", "Caiyuan → 裁员 (pinyin)"),
        ("jiang xin通知", "jiang xin → 降薪 (pinyin)"),
    ],
)
def test_full_pinyin_holds(f: TextFilter, text: str, how: str) -> None:
    assert how in [h for _, h in hows(f, text)]


@pytest.mark.parametrize(
    "text",
    ["有请Cai Yuan老师", "冠军是Li Jianren", "Jiang Xin的独唱", "恭喜Zhang Jianzhi"],
)
def test_pinyin_names_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()


# --- stand-ins netizens use ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "how"),
    [
        ("你个傻比", "傻逼", "傻比 → 傻逼 (homophone)"),
        ("特么的又停电", "他妈的", "特么的 → 他妈的 (homophone)"),
        ("泥马，又排队", "你妈", "泥马 → 你妈 (homophone)"),
        ("这辣鸡网速", "垃圾", "辣鸡 → 垃圾 (homophone)"),
        ("蛇精病吧", "神经病", "蛇精病 → 神经病 (homophone)"),
        ("握草这么多人", "卧槽", "握草 → 卧槽 (homophone)"),
        ("王八旦", "王八蛋", "王八旦 → 王八蛋 (homophone)"),
        ("快去屎吧你", "去死", "去屎 → 去死 (homophone)"),
        ("真是个制杖", "智障", "制杖 → 智障 (homophone)"),
        # A number after it is no score unless one stands before its 比 as well.
        ("你们这些傻比666", "傻逼", "傻比 → 傻逼 (homophone)"),
        ("蛇精病1号", "神经病", "蛇精病 → 神经病 (homophone)"),
    ],
)
def test_stand_ins_hold_even_when_common_characters(
    f: TextFilter, text: str, term: str, how: str
) -> None:
    assert (term, how) in hows(f, text)


@pytest.mark.parametrize(
    "text",
    [
        "三比二赢了",  # 比 before a number
        "主队3比1领先",  # a number on both sides: a score
        "他傻比较多",  # 傻|比较
        "这个比喻很妙",
        "简直了",  # a dictionary word of its own (兼职)
        "恭喜发财，财源滚滚",
        "匠心独运",
        "是你吗？",  # a particle before a pause
        "辣鸡翅好吃",  # 辣|鸡翅
        "我草拟了一份",  # 我|草拟
        "泥马路上全是泥",  # 泥|马路
        "她骂的是我",
    ],
)
def test_words_that_share_a_stand_in_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()


def test_variant_spellings_come_from_both_tables() -> None:
    assert "特么的" in variant_spellings("他妈的")  # a whole-word stand-in
    assert "傻比" in variant_spellings("傻逼")  # a character stand-in
    assert "傻逼" not in variant_spellings("傻逼")


# --- look-alikes and split forms from the decomposition data -------------------------------------


def test_look_alikes_come_from_the_decomposition_table() -> None:
    assert {"徽", "溦", "薇"} <= set(look_alikes("微"))  # a part swapped, a radical added
    assert "拉" in look_alikes("垃")
    assert "栽" in look_alikes("裁")
    assert "裱" in look_alikes("婊")
    assert "表" not in look_alikes("婊")  # a part, not a twin
    assert "微" not in look_alikes("微")


@pytest.mark.parametrize(
    ("text", "term", "how"),
    [
        ("加徽信领奖", "加微信", "加徽信 → 加微信 (look-alike)"),
        ("拉圾节目", "垃圾", "拉圾 → 垃圾 (homophone)"),  # a stand-in first
        ("垃扱节目", "垃圾", "垃扱 → 垃圾 (look-alike)"),
        ("栽员名单", "裁员", "栽员 → 裁员 (look-alike)"),
        ("神泾病", "神经病", "神泾病 → 神经病 (look-alike)"),
        ("狗东酉", "狗东西", "狗东酉 → 狗东西 (look-alike)"),
    ],
)
def test_look_alikes_hold(f: TextFilter, text: str, term: str, how: str) -> None:
    assert (term, how) in hows(f, text)


@pytest.mark.parametrize("text", ["这是你吗", "货款到了", "博采众长"])
def test_look_alikes_that_are_words_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()


def test_split_forms_come_from_the_decomposition_table() -> None:
    assert "亻尔" in split_forms("你")
    assert "扌喿" in split_forms("操")
    assert "氵衮" in split_forms("滚")


@pytest.mark.parametrize(
    ("text", "term", "how"),
    [
        ("亻尔女马", "你妈", "亻尔女马 → 你妈 (split-radical)"),
        ("贝戋人", "贱人", "贝戋人 → 贱人 (split-radical)"),
        ("土立圾", "垃圾", "土立圾 → 垃圾 (split-radical)"),
        ("氵衮远点", "滚", "氵衮 → 滚 (split-radical)"),  # a bound part: 氵
    ],
)
def test_split_forms_hold(f: TextFilter, text: str, term: str, how: str) -> None:
    assert (term, how) in hows(f, text)


@pytest.mark.parametrize("text", ["水衮", "好女子", "口欠"])
def test_a_one_character_term_split_into_ordinary_characters_passes(
    f: TextFilter, text: str
) -> None:
    assert "滚" not in [r.term for r in f.check(text).reasons]


# --- fillers inside verb-object phrases ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "how"),
    [
        ("快加我微信", "加微信", "加我微信 → 加微信 (filler)"),
        ("加个QQ聊", "加QQ", "加个QQ → 加QQ (filler)"),
        ("进个群吧", "进群", "进个群 → 进群 (filler)"),
        ("卧了个槽", "卧槽", "卧了个槽 → 卧槽 (filler)"),
        ("又降了薪", "降薪", "降了薪 → 降薪 (filler)"),
        ("加一下QQ", "加QQ", "加一下QQ → 加QQ (filler)"),
    ],
)
def test_fillers_inside_phrases_hold(f: TextFilter, text: str, term: str, how: str) -> None:
    assert (term, how) in hows(f, text)


# --- the wrong holds of issue 13 -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "欢迎参加微信抽奖",  # 参加|微信
        "先进群体发言",  # 先进|群体
        "附加QQ会员",  # 附加|QQ
        "总裁员工大会",  # 总裁|员工
        "请仲裁员入场",  # 仲裁员: a word of its own
        "垃圾袋在门口",  # the literal sense
        "固体废物回收",
        "摇滚之夜",  # a one-character term inside words
        "滚动字幕",
        "小心滚烫",
        "驴打滚真好吃",
        "滚滚长江",
        "他妈妈的手艺",  # collapsing repeats makes no term
        "你妈妈好",
    ],
)
def test_terms_across_edges_in_literal_senses_or_inside_words_pass(
    f: TextFilter, text: str
) -> None:
    assert f.check(text).reasons == ()


@pytest.mark.parametrize(
    ("text", "term"),
    [("滚", "滚"), ("滚！", "滚"), ("快滚吧", "滚"), ("滚出去", "滚"), ("他是强奸犯", None)],
)
def test_a_one_character_term_holds_as_a_word(f: TextFilter, text: str, term: str | None) -> None:
    if term is not None:
        assert term in [r.term for r in f.check(text).reasons]


# --- how, through the core API and `danmaku check` ----------------------------------------------


def test_a_literal_hit_has_no_how_and_others_say_their_mechanism(f: TextFilter) -> None:
    assert hows(f, "傻逼") == [("傻逼", "")]
    assert hows(f, "ＳＢ") == [("傻逼", "ＳＢ → 傻逼 (initials)")]
    assert hows(f, "傻 逼") == [("傻逼", "傻 逼 → 傻逼 (spacing)")]
    assert hows(f, "傻傻傻逼") == [("傻逼", "傻傻傻逼 → 傻逼 (repeat)")]
    assert hows(f, "神經病") == [("神经病", "神經病 → 神经病 (traditional)")]


def test_danmaku_check_prints_how(lists_dir: Path) -> None:
    args = [sys.executable, "-m", "console", "check", "--no-default-wordlists"]
    for path in sorted(lists_dir.glob("*.txt")):
        args += ["--wordlist", str(path)]
    result = subprocess.run(
        args,
        input="主持人sb吧\n傻逼\n加徽信\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["reasons"][0]["how"] == "sb → 傻逼 (initials)"
    assert "how" not in lines[1]["reasons"][0]  # literal: the contract's fields only
    assert lines[2]["reasons"][0]["how"] == "加徽信 → 加微信 (look-alike)"
