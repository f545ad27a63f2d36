"""English inflections of English terms (idiots, retards, dumbasses) and their collateral."""

from __future__ import annotations

import pytest
from english_words import get_english_words_set

from server.moderation import TextFilter, load_filter
from server.moderation.inflections import INFLECTION, inflected_spellings, plural
from server.moderation.wordlists import WordList
from tests.moderation_support import defaults_without

# Dictionary words that are a term's inflection and mean it: held on purpose.
MEANT = {"pricks"}


@pytest.fixture(scope="module")
def f() -> TextFilter:
    return TextFilter(
        [WordList("insult", ("idiot", "dumbass", "whore", "pussy", "wanker", "prick"))],
        detect_contact=False,
        cache_size=0,
    )


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("idiot", "idiots"),
        ("bitch", "bitches"),  # -es after ch
        ("dumbass", "dumbasses"),  # -es after s
        ("pussy", "pussies"),  # a consonant's y to i
        ("whore", "whores"),
    ],
)
def test_the_regular_english_plural(word: str, form: str) -> None:
    assert plural(word) == form


def test_plurals_short_words_and_phrases_get_none() -> None:
    assert inflected_spellings("bitches") == []  # a plural already
    assert inflected_spellings("fucked") == [] and inflected_spellings("fucking") == []
    assert inflected_spellings("wanker") == [("wankers", INFLECTION)]
    assert inflected_spellings("ass") == []
    assert inflected_spellings("kill yourself") == []
    assert inflected_spellings("傻逼") == []


@pytest.mark.parametrize(
    ("text", "term", "written"),
    [
        ("the refs are idiots", "idiot", "idiots"),
        ("IDIOTS!!", "idiot", "IDIOTS"),
        ("you dumbasses", "dumbass", "dumbasses"),
        ("whores", "whore", "whores"),
        ("the pussies upfront", "pussy", "pussies"),
        ("wankers 滚", "wanker", "wankers"),
        ("you pricks", "prick", "pricks"),
    ],
)
def test_an_inflected_term_holds_and_says_how(
    f: TextFilter, text: str, term: str, written: str
) -> None:
    (reason,) = f.check(text).reasons
    assert reason.term == term
    assert text[reason.span[0] : reason.span[1]] == written
    assert reason.how == f"{written} → {term} (inflection)"


def test_leetspeak_reads_an_inflection_too(f: TextFilter) -> None:
    (reason,) = f.check("bunch of 1d10ts").reasons
    assert reason.term == "idiot" and "(inflection)" in reason.how


@pytest.mark.parametrize("text", ["she pricked her finger", "a pricker bush", "idiotic"])
def test_english_words_of_their_own_pass(f: TextFilter, text: str) -> None:
    assert f.check(text).reasons == ()


def test_the_default_lists_hold_plurals_and_spare_their_namesakes() -> None:
    defaults = load_filter(cache_size=0)
    for text in ("the refs are idiots", "retards everywhere", "you dumbasses", "scumbags"):
        assert defaults.check(text).reasons, text
    for text in ("the rapper was rapping", "a cocker spaniel", "a fire-retarding coat"):
        assert defaults.check(text).reasons == (), text


def test_no_english_word_is_held_only_because_of_an_inflection() -> None:
    words = get_english_words_set(["web2"], lower=True) | get_english_words_set(
        ["gcide"], lower=True
    )
    words = {w for w in words if w.isascii() and w.isalpha()}
    with_inflections = load_filter(cache_size=0)
    without = defaults_without(INFLECTION)
    held = {w for w in words if with_inflections.check(w).reasons}
    assert {w for w in held if not without.check(w).reasons} == MEANT
