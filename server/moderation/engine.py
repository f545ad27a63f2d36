"""The filter: wordlists in, a :class:`~server.models.Verdict` per comment out.

``check`` normalizes the comment into a skeleton, runs one Aho-Corasick pass over it, checks
each hit (repeats, gaps, word edges), drops hits inside allow words, asks jieba only about
Chinese hits embedded in longer Chinese text, then adds contact spam findings. Spans always
index the comment as sent.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from server.models import Reason, Verdict
from server.moderation import segment
from server.moderation.contact import CATEGORY as CONTACT
from server.moderation.contact import find_contacts
from server.moderation.keys import Entry, allow_keys, term_keys
from server.moderation.matcher import DEFAULT_MAX_GAP, Hit, Matcher
from server.moderation.normalize import preload
from server.moderation.skeleton import K_CJK, Skeleton, build_skeleton
from server.moderation.wordlists import WordList, default_dir, default_files, read_all

SEGMENT_WINDOW = 8  # CJK characters on each side of a hit that jieba gets to see
CACHE_SIZE = 4096  # audiences repeat themselves ("666", "哈哈哈"): remember recent verdicts


class TextFilter:
    """A compiled set of wordlists (plus the allow list and contact detection).

    Build it with :func:`load_filter`. ``check`` is safe to call from several threads.

    Args:
        wordlists: the category lists; a term written in two lists counts for the first.
        allow_words: innocent words; a hit lying inside one of them in the text is dropped.
        detect_contact: also report phone numbers, QQ/WeChat IDs, URLs and e-mail.
        max_gap: the most visible noise characters between two characters of a term.
        cache_size: how many recent verdicts to remember (0: none).
    """

    def __init__(
        self,
        wordlists: Sequence[WordList],
        allow_words: Sequence[str] = (),
        detect_contact: bool = True,
        max_gap: int = DEFAULT_MAX_GAP,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        keys: list[tuple[str, Entry]] = []
        seen: set[str] = set()
        cjk_terms: list[str] = []
        categories = {wl.category for wl in wordlists}
        preload()
        for wordlist in wordlists:
            for term in wordlist.terms:
                normal, term_key_list = term_keys(term, wordlist.category)
                if not normal or normal in seen:
                    continue
                seen.add(normal)
                keys.extend(term_key_list)
                if term_key_list[0][1].cjk_only:
                    cjk_terms.append(normal)
        for word in allow_words:
            keys.extend(allow_keys(word))
        if detect_contact:
            categories.add(CONTACT)
        self._matcher = Matcher(keys, max_gap)
        self._categories = frozenset(categories)
        self._detect_contact = detect_contact
        self._cjk_terms = tuple(cjk_terms)
        self._term_count = len(seen)
        self._jieba_ready = False
        self._jieba_lock = threading.Lock()
        self._cache: dict[str, Verdict] = {}
        self._cache_size = cache_size

    @property
    def categories(self) -> frozenset[str]:
        """Every category this filter can report (``contact`` included when enabled)."""
        return self._categories

    @property
    def term_count(self) -> int:
        """How many distinct terms (after normalization) the filter holds."""
        return self._term_count

    def warm_up(self) -> None:
        """Initialise jieba and teach it the terms, so no comment waits for it later.

        Takes most of a second the first time in a process; call it in a thread at start-up.
        ``check`` does the same on its first Chinese hit that needs it otherwise.
        """
        if self._jieba_ready:
            return
        with self._jieba_lock:
            if not self._jieba_ready:
                segment.prepare(self._cjk_terms)
                self._jieba_ready = True

    def check(self, text: str) -> Verdict:
        """Whether ``text`` should be held, and why.

        Args:
            text: the comment as sent.

        Returns:
            A verdict whose reasons are sorted by span start, one per term and span; spans
            index ``text`` (end exclusive).
        """
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        skeleton = build_skeleton(text)
        reasons = self._term_reasons(skeleton)
        if skeleton.has_mask:
            reasons += self._term_reasons(build_skeleton(text, masks_as_wildcards=True))
        if self._detect_contact:
            reasons += find_contacts(text)
        verdict = Verdict(_sorted_unique(reasons))
        if self._cache_size > 0:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()  # cheaper than LRU bookkeeping on every call
            self._cache[text] = verdict
        return verdict

    def _term_reasons(self, sk: Skeleton) -> list[Reason]:
        hits = self._matcher.find(sk)
        if not hits:
            return []
        allowed = [(h.start, h.end) for h in hits if h.entry.allow]
        reasons: list[Reason] = []
        aliased: set[tuple[str, tuple[int, int]]] = set()
        for hit in hits:
            entry = hit.entry
            if entry.allow:
                continue
            if allowed and any(s <= hit.start and hit.end <= e for s, e in allowed):
                continue
            if entry.cjk_only and self._inside_longer_word(sk, hit):
                continue
            span = (sk.orig[hit.start], sk.orig[hit.end - 1] + 1)
            if entry.alias:
                if (entry.category, span) in aliased:
                    continue  # "cnm" is 草泥马 or 操你妈: one reason says it
                aliased.add((entry.category, span))
            reasons.append(Reason(entry.term, entry.category, span))
        return reasons

    def _inside_longer_word(self, sk: Skeleton, hit: Hit) -> bool:
        """Whether jieba cuts the text so that the hit straddles a word edge (路口|交通).

        Only asked when the hit touches another CJK character; a standalone hit is a hit.
        """
        start, end = hit.start, hit.end
        kind, gap, n = sk.kind, sk.gap, len(sk.chars)
        touches_left = start > 0 and kind[start - 1] == K_CJK and gap[start] == 0
        touches_right = end < n and kind[end] == K_CJK and gap[end] == 0
        if not (touches_left or touches_right):
            return False
        lo = start
        while lo > 0 and start - lo < SEGMENT_WINDOW and kind[lo - 1] == K_CJK and gap[lo] == 0:
            lo -= 1
        hi = end
        while hi < n and hi - end < SEGMENT_WINDOW and kind[hi] == K_CJK and gap[hi] == 0:
            hi += 1
        self.warm_up()
        edges = segment.token_edges("".join(sk.chars[lo:hi]))
        return (start - lo) not in edges or (end - lo) not in edges


def _sorted_unique(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Reasons sorted by span, one per term and span."""
    unique: dict[tuple[str, tuple[int, int]], Reason] = {}
    for reason in reasons:
        unique.setdefault((reason.term, reason.span), reason)
    return tuple(sorted(unique.values(), key=lambda r: (r.span[0], r.span[1], r.term)))


