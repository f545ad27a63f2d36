"""Homophones: 嘿猫 for 黑猫, 草泥马 for 操你妈, without holding 口角 for 口交 or 他骂的 for 他妈的.

How candidates are found
    Every Han character is given a code for its toneless syllable (its first reading in
    pypinyin's character table: 嘿 and 黑 are both ``hei``, 草 and 操 both ``cao``). A term of
    two Han characters or more gets keys made of its syllable codes (the readings it has in
    the term, as pypinyin reads the whole word, and each character's own first reading), and a
    second Aho-Corasick pass over the skeleton, translated to codes, finds every run of
    characters that sounds like a term. Nothing is written by hand: the candidates are every
    same-sound character pypinyin knows. Only contiguous characters count (invisible
    characters aside): noise inside a homophone is not skipped.

Why most candidates are not held
    Toneless syllables are few (about 400) and Chinese is full of same-sound pairs, so "sounds
    like a term" alone holds ordinary text all the time (这匹马的 sounds like 妈的, 停车坐爱
    like 做爱). A candidate is held only when the text shows signs that the writer meant the
    term, judged with jieba's word frequencies (``jieba.dt.FREQ``, the frequency ``f`` of a
    character used as a word):

    * A substituted character is *rare* when it is no more frequent than the character it
      stands for (``f(嘿) <= f(黑)``): a writer who means the ordinary word uses the ordinary
      character, while an evader reaches for a same-sound one the sentence does not need.
      A substitute more frequent than the original (毛 for 猫, 马 for 妈, 比 for 逼) is
      *common*: the text most likely means that character literally.
    * A term character with ``f >= FUNCTION_FREQ`` (的, 你, 他) is a *function* character.
      Kept literally it proves nothing; replaced, it counts only when the stand-in is at least
      ``FUNCTION_RATIO`` times rarer (尼 for 你 counts, 她 for 他 does not).
    * *Evidence* is the number of kept content characters plus rare substitutes.

    A candidate is held when, besides passing the allow list and the jieba word-edge check
    that literal hits get (a homophone inside a longer word, 黑|帽子, is no homophone):

    * the term has four characters or more and one of them is kept or a rare substitute
      (去你马的: four syllables in a row are no chance likeness);
    * the term has three characters or more, two of them content characters, and the evidence
      is at least 1 (草你大爷, 草泥马: an ordinary phrase that sounds exactly like a long term
      is rare, and a dictionary word that does, like 草泥马, is the coined evasion itself);
    * otherwise (two-character terms, and terms with a single content character such as
      他妈的) the evidence is at least 2, no substitute is common, and a two-character text
      is not itself a dictionary word with ``f >= COMMON_WORD_FREQ`` (口角, 几把, 黑马) nor,
      when only one of its two characters is replaced, a change of tone (黑帽 for 黑猫: an
      evader who changes one character of a short term keeps its sound exact, 嘿猫, 约泡,
      强歼, 裱子).

    So 嘿猫 holds (猫 kept, 嘿 rare), 黑毛 passes (毛 common), 尼玛 holds (尼 a rare stand-in
    for 你, 玛 rare), 麻的 passes (的 is a function character: evidence 1), 他骂的 passes (骂
    is common). The price is recall on evasions built from very common characters (傻比,
    他吗的): list those spellings explicitly if they matter. Ordinary phrases built only from
    rare, same-tone substitutes (停车坐爱枫林晚 for 做爱) can still be held; the allow list is
    the answer for those.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import product
from typing import Final

from server.moderation.pinyin import read_aloud

FUNCTION_FREQ: Final = 100_000  # 的 318825, 你 234587, 他 401339, 个 125538, 那 111550
FUNCTION_RATIO: Final = 20  # 尼 (2819) stands in for 你 (234587); 她 for 他 does not count
COMMON_WORD_FREQ: Final = 10  # 口角 150, 几把 113, 黑马 192; slang like 煞笔 3, 沙比 6 is below
LONG_TERM: Final = 4  # four syllables in a row are no chance likeness: one kept character is enough
MAX_KEYS_PER_TERM: Final = 16  # reading choices per term (heteronyms), kept small
_CODE_BASE: Final = 0xF0000  # supplementary private use: never in a skeleton (noise there)
# Every syllable code lies in this range (there are some 400 syllables).
CODE_FIRST, CODE_LAST = chr(_CODE_BASE), chr(_CODE_BASE + 0xFFFF)
_TONE_MARKS: Final = frozenset("\u0300\u0301\u0304\u030c")

_lock = threading.Lock()
_readings: dict[int, str] | None = None
_codes: dict[int, str] | None = None
_code_of_syllable: dict[str, str] = {}


def toneless(reading: str) -> str:
    """A pypinyin reading without its tone mark, ``ü`` written ``v`` (``nǚ`` is ``nv``).

    Args:
        reading: one syllable with a tone mark, as in pypinyin's tables.

    Returns:
        The plain syllable.
    """
    decomposed = unicodedata.normalize("NFD", reading)
    plain = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", plain).replace("ü", "v")


def _pinyin_readings() -> dict[int, str]:
    """The readings pypinyin gives each character, imported on first use (they are big)."""
    global _readings
    if _readings is None:
        from pypinyin.pinyin_dict import pinyin_dict

        _readings = pinyin_dict
    return _readings


def _build() -> dict[int, str]:
    pinyin_dict = _pinyin_readings()

    # Characters share their readings strings (some 8,600 for 42,000 characters): each
    # string's first syllable is worked out once.
    first = {
        readings: toneless(readings.split(",", 1)[0]) for readings in set(pinyin_dict.values())
    }
    code_of = {s: chr(_CODE_BASE + k) for k, s in enumerate(sorted(set(first.values())))}
    _code_of_syllable.update(code_of)
    code_of_readings = {readings: code_of[s] for readings, s in first.items()}
    return {point: code_of_readings[readings] for point, readings in pinyin_dict.items()}


def code_table() -> dict[int, str]:
    """The ``str.translate`` table from a Han character to its syllable code (built once).

    Returns:
        Code point to code character; characters pypinyin does not know are absent.
    """
    global _codes
    if _codes is None:
        with _lock:
            if _codes is None:
                _codes = _build()
    return _codes


def syllable_code(syllable: str) -> str | None:
    """The code character of a toneless syllable (``hei``), or None for a non-syllable."""
    code_table()
    return _code_of_syllable.get(syllable)


def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows (``hei``, ``mao``, ``nv``...)."""
    code_table()
    return frozenset(_code_of_syllable)


