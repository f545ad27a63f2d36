"""Per-character normalization: what one character of a comment (or a term) stands for.

Every character is mapped once, then remembered: NFKC (full width, circled and math letters,
superscript digits, Kangxi radicals), case folding, variant characters to their standard form
(the Japanese, Taiwanese and Hong Kong variant tables that ship with OpenCC, read backwards:
黒 is 黑, 剣 is 劍), traditional to simplified (one character to one character, so the index
map back to the original text stays trivial), look-alike Cyrillic/Greek letters and small
capitals to Latin, and the few emoji typed for a word (🐧 for QQ, 🐴 for 马) to that word.
The result is the character's text plus a class saying how the skeleton builder treats it
(noise to skip, a letter, a digit, a Han character, a leetspeak symbol...).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path
from typing import Final

# Classes of a normalized character.
NOISE0: Final = 0  # invisible (zero-width, joiners, selectors, marks): no gap
NOISE: Final = 1  # punctuation, spaces, symbols, emoji: skipped between a term's characters
WORD: Final = 2  # a letter of an alphabetic script (Latin after folding)
DIGIT: Final = 3  # 0-9 (leetspeak inside a word)
CJK: Final = 4  # Han, kana, hangul: no spaces between words, so no word boundary from the text
LEET: Final = 5  # @ and $: letters anywhere inside a word run, noise elsewhere
LEET_INNER: Final = 6  # ! and |: letters only strictly inside a word run ("sh!t", not "darn!")
MASK: Final = 7  # * # _ %: a masked letter strictly inside a word run ("d*rn")
APOS: Final = 8  # apostrophes: part of a word strictly inside it ("it's"), noise elsewhere

# What a text writes for a masked Han character between two others (他*的 for 他妈的): the
# masks, the times and reference marks of Chinese typesetting, and a lone x (他X的). Only
# right between two Han characters: elsewhere × and ※ are noise and x a letter (X光, 小X).
HAN_MASKS: Final = frozenset("*#_%×※")
HAN_MASK_LETTER: Final = "x"

# Private-use characters never survive from the input (they are noise), so they are safe
# sentinels in the skeleton.
WILDCARD: Final = "\ue000"  # a masked letter or Han character: matched by keys with it masked
I_OR_L: Final = "\ue001"  # "1" or "|" inside a word: stands for i or l

LEET_MAP: Final[dict[str, str]] = {
    "0": "o",
    "1": I_OR_L,
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": I_OR_L,
}

_SPECIAL_CLASS: Final[dict[str, int]] = {
    "@": LEET,
    "$": LEET,
    "!": LEET_INNER,
    "|": LEET_INNER,
    "*": MASK,
    "#": MASK,
    "_": MASK,
    "%": MASK,
    "'": APOS,
    "\u2019": APOS,  # right single quotation mark, the usual typographic apostrophe
    "\u02bc": APOS,  # modifier letter apostrophe
    "\u2018": APOS,
}

# Look-alike letters (after case folding) written in place of Latin ones.
HOMOGLYPHS: Final[dict[str, str]] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "ɡ": "g",
    "ɑ": "a",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ω": "w",
    "μ": "u",
    # Latin letters without a decomposition to a base letter
    "ı": "i",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "ħ": "h",
    "ƒ": "f",
    # Armenian
    "օ": "o",
    "ս": "u",
    "հ": "h",
    "ո": "n",
}

# Capital Greek letters whose small form looks like another Latin letter than the capital
# does: Η is H (η would read n), Ν is N, Μ is M, Υ is Y; Ζ has no small look-alike.
UPPER_HOMOGLYPHS: Final[dict[str, str]] = {"Η": "h", "Ν": "n", "Μ": "m", "Υ": "y", "Ζ": "z"}

# Emoji typed for a word, read as that word instead of as noise: 加🐧 is 加QQ, 草泥🐴 is
# 草泥马, 🐶东西 is 狗东西 (Baidu Baike and Moegirlpedia document each as internet slang).
# Only emoji whose reading is the word itself; other emoji stay noise between characters.
EMOJI_WORDS: Final[dict[str, tuple[str, int]]] = {
    "🐧": ("qq", WORD),
    "🐴": ("马", CJK),
    "🐎": ("马", CJK),
    "🐶": ("狗", CJK),
    "🐕": ("狗", CJK),
    "🐔": ("鸡", CJK),
    "🐓": ("鸡", CJK),
    "🐷": ("猪", CJK),
    "🐖": ("猪", CJK),
    "💩": ("屎", CJK),
    "🌿": ("草", CJK),
    "🐂": ("牛", CJK),
    "🐮": ("牛", CJK),
}

_SKIN_TONES: Final = range(0x1F3FB, 0x1F400)
_SMALL_CAPITAL: Final = "LATIN LETTER SMALL CAPITAL "
# Squared and negative circled/squared letters have no NFKC mapping: 🄰 🅐 🅰 are a.
_STYLED_LETTER_STARTS: Final = (0x1F130, 0x1F150, 0x1F170)
_T2S_FILE: Final = ("dictionary", "TSCharacters.txt")
# OpenCC's variant tables map a standard traditional character to a regional variant; read
# backwards they fold the variant (a look-alike evaders pick from a Japanese IME) to standard.
_VARIANT_FILES: Final = (
    ("dictionary", "JPVariants.txt"),
    ("dictionary", "TWVariants.txt"),
    ("dictionary", "HKVariants.txt"),
)

_t2s: dict[str, str] | None = None
_t2s_lock = threading.Lock()
_cache: dict[str, tuple[str, int]] = {}
MAX_CACHED_CHARS: Final = 100_000


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces (Han, kana, hangul).

    Args:
        ch: one character.

    Returns:
        True for CJK radicals, kana, unified and compatibility ideographs, hangul.
    """
    o = ord(ch)
    return (
        0x2E80 <= o < 0xA000
        or 0xAC00 <= o < 0xD7B0
        or 0xF900 <= o < 0xFB00
        or 0x20000 <= o < 0x40000
    )


