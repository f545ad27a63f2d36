"""Contact spam (category ``contact``): found in its usual disguises, quiet on audience numbers."""

from __future__ import annotations

import pytest

from server.models import Reason
from server.moderation import TextFilter

CONTACTS_ONLY = TextFilter([], cache_size=0)  # no wordlist: every reason is a contact


def find_contacts(text: str) -> list[Reason]:
    return list(CONTACTS_ONLY.check(text).reasons)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("13812345678", "phone", "13812345678"),
        ("电话 138 1234 5678 找我", "phone", "138 1234 5678"),
        ("138-1234-5678", "phone", "138-1234-5678"),
        ("+86 138 1234 5678", "phone", "+86 138 1234 5678"),
        ("+8613812345678", "phone", "+8613812345678"),
        ("１３８１２３４５６７８", "phone", "１３８１２３４５６７８"),
        ("一三八一二三四五六七八", "phone", "一三八一二三四五六七八"),
        ("1 3 8 1 2 3 4 5 6 7 8", "phone", "1 3 8 1 2 3 4 5 6 7 8"),
        ("11-23 19912345678", "phone", "19912345678"),
        ("QQ：12345678", "qq", "QQ：12345678"),
        ("加qq 123456789", "qq", "qq 123456789"),
        ("扣扣 123456789", "qq", "扣扣 123456789"),
        ("企鹅号：987654321", "qq", "企鹅号：987654321"),
        ("我的qq是一二三四五六七八", "qq", "qq是一二三四五六七八"),
        ("加V：abc_123456", "wechat", "加V：abc_123456"),
        ("加v abc123456", "wechat", "加v abc123456"),
        ("vx abc123456", "wechat", "vx abc123456"),
        ("wx:wxid_abcdefg", "wechat", "wx:wxid_abcdefg"),
        ("微信号 13812345678", "wechat", "微信号 13812345678"),
        ("薇信 abcdef12", "wechat", "薇信 abcdef12"),
        ("V信 abcdefg", "wechat", "V信 abcdefg"),
        ("https://example.com/a?b=1", "url", "https://example.com/a?b=1"),
        ("看 http://t.cn/abc123。", "url", "http://t.cn/abc123"),
        ("www.example.cn", "url", "www.example.cn"),
        ("x.com/abc", "url", "x.com/abc"),
        ("上 baidu点com 搜", "url", "baidu点com"),
        ("ＷＷＷ．ＥＸＡＭＰＬＥ．ＣＯＭ", "url", "ＷＷＷ．ＥＸＡＭＰＬＥ．ＣＯＭ"),
        ("上 baidu dot com 搜", "url", "baidu dot com"),
        ("baidu . com", "url", "baidu . com"),
        ("去 luck88 点 top 领", "url", "luck88 点 top"),
        ("www . example . cn", "url", "www . example . cn"),
        ("hongbao(dot)com", "url", "hongbao(dot)com"),
        ("010-12345678", "phone", "010-12345678"),
        ("座机 0755-1234567", "phone", "0755-1234567"),
        ("(021) 1234 5678", "phone", "(021) 1234 5678"),
        ("电话：0571-87654321", "phone", "0571-87654321"),
        ("400-820-8820", "phone", "400-820-8820"),
        ("热线 4008208820", "phone", "4008208820"),
        ("800 810 8888", "phone", "800 810 8888"),
        ("幺三八 幺二三四 五六七八", "phone", "幺三八 幺二三四 五六七八"),
        ("foo@bar.com", "email", "foo@bar.com"),
        ("mail foo.bar@qq.com thanks", "email", "foo.bar@qq.com"),
    ],
)
def test_contact_details_are_found(text: str, kind: str, found: str) -> None:
    reasons = find_contacts(text)
    assert [(r.term, r.category) for r in reasons] == [(kind, "contact")]
    start, end = reasons[0].span
    assert text[start:end] == found


@pytest.mark.parametrize(
    "text",
    [
        "2026",
        "2026年11月23日",
        "2026-11-23",
        "11-23",
        "20:30",
        "3:1",
        "比分 3:1",
        "10 9 8 7 6 5 4 3 2 1",
        "13 12 11 10 9 8 7 6",
        "1 2 3 4 5 6 7 8 9 10 11",
        "¥199",
        "$5.99",
        "666",
        "66666666666",
        "8888888",
        "88888888888",
        "11111111111",
        "520",
        "1314",
        "5201314",
        "1314 1314 520",
        "13141314520",
        "2333333",
        "3.14",
        "v1.0.2",
        "e.g. this",
        "第1名",
        "房间号 123456",
        "加我微信聊",
        "微信支付很方便",
        "qq音乐真好听",
        "我在第3排12号",
        "一二三四五六七八九十",
        "6点com",
        "go . net",
        "I love you . me too",
        "version 2 . com",
        "0123456789",
        "0 1 2 3 4 5 6 7 8 9",
        "比分 0-0 0-1",
        "0000000000",
        "二零二六年十一月",
        "2026-11-23 20:30",
    ],
)
def test_audience_numbers_and_words_pass(text: str) -> None:
    assert find_contacts(text) == []


def test_a_finding_inside_another_is_reported_once() -> None:
    (reason,) = find_contacts("微信 13812345678")
    assert reason.term == "wechat"
    (reason,) = find_contacts("a@example.com")
    assert reason.term == "email"
