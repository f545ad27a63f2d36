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
A hit that stands is still the everyday word when a word beside it says so (垃圾分类, 尼玛次仁,
Moby Dick: :mod:`~server.moderation.senses`, data in ``wordlists/senses.txt``).
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Final

from server.models import Reason, Verdict
from server.moderation import segment
from server.moderation.boundary import (
    compound_keeps,
    han_part_straddles,
    inside_longer_word,
    straddles,
)
from server.moderation.contact import CATEGORY as CONTACT
from server.moderation.contact import contacts_past_first_screen, might_have_contact
from server.moderation.homophone import COMMON_WORD_FREQ, Judge, code_table, is_pinyin_word
from server.moderation.keys import (
    HOMOPHONE,
    INITIAL_LETTERS,
    LOOK_ALIKE,
    MASKED_HAN,
    NUMERAL_CHARS,
    PINYIN,
    SPLIT,
    Entry,
    allow_keys,
    homophone_keys,
    masked_han_keys,
    term_keys,
)
from server.moderation.matcher import DEFAULT_MAX_GAP, Hit, Matcher
from server.moderation.normalize import CJK, EMOJI_WORDS, HAN_MASK_LETTER, char_info, preload
from server.moderation.pinyin import TokenReader, everyday_abbreviation
from server.moderation.screen import MASKED, Screen, mask_between_han
from server.moderation.senses import (
    Context,
    Senses,
    default_senses,
    english_as_written,
    han_literal,
    read_senses,
    written_as_name,
)
from server.moderation.skeleton import (
    K_CJK,
    K_DIGIT,
    K_LETTER,
    Skeleton,
    build_skeletons,
    han_masked,
)
from server.moderation.spellings import Aliases, Spellings, extra_spellings, load_aliases
from server.moderation.tables import PlainTable
from server.moderation.wordlists import (
    WordList,
    default_dir,
    default_files,
    default_senses_file,
    read_all,
)

# An emoji read as a word (🐶 as 狗: normalize.EMOJI_WORDS) may as well be a sticker typed
# inside a term to break it up, as 😀 would be: such a comment is also read with each of
# them as plain noise, one character for one so that the spans stay the comment's.
_WORD_EMOJI: Final = re.compile("[" + "".join(EMOJI_WORDS) + "]")
NOISE_STAND_IN: Final = "\u2606"  # ☆: noise, as any symbol between two characters

PASS: Final = Verdict()  # verdicts are frozen: every clean comment can share this one
CACHE_SIZE: Final = 4096  # audiences repeat themselves ("666", "哈哈哈"): remember recent verdicts
# A short full-pinyin hit that is also an English-looking word ("made" is 妈的) is not held
# in an all-Latin comment beside another Latin word that is no pinyin ("I made it").
MAX_ENGLISH_LOOKING_PINYIN: Final = 4
BOUND_PART_FREQ: Final = 100  # 氵 22, 亻 0: parts of characters, seldom words (女 3,000, 干 9,000)
# Beside a Latin token, these make it a piece of an address, a file name, a handle or an
# option (t.cn, a.js, @nm, --sb), not initials; the first only counts before it ("sb.").
ADDRESS_MARKS: Final = ".@/\\_#-=:~"
# Sentence particles: a stand-in ending on one before a pause is that particle (是你吗).
PARTICLES: Final = frozenset("吗嘛呢吧啊呀哦么")
# The mechanisms of literal hits that differ from the term as listed, for ``how``.
LEET: Final = "leet"
TRADITIONAL: Final = "traditional"
SPACING: Final = "spacing"
REPEAT: Final = "repeat"
EMOJI: Final = "emoji"
_LATIN_WORD_END: Final = re.compile(r"[A-Za-z]+\Z")
_LATIN_WORD_START: Final = re.compile(r"\A[A-Za-z]+")


