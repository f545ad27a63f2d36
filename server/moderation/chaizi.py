"""Split-radical spellings (拆字): 女干 for 奸, 弓虽 for 强, 马扁 for 骗.

No character decomposition table ships with the packages this project installs (pypinyin,
jieba and opencc have none), so the common split forms are kept here, in ``TABLE`` below:
one character a line, then its split forms (the components written left to right, as
evaders type them), separated by spaces. The list holds the characters of typical
profanity, sexual, insult and spam terms whose split forms netizens actually write, plus a
few frequent components of other terms; add a line to teach the filter a new one.

A term of two characters or more gets extra keys with one or two of its characters split
(``强奸`` also finds 弓虽奸, 强女干, 弓虽女干). A single-character term never does: its split
form alone is an ordinary pair of characters (女干 is in 女干部). Split keys go through the
same jieba word-edge check as the term itself.
"""

from __future__ import annotations

from itertools import combinations, product

MAX_SPLIT_CHARS = 2  # characters split at once in one key
MAX_SPLIT_KEYS = 16  # split spellings per term

TABLE = """
奸 女干
强 弓虽
妈 女马
婊 女表
嫖 女票
娼 女昌
妓 女支
奶 女乃
姐 女且
妹 女未
奴 女又
妞 女丑
妖 女夭
嫩 女敕
婚 女昏
嫁 女家
媛 女爰
淫 氵㸒
浪 氵良
液 氵夜
泡 氵包
渣 氵查
湿 氵显
操 扌喿
插 扌臿
摸 扌莫
揉 扌柔
抽 扌由
打 扌丁
射 身寸
精 米青
粉 米分
裸 衤果
裤 衤库
袜 衤末
聊 耳卯
约 纟勺
炮 火包
鸡 又鸟
鸭 甲鸟
骚 马蚤
骗 马扁
逼 辶畐
屄 尸穴
屌 尸吊
肏 入肉
胸 月匈
脱 月兑
贱 贝戋
赌 贝者
赚 贝兼
钱 钅戋
残 歹戋
死 歹匕
枪 木仓
棍 木昆
杂 九木
种 禾中
猫 犭苗
狗 犭句
猪 犭者
黑 里灬
坏 土不
蛋 疋虫
做 亻故
代 亻弋
信 亻言
伦 亻仑
处 夂卜
靠 告非
胡 古月
舔 舌忝
吹 口欠
吸 口及
性 忄生
情 忄青
欲 谷欠
加 力口
"""


def _parse(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in table.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1:
            out[parts[0]] = tuple(parts[1:])
    return out


SPLIT_FORMS: dict[str, tuple[str, ...]] = _parse(TABLE)


def split_spellings(spelling: str) -> list[str]:
    """Spellings of a Han term with one or two characters written as their components.

    Args:
        spelling: the normalized term (simplified Han characters).

    Returns:
        The split spellings (never the term itself), at most ``MAX_SPLIT_KEYS``; empty for a
        single character or a term without splittable characters.
    """
    if len(spelling) < 2:
        return []
    where = [k for k, ch in enumerate(spelling) if ch in SPLIT_FORMS]
    out: list[str] = []
    for count in range(1, MAX_SPLIT_CHARS + 1):
        for chosen in combinations(where, count):
            for forms in product(*(SPLIT_FORMS[spelling[k]] for k in chosen)):
                chars = list(spelling)
                for k, form in zip(chosen, forms, strict=True):
                    chars[k] = form
                out.append("".join(chars))
                if len(out) >= MAX_SPLIT_KEYS:
                    return out
    return out
