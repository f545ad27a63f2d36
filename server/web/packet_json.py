"""The JSON module python-socketio and python-engineio read and write packets with.

The stock one (``engineio.json``) refuses integers longer than 100 digits (a number that
takes quadratic time to read), and builds a new decoder on every packet to do so: 2.3 %
of a worker's samples under cluster_ingest --py-spy. This keeps the guard and builds the
decoder once. Handed over through the servers' public ``json=`` option.
"""

from __future__ import annotations

import json
from json import dumps
from typing import Any

__all__ = ["dumps", "loads"]

MAX_INTEGER_DIGITS = 100  # as engineio.json: a longer integer is refused


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_INTEGER_DIGITS:
        raise ValueError("Integer is too large")
    return int(digits)


_DECODER = json.JSONDecoder(parse_int=_bounded_int)


def loads(text: str | bytes | bytearray, **options: Any) -> Any:
    """``json.loads``, refusing integers longer than :data:`MAX_INTEGER_DIGITS` digits."""
    if options:  # not how the libraries call it; kept compatible all the same
        return json.loads(text, **{"parse_int": _bounded_int, **options})
    if not isinstance(text, str):
        text = bytes(text).decode("utf-8")
    return _DECODER.decode(text)