def _is_numeral(sk: Skeleton, index: int) -> bool:
    """Whether the skeleton character at ``index`` is a digit or a Chinese numeral."""
    return sk.kind[index] == K_DIGIT or sk.text[index] in NUMERAL_CHARS


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
        aliases: nicknames of term parts (None: the shipped ``wordlists/aliases.txt``);
            with letter tricks on English terms, extra spellings of every term
            (:mod:`~server.moderation.spellings`).
        senses: the words that show a term in its everyday sense (None: the shipped
            ``wordlists/senses.txt``; see :mod:`~server.moderation.senses`).
        spellings: what derives each term's extra spellings from ``aliases`` (tests leave
            one mechanism out to see what it alone holds).
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
        aliases: Aliases | None = None,
        senses: Senses | None = None,
        spellings: Spellings = extra_spellings,
    ) -> None:
        keys: list[tuple[str, Entry]] = []
        sound_keys: list[tuple[str, Entry]] = []
        mask_keys: list[tuple[str, Entry]] = []
        seen: set[str] = set()
        cjk_terms: list[str] = []
        # Terms as listed -> what shows their everyday sense (垃圾 -> 分类, 回收, ...).
        contexts: dict[str, Context] = {}
        senses = default_senses() if senses is None else senses
        categories = {wl.category for wl in wordlists}
        preload()
        for wordlist in wordlists:
            for term in wordlist.terms:
                extra = spellings(term, aliases)
                normal, term_key_list = term_keys(
                    term, wordlist.category, extra, stand_ins=homophones
                )
                if not normal or normal in seen:
                    continue
                seen.add(normal)
                context = senses.for_term(normal)
                if context is not None:
                    contexts[term] = context
                keys.extend(term_key_list)
                if term_key_list[0][1].cjk_only:
                    cjk_terms.append(normal)
                    if homophones:
                        sound_keys.extend(homophone_keys(term, wordlist.category))
                    mask_keys.extend(masked_han_keys(term, wordlist.category))
        for word in allow_words:
            keys.extend(allow_keys(word))
        if detect_contact:
            categories.add(CONTACT)
        # Every term's initials as written (zz, not the key's collapsed z): what else may
        # stand in a Latin token beside initials (mdzz), so a lone p is no piece of one.
        self._tokens = TokenReader(
            frozenset(
                "".join(ch * run for ch, run in zip(key, e.runs, strict=True))
                for key, e in keys
                if e.kind == INITIAL_LETTERS and key.isascii() and key.isalpha()
            )
        )
        self._matcher = Matcher(keys, max_gap)
        self._screen = Screen(
            [(key, e.runs) for key, e in keys if not e.allow]
            + [(key, e.runs) for key, e in sound_keys]
        )
        # Homophones must touch (invisible characters aside): no noise inside them.
        self._sound_matcher = Matcher(sound_keys, max_gap=0) if sound_keys else None
        # Read only where a mask stands between Han characters (他*的): apart from the
        # literal keys, so the usual comment's pass is no slower for them.
        self._mask_matcher = Matcher(mask_keys, max_gap) if mask_keys else None
        codes = code_table() if sound_keys else {}
        self._codes = PlainTable(lambda point: codes.get(point, chr(point)))
        self._judge = Judge(segment.freq)
        self._sources = dict(sources or {})
        self._allow_file = allow_file
        self._categories = frozenset(categories)
        self._detect_contact = detect_contact
        self._cjk_terms = tuple(cjk_terms)
        self._contexts = contexts
        self._senses = senses
        self._names = frozenset(term for term, context in contexts.items() if context.name)
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
                if self._names:  # a name's neighbour is looked up in web2
                    english_as_written()
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
        reasons = self._reasons_in(text, text)
        if _WORD_EMOJI.search(text):  # 傻🐶逼, b💩itch: the emoji may be a word or noise
            reasons += self._reasons_in(text, _WORD_EMOJI.sub(NOISE_STAND_IN, text))
        if self._detect_contact and might_have_contact(text):
            reasons += contacts_past_first_screen(text)
        verdict = Verdict(_sorted_unique(reasons)) if reasons else PASS
        if self._cache_size > 0:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()  # cheaper than LRU bookkeeping on every call
            self._cache[text] = verdict
        return verdict

    def _reasons_in(self, text: str, reading: str) -> list[Reason]:
        """The terms in ``reading``, ``text`` or a same-length reading of it, spans in ``text``."""
        screened = self._screen.look(reading)
        if screened is None:  # no term can be in it (most comments)
            return []
        skeleton, masked = build_skeletons(reading)
        # Han characters only, none repeated: the screen text is their syllable codes.
        codes = screened if skeleton.solid_han and not skeleton.repeats else None
        reasons = self._term_reasons(text, skeleton, sounds=True, codes=codes)
        if masked is not None:  # a mask inside a word: also read it as a wildcard
            reasons += self._term_reasons(text, masked)
        # 他*的, 他X的: a mask between Han characters may stand for one. Most comments have
        # neither a mask nor an x, and pay two ``in`` tests (a call would cost more).
        if (MASKED in screened or HAN_MASK_LETTER in screened) and self._mask_matcher is not None:
            reasons += self._masked_han_reasons(text, reading, skeleton, screened)
        return reasons

    def _masked_han_reasons(
        self, text: str, reading: str, skeleton: Skeleton, screened: str
    ) -> list[Reason]:
        """The Han terms with a character masked in ``reading`` (他*的, 他X的, 妈×个逼).

        Only the masked keys are read there: the plain reading found the rest, with the
        mask as noise or a letter (and 黑猫#警长 as the allow word 黑猫警长 there, not 黑猫).
        """
        han = han_masked(reading, skeleton) if mask_between_han(screened) else None
        if han is None or self._mask_matcher is None:
            return []
        hits = self._mask_matcher.find(han)
        return self._literal_reasons(text, han, hits, []) if hits else []

    def _term_reasons(
        self, text: str, sk: Skeleton, sounds: bool = False, codes: str | None = None
    ) -> list[Reason]:
        """Reasons from the literal pass (and, with ``sounds``, the homophone pass).

        ``text``: the comment as sent; ``sk``: its skeleton. ``codes``: ``sk.collapsed`` in
        syllable codes, when the caller has it already.
        """
        hits = self._matcher.find(sk)
        reasons: list[Reason] = []
        allowed: list[tuple[int, int]] = []  # the spans of allow words
        if hits:
            allowed = [(hit.start, hit.end) for hit in hits if hit.entry.allow]
            reasons = self._literal_reasons(text, sk, hits, allowed)
        if sounds and self._sound_matcher is not None and K_CJK in sk.kind:
            if codes is None:
                codes = self._codes.translate(sk.collapsed)
            sound_hits = self._sound_matcher.find(sk, codes)
            if sound_hits:  # (mostly none)
                # A span the literal pass holds (煞笔 listed itself, or its known stand-in
                # 傻比) needs no second reason, nor judging.
                taken = {r.span for r in reasons}
                reasons += self._homophone_reasons(text, sk, sound_hits, allowed, taken)
        return reasons

    def _literal_reasons(
        self, text: str, sk: Skeleton, hits: list[Hit], allowed: list[tuple[int, int]]
    ) -> list[Reason]:
        """The reasons among the literal pass's ``hits`` (``allowed``: allow words' spans)."""
        reasons: list[Reason] = []
        shared: set[tuple[str, tuple[int, int]]] = set()
        listed: set[tuple[int, int]] | None = None
        orig = sk.orig
        for hit in hits:
            entry = hit.entry
            if entry.allow:
                continue
            if allowed and any(s <= hit.start and hit.end <= e for s, e in allowed):
                continue
            if entry.kind:
                if listed is None:
                    # Spans some term (or allow word) is listed as (煞笔 listed beside
                    # 傻逼): no disguise reported there.
                    listed = {(h.start, h.end) for h in hits if not h.entry.kind}
                if (hit.start, hit.end) in listed or not self._disguise_holds(text, sk, hit):
                    continue
            if entry.cjk_only:
                self.warm_up()
                if self._inside_longer_word(sk, hit) or self._everyday_han(sk, hit):
                    continue
            elif sk.kind[hit.start] == K_CJK and self._han_edge_straddles(sk, hit):
                continue
            span = (orig[hit.start], orig[hit.end - 1] + 1)
            if entry.term in self._names and written_as_name(text, *span):
                continue  # a name: Moby Dick, Dick Cheney
            if entry.shared:
                if (entry.category, span) in shared:
                    continue  # "cnm" is 草泥马 or 操你妈: one reason says it
                shared.add((entry.category, span))
            reasons.append(Reason(entry.term, entry.category, span, how=_how(text, sk, hit, span)))
        return reasons

    def _inside_longer_word(self, sk: Skeleton, hit: Hit) -> bool:
        """Whether jieba reads a Han hit as parts of other words (see ``boundary``).

        A masked hit (他*的) is read with the term's own characters in the masks' places:
        jieba knows 他妈的, not a wildcard.
        """
        if hit.entry.kind != MASKED_HAN:
            return inside_longer_word(sk, hit)
        return straddles(sk, hit.core_start, hit.core_end, compound_keeps, hit.entry.spelling)

    def _disguise_holds(self, text: str, sk: Skeleton, hit: Hit) -> bool:
        """Whether a hit of a disguised spelling (not the term as listed) stands."""
        kind = hit.entry.kind
        if kind in (PINYIN, INITIAL_LETTERS) and not hit.entry.cjk_only:
            return self._pinyin_holds(text, sk, hit)
        if kind in (HOMOPHONE, LOOK_ALIKE):
            self.warm_up()
            return self._stand_in_holds(sk, hit)
        if kind == SPLIT and len(hit.entry.spelling) == 1:
            # A one-character term split in two (氵衮): only with a part that is hardly a
            # word of its own (氵, 22 in jieba's dictionary), since 女干 or 口欠 are
            # ordinary pairs.
            self.warm_up()
            said = sk.collapsed[hit.first : hit.first + len(hit.entry.runs)]
            return any(segment.freq(part) < BOUND_PART_FREQ for part in said)
        return True

    def _pinyin_holds(self, text: str, sk: Skeleton, hit: Hit) -> bool:
        """Whether a pinyin spelling with letters in it is meant as the term here."""
        entry = hit.entry
        letters = [k for k in range(hit.start, hit.end) if sk.kind[k] == K_LETTER]
        if entry.kind == INITIAL_LETTERS and len(letters) == hit.end - hit.start:
            token_start, token_end = _latin_token(sk, hit.start, hit.end)
            token = sk.text[token_start:token_end]
            if not self._tokens.reads_as_initials(
                token, hit.start - token_start, hit.end - token_start
            ):
                return False  # usb, NCT, jazz
            first, last = sk.orig[token_start], sk.orig[token_end - 1]
            if (first > 0 and text[first - 1] in ADDRESS_MARKS) or (
                last + 1 < len(text) and text[last + 1] in ADDRESS_MARKS[1:]
            ):
                return False  # a piece of an address, a path or an option: t.cn, .dm, -s
            written = text[first : last + 1]
            followed_by_han = (
                token_end < len(sk.text) and sk.gap[token_end] == 0 and sk.kind[token_end] == K_CJK
            )
            if everyday_abbreviation(written, followed_by_han):
                return False  # 请问WC在几楼, PPT翻页笔
            start, end = sk.orig[token_start], sk.orig[token_end - 1] + 1
            if _capitalised(written) and any(
                _capitalised(word) for word in _neighbour_words(text, start, end)
            ):
                return False  # part of a name: Martin Luther King Jr.
        if entry.kind == PINYIN and len(letters) == hit.end - hit.start:
            if _pinyin_name(text, sk, hit):
                return False
        return not _english_context(sk, hit)  # last: it reads the words around

    def _stand_in_holds(self, sk: Skeleton, hit: Hit) -> bool:
        """Whether a known stand-in or a look-alike spelling means the term here.

        Not when the spelling is an everyday word (白吃, 货款, 征信), when it reads as a
        score, a number on both sides of its 比 (二比一, 3比1; 傻比666 is none), when it ends
        on a sentence particle (是你吗), or when jieba reads a word across its edges (傻|比较,
        香辣|鸡腿). A look-alike must also be the rarer of the two
        characters, or have a content character of the term beside it (拉圾, 栽员; not 你吗).
        """
        entry = hit.entry
        said = sk.collapsed[hit.first : hit.first + len(entry.runs)]
        if len(said) != len(entry.spelling):
            return True  # a split form inside (亻尔马): no everyday word
        if segment.freq(said) >= COMMON_WORD_FREQ:
            return False
        after = hit.end
        start = hit.start
        number_after = after < len(sk.text) and sk.gap[after] == 0 and _is_numeral(sk, after)
        number_before = start > 0 and sk.gap[start] == 0 and _is_numeral(sk, start - 1)
        if number_after and (said[0] in NUMERAL_CHARS or number_before):
            return False
        last = said[-1]
        if last != entry.spelling[-1] and last in PARTICLES:
            if after >= len(sk.text) or sk.gap[after] or sk.kind[after] != K_CJK:
                return False
        if entry.kind == LOOK_ALIKE and not self._judge.looks_meant(entry.spelling, said):
            return False
        return not straddles(sk, hit.core_start, hit.core_end, False, weigh=False)

    def _everyday_han(self, sk: Skeleton, hit: Hit) -> bool:
        """Whether a Han hit's neighbours show the everyday word (垃圾分类, 尼玛次仁).

        The context is the term's (拉圾分类 is 垃圾分类 misspelt), else that of the
        characters as written (尼玛 is a name whichever term it also sounds like).
        """
        if not self._senses.contexts:
            return False
        context = self._contexts.get(hit.entry.term) or self._senses.for_term(
            sk.text[hit.start : hit.end]
        )
        return context is not None and han_literal(context, sk, hit.start, hit.end)

    def _han_edge_straddles(self, sk: Skeleton, hit: Hit) -> bool:
        """Whether a hit opening with Han characters before Latin ones (加QQ) starts mid-word.

        附加QQ is 附加 and QQ: the word across the hit's first edge is jieba's to see.
        """
        self.warm_up()
        han_end = hit.start
        while han_end < hit.end and sk.kind[han_end] == K_CJK:
            han_end += 1
        return han_part_straddles(sk, hit.start, han_end)

    def _homophone_reasons(
        self,
        text: str,
        sk: Skeleton,
        hits: list[Hit],
        allowed: list[tuple[int, int]],
        taken: set[tuple[int, int]],
    ) -> list[Reason]:
        """The same-sound spellings among ``hits`` that the judge holds (see ``homophone``).

        ``hits`` are what the homophone matcher found in ``sk``'s syllable codes; ``taken``:
        the spans (in ``text``) that already have a reason.
        """
        reasons: list[Reason] = []
        orig = sk.orig
        for hit in hits:
            span = (orig[hit.start], orig[hit.end - 1] + 1)
            if span in taken:
                continue
            self.warm_up()
            entry = hit.entry
            spelling = entry.spelling
            said = sk.collapsed[hit.first : hit.first + len(spelling)]  # never the term itself
            if not self._judge.holds(spelling, said) or self._everyday_han(sk, hit):
                continue
            if any(s <= hit.start and hit.end <= e for s, e in allowed):
                continue
            # Judged as written, on its core: 嘿嘿猫猫 is 嘿嘿 and 猫猫, not 嘿猫 repeated.
            if straddles(sk, hit.core_start, hit.core_end, False, weigh=False):
                continue
            how = f"{text[span[0] : span[1]]} → {entry.term} ({HOMOPHONE})"
            reasons.append(Reason(entry.term, entry.category, span, how=how))
        return reasons


