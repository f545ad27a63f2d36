"""Refusals the core gives for a submission, each with the contract's error code."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The contract's ack error codes."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    RATE_LIMITED = "rate_limited"
    BANNED = "banned"
    PAUSED = "paused"
    BAD_REQUEST = "bad_request"
    # A cluster worker that cannot reach Redis or the hub: nothing was acknowledged, and a
    # retry with the same cid is safe (it may have been committed meanwhile: the first ack).
    UNAVAILABLE = "unavailable"


class Refused(Exception):
    """A submission the core will not accept; ``message`` is meant for the sender."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
