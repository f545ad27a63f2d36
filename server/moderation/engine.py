"""The filter: wordlists in, a :class:`~server.models.Verdict` per comment out.

``check`` normalizes the comment into a skeleton, runs one Aho-Corasick pass over it, checks
each hit (repeats, gaps, word edges), drops hits inside allow words, asks jieba only about
Chinese hits embedded in longer Chinese text, then adds contact spam findings. Comments with
Han characters get a second pass over their syllable codes for homophones (嘿猫 for 黑猫),
judged as :mod:`~server.moderation.homophone` explains. Spans always index the comment as
sent.

jieba decides a Chinese hit that touches other Han characters: the hit is dropped when a
word of the segmentation crosses one of its edges (路口|交通 for 口交) and no single word
holds it whole; a longer word that holds the whole term (强奸犯, 处女座) keeps the hit, so
innocent ones of those belong in the allow list (the shipped one has 处女座 and 处女作).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from operator import attrgetter
from pathlib import Path

from server.models import Reason, Verdict
from server.moderation import segment
from server.moderation.boundary import inside_longer_word, straddles
from server.moderation.contact import CATEGORY as CONTACT
from server.moderation.contact import contacts_past_first_screen, might_have_contact
from server.moderation.homophone import Judge, code_table, is_pinyin_word
from server.moderation.keys import PINYIN, Entry, allow_keys, homophone_keys, term_keys
from server.moderation.matcher import DEFAULT_MAX_GAP, Hit, Matcher
from server.moderation.normalize import preload
from server.moderation.screen import Screen
from server.moderation.skeleton import K_CJK, K_LETTER, Skeleton, build_skeletons
from server.moderation.tables import PlainTable
from server.moderation.wordlists import WordList, default_dir, default_files, read_all

PASS = Verdict()  # verdicts are frozen: every clean comment can share this one
CACHE_SIZE = 4096  # audiences repeat themselves ("666", "哈哈哈"): remember recent verdicts
# A short full-pinyin hit that is also an English-looking word ("made" is 妈的) is not held
# in an all-Latin comment beside another Latin word that is no pinyin ("I made it").
MAX_ENGLISH_LOOKING_PINYIN = 4


class TextFilter:
    """A compiled set of wordlists (plus the allow list and contact detection).

    Build it with :func:`load_filter`. ``check`` is safe to call from several threads.

    Args:
        wordlists: the category lists; a term written in two lists counts for the first.
        allow_words: innocent words; a hit lying inside one of them in the text is dropped.
        detect_contact: also report phone numbers, QQ/WeChat IDs, URLs and e-mail.
        max_gap: the most visible noise characters between two characters of a term.
        cache_size: how many recent verdicts to remember (0: none).
        homophones: also hold same-sound spellings of Han terms (嘿猫 for 黑猫).
        sources: the file each category was read from (what :attr:`source_files` reports).
        allow_file: the allow file new allow words go to (what :attr:`allow_file` reports).
    """

    def __init__(
        self,
        wordlists: Sequence[WordList],
        allow_words: Sequence[str] = (),
        detect_contact: bool = True,
        max_gap: int = DEFAULT_MAX_GAP,
        cache_size: int = CACHE_SIZE,
        *,
        homophones: bool = True,
        sources: Mapping[str, Path] | None = None,
        allow_file: Path | None = None,
    ) -> None:
        keys: list[tuple[str, Entry]] = []
        sound_keys: list[tuple[str, Entry]] = []
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
                    if homophones:
                        sound_keys.extend(homophone_keys(term, wordlist.category))
        for word in allow_words:
            keys.extend(allow_keys(word))
        if detect_contact:
            categories.add(CONTACT)
        self._matcher = Matcher(keys, max_gap)
        self._screen = Screen([key for key, e in keys if not e.allow] + [k for k, _ in sound_keys])
        # Homophones must touch (invisible characters aside): no noise inside them.
        self._sound_matcher = Matcher(sound_keys, max_gap=0) if sound_keys else None
        codes = code_table() if sound_keys else {}
        self._codes = PlainTable(lambda point: codes.get(point, chr(point)))
        self._judge = Judge(segment.freq)
        self._sources = dict(sources or {})
        self._allow_file = allow_file
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

    @property
    def source_files(self) -> dict[str, Path]:
        """Category to the wordlist file a new term of that category should be added to.

        When two files share a category (a shipped list and the organiser's own), the one
        given last wins: the organiser's. Empty when the filter was built without files.
        """
        return dict(self._sources)

    @property
    def allow_file(self) -> Path | None:
        """The allow file a new allow word should be added to (None when there is none).

        The first extra allow file that is writable, else the shipped ``allow.txt`` when it
        is writable, else the first allow file the filter was loaded from.
        """
        return self._allow_file

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
        if self._cache_size > 0:
            cached = self._cache.get(text)
            if cached is not None:
                return cached
        reasons: list[Reason] = []
        screened = self._screen.look(text)
        if screened is not None:  # else no term can be in it (most comments)
            skeleton, masked = build_skeletons(text)
            # Han characters only, none repeated: the screen text is their syllable codes.
            codes = screened if skeleton.solid_han and not skeleton.repeats else None
            reasons = self._term_reasons(skeleton, sounds=True, codes=codes)
            if masked is not None:  # a mask inside a word: also read it as a wildcard
                reasons += self._term_reasons(masked)
        if self._detect_contact and might_have_contact(text):
            reasons += contacts_past_first_screen(text)
        verdict = Verdict(_sorted_unique(reasons)) if reasons else PASS
        if self._cache_size > 0:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()  # cheaper than LRU bookkeeping on every call
            self._cache[text] = verdict
        return verdict

    def _term_reasons(
        self, sk: Skeleton, sounds: bool = False, codes: str | None = None
    ) -> list[Reason]:
        """Reasons from the literal pass (and, with ``sounds``, the homophone pass).

        ``codes``: ``sk.collapsed`` in syllable codes, when the caller has it already.
        """
        hits = self._matcher.find(sk)
        allowed = []  # the spans of allow words
        for hit in hits:
            if hit.entry.allow:
                allowed.append((hit.start, hit.end))
        reasons: list[Reason] = []
        aliased: set[tuple[str, tuple[int, int]]] = set()
        for hit in hits:
            entry = hit.entry
            if entry.allow:
                continue
            if allowed and any(s <= hit.start and hit.end <= e for s, e in allowed):
                continue
            if entry.cjk_only:
                self.warm_up()
                if inside_longer_word(sk, hit):
                    continue
            if entry.kind == PINYIN and _english_context(sk, hit):
                continue
            span = (sk.orig[hit.start], sk.orig[hit.end - 1] + 1)
            if entry.alias:
                if (entry.category, span) in aliased:
                    continue  # "cnm" is 草泥马 or 操你妈: one reason says it
                aliased.add((entry.category, span))
            reasons.append(Reason(entry.term, entry.category, span))
        if sounds and self._sound_matcher is not None and K_CJK in sk.kind:
            if codes is None:
                codes = self._codes.translate(sk.collapsed)
            sound_hits = self._sound_matcher.find(sk, codes)
            if sound_hits:  # (mostly none)
                sounded = self._homophone_reasons(sk, sound_hits, allowed)
                taken = {r.span for r in reasons}  # 煞笔 listed itself: no second reason
                reasons += [r for r in sounded if r.span not in taken]
        return reasons

    def _homophone_reasons(
        self, sk: Skeleton, hits: list[Hit], allowed: list[tuple[int, int]]
    ) -> list[Reason]:
        """The same-sound spellings among ``hits`` that the judge holds (see ``homophone``).

        ``hits`` are what the homophone matcher found in ``sk``'s syllable codes.
        """
        reasons: list[Reason] = []
        for hit in hits:
            self.warm_up()
            entry = hit.entry
            spelling = entry.spelling
            said = sk.collapsed[hit.first : hit.first + len(spelling)]  # never the term itself
            if not self._judge.holds(spelling, said):
                continue
            if any(s <= hit.start and hit.end <= e for s, e in allowed):
                continue
            # Judged as written, on its core: 嘿嘿猫猫 is 嘿嘿 and 猫猫, not 嘿猫 repeated.
            if straddles(sk, hit.core_start, hit.core_end, False, weigh=False):
                continue
            span = (sk.orig[hit.start], sk.orig[hit.end - 1] + 1)
            reasons.append(Reason(entry.term, entry.category, span))
        return reasons


def _english_context(sk: Skeleton, hit: Hit) -> bool:
    """Whether a pinyin hit reads as an English word among English words ("I made it").

    Only short hits that are pinyin words themselves ("made", not "tmd") in comments
    without Han characters, beside a Latin word that is no pinyin.
    """
    if hit.end - hit.start > MAX_ENGLISH_LOOKING_PINYIN or K_CJK in sk.kind:
        return False
    if not is_pinyin_word(sk.text[hit.start : hit.end]):
        return False
    chars, gap, kind = sk.text, sk.gap, sk.kind
    before = hit.start
    while before > 0 and kind[before - 1] == K_LETTER and (before == hit.start or gap[before] == 0):
        before -= 1
    word_before = chars[before : hit.start]
    after = hit.end
    while after < len(chars) and kind[after] == K_LETTER and (after == hit.end or gap[after] == 0):
        after += 1
    word_after = chars[hit.end : after]
    return any(word and not is_pinyin_word(word) for word in (word_before, word_after))


def _sorted_unique(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Reasons sorted by span (a ``(start, end)`` tuple), one per term and span."""
    if len(reasons) == 1:  # most held comments: nothing to sort or merge
        return (reasons[0],)
    unique: dict[tuple[str, tuple[int, int]], Reason] = {}
    for reason in reasons:
        unique.setdefault((reason.term, reason.span), reason)
    return tuple(sorted(unique.values(), key=attrgetter("span", "term")))


def load_filter(
    extra_wordlists: Sequence[Path] = (),
    use_defaults: bool = True,
    allow_files: Sequence[Path] = (),
    detect_contact: bool = True,
    cache_size: int = CACHE_SIZE,
    homophones: bool = True,
) -> TextFilter:
    """Build a filter from the default lists and/or the given files.

    Fast (no jieba here): call :meth:`TextFilter.warm_up` in a thread afterwards.

    Args:
        extra_wordlists: more wordlist files; each file's stem is its category.
        use_defaults: include the shipped lists of ``wordlists/`` and its ``allow.txt``;
            when False only the given files count.
        allow_files: more allow lists (innocent words that contain a term); a file that
            does not exist yet counts as empty, and the first writable one is where
            :attr:`TextFilter.allow_file` says new allow words go.
        detect_contact: report contact spam under category ``contact``.
        cache_size: how many recent verdicts to remember (0: none, e.g. for benchmarks).
        homophones: also hold same-sound spellings of Han terms.

    Returns:
        The compiled filter.

    Raises:
        OSError: when a wordlist file (or an existing allow file) cannot be read.
    """
    category_files: list[Path] = []
    allow: list[Path] = []
    if use_defaults:
        defaults, default_allow = default_files(default_dir())
        category_files += defaults
        allow += default_allow
    category_files += [Path(p) for p in extra_wordlists]
    extra_allow = [Path(p) for p in allow_files]
    allow += extra_allow
    lists, allow_words = read_all(category_files, allow)
    return TextFilter(
        lists,
        allow_words,
        detect_contact=detect_contact,
        cache_size=cache_size,
        homophones=homophones,
        sources={path.stem: path for path in category_files},
        allow_file=_writable_first([*extra_allow, *[p for p in allow if p not in extra_allow]]),
    )


def _writable_first(paths: Sequence[Path]) -> Path | None:
    """The first path that can be written (or created), else the first path, else None."""
    for path in paths:
        target = path if path.exists() else path.parent
        if os.access(target, os.W_OK):
            return path
    return paths[0] if paths else None
