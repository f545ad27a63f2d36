"""``danmaku check``: one JSON verdict per input line, for rehearsing the wordlists."""

from __future__ import annotations

import json
from typing import TextIO

from server.moderation.engine import TextFilter


def check_line(f: TextFilter, text: str) -> dict[str, object]:
    """The contract's JSON object for one line.

    Args:
        f: the filter.
        text: the line, without its newline.

    Returns:
        ``{"text": ..., "verdict": "pass"|"hold", "reasons": [{"term", "category",
        "span": [start, end]}]}``; a reason also has ``how`` when the text did not spell the
        term as listed ("sb → 傻逼 (initials)", "V：lucky2026 → 微信号 (contact)").
    """
    verdict = f.check(text)
    return {
        "text": text,
        "verdict": verdict.label,
        "reasons": [r.to_json() for r in verdict.reasons],
    }


def run_check(f: TextFilter, stdin: TextIO, stdout: TextIO) -> None:
    r"""Read UTF-8 lines, write one JSON object per line, flushing after each.

    Only the line ending is stripped (``\n`` or ``\r\n``); other whitespace is part of
    the text.

    Args:
        f: the filter.
        stdin: where the lines come from.
        stdout: where the JSON lines go.
    """
    for line in stdin:
        text = line[:-1] if line.endswith("\n") else line
        if text.endswith("\r"):
            text = text[:-1]
        stdout.write(json.dumps(check_line(f, text), ensure_ascii=False) + "\n")
        stdout.flush()
