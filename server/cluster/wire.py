"""What travels through Redis, and its encoding: key names, submissions, acks, wall events.

Plain JSON in stream fields, so that ``redis-cli XRANGE`` shows a person what happened.
Nothing here imports a Redis client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from server.errors import ErrorCode, Refused
from server.models import Accepted, Mode, Status, Submission

PREFIX = "danmaku:"
SUBMISSIONS = PREFIX + "submissions"  # worker → hub: every comment sent through a worker
EVENTS = PREFIX + "events"  # hub → workers: what the pages must show or be told
STANDING = PREFIX + "standing"  # the wall's state for a page that connects now
AUDIENCE = PREFIX + "audience"  # worker id → its connected phones and projectors


def page_key(name: str) -> str:
    """Where a page the hub renders for its workers is kept (``draws.zh``…)."""
    return f"{PREFIX}page:{name}"


def replies_key(worker: str) -> str:
    """The stream of acks for one worker's submissions."""
    return f"{PREFIX}replies:{worker}"


def stream_millis(entry_id: str) -> int:
    """The milliseconds part of a stream entry id (``1700000000000-3``)."""
    return int(entry_id.partition("-")[0])


def stream_id_key(entry_id: str) -> tuple[int, int]:
    """A stream entry id as a pair that sorts like Redis sorts ids."""
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)


@dataclass(frozen=True, slots=True)
class WallEvent:
    """One emit for the pages: ``name`` with ``data`` on ``namespace``.

    ``to`` is a sender whose phones alone are told (a review outcome, a win); None for
    every page of the namespace.
    """

    namespace: str
    name: str
    data: dict[str, Any]
    to: str | None = None

    def encode(self) -> str:
        """The JSON that travels in a stream field."""
        return json.dumps([self.namespace, self.name, self.data, self.to], ensure_ascii=False)

    @classmethod
    def decode(cls, raw: str) -> WallEvent:
        """The event back from :meth:`encode`.

        Raises:
            ValueError: when ``raw`` is not one.
        """
        namespace, name, data, to = json.loads(raw)
        if not (isinstance(namespace, str) and isinstance(name, str) and isinstance(data, dict)):
            raise ValueError(f"not a wall event: {raw[:80]!r}")
        return cls(namespace, name, data, to if isinstance(to, str) else None)


@dataclass(frozen=True, slots=True)
class Request:
    """A submission on its way to the hub: which worker asked, and its number there."""

    worker: str
    number: int
    submission: Submission

    def fields(self) -> dict[str, str]:
        """The stream entry's fields."""
        s = self.submission
        body = [s.sender, s.text, s.nick, s.color, s.mode.value, s.cid, s.address]
        return {"w": self.worker, "n": str(self.number), "s": json.dumps(body, ensure_ascii=False)}

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> Request:
        """The request back from a stream entry.

        Raises:
            ValueError: when the entry is not one (it did not come from a worker).
        """
        try:
            sender, text, nick, color, mode, cid, address = json.loads(fields["s"])
            worker, number, mode = fields["w"], int(fields["n"]), Mode(mode)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a submission: {exc}") from None
        strings = (sender, text, nick, color)
        if not all(isinstance(v, str) for v in strings) or not all(
            v is None or isinstance(v, str) for v in (cid, address)
        ):
            raise ValueError("not a submission: a field of the wrong type")
        return cls(worker, number, Submission(sender, text, nick, color, mode, cid, address))


def ack_fields(number: int, outcome: Accepted | Refused) -> dict[str, str]:
    """The reply entry for a worker's request ``number``: the contract's ack, as JSON."""
    if isinstance(outcome, Accepted):
        ack: dict[str, Any] = {"ok": True, "id": outcome.id, "status": outcome.status.value}
    else:
        ack = {"ok": False, "error": outcome.code.value, "message": outcome.message}
    return {"n": str(number), "a": json.dumps(ack, ensure_ascii=False)}


def outcome_from_fields(fields: dict[str, str]) -> tuple[int, Accepted | Refused]:
    """A reply entry back as the request's number and its outcome.

    Raises:
        ValueError: when the entry is not a reply.
    """
    try:
        number, ack = int(fields["n"]), json.loads(fields["a"])
        if ack["ok"]:
            return number, Accepted(int(ack["id"]), Status(ack["status"]))
        return number, Refused(ErrorCode(ack["error"]), str(ack["message"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a reply: {exc}") from None
