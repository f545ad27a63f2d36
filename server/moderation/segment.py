"""jieba, only where a Chinese hit needs a word-boundary decision (路口交通 holds 口交).

jieba is imported lazily (it costs a fifth of a second) and initialised once per process
(most of a second), quietly: the console is a full-screen terminal app, so jieba's own
stderr handler is replaced by a NullHandler and its records go through the app's logging.
The filter's terms are added to jieba's dictionary so that a term beside a character it
could pair with ("真傻逼") is still cut as a word of its own.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, Final

from server.moderation.edge_pairs import EdgePairs

# How much likelier (in natural log) jieba's reading across a hit's edge must be than the
# reading with the hit as a word for the hit to be dropped: e**2.5 is about 12 times.
MARGIN: Final = 2.5
# A word this frequent across a coined term's edge decides alone (参加 22,828, 先进, 附加
# 431; not 真傻 3 in 真傻逼).
COMMON: Final = 100

_lock = threading.Lock()
_jieba: Any = None
_added: set[str] = set()
# A taught term's frequency before it was taught (0 for 加微信, 1,165 for 垃圾): 0 marks a
# coined term, which a common word reaching into it outweighs (参加|微信).
_natural: dict[str, int] = {}
_edges = EdgePairs((), ())  # rebuilt by prepare() whenever it teaches jieba new words


def _quiet_jieba() -> Any:
    """Import jieba with its console logging switched off."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                logger = logging.getLogger("jieba")
                for handler in list(logger.handlers):
                    stream = getattr(handler, "stream", None)
                    if stream in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__):
                        logger.removeHandler(handler)
                logger.addHandler(logging.NullHandler())
                _jieba = jieba
    return _jieba


def prepare(words: Iterable[str]) -> None:
    """Initialise jieba and teach it the filter's Chinese terms (idempotent, thread-safe).

    Args:
        words: normalized CJK terms, each added once per process with the frequency jieba
            suggests for keeping it whole.
    """
    global _edges
    jieba = _quiet_jieba()
    jieba.initialize()
    with _lock:
        new = [word for word in words if word not in _added]
        for word in new:
            _natural.setdefault(word, int(jieba.dt.FREQ.get(word) or 0))
            jieba.add_word(word)
            _added.add(word)
        if new:  # the new words are in the dictionary now, and their edges are asked about
            _edges = EdgePairs(jieba.dt.FREQ, _added)


def freq(word: str) -> int:
    """The frequency of a word or character in jieba's dictionary (0 when unknown).

    Call :func:`prepare` first; before jieba is initialised every frequency is 0.

    Args:
        word: a word or a single character.

    Returns:
        Its count in jieba's dictionary (terms added by :func:`prepare` included).
    """
    value = _quiet_jieba().dt.FREQ.get(word)
    return int(value) if value else 0


def is_term(word: str) -> bool:
    """Whether ``word`` is one of the terms :func:`prepare` taught jieba."""
    return word in _added


def straddles(
    text: str,
    start: int,
    end: int,
    longer_word_holds: bool | Callable[[str, int], bool] = True,
    weigh: bool = True,
) -> bool:
    """Whether jieba reads ``text[start:end]`` as parts of other words (路口|交通 for 口交).

    A hit straddles when the best segmentation puts a word across one of its edges, no
    single word holds the whole hit, and the reading with the hit cut out as a word of
    its own is clearly less likely: by more than ``MARGIN`` in jieba's log-probability.
    So 路口|交通 (12 below) and 到处|女生 (5) drop their hits, while 贱|人们 (0.6: 贱人们 is
    贱人 plus a plural) and 约|炮群 (1.8) keep theirs. A longer word holding the whole term
    (强奸犯) keeps the hit.

    Uses the dictionary only (no HMM): a word the HMM invents from unknown characters is no
    evidence of an innocent longer word.

    Args:
        text: a short run of CJK characters around the hit.
        start: the hit's first offset in ``text``.
        end: one past its last offset.
        longer_word_holds: whether a longer word holding the whole hit keeps it; a
            homophone inside a longer word (毛衣, 口角炎) is that word, so homophone hits
            pass False. A function decides per word: it gets the longer word and the hit's
            offset in it (a term's own spelling keeps 强奸犯 but not 垃圾袋: see
            ``boundary.compound_keeps``).
        weigh: compare the two readings' likelihoods; False drops a crossed hit outright
            (for text that is not the term as listed, like 他妈妈的, whose likelihood as
            one unknown word says nothing about the term).

    Returns:
        True when the hit should be dropped as part of other words.
    """
    if _edges.no_word_across(text, start, end):
        return False  # no word holds the pairs at the hit's edges: none can cross them
    dt = _quiet_jieba().dt
    if not _word_across(dt.FREQ, text, start, end):
        return False  # every reading keeps the hit's edges: no need to segment
    if _natural.get(text[start:end]) == 0 and _word_across(dt.FREQ, text, start, start, COMMON):
        # A coined term (no word of jieba's own: 加微信, 进群) behind a common word that
        # reaches into it (参加|微信, 先进|群体) is that word: the likelier accident. Not
        # a word reaching out of its end: 约炮群 is a 约炮 group.
        return True
    route = _route(dt, text)
    crossed = False
    at = 0
    while at < len(text):
        token_start, at = at, route[at][1] + 1
        if at <= start:
            continue
        if token_start >= end:
            break
        if token_start <= start and end <= at:
            # One word holds the whole hit: the hit itself, or a longer word around it.
            if (token_start, at) == (start, end):
                return False
            if callable(longer_word_holds):
                return not longer_word_holds(text[token_start:at], start - token_start)
            return not longer_word_holds
        if token_start < start < at or token_start < end < at:
            crossed = True
    if not crossed or not weigh:
        return crossed
    forced = _best(text[:start]) + _logp(text[start:end]) + route[end][0]
    return route[0][0] - forced > MARGIN


