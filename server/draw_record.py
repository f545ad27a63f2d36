"""``danmaku draws``: the night's draws as the record has them, and re-run to check them.

Each draw is listed with its prize, scheme, seed and the seed's SHA-256 (the commitment
shown before the draw), the comments mixed into its random source, the entrants with
their tickets, the winners (as sender ids: the record is the organiser's) and any voids.
``--verify`` re-runs every draw and every replacement from the record alone
(:func:`server.lottery.verify`): a winner or hash that does not follow is a MISMATCH.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from server import lottery
from server.models import Draw, Entrant
from server.store import Store


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def _entrant(entrant: Entrant) -> dict[str, Any]:
    return {"sender": entrant.sender, "nick": entrant.nick, "weight": entrant.weight}


def draw_record(draw: Draw) -> dict[str, Any]:
    """One draw as the JSON record (sender ids included: the organiser's record)."""
    rules = draw.rules
    return {
        "id": draw.id,
        "prize": rules.prize,
        "created_at": _iso(draw.created_at),
        "scheme": rules.scheme.value,
        "cap": rules.cap,
        "min_shown": rules.min_shown,
        "winners_asked": rules.winners,
        "exclude_previous_winners": rules.exclude_previous_winners,
        "algorithm": draw.algorithm,
        "seed": str(draw.seed),
        "seed_hash": lottery.commitment(draw),
        "witnessed": [{"id": i, "text": t} for i, t in draw.witnessed],
        "entrants": [_entrant(e) for e in draw.entrants],
        "winners": [_entrant(w) for w in draw.winners],
        "voids": [
            {
                "sender": v.sender,
                "nick": v.nick,
                "reason": v.reason.value,
                "seed": str(v.seed),
                "replacement": None if v.replacement is None else _entrant(v.replacement),
                "at": _iso(v.at),
            }
            for v in draw.voids
        ],
        "standing": [_entrant(w) for w in draw.standing],
    }


def _nicks(entrants: tuple[Entrant, ...]) -> str:
    return ", ".join(f"{e.nick or '(no nick)'} [{e.sender}]" for e in entrants) or "nobody"


def write_text(draws: list[Draw], out: TextIO, verified: dict[int, list[str]] | None) -> None:
    """A readable listing, one block per draw (and OK / MISMATCH when verified)."""
    if not draws:
        out.write("No draws recorded.\n")
    for draw in draws:
        rules = draw.rules
        scheme = rules.scheme.value + (f" (cap {rules.cap})" if rules.cap else "")
        out.write(f"Draw #{draw.id}  {rules.prize or '(no prize name)'}  {_iso(draw.created_at)}\n")
        out.write(f"  scheme {scheme}, at least {rules.min_shown} shown, {rules.winners} asked\n")
        out.write(f"  seed {draw.seed}  sha256 {lottery.commitment(draw)}\n")
        out.write(f"  {len(draw.witnessed)} comments mixed in; {draw.algorithm}\n")
        entrants = ", ".join(f"{e.nick or e.sender} ({e.weight})" for e in draw.entrants)
        out.write(f"  entrants: {entrants}\n")
        out.write(f"  winners: {_nicks(draw.winners)}\n")
        for void in draw.voids:
            instead = _nicks((void.replacement,)) if void.replacement else "nobody left"
            out.write(f"  void: {void.nick or void.sender} ({void.reason.value}) -> {instead}\n")
        if verified is not None:
            problems = verified[draw.id]
            out.write("  OK\n" if not problems else "  MISMATCH: " + "; ".join(problems) + "\n")


async def list_draws(db_path: Path, fmt: str, verify: bool, out: TextIO) -> bool:
    """Write the record of every draw; with ``verify``, False when any draw does not match.

    Raises:
        FileNotFoundError: when there is no database there (none is created).
    """
    if not db_path.exists():
        raise FileNotFoundError(f"No database at {db_path}")
    store = await Store.open(db_path)
    try:
        draws = await store.draws()
    finally:
        await store.close()
    verified = {d.id: lottery.verify(d) for d in draws} if verify else None
    if fmt == "json":
        records = []
        for draw in draws:
            record = draw_record(draw)
            if verified is not None:
                record["verified"] = not verified[draw.id]
                record["problems"] = verified[draw.id]
            records.append(record)
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        write_text(draws, out, verified)
    return verified is None or not any(verified.values())