def _english_context(sk: Skeleton, hit: Hit) -> bool:
    """Whether a pinyin hit reads as an English word among English words ("I made it").

    Only short hits (initials, or pinyin words themselves: "made", not "tamade") in comments
    without Han characters, beside a Latin word that is no pinyin ("King Jr.", "sb said").
    """
    if hit.end - hit.start > MAX_ENGLISH_LOOKING_PINYIN or K_CJK in sk.kind:
        return False
    initials = hit.entry.kind == INITIAL_LETTERS
    if not initials and not is_pinyin_word(sk.text[hit.start : hit.end]):
        return False
    before, after = _latin_token(sk, hit.start, hit.end)
    chars, gap, kind = sk.text, sk.gap, sk.kind
    word_before = ""
    if before > 0 and kind[before - 1] == K_LETTER:
        k = before - 1
        while k > 0 and kind[k - 1] == K_LETTER and gap[k] == 0:
            k -= 1
        word_before = chars[k:before]
    word_after = ""
    if after < len(chars) and kind[after] == K_LETTER:
        k = after + 1
        while k < len(chars) and kind[k] == K_LETTER and gap[k] == 0:
            k += 1
        word_after = chars[after:k]
    return any(word and not is_pinyin_word(word) for word in (word_before, word_after))


def _latin_token(sk: Skeleton, start: int, end: int) -> tuple[int, int]:
    """The run of touching letters around skeleton range ``start..end``."""
    kind, gap = sk.kind, sk.gap
    while start > 0 and kind[start - 1] == K_LETTER and gap[start] == 0:
        start -= 1
    while end < len(kind) and kind[end] == K_LETTER and gap[end] == 0:
        end += 1
    return start, end