def cut_at(text: str, at: int) -> bool:
    """Whether jieba's best reading of ``text`` ends a word at offset ``at``.

    The ends of ``text`` always count. Uses the dictionary only, like :func:`straddles`;
    call :func:`prepare` first.
    """
    if at <= 0 or at >= len(text):
        return True
    route = _route(_quiet_jieba().dt, text)
    end = 0
    while end < at:
        end = route[end][1] + 1
    return end == at


def common_word_across(text: str, start: int, end: int) -> bool:
    """Whether a word of at least ``COMMON`` frequency reaches into ``text[start:end]``.

    For the Han part of a mixed term (加 of 加QQ in 附加QQ), which jieba never cuts as a
    word of its own. Call :func:`prepare` first.
    """
    return _word_across(_quiet_jieba().dt.FREQ, text, start, start, COMMON)


def _word_across(freq: dict[str, int], text: str, start: int, end: int, least: int = 1) -> bool:
    """Whether a dictionary word of ``text`` reaches across offset ``start`` or ``end``.

    Only words of frequency ``least`` or more count.

    jieba's readings are made of dictionary words (and single characters), so when no
    word crosses either edge of the hit, no reading can. Every prefix of a word is in
    ``FREQ`` (with 0 unless it is a word itself), so a word from ``i`` across an edge needs
    ``text[i:edge + 1]`` there: one look-up per start rules most starts out.
    """
    n = len(text)
    for lo, edge in ((0, start), (start, end)):
        if edge >= n:
            continue
        for i in range(lo, edge):
            j = edge + 1
            count = freq.get(text[i:j])
            while count is not None:
                if count >= least:
                    return True
                j += 1
                if j > n:
                    break
                count = freq.get(text[i:j])
    return False


def _logp(word: str) -> float:
    """The log-probability jieba gives one word (an unknown word counts once, as in jieba)."""
    dt = _quiet_jieba().dt
    return math.log(dt.FREQ.get(word) or 1) - math.log(dt.total)


def _best(text: str) -> float:
    """The log-probability of jieba's best segmentation of ``text`` (0 for "")."""
    if not text:
        return 0.0
    return _route(_quiet_jieba().dt, text)[0][0]


def _route(dt: Any, text: str) -> list[tuple[float, int]]:
    """The best reading of ``text`` as jieba's ``calc`` over ``get_DAG`` stores it.

    ``route[i]`` is the log-probability of the best reading of ``text[i:]`` and the last
    index of its first word. One loop instead of jieba's two, with no dictionary of
    candidates and no generator: the same sums in the same order, ties to the longer word
    as jieba's ``max`` over ``(value, end)`` breaks them, at a third of the cost.
    """
    freq = dt.FREQ
    logtotal = math.log(dt.total)
    n = len(text)
    route = [(0.0, 0)] * (n + 1)
    for start in range(n - 1, -1, -1):
        best = -math.inf
        best_end = -1
        end = start
        count = alone = freq.get(text[start])
        while count is not None:  # every prefix of a word is in FREQ (0 unless a word)
            if count:
                value = math.log(count) - logtotal + route[end + 1][0]
                if value >= best:
                    best, best_end = value, end
            end += 1
            if end == n:
                break
            count = freq.get(text[start : end + 1])
        if best_end < 0:  # no word starts here: the character alone, counted once
            best = math.log(alone or 1) - logtotal + route[start + 1][0]
            best_end = start
        route[start] = (best, best_end)
    return route
