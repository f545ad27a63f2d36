"""Literal senses: the words beside a term that show it is the everyday word (垃圾分类).

A term's characters are often an ordinary word: 垃圾 is rubbish people sort and carry out,
神经病 an illness neurologists study, 尼玛 a Tibetan given name, Dick a name in English.
jieba reads these hits as words of their own (垃圾|分类), so word edges cannot tell; the
words beside the term can. They are data, not code: ``wordlists/senses.txt`` ships with
the filter, one rule a line, ``#`` starting a comment:

    after 垃圾 废物 = 分类 回收      one of the words right after one of the terms
    before 垃圾 废物 = 把 扔          one of the words right before it
    name dick                        a Latin term that is also a name

A listed word must touch the term (nothing between). A listed character counts only as a
word: jieba's reading of the characters beside the term must end the word where it ends (变
counts in 神经病变, where 病变 is a lesion, and not in 神经病变态); a longer listed word keeps
its sense at the edge of a longer one (回收站, 轻工业). A Latin name counts when written
capitalised beside another capitalised word that is itself name-like: no ordinary English
word written in lower case (Moby Dick, Dick Cheney, Dick Van Dyke; not "Dick pic", not "Big
Dick Energy" or "Dick Move", where a headline's capitals sit on everyday words). Name-like is
read off web2 (Webster's 2nd, from the ``english-words`` package), which writes proper nouns
capitalised ("Cheney", "Van") and ordinary words in lower case ("big", "move"); "Moby" is in
neither, so it counts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from english_words import get_english_words_set

from server.moderation import segment
from server.moderation.skeleton import K_CJK, Skeleton, build_skeleton
from server.moderation.wordlists import default_senses_file

AFTER: Final = "after"
BEFORE: Final = "before"
NAME: Final = "name"
SEPARATOR: Final = "="


class SensesError(ValueError):
    """A line of a senses file that is not ``after|before TERMS = WORDS`` or ``name TERMS``."""


@dataclass(frozen=True, slots=True)
class Context:
    """What shows one term in its everyday sense.

    Attributes:
        before: words that, right before the term, make it the everyday word (normalized).
        after: likewise right after it.
        name: the term is also a name (Latin terms: Moby Dick).
    """

    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    name: bool = False

    def widest(self) -> int:
        """The longest listed word, in characters (how far the filter must look)."""
        return max(map(len, self.before | self.after), default=0)


@dataclass(frozen=True, slots=True)
class Senses:
    """Every term's :class:`Context`, by the term's normalized spelling.

    Attributes:
        contexts: normalized term (as ``build_skeleton`` spells it: 垃圾, dick) to context.
    """

    contexts: dict[str, Context] = field(default_factory=dict)

    def for_term(self, normal: str) -> Context | None:
        """The context of a term in its normalized spelling, None when it has none."""
        return self.contexts.get(normal)


def read_senses(paths: Sequence[Path]) -> Senses:
    """Read senses files; a missing file counts as empty.

    Raises:
        OSError: when an existing file cannot be read.
        SensesError: for a malformed line (the message names the file and line).
    """
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    names: set[str] = set()
    for path in paths:
        if not path.exists():
            continue
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            kind, _, rest = line.partition(" ")
            if kind == NAME and SEPARATOR not in rest and rest.split():
                names.update(_normal(rest.split()))
                continue
            terms, sep, words = rest.partition(SEPARATOR)
            if kind not in (AFTER, BEFORE) or not sep or not terms.split() or not words.split():
                raise SensesError(f"{path}:{number}: expected 'after|before TERMS = WORDS'")
            side = after if kind == AFTER else before
            for term in _normal(terms.split()):
                side.setdefault(term, set()).update(_normal(words.split()))
    contexts = {
        term: Context(
            frozenset(before.get(term, ())), frozenset(after.get(term, ())), term in names
        )
        for term in before.keys() | after.keys() | names
    }
    return Senses(contexts)


def _normal(words: Iterable[str]) -> list[str]:
    """Words as the skeleton spells them (simplified, lower case), empty ones dropped."""
    return [text for text in (build_skeleton(word).text for word in words) if text]


@functools.cache
def default_senses() -> Senses:
    """The shipped senses, read once per process (they describe words, not a venue's terms)."""
    return read_senses([default_senses_file()])


def han_literal(context: Context, sk: Skeleton, start: int, end: int) -> bool:
    """Whether a Han hit at skeleton ``start..end`` has a word of its everyday sense beside it.

    Reads only the Han characters touching the hit (no noise between), as many as the
    longest listed word plus one, so jieba can tell whether the word goes on (变态).
    Call :func:`segment.prepare` first.
    """
    reach = context.widest() + 1
    text, kind, gap = sk.text, sk.kind, sk.gap
    if context.after:
        hi = end
        while hi < len(text) and hi - end < reach and kind[hi] == K_CJK and gap[hi] == 0:
            hi += 1
        if hi > end:
            tail = text[end:hi]
            # Each length the tail's start may have, looked up (a term lists dozens of words).
            sizes = range(1, len(tail) + 1)
            if any(tail[:n] in context.after and _whole(tail, n, n) for n in sizes):
                return True
    if context.before and gap[start] == 0:
        lo = start
        while lo > 0 and start - lo < reach and kind[lo - 1] == K_CJK and gap[lo] == 0:
            lo -= 1
        if lo < start:
            head = text[lo:start]
            cut = len(head)
            sizes = range(1, cut + 1)
            if any(head[cut - n :] in context.before and _whole(head, cut - n, n) for n in sizes):
                return True
    return False


def _whole(text: str, at: int, size: int) -> bool:
    """Whether a listed word of ``size`` characters, starting or ending at ``at``, stands.

    One character is a morpheme of many words of other senses (变态, 车把): it needs
    jieba's word edge at ``at``. A longer word keeps its sense inside a longer one
    (回收站, 轻工业), so it stands as it is.
    """
    return size > 1 or segment.cut_at(text, at)


def written_as_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is written capitalised beside a capitalised word.

    Moby Dick, Dick Cheney, Moby-Dick: one space or hyphen apart. Not "Dick pic", not
    "DICK" (shouting is no name).
    """
    if not _capitalised(text[start:end]):
        return False
    if start >= 2 and text[start - 1] in " -":
        k = start - 1
        while k > 0 and text[k - 1].isascii() and text[k - 1].isalpha():
            k -= 1
        if _name_like(text[k : start - 1]):
            return True
    if end < len(text) - 1 and text[end] in " -":
        k = end + 1
        while k < len(text) and text[k].isascii() and text[k].isalpha():
            k += 1
        if _name_like(text[end + 1 : k]):
            return True
    return False


def _capitalised(word: str) -> bool:
    return (
        len(word) >= 2
        and word.isascii()
        and word.isalpha()
        and word[0].isupper()
        and word[1:].islower()
    )


def _name_like(word: str) -> bool:
    """A capitalised word that web2 writes capitalised, or does not know in lower case."""
    if not _capitalised(word):
        return False
    web2 = english_as_written()
    return word in web2 or word.lower() not in web2


@functools.cache
def english_as_written() -> frozenset[str]:
    """web2's words with their capitals, read once per process (~0.3 s: warm it up early)."""
    return frozenset(get_english_words_set(["web2"], lower=False))