def _t2s_table() -> dict[str, str]:
    """OpenCC's traditional-to-simplified character table, one character to one, plus variants.

    Read straight from the ``t2s`` character dictionary shipped with opencc (a few
    milliseconds); phrase-level conversions are left out on purpose, since they may change
    the length of the text. Regional variant forms (``黒``) map to the simplified form of the
    standard character they stand for, unless the variant is itself a Chinese character of
    its own (the Japanese ``芸`` for ``藝`` is also the Chinese ``芸``, so it is left alone).
    """
    global _t2s
    if _t2s is not None:
        return _t2s
    with _t2s_lock:
        if _t2s is None:
            _t2s = _read_t2s()
    return _t2s


def _read_t2s() -> dict[str, str]:
    import opencc

    table: dict[str, str] = {}
    path = Path(opencc.__file__).parent.joinpath(*_T2S_FILE)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return _t2s_by_converter()
    for line in lines:
        source, _, targets = line.partition("\t")
        first = targets.split(" ", 1)[0]
        if len(source) == 1 and len(first) == 1 and source != first:
            table[source] = first
    for variant, standard in _variants(path.parent.parent).items():
        table.setdefault(variant, table.get(standard, standard))
    return table


def _variants(root: Path) -> dict[str, str]:
    """Variant character to standard character, from OpenCC's variant tables read backwards.

    Args:
        root: the opencc package directory.

    Returns:
        One-character variants that are no Chinese character of their own, each with its
        standard character. A character of GB2312 (simplified) or Big5 (traditional) is a
        Chinese character of its own: the Japanese 欠 for 缺 is also the Chinese 欠, "owe".
    """
    out: dict[str, str] = {}
    for parts in _VARIANT_FILES:
        try:
            text = root.joinpath(*parts).read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            standard, _, variants = line.partition("\t")
            for variant in variants.split():
                if len(standard) == 1 and len(variant) == 1 and not _is_chinese(variant):
                    out.setdefault(variant, standard)
    return out


def _is_chinese(ch: str) -> bool:
    """Whether ``ch`` is in GB2312 or Big5, the standard Chinese character sets."""
    for codec in ("gb2312", "big5"):
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def _t2s_by_converter() -> dict[str, str]:
    """Fallback when the dictionary file moved: convert the CJK block char by char once."""
    import opencc

    converter = opencc.OpenCC("t2s")
    table: dict[str, str] = {}
    for o in range(0x4E00, 0xA000):
        ch = chr(o)
        out = converter.convert(ch)
        if len(out) == 1 and out != ch:
            table[ch] = out
    return table


def _classify(o: str) -> int:
    """The class of one already-normalized character."""
    special = _SPECIAL_CLASS.get(o)
    if special is not None:
        return special
    if "0" <= o <= "9":
        return DIGIT
    category = unicodedata.category(o)
    if category in ("Cf", "Mn", "Me") or ord(o) in _SKIN_TONES:
        return NOISE0
    if category[0] in "LN":
        return CJK if is_cjk(o) else WORD
    return NOISE


