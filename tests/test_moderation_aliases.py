"""Aliases as data: a file the organiser reads and extends, applied to every term of every list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.moderation import load_filter
from server.moderation.aliases import AliasError, Aliases, parse_aliases, read_aliases
from server.moderation.engine import TextFilter
from server.moderation.spellings import default_aliases
from server.moderation.wordlists import WordList, default_aliases_file
from tests.process_support import run_danmaku


def filter_of(terms: dict[str, list[str]], aliases: Aliases | None = None) -> TextFilter:
    lists = [WordList(category, tuple(words)) for category, words in terms.items()]
    return TextFilter(lists, detect_contact=False, cache_size=0, aliases=aliases)


def test_an_alias_stands_for_its_part_in_every_term() -> None:
    aliases = parse_aliases(["小蓝鸟 = 推特", "推子 = 推特"])
    assert sorted(aliases.spellings("关注推特")) == [
        ("关注小蓝鸟", "alias"),
        ("关注推子", "alias"),
    ]
    # an alias written in a term stands for the part and for the part's other aliases
    assert sorted(aliases.spellings("关注小蓝鸟")) == [
        ("关注推子", "alias"),
        ("关注推特", "alias"),
    ]


def test_a_latin_alias_counts_only_as_a_word_of_its_own() -> None:
    aliases = parse_aliases(["v = 微信"])
    assert ("加微信", "alias") in aliases.spellings("加V")
    assert aliases.spellings("love") == []
    assert aliases.spellings("vivid") == []


def test_alias_lines_must_say_alias_equals_part() -> None:
    with pytest.raises(AliasError, match="not 'alias = part'"):
        parse_aliases(["绿泡泡 微信"])
    with pytest.raises(AliasError):
        parse_aliases([" = 微信"])


def test_an_emoji_alias_is_ignored_rather_than_spelling_the_rest_of_the_term() -> None:
    # 🐢 is noise between characters: as an alias of QQ, 加🐢 would be "加" alone.
    aliases = parse_aliases(["🐢 = qq", "# a comment", "", "企鹅 = qq  # inline comment"])
    assert aliases.spellings("加QQ") == [("加企鹅", "alias")]


def test_the_shipped_aliases_hold_what_the_issue_names() -> None:
    f = filter_of({"ads": ["加微信", "加QQ", "博彩"]}, default_aliases())
    for text, term in [
        ("加绿泡泡送减肥茶", "加微信"),
        ("理财小白看过来，加个绿泡泡", "加微信"),
        ("游戏代练加企鹅", "加QQ"),
        ("扩列加扣扣，一起开黑", "加QQ"),
        ("玩菠菜的来，稳赚", "博彩"),
        ("内幕消息加VX告诉你", "加微信"),
    ]:
        reasons = f.check(text).reasons
        assert [r.term for r in reasons] == [term], text
        assert reasons[0].how.endswith(f" → {term} (alias)"), reasons[0].how
    for text in ["企鹅好可爱", "动物园喂企鹅", "绿色的泡泡飘起来了", "微信支付很方便"]:
        assert f.check(text).reasons == (), text


def test_an_organisers_alias_file_adds_to_the_shipped_one(tmp_path: Path) -> None:
    lists = tmp_path / "brand.txt"
    lists.write_text("泽创科技\n", encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text("# our rival's nicknames\n小泽 = 泽创\n", encoding="utf-8")
    f = load_filter([lists], use_defaults=False, alias_files=[mine], cache_size=0)
    (reason,) = f.check("小泽科技的产品不行").reasons
    assert (reason.term, reason.how) == ("泽创科技", "小泽科技 → 泽创科技 (alias)")
    # the shipped aliases still apply
    assert read_aliases([default_aliases_file(), mine]).spellings("加微信") != []


def test_danmaku_check_takes_an_aliases_file(tmp_path: Path) -> None:
    lists = tmp_path / "brand.txt"
    lists.write_text("小红书\n", encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text("小绿书 = 小红书\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("小绿书 小红书\n", encoding="utf-8")
    args = ["check", "--no-default-wordlists", "--wordlist", str(lists)]
    run = run_danmaku(*args, "--aliases", str(mine), stdin="关注小绿书\n")
    assert run.returncode == 0, run.stderr
    (reason,) = json.loads(run.stdout)["reasons"]
    assert reason["how"] == "小绿书 → 小红书 (alias)"
    refused = run_danmaku(*args, "--aliases", str(bad), stdin="x\n")
    assert refused.returncode == 2
    assert "is not 'alias = part'" in refused.stderr
    assert "Traceback" not in refused.stderr
