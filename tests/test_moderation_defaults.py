"""The shipped wordlists: real terms held, everyday danmaku passed."""

from __future__ import annotations

import pytest

from server.moderation import TextFilter, load_filter
from server.moderation.wordlists import default_dir


@pytest.fixture(scope="module")
def f() -> TextFilter:
    return load_filter()


def test_default_categories() -> None:
    stems = {p.stem for p in default_dir().glob("*.txt")}
    assert {"profanity", "insult", "sexual", "allow"} <= stems
    flt = load_filter()
    assert flt.categories == (stems - {"allow"}) | {"contact"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("傻逼", "profanity"),
        ("傻1逼", "profanity"),
        ("真傻逼啊", "profanity"),
        ("大傻逼", "profanity"),
        ("shabi", "profanity"),
        ("cnm", "profanity"),
        ("草泥马", "profanity"),
        ("tmd 什么鬼", "profanity"),
        ("fuck", "profanity"),
        ("F U C K", "profanity"),
        ("f*ck this", "profanity"),
        ("sh1t", "profanity"),
        ("你是sb吗", "profanity"),
        ("脑残", "insult"),
        ("约炮吗", "sexual"),
        ("做爱", "sexual"),
        ("sb250", "profanity"),
        ("fuck666", "profanity"),
        ("加V：abc_123456", "contact"),
    ],
)
def test_default_terms_are_held(f: TextFilter, text: str, category: str) -> None:
    assert category in {r.category for r in f.check(text).reasons}


@pytest.mark.parametrize(
    "text",
    [
        "我是处女座",
        "他的处女作",
        "路口交通不是特别好",
        "这个叫做爱心",
        "把它当做爱好",
        "我操心死了",
        "这波操作可以",
        "usb接口",
        "classic cocktail",
        "assassin's creed",
        "Scunthorpe United",
        "shitake mushrooms",
        "hello 哈哈哈 666 2333",
        "新年快乐🎉🎉🎉",
        "2026年11月23日 20:30",
        "我们是做AI的",
    ],
)
def test_everyday_comments_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()
