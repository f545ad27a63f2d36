"""Contact spam (category ``contact``): found in its usual disguises, quiet on audience numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.models import Reason
from server.moderation import TextFilter
from server.moderation.contact import (
    contacts_past_first_screen,
    contacts_unscreened,
    might_have_contact,
)

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
        ("加qq 123456789", "qq", "加qq 123456789"),
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
        # one letter of WeChat or QQ is enough, after 加/+ or before a colon or 号
        ("找我拍照 V：zhou_photo66", "wechat", "V：zhou_photo66"),
        ("薇：meizhuang520x 跟妆", "wechat", "薇：meizhuang520x"),
        ("加一下V abcd_2468 发你", "wechat", "加一下V abcd_2468"),
        ("周边转让+vx", "wechat", "+vx"),
        ("领素材➕扣扣", "qq", "➕扣扣"),
        ("v lucky7788 私聊", "wechat", "v lucky7788"),
        ("威信：party_dj2025", "wechat", "威信：party_dj2025"),
        ("绿泡泡 xiaoyu_1999", "wechat", "绿泡泡 xiaoyu_1999"),
        ("加Q：283746519", "qq", "加Q：283746519"),
        ("叩叩 4455667788", "qq", "叩叩 4455667788"),
        ("群号 628374615 进来抢红包", "qq", "群号 628374615"),
        ("Q群：556677881", "qq", "Q群：556677881"),
        ("🐧 3847562910 组队", "qq", "🐧 3847562910"),
        # an account after a platform's name
        ("快手号 kuaishou_yy88 天天直播", "account", "快手号 kuaishou_yy88"),
        ("关注视频号：年会那些事儿", "account", "视频号：年会那些事儿"),
        ("小红书搜：阿梅的穿搭日记", "account", "小红书搜：阿梅的穿搭日记"),
        ("B站搜 加班狗的日常", "account", "B站搜 加班狗的日常"),
        ("微博@婚礼跟拍小林", "account", "微博@婚礼跟拍小林"),
        ("纸飞机 @vip_inside88", "account", "纸飞机 @vip_inside88"),
        ("公众号：福利大本营，每天领", "account", "公众号：福利大本营"),
        # digits in disguise
        ("1⃣5⃣9⃣1⃣2⃣3⃣4⃣8⃣7⃣6⃣5⃣", "phone", "1⃣5⃣9⃣1⃣2⃣3⃣4⃣8⃣7⃣6⃣5⃣"),
        ("❶❸❾❶❷❸❹❺❻❼❽ 速联", "phone", "❶❸❾❶❷❸❹❺❻❼❽"),
        ("⑴⑶⑻⑴⑵⑶⑷⑸⑹⑺⑻", "phone", "⑴⑶⑻⑴⑵⑶⑷⑸⑹⑺⑻"),
        ("幺五零 幺二三四 五六七八", "phone", "幺五零 幺二三四 五六七八"),
        ("电话幺三八洞洞幺二拐勾五六", "phone", "幺三八洞洞幺二拐勾五六"),
        ("1 5 9 8 7 6 5 4 3 2 1 找我", "phone", "1 5 9 8 7 6 5 4 3 2 1"),
        # an e-mail address with its @ and dots spelled out
        ("稿件发 lily at 163 dot com", "email", "lily at 163 dot com"),
        ("投稿 party2026#qq.com", "email", "party2026#qq.com"),
        ("联系 lucky88@163。com", "email", "lucky88@163。com"),
        ("wang(at)gmail(dot)com", "email", "wang(at)gmail(dot)com"),
        # one letter of WeChat's name before 群 or id, then the account
        ("威群 lucky2026", "wechat", "威群 lucky2026"),
        ("徽id abc888", "wechat", "徽id abc888"),
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
        # scores, years, prices, times, table numbers
        "比分20:48，太刺激了",
        "2026年会，第12桌",
        "三等奖价值1999元",
        "19:30准时开始",
        "我坐在8号桌",
        "一等奖：iPhone 16",
        "Q1业绩第一",
        "V：胜利的手势",
        "微：笑一个",
        # platform names said in passing, and shortcuts that are not plugs
        "我在抖音上看过这个魔术",
        "小红书上的攻略说要早到",
        "B站有回放吗",
        "公众号推文写得好",
        "淘宝买的裙子",
        "视频号直播在哪看",
        "抖音 很火的舞",
        "坐飞机来的，三小时",
        "按ctrl+v粘贴",
        "C+V大法好",
        "1+1=2",
        "扣扣子的时候小心",
        "企鹅好可爱",
        "meet me at home",
        "look at this.",
        "Season V: the finale",
    ],
)
def test_audience_numbers_and_words_pass(text: str) -> None:
    assert find_contacts(text) == []


def test_a_finding_inside_another_is_reported_once() -> None:
    (reason,) = find_contacts("微信 13812345678")
    assert reason.term == "wechat"
    (reason,) = find_contacts("a@example.com")
    assert reason.term == "email"


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("V：lucky2026", "V：lucky2026 → 微信号 (contact)"),
        ("Q群：736251948", "Q群：736251948 → QQ群 (contact)"),
        ("抖音号 dy_x2025", "抖音号 dy_x2025 → 抖音号 (contact)"),
        ("一三八一二三四五六七八", "一三八一二三四五六七八 → 手机号 13812345678 (contact)"),
        ("1 3 8 1 2 3 4 5 6 7 8", "1 3 8 1 2 3 4 5 6 7 8 → 手机号 13812345678 (contact)"),
        ("tom at qq dot com", "tom at qq dot com → 邮箱 (contact)"),
        ("baidu点com", "baidu点com → 网址 (contact)"),
    ],
)
def test_a_disguised_contact_says_what_it_reads_as(text: str, how: str) -> None:
    (reason,) = find_contacts(text)
    assert reason.how == how


@pytest.mark.parametrize(
    "text", ["13812345678", "138 1234 5678", "+86 138 1234 5678", "foo@bar.com", "www.example.cn"]
)
def test_a_plainly_written_contact_needs_no_how(text: str) -> None:
    (reason,) = find_contacts(text)
    assert reason.how == ""


# Pieces of plugs and of the everyday text around them, plain and styled.
PLUG_PIECES = [
    *"0134568一三八幺洞拐⑧❶⑴1⃣ -_.:：@#。点加+➕vVqQ薇威微徽扣叩号群搜哈😂🐧\u200b",
    *["抖音", "快手", "小红书", "B站", "视频号", "公众号", "淘宝", "微博", "飞机", "tg"],
    *["绿泡泡", "企鹅", "叩叩", "vx", "wx", "qq", "at", " at ", "dot", " dot ", "com", "qq"],
    *["lucky", "_", "2026", "88", "123456", "年会", "小能手", "「", "ctrl", "id", "ID"],
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PLUG_PIECES), max_size=14).map("".join))
def test_the_screens_let_every_plug_through(text: str) -> None:
    screened = contacts_past_first_screen(text) if might_have_contact(text) else []
    assert screened == contacts_unscreened(text)