def load_filter(
    extra_wordlists: Sequence[Path] = (),
    use_defaults: bool = True,
    allow_files: Sequence[Path] = (),
    detect_contact: bool = True,
    cache_size: int = CACHE_SIZE,
) -> TextFilter:
    """Build a filter from the default lists and/or the given files.

    Fast (no jieba here): call :meth:`TextFilter.warm_up` in a thread afterwards.

    Args:
        extra_wordlists: more wordlist files; each file's stem is its category.
        use_defaults: include the shipped lists of ``wordlists/`` and its ``allow.txt``;
            when False only the given files count.
        allow_files: more allow lists (innocent words that contain a term).
        detect_contact: report contact spam under category ``contact``.
        cache_size: how many recent verdicts to remember (0: none, e.g. for benchmarks).

    Returns:
        The compiled filter.

    Raises:
        OSError: when a given file cannot be read.
    """
    category_files: list[Path] = []
    allow: list[Path] = []
    if use_defaults:
        defaults, default_allow = default_files(default_dir())
        category_files += defaults
        allow += default_allow
    category_files += [Path(p) for p in extra_wordlists]
    allow += [Path(p) for p in allow_files]
    lists, allow_words = read_all(category_files, allow)
    return TextFilter(lists, allow_words, detect_contact=detect_contact, cache_size=cache_size)
