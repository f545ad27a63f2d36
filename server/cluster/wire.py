"""What travels through Redis, and its encoding: key names, submissions, acks, wall events.

Plain JSON in stream fields, so that ``redis-cli XRANGE`` shows a person what happened.
Nothing here imports a Redis client.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from server.errors import ErrorCode, Refused
from server.models import Accepted, Mode, Status, Submission, record

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


@record
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
        return cls.from_shape(json.loads(raw))

    @classmethod
    def from_shape(cls, shape: Any) -> WallEvent:
        """The event back from its JSON list ``[namespace, name, data, to]``.

        Raises:
            ValueError: when ``shape`` is not one.
        """
        try:
            namespace, name, data, to = shape
        except (TypeError, ValueError):
            raise ValueError(f"not a wall event: {str(shape)[:80]!r}") from None
        if not (isinstance(namespace, str) and isinstance(name, str) and isinstance(data, dict)):
            raise ValueError(f"not a wall event: {str(shape)[:80]!r}")
        return cls(namespace, name, data, to if isinstance(to, str) else None)


_MODES = {mode.value: mode for mode in Mode}  # a dict lookup: Mode(value) is slower


@record
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
            worker, number, mode = fields["w"], int(fields["n"]), _MODES[mode]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a submission: {exc!r}") from None
        if not (
            isinstance(sender, str)
            and isinstance(text, str)
            and isinstance(nick, str)
            and isinstance(color, str)
            and (cid is None or isinstance(cid, str))
            and (address is None or isinstance(address, str))
        ):
            raise ValueError("not a submission: a field of the wrong type")
        return cls(worker, number, Submission(sender, text, nick, color, mode, cid, address))


Outcome = Accepted | Refused  # what became of a request: its ack, or the refusal


def encode_events(events: Sequence[WallEvent]) -> str:
    """Several wall events as one stream field (a batch travels as one entry)."""
    shapes = [[e.namespace, e.name, e.data, e.to] for e in events]
    return json.dumps(shapes, ensure_ascii=False)


def decode_events(raw: str) -> list[WallEvent]:
    """The events back from :func:`encode_events`.

    Raises:
        ValueError: when ``raw`` is not a list of them.
    """
    shapes = json.loads(raw)
    if not isinstance(shapes, list):
        raise ValueError(f"not wall events: {raw[:80]!r}")
    return [WallEvent.from_shape(shape) for shape in shapes]


def acks_fields(acks: Sequence[tuple[int, Outcome]]) -> dict[str, str]:
    """One reply entry for a worker's requests: each number with the contract's ack, as JSON."""
    return {"a": json.dumps([[number, _ack(outcome)] for number, outcome in acks])}


def _ack(outcome: Outcome) -> dict[str, Any]:
    if isinstance(outcome, Accepted):
        return {"ok": True, "id": outcome.id, "status": outcome.status.value}
    return {"ok": False, "error": outcome.code.value, "message": outcome.message}


def outcomes_from_fields(fields: dict[str, str]) -> list[tuple[int, Outcome]]:
    """A reply entry back as each request's number and its outcome.

    Raises:
        ValueError: when the entry is not a reply.
    """
    try:
        return [(int(number), _outcome(ack)) for number, ack in json.loads(fields["a"])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a reply: {exc}") from None


def _outcome(ack: dict[str, Any]) -> Outcome:
    if ack["ok"]:
        return Accepted(int(ack["id"]), Status(ack["status"]))
    return Refused(ErrorCode(ack["error"]), str(ack["message"]))
