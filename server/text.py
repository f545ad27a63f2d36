"""Cleaning and measuring audience text before anything else looks at it."""

from __future__ import annotations

import re

import regex

# C0/C1 controls and the bidi embedding/override/isolate controls (U+202E can flip
# a comment to read backwards on the projector). Zero-width characters stay: the
# filter must see them to treat them as noise, and ZWJ glues emoji together.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE_RUN = re.compile(r"[\t\n\r]+")
_GRAPHEME = regex.compile(r"\X")


def clean(text: str) -> str:
    """Drop control and bidi characters, fold line breaks to spaces, trim the ends."""
    return _CONTROL.sub("", _WHITESPACE_RUN.sub(" ", text)).strip()


def visible_length(text: str) -> int:
    """How many characters a person sees: grapheme clusters, not code points."""
    return len(_GRAPHEME.findall(text))