@lru_cache(maxsize=4096)  # the words around pinyin hits: the same few, over and over
def is_pinyin_word(word: str) -> bool:
    """Whether a Latin word splits into pinyin syllables (``heimao`` yes, ``made`` yes, ``it`` no).

    Args:
        word: lower-case ASCII letters.

    Returns:
        True when the whole word is a sequence of syllables.
    """
    code_table()
    known = _code_of_syllable
    n = len(word)
    ok = [False] * (n + 1)
    ok[0] = True
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            if ok[start] and word[start:end] in known:
                ok[end] = True
                break
    return ok[n]


def term_code_keys(spelling: str, runs: tuple[int, ...]) -> list[str]:
    """The syllable-code keys of a collapsed Han term.

    Args:
        spelling: the term's collapsed key (one character per run).
        runs: the run lengths of the key, to rebuild the term pypinyin reads in context.

    Returns:
        Code strings, one per choice of reading; empty when a character has no reading or
        the term is shorter than two characters.
    """
    if len(spelling) < 2:
        return []
    codes = code_table()
    full = "".join(ch * r for ch, r in zip(spelling, runs, strict=True))
    readings = read_aloud(full)
    if len(readings) != len(full):
        return []
    choices: list[list[str]] = []
    at = 0
    for ch, run in zip(spelling, runs, strict=True):
        options: list[str] = []
        own = codes.get(ord(ch))
        if own is None:
            return []
        options.append(own)
        in_context = syllable_code(readings[at].replace("ü", "v"))
        if in_context is not None and in_context != own:
            options.append(in_context)
        choices.append(options)
        at += run
    keys = ["".join(pick) for pick in product(*choices)]
    return keys[:MAX_KEYS_PER_TERM]


