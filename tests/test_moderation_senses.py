"""Literal senses: the words beside a term show the everyday word (垃圾分类), as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.moderation import load_filter
from server.moderation.engine import TextFilter
from server.moderation.senses import Senses, SensesError, default_senses, read_senses
from server.moderation.wordlists import WordList, default_dir, default_files
from tests.process_support import run_danmaku

INSULTS = ("垃圾", "废物", "神经病", "脑瘫", "智障", "尼玛")


def filter_of(*terms: str, senses: Senses | None = None) -> TextFilter:
    lists = [WordList("insult", terms)]
    f = TextFilter(lists, detect_contact=False, cache_size=0, senses=senses)
    f.warm_up()
    return f


def held(f: TextFilter, texts: list[str]) -> list[str]:
    return [text for text in texts if f.check(text).reasons]


def test_rubbish_that_people_sort_and_carry_out_passes_and_an_insult_holds() -> None:
    f = filter_of(*INSULTS)
    assert (
        held(
            f,
            [
                "今年开始生活垃圾强制分类",
                "请大家把垃圾装好再离场",
                "后台的垃圾清运一下",
                "危险废物要交给有资质的单位",
                "垃圾回收箱在门口",  # 回收箱: a longer word starting with 回收 keeps its sense
                "电子垃圾里能提炼黄金",
            ],
        )
        == []
    )
    assert held(
        f,
        [
            "你个垃圾",
            "垃圾主持人",
            "垃圾游戏退钱",
            "这队友真是废物",
            "垃圾，分类都不会",  # a pause between: no compound
            "车把垃圾",  # 把 inside 车把 (handlebar) is no disposal 把
        ],
    ) == [
        "你个垃圾",
        "垃圾主持人",
        "垃圾游戏退钱",
        "这队友真是废物",
        "垃圾，分类都不会",
        "车把垃圾",
    ]


def test_an_illness_its_patients_and_doctors_pass_and_name_calling_holds() -> None:
    f = filter_of(*INSULTS)
    assert (
        held(
            f,
            [
                "她在读神经病学博士",
                "周围神经病变的讲座",
                "脑瘫患者也能跳舞",
                "智障儿童的特教老师",
                "他从小患脑瘫",
            ],
        )
        == []
    )
    insults = ["神经病啊", "你是脑瘫吗", "脑瘫主持人", "智障操作", "神经病变态"]
    assert held(f, insults) == insults  # 变态 is a word of its own: no 病变 here


def test_a_tibetan_name_passes_and_the_curse_holds() -> None:
    f = filter_of(*INSULTS)
    assert held(f, ["尼玛顿珠在台上", "格桑尼玛的歌", "请尼玛医生上台", "我同学尼玛也来了"]) == []
    curses = ["尼玛的又卡了", "我尼玛笑死", "去尼玛的", "尼玛这也太坑了"]
    assert held(f, curses) == curses


def test_a_name_is_a_name_whichever_term_it_sounds_like() -> None:
    # 尼玛 is also a known stand-in for 你妈: as a name it passes under that term too.
    f = filter_of("你妈")
    assert held(f, ["藏族朋友尼玛跳得真好", "尼玛次仁的锅庄"]) == []
    assert held(f, ["尼玛的又卡了"]) == ["尼玛的又卡了"]


def test_a_misspelt_term_beside_its_everyday_words_is_the_everyday_word() -> None:
    f = filter_of("垃圾")
    assert held(f, ["拉圾分类宣传"]) == []
    assert held(f, ["拉圾主持人"]) == ["拉圾主持人"]


def test_a_latin_term_that_is_a_name_passes_written_as_one() -> None:
    f = filter_of("dick", "fuck")
    assert held(f, ["Dick Van Dyke的老电影", "Philip Dick写的", "Moby-Dick读完了"]) == []
    curses = ["dick pic", "Dick pic", "DICK PIC", "what a Dick", "Dick!", "Fuck Off"]
    assert held(f, curses) == curses  # fuck is no name: Fuck Off holds
    # A headline's capitals on everyday words are no name: big, move and head are words.
    headlines = ["Big Dick Energy", "total Dick Move", "Dick Head"]
    assert held(f, headlines) == headlines


def test_without_senses_the_everyday_words_hold_like_any_hit() -> None:
    f = filter_of(*INSULTS, senses=Senses())
    assert held(f, ["生活垃圾强制分类", "尼玛顿珠在台上"]) == ["生活垃圾强制分类", "尼玛顿珠在台上"]


def test_an_organisers_own_list_gets_the_shipped_senses(tmp_path: Path) -> None:
    mine = tmp_path / "rude.txt"
    mine.write_text("垃圾\n", encoding="utf-8")
    f = load_filter([mine], use_defaults=False, cache_size=0)
    assert f.check("垃圾分类从我做起").reasons == ()
    assert [r.term for r in f.check("垃圾裁判").reasons] == ["垃圾"]


def test_the_senses_file_is_no_category() -> None:
    categories, _allow = default_files(default_dir())
    assert "senses" not in {path.stem for path in categories}
    assert "senses" not in load_filter(cache_size=0).categories


def test_senses_lines_say_which_side_and_read_like_the_text(tmp_path: Path) -> None:
    path = tmp_path / "senses.txt"
    path.write_text(
        "# comment\nafter 垃圾 廢物 = 分類  # traditional is read as simplified\n"
        "before 垃圾 = 把\nname Dick\n",
        encoding="utf-8",
    )
    senses = read_senses([path, tmp_path / "missing.txt"])
    rubbish = senses.for_term("垃圾")
    assert rubbish is not None and rubbish.after == {"分类"} and rubbish.before == {"把"}
    waste = senses.for_term("废物")
    assert waste is not None and waste.after == {"分类"} and not waste.before
    dick = senses.for_term("dick")
    assert dick is not None and dick.name


@pytest.mark.parametrize(
    "line", ["垃圾 = 分类", "after 垃圾", "after = 分类", "name", "beside 垃圾 = 桶"]
)
def test_a_malformed_senses_line_names_its_place(tmp_path: Path, line: str) -> None:
    path = tmp_path / "senses.txt"
    path.write_text(f"after 垃圾 = 桶\n{line}\n", encoding="utf-8")
    with pytest.raises(SensesError, match=f"{path}:2"):
        read_senses([path])


def test_the_default_filter_reads_the_everyday_words_of_its_own_terms() -> None:
    f = load_filter(cache_size=0)
    f.warm_up()
    assert held(f, ["厨余垃圾倒这里", "神经病学教授来了", "尼玛次仁唱得好", "Moby Dick好看"]) == []
    assert held(f, ["垃圾主持人", "神经病啊", "尼玛的", "dick pic"]) == [
        "垃圾主持人",
        "神经病啊",
        "尼玛的",
        "dick pic",
    ]
    assert default_senses().contexts


def test_danmaku_check_takes_a_senses_file_beside_the_shipped_one(tmp_path: Path) -> None:
    lists = tmp_path / "insult.txt"
    lists.write_text("垃圾\n饭桶\n", encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text("after 饭桶 = 刷子  # a barrel for rice, as a kitchen says\n", encoding="utf-8")
    args = ["check", "--no-default-wordlists", "--wordlist", str(lists)]

    def held(text: str, *options: str) -> bool:
        run = run_danmaku(*args, *options, stdin=text + "\n")
        assert run.returncode == 0, run.stderr
        return bool(json.loads(run.stdout)["reasons"])

    assert held("饭桶刷子在哪") and held("你这个饭桶")
    assert not held("饭桶刷子在哪", "--senses", str(mine))
    assert held("你这个饭桶", "--senses", str(mine))
    assert not held("垃圾分类", "--senses", str(mine))  # the shipped senses still apply
    bad = tmp_path / "bad.txt"
    bad.write_text("beside 饭桶 = 刷子\n", encoding="utf-8")
    refused = run_danmaku(*args, "--senses", str(bad), stdin="x\n")
    assert refused.returncode == 2
    assert f"{bad}:1: expected 'after|before TERMS = WORDS'" in refused.stderr
    assert "Traceback" not in refused.stderr
