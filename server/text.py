"""Cleaning and measuring audience text before anything else looks at it."""

from __future__ import annotations

import re

import regex

# C0/C1 controls, bidi marks, embeddings, overrides and isolates (U+202E can flip a
# comment to read backwards on the projector), and invisible characters that only
# serve to hide a word from the filter. ZWJ (U+200D) and variation selectors stay:
# they glue emoji together, and the filter treats them as noise.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2069\ufeff]"
)
_WHITESPACE_RUN = re.compile(r"[\t\n\r]+")
_GRAPHEME = regex.compile(r"\X")
# Characters that are each one grapheme whatever surrounds them: printable ASCII, CJK
# ideographs and CJK/full-width punctuation (U+302A-302F are combining tone marks, left
# out). Most danmaku are made of nothing else, and their length is then just len().
_NOT_ALWAYS_ALONE = re.compile("[^\x20-\x7e\u3000-\u3029\u3030-\u303f\u4e00-\u9fff\uff01-\uff60]")


def clean(text: str) -> str:
    """Drop control and bidi characters, fold line breaks to spaces, trim the ends."""
    return _CONTROL.sub("", _WHITESPACE_RUN.sub(" ", text)).strip()


def visible_length(text: str) -> int:
    """How many characters a person sees: grapheme clusters, not code points."""
    if _NOT_ALWAYS_ALONE.search(text) is None:
        return len(text)
    return len(_GRAPHEME.findall(text))
