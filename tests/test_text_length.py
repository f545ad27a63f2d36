"""Length limits count what a person sees, and the shortcut for plain text is exact."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from server.text import visible_length

# Characters from the shortcut's ranges and their edges, mixed with ones that join or
# extend a neighbour: combining accents, kana voiced marks (full and half width), CJK
# tone marks, ZWJ, variation selectors, skin tones, regional indicators, Hangul jamo.
MIXED = st.text(
    alphabet=st.sampled_from(
        [
            *"aZ ~!9中文字，。「」！～〜",
            *("\u3029", "\u302a", "\u302f", "\u3030", "\u3099", "\uff60", "\uff61", "\uff9e"),
            *("\u0301", "\u200d", "\ufe0f", "\U0001f3fb", "\U0001f1e8", "\U0001f1f3"),
            *("\U0001f468", "\U0001f469", "\u1100", "\u1161", "\u11a8", "한", "\r", "\n"),
        ]
    ),
    max_size=30,
)


@given(MIXED)
def test_visible_length_counts_grapheme_clusters(text: str) -> None:
    assert visible_length(text) == len(regex.findall(r"\X", text))


def test_what_people_see() -> None:
    assert visible_length("新年快乐！Happy 2027") == 15
    assert visible_length("e\u0301") == 1  # é as e + combining accent
    assert visible_length("👨\u200d👩\u200d👧") == 1  # one family emoji
    assert visible_length("🇨🇳") == 1
    assert visible_length("か\u3099") == 1