def _pinyin_name(text: str, sk: Skeleton, hit: Hit) -> bool:
    """Whether a full-pinyin hit is written as a name: Cai Yuan, Wang Jianren, Bai Chi.

    Names in pinyin are written with each word capitalised; a hit of two such words, or
    one beside another capitalised pinyin word (a surname), is a name.
    """
    words = text[sk.orig[hit.start] : sk.orig[hit.end - 1] + 1].split()
    if not words or not all(_capitalised(word) for word in words):
        return False
    if len(words) >= 2:
        return True
    for neighbour in _neighbour_words(text, sk.orig[hit.start], sk.orig[hit.end - 1] + 1):
        if _capitalised(neighbour) and is_pinyin_word(neighbour.lower()):
            return True
    return False


def _capitalised(word: str) -> bool:
    return word.isascii() and word.isalpha() and word[0].isupper() and word[1:].islower()


def _neighbour_words(text: str, start: int, end: int) -> list[str]:
    """The words one space before and after ``text[start:end]`` (those that exist)."""
    out = []
    if start >= 2 and text[start - 1] == " ":
        out += _LATIN_WORD_END.findall(text, 0, start - 1)
    if end < len(text) - 1 and text[end] == " ":
        out += _LATIN_WORD_START.findall(text, end + 1)
    return out


