"""Approve with the matched words masked: one ＊ in place of each character a person sees.

A comment that is fine but for a word (a rude word in an otherwise warm cheer) can still go
up with ``m``: every span the filter matched in the text is replaced by one full-width
asterisk per grapheme cluster (so 黑猫 becomes ＊＊, ``darn`` becomes ＊＊＊＊, and an emoji
built of several code points becomes one ＊); the rest of the text is left as sent. A
grapheme the span only partly covers is masked whole. Reasons that are not words in the
text — a flood (the whole text, many senders) or the moderator holding everything — mask
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from server.flood import CATEGORY as FLOOD
from server.models import Reason

MASK = "＊"
NOT_WORDS = frozenset({FLOOD, "hold_all"})  # reasons that are not a span of matched words
_GRAPHEME = regex.compile(r"\X")


def masked_spans(reasons: Iterable[Reason]) -> list[tuple[int, int]]:
    """The text's matched spans that masking covers, sorted and merged."""
    spans = sorted(
        r.span
        for r in reasons
        if r.field == "text" and r.category not in NOT_WORDS and r.span[0] < r.span[1]
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mask(text: str, reasons: Iterable[Reason]) -> str:
    """``text`` with one ＊ per grapheme of each matched span; unchanged when none matched."""
    spans = masked_spans(reasons)
    if not spans:
        return text
    out: list[str] = []
    span = 0
    for grapheme in _GRAPHEME.finditer(text):
        start, end = grapheme.span()
        while span < len(spans) and spans[span][1] <= start:
            span += 1
        if span < len(spans) and spans[span][0] < end:
            out.append(MASK)
        else:
            out.append(grapheme.group())
    return "".join(out)
