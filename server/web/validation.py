"""Validation of what clients send, at the edge, before the core sees it.

Anything that is not exactly the contract's shape is refused with ``bad_request``
and a message that says what was wrong; nothing here ever raises anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.models import Mode

COLOR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_CID_LENGTH = 64
MAX_CLIENT_ID_LENGTH = 64
# Generous raw caps: the real limits count graphemes in the core, these only stop
# a megabyte of text from reaching it.
MAX_RAW_TEXT = 2_000
MAX_RAW_NICK = 200
DEFAULT_COLOR = "#ffffff"
KNOWN_FIELDS = frozenset({"text", "color", "mode", "nick", "cid"})


class BadRequest(Exception):
    """A payload that does not follow the contract; the message says why."""


@dataclass(frozen=True, slots=True)
class DanmakuPayload:
    """A well-formed ``danmaku`` event from a phone."""

    text: str
    nick: str
    color: str
    mode: Mode
    cid: str | None


def _optional_str(data: dict[object, object], key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string.")
    if len(value) > limit:
        raise BadRequest(f"'{key}' is longer than {limit} characters.")
    return value


def parse_danmaku(data: object) -> DanmakuPayload:
    """Check a ``danmaku`` payload and return it typed.

    Raises:
        BadRequest: when the payload is not an object of the contract's shape.
    """
    if not isinstance(data, dict):
        raise BadRequest("Send an object with a 'text' field.")
    text = data.get("text")
    if not isinstance(text, str):
        raise BadRequest("'text' must be a string.")
    if len(text) > MAX_RAW_TEXT:
        raise BadRequest("'text' is far too long.")
    nick = _optional_str(data, "nick", MAX_RAW_NICK) or ""
    color = _optional_str(data, "color", 7) or DEFAULT_COLOR
    if not COLOR.fullmatch(color):
        raise BadRequest("'color' must look like #rrggbb.")
    mode_text = _optional_str(data, "mode", 10) or Mode.SCROLL.value
    try:
        mode = Mode(mode_text)
    except ValueError:
        raise BadRequest("'mode' must be scroll, top or bottom.") from None
    cid = _optional_str(data, "cid", MAX_CID_LENGTH)
    return DanmakuPayload(text=text, nick=nick, color=color.lower(), mode=mode, cid=cid or None)


def client_id_from_auth(auth: object) -> str | None:
    """The stable id a phone passes as ``auth.client_id``, if it is usable."""
    if isinstance(auth, dict):
        value = auth.get("client_id")
        if isinstance(value, str) and 0 < len(value) <= MAX_CLIENT_ID_LENGTH:
            return value
    return None


def last_id_from_auth(auth: object) -> int | None:
    """The ``auth.last_id`` a reconnecting projector passes, if it is a usable integer."""
    if isinstance(auth, dict):
        value = auth.get("last_id")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None