class Judge:
    """Decides whether a same-sound candidate shows enough intent to be held.

    Args:
        freq: the frequency of a word or character as a word (0 when unknown); jieba's.
    """

    def __init__(self, freq: Callable[[str], int]) -> None:
        self._freq = freq
        # Per term (the filter's own, so a bounded few): each character's frequency, and
        # whether it is a function word.
        self._term_chars: dict[str, tuple[tuple[int, bool], ...]] = {}

    def _chars_of(self, term: str) -> tuple[tuple[int, bool], ...]:
        """Each character of ``term``: its frequency, and whether it is a function word."""
        chars = self._term_chars.get(term)
        if chars is None:
            freqs = [self._freq(t) for t in term]
            chars = tuple((ft, ft >= FUNCTION_FREQ) for ft in freqs)
            self._term_chars[term] = chars
        return chars

    def holds(self, term: str, text: str) -> bool:
        """Whether ``text`` (same length, same sounds) stands for ``term`` in this reading.

        Args:
            term: the term's collapsed key (simplified Han characters).
            text: the characters of the text at the candidate, collapsed the same way.

        Returns:
            True when the rules of this module's docstring hold it.
        """
        if len(term) != len(text) or term == text:
            return False
        freq = self._freq
        evidence = 0
        common = 0
        content = 0
        substituted: list[tuple[str, str]] = []
        for t, c, (ft, function) in zip(term, text, self._chars_of(term), strict=True):
            if not function:
                content += 1
            if c == t:
                if not function:
                    evidence += 1
                continue
            substituted.append((t, c))
            fc = freq(c)
            if function:
                if fc * FUNCTION_RATIO <= ft:
                    evidence += 1
            elif fc <= ft:
                evidence += 1
            else:
                common += 1
        if len(term) >= LONG_TERM:
            return evidence >= 1 or len(substituted) < len(term)
        if len(term) >= 3 and content >= 2:
            return evidence >= 1
        if evidence < 2 or common:
            return False
        if len(text) != 2:
            return True
        if len(substituted) == 1 and not same_tone(*substituted[0]):
            return False
        return freq(text) < COMMON_WORD_FREQ

    def looks_meant(self, term: str, text: str) -> bool:
        """Whether a look-alike spelling (one character swapped for a near-twin) is meant.

        The twin is rarer than the character it stands for (徽 for 微, 栽 for 裁), or a
        content character of the term stands beside it (拉 for 垃 next to 圾): a common
        character next to function words only (吗 after 你) is most likely itself.

        Args:
            term: the term's collapsed key.
            text: the text's characters at the hit, collapsed the same way.
        """
        chars = self._chars_of(term)
        kept_content = False
        for t, c, (ft, function) in zip(term, text, chars, strict=True):
            if c == t:
                kept_content = kept_content or not function
            elif self._freq(c) > ft and (self._freq(c) >= FUNCTION_FREQ or not kept_content):
                rarer_elsewhere = False
                for t2, c2, (_, function2) in zip(term, text, chars, strict=True):
                    if c2 == t2 and not function2:
                        rarer_elsewhere = True
                if not rarer_elsewhere:
                    return False
        return True


def same_tone(a: str, b: str) -> bool:
    """Whether two characters share a reading, tone included (嘿 and 黑; not 帽 and 猫).

    Args:
        a: one Han character.
        b: another.

    Returns:
        True when some reading of one is a reading of the other.
    """
    pinyin_dict = _pinyin_readings()
    ra = pinyin_dict.get(ord(a), "")
    rb = pinyin_dict.get(ord(b), "")
    return bool(ra and rb and set(ra.split(",")) & set(rb.split(",")))
