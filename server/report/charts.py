"""SVG charts drawn by hand: stacked columns over time, stacked bars, a lottery's tickets.

Drawn here rather than by a charting library because what the report needs is small and
the page must open from a USB stick with no network and no script: the maintained Python
libraries that write SVG either embed JavaScript for their tooltips (pygal) or draw text
as paths in their own fonts (matplotlib), which loses the reader's CJK fonts. Every chart
is inline SVG styled by the page's CSS (colours by class, ``s-<status>``), so it prints,
scales and inherits the page's font stack; each bar carries a ``<title>`` that a pointer
shows and a screen reader reads.

All text that reaches a chart is escaped here (nicks and words are the audience's).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from server.models import Entrant, Status
from server.report.figures import OUTCOMES

FONT_PX = 14  # label size in the SVG's own units, about the page's body size when drawn
WIDE = 1160  # a full-width chart's units: the page's column, so 1 unit is about 1 px
HALF = 560  # a chart that shares its row with another
MAX_SLOT = 60.0  # the widest a column's slot gets, however few minutes the night had


def esc(text: str) -> str:
    """Escape text for SVG/HTML content and attribute values."""
    return escape(text, quote=True)


def text_width(text: str, font_px: float = FONT_PX) -> float:
    """About how wide ``text`` is drawn: full width for CJK, a bit over half for the rest."""
    return font_px * sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def fit(text: str, max_px: float, font_px: float = FONT_PX) -> str:
    """``text``, cut with an ellipsis when it would be wider than ``max_px``."""
    if text_width(text, font_px) <= max_px:
        return text
    while text and text_width(text + "…", font_px) > max_px:
        text = text[:-1]
    return text + "…"


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """Round gridline values from 0 up to at least ``top``: steps of 1, 2 or 5 times 10ⁿ."""
    raw = max(top, 1) / most
    power = 10 ** max(0, math.floor(math.log10(raw)))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return list(range(0, math.ceil(max(top, 1) / step) * step + 1, step))


def _svg(width: float, height: float, label: str, body: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def _stack(
    counts: Mapping[Status, int], x: float, base: float, scale: float, width: float
) -> list[str]:
    """Vertical stacked segments of one column, bottom up from ``base``."""
    parts, y = [], base
    for status in OUTCOMES:
        height = counts.get(status, 0) * scale
        if height > 0:
            y -= height
            parts.append(
                f'<rect class="s-{status.value}" x="{x:.2f}" y="{y:.2f}" '
                f'width="{width:.2f}" height="{height:.2f}"/>'
            )
    return parts


def columns(
    counts: Sequence[Mapping[Status, int]],
    axis_labels: Sequence[str],
    titles: Sequence[str],
    label: str,
    height: int = 300,
) -> str:
    """Stacked columns, one per bucket of time, with gridlines and a time axis.

    ``axis_labels`` name each bucket on the axis (thinned to fit); ``titles`` are the
    tooltips, one per bucket (buckets with no comment get no column).
    """
    left, right, top, bottom = 44.0, 8.0, 10.0, 30.0
    plot_w, plot_h = WIDE - left - right, height - top - bottom
    ticks = nice_ticks(max((sum(c.values()) for c in counts), default=0))
    scale = plot_h / ticks[-1]
    base = top + plot_h
    parts = []
    for value in ticks:
        y = base - value * scale
        parts.append(f'<line class="grid" x1="{left}" x2="{WIDE - right}" y1="{y:.2f}" '
                     f'y2="{y:.2f}"/>')  # fmt: skip
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.2f}" '
                     f'text-anchor="end">{value}</text>')  # fmt: skip
    # A short night's few columns stay columns (at most MAX_SLOT wide), centred.
    slot = min(plot_w / max(len(counts), 1), MAX_SLOT)
    start = left + (plot_w - slot * len(counts)) / 2
    bar = slot * (0.8 if slot >= 4 else 1.0)
    for i, (bucket, title) in enumerate(zip(counts, titles, strict=True)):
        if not sum(bucket.values()):
            continue
        x = start + i * slot + (slot - bar) / 2
        parts.append(f"<g><title>{esc(title)}</title>")
        parts.append(f'<rect class="hit" x="{start + i * slot:.2f}" y="{top}" '
                     f'width="{slot:.2f}" height="{plot_h:.2f}"/>')  # fmt: skip
        parts.extend(_stack(bucket, x, base, scale, bar))
        parts.append("</g>")
    every = max(1, math.ceil(64 / slot))  # a time label needs about 64 units
    for i in range(0, len(axis_labels), every):
        x = start + i * slot + slot / 2
        parts.append(f'<text class="tick" x="{x:.2f}" y="{base + 20:.2f}" '
                     f'text-anchor="middle">{esc(axis_labels[i])}</text>')  # fmt: skip
    parts.append(f'<line class="axis" x1="{left}" x2="{WIDE - right}" y1="{base}" y2="{base}"/>')
    return _svg(WIDE, height, label, "".join(parts))


@dataclass(frozen=True, slots=True)
class Bar:
    """One horizontal bar: its label, its stacked counts, its tooltip, an optional tag."""

    label: str
    counts: Mapping[Status, int]
    title: str
    tag: str = ""  # e.g. "banned", drawn after the number
    muted: bool = False  # a label that is ours, not the audience's (e.g. "(no nick)")


def bars(rows: Sequence[Bar], label: str, width: float = HALF) -> str:
    """Horizontal stacked bars, longest first as given, the count at each bar's end."""
    row_h, bar_h, top = 34.0, 20.0, 4.0
    label_w = min(max((text_width(r.label) for r in rows), default=0) + 12, width * 0.38)
    number_w = 16 + max((text_width(f"{sum(r.counts.values())} {r.tag}") for r in rows),
                        default=0)  # fmt: skip
    plot_w = width - label_w - number_w
    most = max((sum(r.counts.values()) for r in rows), default=1) or 1
    scale = plot_w / most
    parts = []
    for i, row in enumerate(rows):
        y = top + i * row_h
        middle = y + row_h / 2
        total = sum(row.counts.values())
        parts.append(f"<g><title>{esc(row.title)}</title>")
        parts.append(f'<rect class="hit" x="0" y="{y}" width="{width}" height="{row_h}"/>')
        shown = fit(row.label, label_w - 12)
        cls = "label muted" if row.muted else "label"
        parts.append(f'<text class="{cls}" x="{label_w - 10:.2f}" y="{middle + 5:.2f}" '
                     f'text-anchor="end">{esc(shown)}</text>')  # fmt: skip
        x = label_w
        for status in OUTCOMES:
            w = row.counts.get(status, 0) * scale
            if w > 0:
                parts.append(f'<rect class="s-{status.value}" x="{x:.2f}" '
                             f'y="{middle - bar_h / 2:.2f}" width="{w:.2f}" height="{bar_h}" '
                             f'rx="2"/>')  # fmt: skip
                x += w
        tag = f' <tspan class="tag">{esc(row.tag)}</tspan>' if row.tag else ""
        parts.append(f'<text class="value" x="{x + 8:.2f}" y="{middle + 5:.2f}">'
                     f"{total}{tag}</text></g>")  # fmt: skip
    height = top * 2 + len(rows) * row_h
    return _svg(width, height, label, "".join(parts))


