"""The words of the night: what the wall said most, cut into words by jieba.

Only comments that reached the wall count (the caller passes them): a held, rejected or
expired comment's words were never public, so they never reach the report either. Each
word counts once per comment, so one sender repeating "抽奖抽奖抽奖" weighs as one voice.
Single characters, punctuation, emoji and the stop words below are left out: what is
left is what the hall talked about.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

# Our own list, not taken from a public one: Chinese function words and fillers of two or
# more characters (jieba cuts them as words; single characters are dropped anyway), and
# the commonest English function words, for the comments sent in English.
STOP_WORDS = frozenset(
    """
    我们 你们 他们 她们 它们 咱们 大家 自己 这个 那个 这些 那些 这里 那里 这儿 那儿 这样
    那样 这么 那么 这种 那种 什么 怎么 怎么样 为什么 为何 哪里 哪个 多少 没有 不是 就是
    还是 但是 可是 因为 所以 如果 然后 而且 或者 虽然 只是 已经 可以 不能 不会 应该 可能
    一个 一只 一条 一次 一定 一下 一些 一点 一样 一直 一起 有点 有些 还有 现在 今天 时候
    真的 非常 特别 知道 觉得 其实 出来 起来 的话 之后 之前 以后 以前 这是 那是 也是 都是
    不要 还要 还在
    the and you your yours to of a an is it its in on at as be are was were been that this
    these those for with from by about or but not no so do does did have has had will would
    can could just what when where who how all if yes there here than then too very me my we
    our us they them their he she his her him i am im it's i'm don't
    """.split()
)


def _is_word(token: str) -> bool:
    """Two characters or more, with at least one letter or digit (not punctuation, emoji)."""
    return len(token) >= 2 and any(ch.isalnum() for ch in token)


def _quiet_jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it announces building its dictionary otherwise
    return jieba


def words_of_the_night(texts: Iterable[str], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` commonest words in ``texts`` with how many texts use each, commonest first.

    Ties go in the order the words first appeared. Latin words are counted lower-cased.
    """
    jieba = _quiet_jieba()
    counts: Counter[str] = Counter()
    for text in texts:
        tokens = dict.fromkeys(t.strip().lower() for t in jieba.lcut(text))  # once a comment
        counts.update(t for t in tokens if _is_word(t) and t not in STOP_WORDS)
    return counts.most_common(limit)