def _how(text: str, sk: Skeleton, hit: Hit, span: tuple[int, int]) -> str:
    """How the text at ``span`` spells the hit's term, for the moderator ("" if as listed)."""
    written = text[span[0] : span[1]]
    entry = hit.entry
    if entry.kind:
        return f"{written} → {entry.term} ({entry.kind})"
    if written == entry.term:  # most hits: the term as listed
        return ""
    if any(text[at] in EMOJI_WORDS for at in sk.orig[hit.start : hit.end]):
        return f"{written} → {entry.term} ({EMOJI})"  # 🐶东西: read as the word it pictures
    mechanism = _literal_mechanism(written, sk, hit)
    return f"{written} → {entry.term} ({mechanism})" if mechanism else ""


def _literal_mechanism(written: str, sk: Skeleton, hit: Hit) -> str:
    """Why a literal hit's text differs from its term ("" when only case or width do)."""
    term = hit.entry.term
    if _folded(written) == _folded(term):
        return ""
    if not hit.entry.cjk_only and K_CJK not in sk.kind[hit.start : hit.end]:
        return LEET  # f.u.c.k, sh1t, ƒυ¢к
    for ch in written:
        if ch > "\x7f":
            normal, cls = char_info(ch)
            if cls == CJK and normal != ch and ch not in EMOJI_WORDS:  # 傻🐶逼: noise here
                return TRADITIONAL
    if len(written) > hit.end - hit.start:
        return SPACING  # noise (or invisible characters) between its characters
    if hit.end - hit.start > len(hit.entry.runs):
        return REPEAT
    return LEET


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


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
    alias_files: Sequence[Path] = (),
    sense_files: Sequence[Path] = (),
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
        alias_files: the organiser's alias files, on top of the shipped aliases (which
            apply with or without ``use_defaults``: they describe disguises, not terms).
        sense_files: the organiser's senses files (words that show a term's everyday
            sense), on top of the shipped ``senses.txt`` (also kept without ``use_defaults``).

    Returns:
        The compiled filter.

    Raises:
        OSError: when a wordlist file (or an existing allow file) cannot be read.
        AliasError: when an alias file has a line that is not ``alias = part``.
        SensesError: when a senses file has a line that is not ``after|before … = …``.
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
        aliases=load_aliases([Path(p) for p in alias_files]),
        senses=read_senses([default_senses_file(), *map(Path, sense_files)])
        if sense_files
        else None,
    )


def _writable_first(paths: Sequence[Path]) -> Path | None:
    """The first path that can be written (or created), else the first path, else None."""
    for path in paths:
        target = path if path.exists() else path.parent
        if os.access(target, os.W_OK):
            return path
    return paths[0] if paths else None