def ticket_strip(
    entrants: Sequence[Entrant], winners: set[str], title: Callable[[Entrant], str], label: str
) -> str:
    """Every entrant's share of the draw's tickets as one strip, the winners' in gold.

    Entrants too thin to see (under 3 units) and not winners are drawn as one run.
    """
    height, total = 34.0, sum(e.weight for e in entrants) or 1
    scale = WIDE / total
    parts: list[str] = []
    run_start, run_width, x = 0.0, 0.0, 0.0

    def flush() -> None:
        nonlocal run_width
        if run_width > 0:
            parts.append(f'<rect class="ticket" x="{run_start:.2f}" y="0" '
                         f'width="{run_width:.2f}" height="{height}"/>')  # fmt: skip
        run_width = 0.0

    for index, entrant in enumerate(entrants):
        w = entrant.weight * scale
        won = entrant.sender in winners
        if not won and w < 3:
            if run_width == 0:
                run_start = x
            run_width += w
        else:
            flush()
            cls = "ticket won" if won else f"ticket t{index % 2}"
            tip = esc(title(entrant))
            parts.append(f'<rect class="{cls}" x="{x:.2f}" y="0" width="{w:.2f}" '
                         f'height="{height}"><title>{tip}</title></rect>')  # fmt: skip
        x += w
    flush()
    return _svg(WIDE, height, label, "".join(parts))
