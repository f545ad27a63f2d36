"""Generate benchmarks/corpus/holds.tsv: comments that must be held, one evasion class each.

Terms come from the test-only lists in benchmarks/corpus/terms/ (never the shipped lists),
so the corpus measures the mechanism. Each line is a term disguised by one evasion of issue
3 (or a few combined), dropped into a typical danmaku carrier. The disguises are written
the way evaders write them, independently of the filter's own tables where that matters:
the homophones and split-radical forms below are the ones netizens use, listed by hand,
including ones the filter is designed to let through (傻比, 他吗的: see
server/moderation/homophone.py), so the recall figure is honest.

    python benchmarks/corpus/make_holds.py          # rewrites holds.tsv (fixed seed)

Columns: class, expected category, term, text. Texts never contain tabs or line breaks.
The classes of ``WRITTEN`` (contact plugs, letter tricks, aliases, plurals, censor x, word
emoji, Han masks) are written by hand and appended after the generated ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20260523
PER_CLASS = 24

# --- terms (read from the test-only lists) -------------------------------------------------


def read_terms() -> dict[str, str]:
    """Term -> category, from terms/*.txt."""
    out: dict[str, str] = {}
    for path in sorted((HERE / "terms").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out[line] = path.stem
    return out


TERMS = read_terms()
# Lists only the hand-written rows use: adding them left the generated rows as they were.
WRITTEN_ONLY = frozenset({"insult"})
GENERATED = [t for t, category in TERMS.items() if category not in WRITTEN_ONLY]
HAN = [t for t in GENERATED if all("\u4e00" <= ch <= "\u9fff" for ch in t)]
LATIN = [t for t in GENERATED if t.isascii() and t.isalpha()]
DIGITS = [t for t in GENERATED if t.isdigit()]
LONG_HAN = [t for t in HAN if len(t) >= 4]

# --- carriers: where a term sits in a comment ----------------------------------------------

HAN_CARRIERS = [
    "{}",
    "{}！",
    "主播{}",
    "{}啊",
    "你真是个{}",
    "哈哈哈{}",
    "{}！！！",
    "前面的{}",
    "{} 666",
    "笑死 {}",
    "这也太{}了",
    "弹幕：{}",
    "{}吧",
    "楼上{}",
    "我看你是{}",
    "{}？？",
    "别刷了{}",
    "{}（小声）",
]
LATIN_CARRIERS = [
    "{}",
    "{}!",
    "you {}",
    "what the {}",
    "{} lol",
    "oh {}",
    "主播{}",
    "{}啊",
    "such a {}",
    "{} 哈哈哈",
    "u r a {}",
    "真的{}",
]
DIGIT_CARRIERS = ["{}", "暗号{}", "{}!!", "来 {} 走起", "懂的都懂 {}"]


def carry(rng: random.Random, text: str, carriers: list[str]) -> str:
    return rng.choice(carriers).format(text)


# --- character tables -----------------------------------------------------------------------

FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
CIRCLED = {chr(ord("a") + k): chr(0x24D0 + k) for k in range(26)}
BOLD = {chr(ord("a") + k): chr(0x1D41A + k) for k in range(26)}
FRAKTUR = {chr(ord("a") + k): chr(0x1D586 + k) for k in range(26)}  # bold fraktur
DOUBLE_STRUCK = {chr(ord("a") + k): chr(0x1D552 + k) for k in range(26)}
SQUARED = {chr(ord("a") + k): chr(0x1F130 + k) for k in range(26)}
NEG_CIRCLED = {chr(ord("a") + k): chr(0x1F150 + k) for k in range(26)}
NEG_SQUARED = {chr(ord("a") + k): chr(0x1F170 + k) for k in range(26)}
SMALL_CAPS = dict(zip("abcdefghijklmnoprstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", strict=True))
LETTER_STYLES = [
    CIRCLED,
    BOLD,
    FRAKTUR,
    DOUBLE_STRUCK,
    SQUARED,
    NEG_CIRCLED,
    NEG_SQUARED,
    SMALL_CAPS,
]

CIRCLED_DIGITS = dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨", strict=True))
SUPERSCRIPT = dict(zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True))
DOUBLE_DIGITS = {str(k): chr(0x1D7D8 + k) for k in range(10)}
HAN_LOWER = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
HAN_LOWER_O = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
HAN_UPPER = dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖", strict=True))
DIGIT_STYLES = [CIRCLED_DIGITS, SUPERSCRIPT, DOUBLE_DIGITS, HAN_LOWER, HAN_LOWER_O, HAN_UPPER]

CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
GREEK = {"a": "α", "o": "ο", "i": "ι", "k": "κ", "t": "τ", "u": "υ", "n": "η"}
# Japanese-IME variant forms of term characters (what an evader gets typing in Japanese).
HAN_VARIANTS = {"黑": "黒", "卖": "売", "脑": "脳", "处": "処", "鸡": "鶏", "贱": "賎"}

NOISE_VISIBLE = [
    *",.!?~*-_/|;:，。！？、…～·【】「」《》￥@#%&",
    " ",
    "\u3000",
    "\u00a0",
    "⭐️",
    "✨",
    "🎉",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "❤️",
    "😂",
]
NOISE_INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\ufeff",
    "\u00ad",
    "\u034f",
]

# Homophones netizens write for these terms (hand-listed, not derived by the filter's rules).
HOMOPHONES = {
    "黑猫": ["嘿猫"],
    "傻逼": ["煞笔", "傻比", "沙比", "傻笔"],
    "操你妈": ["草泥马", "草你妈", "操尼玛", "草尼玛"],
    "他妈的": ["他吗的", "他马的", "他嘛的"],
    "你妈": ["尼玛", "泥马"],
    "王八蛋": ["王八旦", "忘八蛋"],
    "婊子": ["裱子", "表子"],
    "鸡巴": ["鸡吧", "鸡芭"],
    "做爱": ["作爱"],
    "约炮": ["约泡"],
    "强奸": ["强歼"],
    "口交": ["口胶"],
    "处女": ["处钕"],
    "贱人": ["溅人", "剑人"],
    "一夜情": ["一夜晴"],
    "操你大爷": ["草你大爷", "艹你大爷", "操尼大爷"],
    "去你妈的": ["去尼玛的", "去你马的"],
    "卖淫": ["卖银"],
    "脑残": ["脑惨"],
}
# Split-radical forms netizens write (拆字).
SPLITS = {
    "奸": "女干",
    "强": "弓虽",
    "妈": "女马",
    "婊": "女表",
    "嫖": "女票",
    "娼": "女昌",
    "操": "扌喿",
    "鸡": "又鸟",
    "炮": "火包",
    "约": "纟勺",
    "猫": "犭苗",
    "黑": "里灬",
    "做": "亻故",
    "贱": "贝戋",
    "狗": "犭句",
    "淫": "氵㸒",
    "赌": "贝者",
    "残": "歹戋",
    "死": "歹匕",
}
FILLERS = ["个", "的", "了", "都", "真", "这个", "那个", "家", "也"]
# Longer dictionary words that hold a whole term (jieba keeps them as one word).
EMBEDDED = [
    ("强奸犯", "强奸"),
    ("强奸案", "强奸"),
    ("强奸罪", "强奸"),
    ("卖淫女", "卖淫"),
    ("嫖娼案", "嫖娼"),
    ("贱人们", "贱人"),
    ("王八蛋们", "王八蛋"),
    ("约炮群", "约炮"),
    ("网赌群", "网赌"),
    ("刷单群", "刷单"),
    ("脑残粉", "脑残"),
    ("一夜情人", "一夜情"),
]
EMBED_CARRIERS = ["他是{}", "{}来了", "抓到{}了", "这个{}", "{}是吧", "纯纯{}"]

LEET = {"a": ["4", "@"], "e": ["3"], "i": ["1", "!"], "o": ["0"], "s": ["5", "$"], "t": ["7"]}


# --- transforms -------------------------------------------------------------------------------


def s2t(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("s2t").convert(text))


def pinyin(term: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return list(lazy_pinyin(term))


def case_width(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(LATIN)
    style = rng.randrange(4)
    if style == 0:
        shown = term.upper()
    elif style == 1:
        shown = "".join(ch.upper() if rng.random() < 0.5 else ch for ch in term)
        shown = shown if shown != term else term.capitalize()
    elif style == 2:
        shown = "".join(FULLWIDTH[ch] for ch in term)
    else:
        shown = "".join(FULLWIDTH[ch.upper()] for ch in term)
    return term, carry(rng, shown, LATIN_CARRIERS)


def traditional(rng: random.Random) -> tuple[str, str]:
    term = rng.choice([t for t in HAN if s2t(t) != t])
    return term, s2t(carry(rng, term, HAN_CARRIERS))


def styled_letters(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(LATIN)
    style = rng.choice(LETTER_STYLES)
    shown = "".join(style.get(ch, ch) for ch in term)
    if style in (BOLD, FRAKTUR, DOUBLE_STRUCK) and rng.random() < 0.5:
        shown = shown[0].upper() + shown[1:] if shown[0].isascii() else shown
    return term, carry(rng, shown, LATIN_CARRIERS)


def number_styles(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(DIGITS)
    style = rng.choice(DIGIT_STYLES)
    shown = "".join(style[d] for d in term)
    if rng.random() < 0.3:
        shown = "".join(FULLWIDTH[d] for d in term)
    return term, carry(rng, shown, DIGIT_CARRIERS)


def lookalike(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.6:
        term = rng.choice([t for t in LATIN if set(t) & (set(CYRILLIC) | set(GREEK))])
        table = CYRILLIC if rng.random() < 0.6 else GREEK
        chars = list(term)
        spots = [k for k, ch in enumerate(chars) if ch in table] or [0]
        for k in rng.sample(spots, k=max(1, len(spots) // 2 + rng.randrange(2)) if spots else 0):
            chars[k] = table.get(chars[k], chars[k])
        if all(a == b for a, b in zip(chars, term, strict=True)):
            other = CYRILLIC if table is GREEK else GREEK
            chars = [other.get(ch, ch) for ch in term]
        return term, carry(rng, "".join(chars), LATIN_CARRIERS)
    term = rng.choice([t for t in HAN if set(t) & set(HAN_VARIANTS)])
    shown = "".join(HAN_VARIANTS.get(ch, ch) for ch in term)
    return term, carry(rng, shown, HAN_CARRIERS)


def noise(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(HAN + LATIN)
    # Inside a Latin word, @ $ ! | are leetspeak letters and * # % masks, not noise.
    visible_noise = [n for n in NOISE_VISIBLE if not (term.isascii() and n in "@$!|*#%")]
    out = [term[0]]
    for ch in term[1:]:
        pieces: list[str] = []
        if rng.random() < 0.8:
            visible = rng.randrange(1, 4)
            pieces += [rng.choice(visible_noise) for _ in range(visible)]
        pieces += [rng.choice(NOISE_INVISIBLE) for _ in range(rng.randrange(0, 3))]
        if not pieces:
            pieces = [rng.choice(NOISE_INVISIBLE)]
        rng.shuffle(pieces)
        out.append("".join(pieces) + ch)
    shown = "".join(out)
    return term, carry(rng, shown, LATIN_CARRIERS if term.isascii() else HAN_CARRIERS)


def repeats(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(HAN + LATIN)
    chars = list(term)
    spots = rng.sample(range(len(chars)), k=rng.randrange(1, len(chars) + 1))
    for k in spots:
        chars[k] = chars[k] * rng.randrange(2, 5)
    return term, carry(rng, "".join(chars), LATIN_CARRIERS if term.isascii() else HAN_CARRIERS)


def pinyin_forms(rng: random.Random) -> tuple[str, str]:
    term = rng.choice([t for t in HAN if len(t) >= 2])
    syllables = pinyin(term)
    style = rng.randrange(5)
    if style == 0:
        shown = "".join(syllables)
    elif style == 1:
        shown = " ".join(syllables)
    elif style == 2 and len(term) >= 3:
        shown = "".join(s[0] for s in syllables)
        shown = shown.upper() if rng.random() < 0.5 else shown
    elif style == 3 and len(term) <= 4:
        k = rng.randrange(len(term))
        pairs = enumerate(zip(term, syllables, strict=True))
        shown = "".join(s if i == k else ch for i, (ch, s) in pairs)
    else:
        k = rng.randrange(len(term))
        pairs = enumerate(zip(term, syllables, strict=True))
        shown = "".join(ch if i == k else s for i, (ch, s) in pairs)
        if len(term) > 4:
            shown = "".join(syllables).capitalize()
    return term, carry(rng, shown, HAN_CARRIERS)


def homophones(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(sorted(HOMOPHONES))
    return term, carry(rng, rng.choice(HOMOPHONES[term]), HAN_CARRIERS)


def split_radicals(rng: random.Random) -> tuple[str, str]:
    term = rng.choice([t for t in HAN if len(t) >= 2 and set(t) & set(SPLITS)])
    spots = [k for k, ch in enumerate(term) if ch in SPLITS]
    chosen = set(rng.sample(spots, k=1 if len(spots) == 1 or rng.random() < 0.7 else 2))
    shown = "".join(SPLITS[ch] if k in chosen else ch for k, ch in enumerate(term))
    return term, carry(rng, shown, HAN_CARRIERS)


def filler(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(LONG_HAN)
    k = rng.randrange(1, len(term))
    shown = term[:k] + rng.choice(FILLERS) + term[k:]
    return term, carry(rng, shown, HAN_CARRIERS)


def leetspeak(rng: random.Random) -> tuple[str, str]:
    term = rng.choice([t for t in LATIN if len(t) >= 3])
    style = rng.randrange(4)
    chars = list(term)
    if style == 0:  # digits and symbols for letters
        spots = [k for k, ch in enumerate(chars) if ch in LEET] or [0]
        k = rng.choice(spots)
        chars[k] = rng.choice(LEET.get(chars[k], [chars[k]]))
        shown = "".join(chars)
    elif style == 1 and len(term) >= 4:  # a masked inner letter
        k = rng.randrange(1, len(term) - 1)
        chars[k] = rng.choice("*#%")
        shown = "".join(chars)
    elif style == 2:  # spelled out with separators
        shown = rng.choice([" ", ".", "-", "_", " . "]).join(term)
        shown = shown.upper() if rng.random() < 0.3 else shown
    else:  # leet plus a separator
        chars = [rng.choice(LEET[ch]) if ch in LEET and rng.random() < 0.5 else ch for ch in term]
        shown = rng.choice([" ", "."]).join(chars)
    return term, carry(rng, shown, LATIN_CARRIERS)


def embedded(rng: random.Random) -> tuple[str, str]:
    word, term = rng.choice(EMBEDDED)
    return term, rng.choice(EMBED_CARRIERS).format(word)


def _digits(rng: random.Random, n: int) -> str:
    while True:
        out = "".join(rng.choice("0123456789") for _ in range(n))
        if len(set(out)) >= 4:
            return out


def contact(rng: random.Random) -> tuple[str, str]:
    kind = rng.randrange(10)
    mobile = "1" + rng.choice("3456789") + _digits(rng, 9)
    if kind == 0:
        shown = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
        return "phone", rng.choice(["电话{}", "call {}", "打{}找我", "{}"]).format(shown)
    if kind == 1:
        han = "".join("零一二三四五六七八九"[int(d)] for d in mobile)
        return "phone", rng.choice(["联系{}", "{} 加我", "号码{}"]).format(han)
    if kind == 2:
        wide = "".join(FULLWIDTH[d] for d in mobile)
        return "phone", rng.choice(["+86 {}", "手机：{}", "{}"]).format(wide)
    if kind == 3:
        area = rng.choice(["010", "021", "0755", "0571", "028"])
        local = _digits(rng, 8 if len(area) == 3 else rng.choice([7, 8]))
        line = rng.choice(["{}-{}", "({}) {}", "{} {}"]).format(area, local)
        return "phone", rng.choice(["座机{}", "订票电话 {}", "{}"]).format(line)
    if kind == 4:
        num = rng.choice(["400", "800"]) + _digits(rng, 7)
        shown = f"{num[:3]}-{num[3:6]}-{num[6:]}"
        return "phone", rng.choice(["客服{}", "热线 {}", "{}"]).format(shown)
    if kind == 5:
        qq = str(rng.randrange(10_000_000, 3_000_000_000))
        return "qq", rng.choice(["QQ：{}", "加qq {}", "扣扣{}", "企鹅号 {}"]).format(qq)
    if kind == 6:
        wx = rng.choice(["abc", "wxid_", "lucky", "meimei", "dd"]) + _digits(rng, 6)
        return "wechat", rng.choice(["加V：{}", "vx {}", "wx:{}", "薇信 {}", "+v {}"]).format(wx)
    if kind == 7:
        host = rng.choice(["baidu", "example", "xxgame", "luck88", "hongbao"])
        dot = rng.choice([" dot ", " . ", "点", " 点 ", "(dot)", "。"])
        tld = rng.choice(["com", "cn", "net", "top"])
        return "url", rng.choice(["上 {} 领", "{}", "看 {}"]).format(f"{host}{dot}{tld}")
    if kind == 8:
        host = rng.choice(["example.com", "t.cn/abc123", "xx88.top/vip", "www.luck.cn"])
        scheme = rng.choice(["https://", "http://", "", "www."]) if "www" not in host else ""
        return "url", rng.choice(["戳 {}", "{} 福利", "{}"]).format(scheme + host)
    user = rng.choice(["foo", "lucky.star", "abc123", "mm_520"])
    return "email", rng.choice(["邮箱 {}", "mail {} thx", "{}"]).format(
        f"{user}@{rng.choice(['qq.com', '163.com', 'gmail.com'])}"
    )


def combined(rng: random.Random) -> tuple[str, str]:
    """Two evasions at once: traditional + noise, pinyin + repeats, width + noise..."""
    style = rng.randrange(4)
    if style == 0:
        term, text = noise(rng)
        while term.isascii():
            term, text = noise(rng)
        return term, s2t(text)
    if style == 1:
        term = rng.choice([t for t in HAN if len(t) >= 2])
        syllables = pinyin(term)
        shown = "".join(s[:-1] + s[-1] * rng.randrange(1, 4) for s in syllables)
        return term, carry(rng, shown, HAN_CARRIERS)
    if style == 2:
        term = rng.choice(LATIN)
        shown = " ".join(FULLWIDTH[ch.upper()] for ch in term)
        return term, carry(rng, shown, LATIN_CARRIERS)
    term = rng.choice(LATIN)
    style_table = rng.choice(LETTER_STYLES[:4])
    shown = "\u200b".join(style_table.get(ch, ch) for ch in term)
    return term, carry(rng, shown, LATIN_CARRIERS)


CLASSES: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "case_width": case_width,
    "traditional": traditional,
    "styled_letters": styled_letters,
    "number_styles": number_styles,
    "lookalike": lookalike,
    "noise": noise,
    "repeats": repeats,
    "pinyin": pinyin_forms,
    "homophone": homophones,
    "split_radical": split_radicals,
    "filler": filler,
    "leetspeak": leetspeak,
    "embedded_word": embedded,
    "contact": contact,
    "combined": combined,
}


# Written by hand, not generated: the disguises of issue 13 that need a person's knowledge.
# (class, term, text); the category is the term's, or "contact" for contact details.
WRITTEN: list[tuple[str, str, str]] = [
    # contact plugs: an ID after a nickname of WeChat or QQ, a platform's account, digits
    # in disguise, an address spelled out
    ("plug", "wechat", "跟拍找我 V：photo_lee77"),
    ("plug", "wechat", "薇：xiaomei2025 美甲"),
    ("plug", "wechat", "加个V abcd_8866 带你玩"),
    ("plug", "wechat", "门票转让+vx"),
    ("plug", "wechat", "绿泡泡 dj_party520 订场"),
    ("plug", "wechat", "威信：nianhui_go88"),
    ("plug", "wechat", "v lucky9527 私"),
    ("plug", "qq", "加Q：394857261 拿素材"),
    ("plug", "qq", "叩叩 6677889900 开黑"),
    ("plug", "qq", "Q群：738291045 抢红包"),
    ("plug", "qq", "群号 582910374 进来"),
    ("plug", "qq", "🐧 2938475610 组队"),
    ("plug", "account", "抖音号 dance_queen99 求关注"),
    ("plug", "account", "快手号 ks_laowang2024"),
    ("plug", "account", "关注公众号：打工人福利站"),
    ("plug", "account", "小红书搜：年会妆容分享"),
    ("plug", "account", "B站搜 社畜的年会 三连"),
    ("plug", "account", "微博@年会吐槽君 见"),
    ("plug", "account", "纸飞机 @inside_vip66"),
    ("plug", "phone", "1⃣8⃣6⃣1⃣2⃣3⃣4⃣9⃣8⃣7⃣6⃣ 订花"),
    ("plug", "phone", "幺八六 幺二三四 九八七六 接单"),
    ("plug", "phone", "❶❺❽❷❸❹❺❻❼❽❾ 代驾"),
    ("plug", "email", "稿件 zhang at qq dot com"),
    ("plug", "email", "简历 hr2026#163.com"),
    # letter tricks on English terms: v for u, ph for f, dropped and doubled letters,
    # slang spellings, symbols for letters
    ("letter_tricks", "fuck", "fvck this lineup"),
    ("letter_tricks", "fuck", "phuck the wifi"),
    ("letter_tricks", "fuck", "fuk 又卡了"),
    ("letter_tricks", "fuck", "fukk off"),
    ("letter_tricks", "fuck", "fuq that"),
    ("letter_tricks", "fuck", "fck it"),
    ("letter_tricks", "fuck", "FCUK the queue"),
    ("letter_tricks", "fuck", "ph.u.c.k"),
    ("letter_tricks", "fuck", "phvck"),
    ("letter_tricks", "bitch", "biatch 坐下"),
    ("letter_tricks", "bitch", "what a beotch"),
    ("letter_tricks", "bitch", "bytch please"),
    ("letter_tricks", "bitch", "btch move"),
    ("letter_tricks", "bitch", "b!atch"),
    ("letter_tricks", "shit", "sht happens"),
    ("letter_tricks", "shit", "shyt 又断电"),
    ("letter_tricks", "dick", "such a dik"),
    ("letter_tricks", "dick", "dikk move"),
    ("letter_tricks", "whore", "wh0r3"),
    ("letter_tricks", "slut", "$lut"),
    ("letter_tricks", "cock", "kock"),
    ("letter_tricks", "porn", "pr0n site"),
    ("letter_tricks", "bitch", "ΒΙΤCΗ 走开"),
    ("letter_tricks", "shit", "$h!t"),
    # aliases: a nickname for part of a term, and emoji typed for a character
    ("alias", "博彩", "玩菠菜的来，稳赚"),
    ("alias", "博彩", "菠菜平台注册送88"),
    ("alias", "博彩", "正规波菜，提现秒到"),
    ("alias", "博彩", "有没有玩菠菜的"),
    ("alias", "博彩", "菠菜群里天天有人赢"),
    ("alias", "博彩", "波菜导师带你翻身"),
    ("alias", "博彩", "菠菜网站靠谱吗"),
    ("alias", "博彩", "菠菜，懂的来"),
    ("alias", "狗日的", "🐶日的，谁踩我脚"),
    ("alias", "狗日的", "这🐶日的天气"),
    ("alias", "你妈死了", "你🐴死了"),
    ("alias", "他妈的", "他🐴的又停电"),
    ("alias", "你妈死了", "你🐴死了吧"),
    ("alias", "操你妈", "操你🐴"),
    ("alias", "鸡巴", "🐔巴"),
    ("alias", "操你妈", "草你🐎"),
    ("alias", "你妈", "你🐴没了"),
    ("alias", "他妈的", "他🐎的"),
    ("alias", "狗日的", "🐕日的"),
    ("alias", "鸡巴", "大🐔巴"),
    # insults whose characters are also everyday words, said of a person, beside words
    # close to those that show the everyday sense (innocent.tsv's "sense" rows)
    ("sense_near", "垃圾", "这解说就是个垃圾"),
    ("sense_near", "垃圾", "垃圾导演下台"),
    ("sense_near", "垃圾", "垃圾，分类都分不清"),
    ("sense_near", "垃圾", "你才是垃圾"),
    ("sense_near", "垃圾", "垃圾节目浪费时间"),
    ("sense_near", "垃圾", "车把垃圾都比他强"),
    ("sense_near", "废物", "队友全是废物"),
    ("sense_near", "废物", "这个废物又掉线了"),
    ("sense_near", "废物", "废物！回去练练吧"),
    ("sense_near", "神经病", "后排那个神经病别喊了"),
    ("sense_near", "神经病", "神经病变态吧"),
    ("sense_near", "神经病", "你是不是神经病"),
    ("sense_near", "神经病", "神经病院跑出来的吧"),
    ("sense_near", "脑瘫", "这操作真脑瘫"),
    ("sense_near", "脑瘫", "脑瘫编剧写的啥"),
    ("sense_near", "脑瘫", "脑瘫吧你"),
    ("sense_near", "智障", "智障操作笑死"),
    ("sense_near", "智障", "你个智障"),
    ("sense_near", "尼玛", "尼玛，又抽不到我"),
    ("sense_near", "尼玛", "我去尼玛的年会"),
    ("sense_near", "尼玛", "尼玛啊这音响"),
    ("sense_near", "尼玛", "尼玛老子又没中奖"),
    ("sense_near", "dick", "Dick move bro"),
    ("sense_near", "dick", "what a DICK"),
    # plurals of English terms (server/moderation/inflections.py)
    ("inflection", "bitch", "bitches be crazy"),
    ("inflection", "bitch", "一群bitches"),
    ("inflection", "dick", "what dicks"),
    ("inflection", "dick", "DICKS 退场"),
    ("inflection", "cock", "cocks everywhere"),
    ("inflection", "slut", "sluts 滚"),
    ("inflection", "slut", "those sluts lol"),
    ("inflection", "whore", "whores 出去"),
    ("inflection", "whore", "attention whores"),
    ("inflection", "rapist", "rapists go home"),
    ("inflection", "rapist", "lock up the rapists"),
    ("inflection", "fuck", "no fucks given"),
    ("inflection", "fuck", "zero FUCKS"),
    ("inflection", "shit", "holy shits"),
    ("inflection", "shit", "shits 又卡了"),
    ("inflection", "heck", "what the hecks"),
    ("inflection", "bitch", "b1tches"),
    ("inflection", "dick", "d!cks"),
    ("inflection", "whore", "wh0res"),
    ("inflection", "slut", "$luts"),
    # x as a censor's mark inside an English term (Fxxk)
    ("censor_x", "fuck", "Fxxk 又断网"),
    ("censor_x", "fuck", "fxck this"),
    ("censor_x", "fuck", "FXXK YOU"),
    ("censor_x", "fuck", "真的fxxk"),
    ("censor_x", "bitch", "bxtch please"),
    ("censor_x", "bitch", "what a bxxch"),
    ("censor_x", "shit", "shxt happens"),
    ("censor_x", "shit", "holy shxt 666"),
    ("censor_x", "dick", "dxck move"),
    ("censor_x", "dick", "such a dxck"),
    ("censor_x", "cock", "cxck 滚"),
    ("censor_x", "slut", "slxt 出去"),
    ("censor_x", "whore", "whxre"),
    ("censor_x", "whore", "WHXRE 走开"),
    ("censor_x", "porn", "pxrn site"),
    ("censor_x", "porn", "free pxrn"),
    ("censor_x", "rapist", "rxpist!"),
    ("censor_x", "rapist", "that rapxst"),
    ("censor_x", "heck", "what the hxck"),
    ("censor_x", "fuck", "fxxk 这麦"),
    # an emoji that pictures a word (🐶 狗), typed inside a term to break it up
    ("word_emoji", "傻逼", "傻🐶逼"),
    ("word_emoji", "傻逼", "你是傻🐷逼吗"),
    ("word_emoji", "他妈的", "他🐷妈的又停电"),
    ("word_emoji", "王八蛋", "王🐶八蛋"),
    ("word_emoji", "贱人", "贱🐷人 滚"),
    ("word_emoji", "脑残", "脑🐔残吧"),
    ("word_emoji", "婊子", "婊💩子"),
    ("word_emoji", "操你大爷", "操🐴你大爷"),
    ("word_emoji", "死全家", "死🐶全家"),
    ("word_emoji", "狗日的", "狗🐷日的天气"),
    ("word_emoji", "你妈死了", "你妈🐷死了"),
    ("word_emoji", "去你妈的", "去🐶你妈的"),
    ("word_emoji", "操你妈", "操🐂你妈"),
    ("word_emoji", "傻逼", "主播傻🐮逼"),
    ("word_emoji", "fuck", "f💩ck"),
    ("word_emoji", "shit", "sh🐶t"),
    ("word_emoji", "bitch", "b🐷tch"),
    ("word_emoji", "dick", "d💩ck move"),
    ("word_emoji", "slut", "s🐶lut"),
    ("word_emoji", "whore", "wh🐔ore"),
    # a mask between Han characters standing for one of a term's (他*的, 他X的)
    ("han_mask", "他妈的", "他*的又停电"),
    ("han_mask", "他妈的", "他X的"),
    ("han_mask", "他妈的", "他×的 什么音响"),
    ("han_mask", "他妈的", "真他#的卡"),
    ("han_mask", "王八蛋", "王*蛋"),
    ("han_mask", "王八蛋", "你个王X蛋"),
    ("han_mask", "狗日的", "狗*的主持"),
    ("han_mask", "操你妈", "操*妈"),
    ("han_mask", "操你妈", "操X妈！"),
    ("han_mask", "去你妈的", "去*妈的"),
    ("han_mask", "去你妈的", "去你*的 年会"),
    ("han_mask", "你妈死了", "你*死了"),
    ("han_mask", "你妈死了", "你妈*了吧"),
    ("han_mask", "操你大爷", "操你*爷"),
    ("han_mask", "操你大爷", "操*大爷"),
    ("han_mask", "死全家", "死*家"),
    ("han_mask", "死全家", "祝你死X家"),
    ("han_mask", "他妈的", "他※的"),
    ("han_mask", "王八蛋", "王**蛋"),
    ("han_mask", "狗日的", "狗×的天气"),
]


def generate(per_class: int = PER_CLASS, seed: int = SEED) -> list[tuple[str, str, str, str]]:
    """``(class, category, term, text)`` rows, ``per_class`` distinct texts per class."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for name, make in CLASSES.items():
        made = 0
        tries = 0
        while made < per_class and tries < per_class * 50:
            tries += 1
            term, text = make(rng)
            if text in seen or any(
                ch in text for ch in "\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
            ):
                continue
            seen.add(text)
            category = "contact" if name == "contact" else TERMS[term]
            rows.append((name, category, term, text))
            made += 1
    for name, term, text in WRITTEN:
        category = "contact" if name == "plug" else TERMS[term]
        rows.append((name, category, term, text))
    return rows


def main() -> None:
    rows = generate()
    header = (
        "# Generated by benchmarks/corpus/make_holds.py (seed "
        f"{SEED}): comments to hold. Columns: class, category, term, text.\n"
    )
    body = "".join("\t".join(row) + "\n" for row in rows)
    (HERE / "holds.tsv").write_text(header + body, encoding="utf-8")
    print(f"wrote {len(rows)} lines to {HERE / 'holds.tsv'}")


if __name__ == "__main__":
    main()
