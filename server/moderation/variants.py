"""Homophones netizens really type: stand-ins known from use, not guessed from sound alone.

The homophone pass (:mod:`~server.moderation.homophone`) finds every same-sound spelling
and holds it only when frequencies show intent, which misses the stand-ins people pick
*because* they are ordinary characters (傻比, 泥马, 卧草) or that only nearly share the
sound (傻批, 蛇精病, 去屎). Those are known: they are the substitutions Chinese internet
slang is made of, as documented in public glossaries of 网络用语 (Baidu Baike's and
Wiktionary's entries for 傻逼, 他妈的, 草泥马, 卧槽, 垃圾 and their variants; Moegirlpedia's
口癖 pages). This module lists them per character (and, for the few whole-word spellings
that are no character-by-character substitution, per word), so that any term built with
those characters gets the spellings: 比 for 逼 serves 傻逼, 二逼, 装逼 and 牛逼 alike.

Such a spelling is held unless its context shows the everyday word (a dictionary word
across its edge, 傻|比较; a number after it, 二比一; see ``engine``).

Edit ``CHARACTERS`` or ``WORDS`` to teach the filter a new stand-in: one line each, the
original first, then its stand-ins separated by spaces.
"""

from __future__ import annotations

from itertools import product
from typing import Final

MAX_VARIANT_KEYS: Final = 48  # spellings per term

# Character stand-ins (sound-alikes and near sound-alikes netizens use for the character).
CHARACTERS: Final = """
逼 比 笔 币 哔 批 碧 鼻
妈 马 玛 麻 码
操 草 槽 曹 艹 肏 糙
你 尼 泥 妮
他 特 塔
死 屎 似
屌 吊 叼
傻 沙 煞 啥
贱 剑 溅 践
婊 表 裱 彪
垃 拉 辣 啦
圾 鸡 基 级
智 制 治
障 杖 帐 涨
神 蛇
经 精 京
病 冰 兵
蛋 旦 淡 弹
狗 苟 够
滚 衮
残 惨 蚕
脑 闹 恼
瘫 摊 滩
屁 匹
鸡 基 机 几
巴 吧 八 叭
婆 泼 坡
杂 砸 咋
种 肿 冢
货 伙 获
蠢 春 纯
丝 斯 撕
卧 我 握 窝
奸 尖 坚
"""

# Whole-word stand-ins that are no character-by-character substitution.
WORDS: Final = """
他妈 特么 他喵 他吗 塔玛
你妈 尼玛 泥马
垃圾 乐色 辣鸡 腊鸡
婊子 婊砸 表砸
神经病 蛇精病 神精病
傻逼 傻批 傻哔 煞笔
卧槽 我草 握草 卧草 我靠 我擦 卧艹
"""


def _parse(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in table.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0]] = tuple(parts[1:])
    return out


CHARACTER_STAND_INS: Final = _parse(CHARACTERS)
WORD_STAND_INS: Final = _parse(WORDS)


def variant_spellings(spelling: str) -> list[str]:
    """Spellings of a Han term with known stand-ins (never the term itself).

    Whole-word stand-ins first (特么 for 他妈 in 他妈的), then every mix of character
    stand-ins (泥马 for 你妈, 蛇精病 for 神经病).

    Args:
        spelling: the normalized term (simplified Han characters).

    Returns:
        At most ``MAX_VARIANT_KEYS`` spellings.
    """
    out: dict[str, None] = {}
    for word, stand_ins in WORD_STAND_INS.items():
        at = spelling.find(word)
        if at >= 0:
            for stand_in in stand_ins:
                out.setdefault(spelling[:at] + stand_in + spelling[at + len(word) :], None)
    if len(spelling) >= 2:
        choices = [(ch, *CHARACTER_STAND_INS.get(ch, ())) for ch in spelling]
        for picks in product(*choices):
            swapped = sum(1 for pick, ch in zip(picks, spelling, strict=True) if pick != ch)
            if swapped == 0:
                continue
            out.setdefault("".join(picks), None)
            if len(out) >= MAX_VARIANT_KEYS:
                break
    out.pop(spelling, None)
    return list(out)[:MAX_VARIANT_KEYS]
