"""``danmaku export``: every message, as JSON or CSV, with its moderation record.

A rehearsal's comments (sent while the console's ``t`` was on) are left out unless asked
for (``--include-rehearsal``); every record says whether it was one (``rehearsal``).
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from server.models import Message
from server.store import Store

FIELDS = (
    "id",
    "text",
    "nick",
    "sender",
    "status",
    "verdict",
    "reasons",
    "shown_count",
    "created_at",
    "last_shown_at",
    "color",
    "mode",
    "cid",
    "masked_text",
    "rehearsal",
)


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")


def message_record(message: Message) -> dict[str, Any]:
    """One message as an export row (times in ISO 8601, UTC)."""
    return {
        "id": message.id,
        "text": message.text,
        "nick": message.nick,
        "sender": message.sender,
        "status": message.status.value,
        "verdict": message.verdict,
        "reasons": [r.to_json() for r in message.reasons],
        "shown_count": message.shown_count,
        "created_at": _iso(message.created_at),
        "last_shown_at": _iso(message.last_shown_at),
        "color": message.color,
        "mode": message.mode.value,
        "cid": message.cid,
        "masked_text": message.masked_text,  # approved masked: what the wall showed
        "rehearsal": message.rehearsal,
    }


def write_json(messages: list[Message], out: TextIO) -> None:
    """One JSON array of objects."""
    json.dump([message_record(m) for m in messages], out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_csv(messages: list[Message], out: TextIO) -> None:
    """A header row, then one row per message (``reasons`` as a JSON string)."""
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for message in messages:
        row = message_record(message)
        row["reasons"] = json.dumps(row["reasons"], ensure_ascii=False)
        writer.writerow(row)


async def export(db_path: Path, fmt: str, out: TextIO, *, include_rehearsal: bool = False) -> None:
    """Write every message in the database at ``db_path`` to ``out``.

    A rehearsal's comments only with ``include_rehearsal``.

    Raises:
        FileNotFoundError: when there is no database there (none is created).
    """
    if not db_path.exists():
        raise FileNotFoundError(f"No database at {db_path}")
    store = await Store.open(db_path)
    try:
        messages = await store.messages(rehearsal=include_rehearsal)
    finally:
        await store.close()
    (write_csv if fmt == "csv" else write_json)(messages, out)
