"""Validation of what clients send, at the edge, before the core sees it.

Anything that is not exactly the contract's shape is refused with ``bad_request``, text
over a limit with ``too_long``, each with a message that says what was wrong; nothing here
ever raises anything else.
"""

from __future__ import annotations

import re

from server.errors import ErrorCode
from server.models import Mode, Submission

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
    """A payload that does not follow the contract: ``code`` for the ack, the message says why.

    Text or a nick that is too long is ``too_long``, anything else ``bad_request``.
    """

    def __init__(self, message: str, code: ErrorCode = ErrorCode.BAD_REQUEST) -> None:
        super().__init__(message)
        self.code = code


def _optional_str(data: dict[object, object], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string.")
    return value


def _within(value: str, key: str, limit: int) -> str:
    if len(value) > limit:
        raise BadRequest(f"Too long: '{key}' is over {limit} characters.", ErrorCode.TOO_LONG)
    return value


def parse_danmaku(data: object, *, sender: str, address: str | None) -> Submission:
    """Check a ``danmaku`` payload and return it as the core's submission from this phone.

    Raises:
        BadRequest: when the payload is not an object of the contract's shape.
    """
    if not isinstance(data, dict):
        raise BadRequest("Send an object with a 'text' field.")
    text = data.get("text")
    if not isinstance(text, str):
        raise BadRequest("'text' must be a string.")
    text = _within(text, "text", MAX_RAW_TEXT)
    nick = _within(_optional_str(data, "nick") or "", "nick", MAX_RAW_NICK)
    color = _optional_str(data, "color") or DEFAULT_COLOR
    if not COLOR.fullmatch(color):
        raise BadRequest("'color' must look like #rrggbb.")
    try:
        mode = Mode(_optional_str(data, "mode") or Mode.SCROLL.value)
    except ValueError:
        raise BadRequest("'mode' must be scroll, top or bottom.") from None
    cid = _optional_str(data, "cid") or None
    if cid is not None and len(cid) > MAX_CID_LENGTH:  # an id, not text: malformed
        raise BadRequest(f"'cid' is longer than {MAX_CID_LENGTH} characters.")
    return Submission(
        sender=sender,
        text=text,
        nick=nick,
        color=color.lower(),
        mode=mode,
        cid=cid,
        address=address,
    )


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