def _compute(ch: str) -> tuple[str, int]:
    """Normalize and classify one character (uncached)."""
    o = ord(ch)
    word = EMOJI_WORDS.get(ch)
    if word is not None:
        return word
    upper = UPPER_HOMOGLYPHS.get(ch)
    if upper is not None:
        return upper, WORD
    for start in _STYLED_LETTER_STARTS:
        if start <= o < start + 26:
            return chr(ord("a") + o - start), WORD
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ch).casefold())
    if len(folded) == 1:
        cls = _classify(folded)
        if cls == WORD:
            folded = folded if folded.isascii() else _latin_base(folded)
        elif cls == CJK:
            folded = _t2s_table().get(folded, folded)
        return folded, cls
    # One character that expands (ﬀ, ℡, ⑩, ½): keep its letters, digits and Han characters.
    kept: list[str] = []
    classes: set[int] = set()
    for part in folded:
        cls = _classify(part)
        if cls in (WORD, DIGIT, CJK):
            kept.append(_t2s_table().get(part, part) if cls == CJK else _latin_base(part))
            classes.add(cls)
    if not kept:
        return "", NOISE0 if all(_classify(part) == NOISE0 for part in folded) else NOISE
    if CJK in classes:
        return "".join(kept), CJK
    return "".join(kept), DIGIT if classes == {DIGIT} else WORD


def _latin_base(letter: str) -> str:
    """A look-alike or accented letter as its plain Latin letter ("ü" is u, "а" is a)."""
    mapped = HOMOGLYPHS.get(letter)
    if mapped is not None:
        return mapped
    base = unicodedata.normalize("NFD", letter)[0]
    if base.isascii() and base.isalpha():
        return base
    # "Fancy text" small capitals (ᴅᴀʀɴ) have no NFKC mapping: read the letter off the name.
    name = unicodedata.name(letter, "")
    if name.startswith(_SMALL_CAPITAL) and len(name) == len(_SMALL_CAPITAL) + 1:
        return name[-1].lower()
    return letter


def char_info(ch: str) -> tuple[str, int]:
    """What one character of the input stands for.

    Args:
        ch: one character, as typed.

    Returns:
        ``(text, cls)``: the normalized text (usually one character, sometimes more for
        ligatures and compatibility characters, empty for noise) and its class, one of the
        module's class constants.
    """
    got = _cache.get(ch)
    if got is None:
        got = _compute(ch)
        if len(_cache) < MAX_CACHED_CHARS:  # a flood of rare characters must not grow it forever
            _cache[ch] = got  # a plain dict: racing threads only compute the same value twice
    return got


# The blocks most Chinese text is written in: CJK unified ideographs and extension A.
HAN_BLOCKS: Final = ((0x3400, 0x4DC0), (0x4E00, 0xA000))


def _unchanged_han() -> list[int]:
    """The code points of ``HAN_BLOCKS`` that normalize to themselves, as Han characters.

    Simplified characters and most traditional ones without a simplified form: some 23,600
    of 27,600, worked out in about 50 ms (and not cached one by one).
    """
    return [
        point
        for lo, hi in HAN_BLOCKS
        for point in range(lo, hi)
        if _compute(chr(point)) == (chr(point), CJK)
    ]


def _class_of(points: list[int]) -> str:
    """A regular expression class of sorted code points, written as ranges."""
    parts: list[str] = []
    start = end = points[0]
    for point in [*points[1:], -1]:
        if point == end + 1:
            end = point
            continue
        parts.append(chr(start) if start == end else f"{chr(start)}-{chr(end)}")
        start = end = point
    return f"[{''.join(parts)}]"


# Han characters that each stand for themselves, one or more: most danmaku are a run of
# them. Such a comment is its own normalized text, so the filter can skip translating it
# character by character: one match at C speed, one bitmap look-up per character.
_UNCHANGED_HAN_CLASS: Final = _class_of(_unchanged_han())
UNCHANGED_HAN: Final = re.compile(_UNCHANGED_HAN_CLASS + "+")

# Where the punctuation, symbols and emoji of danmaku live (no letters or digits there
# are noise: char_info says which).
_NOISE_BLOCKS: Final = (
    (0x20, 0x7F),
    (0xA0, 0x100),
    (0x2010, 0x2060),
    (0x2190, 0x2C00),
    (0x3000, 0x3040),
    (0xFE30, 0xFE70),
    (0xFF01, 0xFF66),
    (0x1F000, 0x1FB00),
)


def _plain_noise() -> list[int]:
    """Visible noise of ``_NOISE_BLOCKS``, and the symbols that are noise without letters."""
    return [
        point
        for lo, hi in _NOISE_BLOCKS
        for point in range(lo, hi)
        if _compute(chr(point))[1] in (NOISE, LEET, LEET_INNER, MASK, APOS)
    ]


# Han characters that stand for themselves and visible noise, with no letter, digit or
# invisible character: "主播你妈，死了！" Each noise character is a gap of one.
HAN_AND_NOISE: Final = re.compile(f"(?:{_UNCHANGED_HAN_CLASS}|{_class_of(_plain_noise())})+")


def preload() -> None:
    """Load the traditional-to-simplified table now (a few ms), not on the first comment."""
    _t2s_table()
