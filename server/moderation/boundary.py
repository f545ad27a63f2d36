"""Word edges of Chinese hits: whether jieba reads a hit as parts of other words.

A hit that touches other Han characters is dropped when a word of jieba's segmentation
crosses one of its edges (路口|交通 for 口交, 参加|微信 for 加微信) and no single word holds
it whole. A longer dictionary word that holds the whole term is the term in its literal
sense (垃圾袋, 固体废物, 仲裁员, 神经病学; for a one-character term 摇滚, 滚烫, 驴打滚) unless
it is the term plus a suffix that keeps its sense (``KEEP_AFTER``: 强奸犯, 傻逼们, 滚出去) or
itself a term. jieba sees only the touching Han characters, at most ``SEGMENT_WINDOW`` on
each side, and is asked nothing when the hit touches none (a standalone hit is a hit,
however it is read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from server.moderation import segment
from server.moderation.matcher import Hit
from server.moderation.skeleton import K_CJK, Skeleton

# CJK characters on each side of a hit that jieba gets to see: enough for a word of four
# characters (an idiom, 成语) to reach across an edge. A longer word doing so is rare, and
# missing one only keeps a hit. Against 8, the same verdicts on 20,000 test strings, and
# half the dictionary look-ups per decision.
SEGMENT_WINDOW: Final = 3

DOUBLED_WORD_FREQ: Final = 100  # 妈妈 4,525, 哥哥, 宝宝: a doubled character that is a word

# What may follow a term inside a longer dictionary word that still means the term: a
# person (强奸犯, 傻逼们, 贱货), a crime (强奸罪), a direction or result (滚出去, 滚下,
# 滚蛋), a particle (去死吧).
KEEP_AFTER: Final = frozenset("犯罪案者们狂鬼货佬精样下出开回远蛋吧啊呀")
# What may stand before a term inside such a word: an adverb or an intensifier (快滚, 真傻).
KEEP_BEFORE: Final = frozenset("快真大老死臭")


def compound_keeps(word: str, at: int) -> bool:
    """Whether the longer dictionary ``word`` holding a term at offset ``at`` means the term.

    The term must open the word and be followed by one of ``KEEP_AFTER``, or close it
    after one of ``KEEP_BEFORE``, or the word must be a term itself (他妈的 around 他妈);
    any other word holding it is the literal sense.
    """
    if segment.is_term(word):
        return True
    if at == 0:
        return any(
            segment.is_term(word[:cut]) and word[cut] in KEEP_AFTER for cut in range(1, len(word))
        )
    return at == 1 and word[0] in KEEP_BEFORE and segment.is_term(word[1:])


def han_window(sk: Skeleton, start: int, end: int) -> tuple[int, int]:
    """The skeleton range jieba sees around ``start..end``: the Han characters touching it.

    Returns:
        ``(lo, hi)`` with ``lo <= start`` and ``end <= hi``; ``(start, end)`` itself when
        no Han character touches the range (no noise between).
    """
    n = len(sk.text)
    if sk.solid_han:  # Han characters only, none apart: the window is a clamp
        return max(0, start - SEGMENT_WINDOW), min(n, end + SEGMENT_WINDOW)
    lo = start
    while lo > 0 and start - lo < SEGMENT_WINDOW and sk.kind[lo - 1] == K_CJK and sk.gap[lo] == 0:
        lo -= 1
    hi = end
    while hi < n and hi - end < SEGMENT_WINDOW and sk.kind[hi] == K_CJK and sk.gap[hi] == 0:
        hi += 1
    return lo, hi


def inside_longer_word(sk: Skeleton, hit: Hit) -> bool:
    """Whether jieba reads a Chinese hit as parts of other words (路口|交通 for 口交).

    Repeats decide what jieba sees. One character doubled once is read as written,
    without the doubled character at an edge: 妈妈的 and 其他妈妈的 are 妈妈 plus 的, not
    a term 妈的 or 他妈的. Repeats that look like an evasion (two characters repeated,
    or one three times: 傻傻逼逼, 兼职职职日日日结结) are read as the term itself.
    """
    if not sk.repeats:  # the usual case: the hit is read as written
        return straddles(sk, hit.start, hit.end, compound_keeps)
    if (hit.core_start, hit.core_end) == (hit.start, hit.end) and han_window(
        sk, hit.start, hit.end
    ) == (hit.start, hit.end):
        return False  # a standalone hit is a hit, however it is read
    runs = hit.entry.runs
    extras = []
    for k, need in enumerate(runs):
        run_s = sk.run_start[hit.first + k]
        run_e = run_s + sk.run_len[hit.first + k]
        extras.append(min(run_e, hit.end) - max(run_s, hit.start) - need)
    chars = sk.collapsed[hit.first : hit.first + len(runs)]
    if sum(1 for extra in extras if extra > 0) >= 2 or max(extras) >= 2:
        term = "".join(ch * r for ch, r in zip(chars, runs, strict=True))
        return straddles(sk, hit.start, hit.end, compound_keeps, term)
    if len(runs) == 1 and extras[0] == 1 and segment.freq(chars * 2) >= DOUBLED_WORD_FREQ:
        return True  # a one-character term doubled into a word of its own (滚滚长江)
    for k in range(1, len(runs) - 1):
        # One inner character doubled into a word of its own (他妈妈的: 妈妈) is that word:
        # collapsing it would make a term that is not there.
        if extras[k] == 1 and segment.freq(chars[k] * 2) >= DOUBLED_WORD_FREQ:
            return True
    exact = hit.core_end - hit.core_start == sum(runs)
    return straddles(sk, hit.core_start, hit.core_end, compound_keeps, weigh=exact)


def han_part_straddles(sk: Skeleton, start: int, end: int) -> bool:
    """Whether a common word crosses the edges of a mixed hit's Han part (附加QQ for 加QQ).

    ``start..end`` is the Han part of the hit (its Latin part has word edges of its own).
    """
    lo, hi = han_window(sk, start, end)
    if (lo, hi) == (start, end):
        return False
    return segment.common_word_across(sk.text[lo:hi], start - lo, end - lo)


def straddles(
    sk: Skeleton,
    start: int,
    end: int,
    longer_word_holds: bool | Callable[[str, int], bool],
    middle: str | None = None,
    weigh: bool = True,
) -> bool:
    """Whether skeleton range ``start..end``, read as ``middle``, straddles jieba words.

    ``middle`` None reads the range as written. See :func:`segment.straddles` for
    ``longer_word_holds`` and ``weigh``; call :func:`segment.prepare` first.
    """
    lo, hi = han_window(sk, start, end)
    if (lo, hi) == (start, end):
        return False  # nothing touches it: a standalone hit is a hit
    text = sk.text
    if middle is None:
        return segment.straddles(text[lo:hi], start - lo, end - lo, longer_word_holds, weigh)
    before = text[lo:start]
    window = before + middle + text[end:hi]
    return segment.straddles(
        window, len(before), len(before) + len(middle), longer_word_holds, weigh
    )
