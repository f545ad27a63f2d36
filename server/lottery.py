"""The weighted lottery: pure functions, so a recorded draw can be re-run and checked.

**Tickets.** Each entrant holds whole tickets, worked out from the comments of theirs that
reached the wall by the draw's scheme: ``proportional`` (one ticket a comment), ``capped``
(the same, at most ``cap``), ``sqrt`` (``isqrt(100² · shown)``: a hundred tickets for one
comment, two hundred for four) and ``equal`` (one each). Whole tickets keep a draw exact and
its stated chances exact.

**The draw.** Winners are drawn one at a time without replacement (nobody wins twice in one
draw), each pick ``randrange(total tickets left)`` on :class:`random.Random` seeded with an
integer: bit for bit the same on any machine.

**Commit, then reveal.** A round's seed is fixed before the draw and only its SHA-256 (of
the seed's decimal digits) is shown; the seed the draw really uses mixes it with the
comments that reached the wall between the commit and the draw (:func:`mixed_seed`), which
the organiser could not know when committing. Given the record, anyone can recompute the
hash, the mix and the winners (:func:`replay`).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from collections.abc import Iterable, Sequence

from server.models import Draw, Entrant, Scheme

ALGORITHM_V1 = "sequential-weighted-without-replacement/v1"  # the seed itself, no mix
ALGORITHM = "sha256-commit-mix/sequential-weighted-without-replacement/v2"
SQRT_TICKETS = 100  # tickets for one comment under ``sqrt``: fine enough steps between people


def tickets(shown: int, scheme: Scheme, cap: int | None = None) -> int:
    """An entrant's tickets for ``shown`` comments on the wall (0 for none)."""
    if shown <= 0:
        return 0
    match scheme:
        case Scheme.PROPORTIONAL:
            return shown
        case Scheme.CAPPED:
            return min(shown, cap) if cap else shown
        case Scheme.SQRT:
            return math.isqrt(SQRT_TICKETS * SQRT_TICKETS * shown)
        case Scheme.EQUAL:
            return 1


def eligible_entrants(
    shown: Iterable[Entrant],
    banned: set[str],
    previous_winners: set[str],
    exclude_previous_winners: bool,
    *,
    scheme: Scheme = Scheme.PROPORTIONAL,
    cap: int | None = None,
    min_shown: int = 1,
) -> tuple[Entrant, ...]:
    """Entrants with their tickets, in a canonical order (by sender id).

    ``shown`` carries each sender's comments on the wall as its ``weight``; the result's
    weights are tickets. Out: banned senders, those under ``min_shown``, and earlier
    winners when they are excluded.
    """
    return tuple(
        sorted(
            (
                Entrant(e.sender, e.nick, tickets(e.weight, scheme, cap))
                for e in shown
                if e.weight >= max(1, min_shown)
                and e.sender not in banned
                and not (exclude_previous_winners and e.sender in previous_winners)
            ),
            key=lambda e: e.sender,
        )
    )


def draw_winners(seed: int, entrants: Sequence[Entrant], count: int) -> tuple[Entrant, ...]:
    """Draw up to ``count`` distinct winners, each pick weighted by ``Entrant.weight``."""
    rng = random.Random(seed)
    remaining = [e for e in entrants if e.weight > 0]
    winners: list[Entrant] = []
    while remaining and len(winners) < count:
        ticket = rng.randrange(sum(e.weight for e in remaining))
        for index, entrant in enumerate(remaining):
            if ticket < entrant.weight:
                winners.append(remaining.pop(index))
                break
            ticket -= entrant.weight
    return tuple(winners)


def seed_hash(seed: int) -> str:
    """The commitment shown before a draw: SHA-256 of the seed's decimal digits, in hex."""
    return hashlib.sha256(str(seed).encode()).hexdigest()


def commitment(draw: Draw) -> str:
    """The hash a draw's record shows: as committed, or worked out for draws from before."""
    return draw.seed_hash or seed_hash(draw.seed)


def mixed_seed(seed: int, witnessed: Sequence[tuple[int, str]]) -> int:
    """The seed a draw uses: the committed seed mixed with the comments seen since.

    ``witnessed`` is each comment that reached the wall between the commit and the draw,
    as ``(id, text)`` in the order they went up. SHA-256 over the seed's digits, then each
    comment as a newline, its id, a tab and its text (UTF-8); the first 16 bytes, big-endian.
    """
    digest = hashlib.sha256(str(seed).encode())
    for message_id, text in witnessed:
        digest.update(f"\n{message_id}\t{text}".encode())
    return int.from_bytes(digest.digest()[:16], "big")


def replay(
    algorithm: str,
    seed: int,
    witnessed: Sequence[tuple[int, str]],
    entrants: Sequence[Entrant],
    count: int,
) -> tuple[Entrant, ...]:
    """Re-run a recorded draw from its record.

    Raises:
        ValueError: for an algorithm this version does not know.
    """
    if algorithm == ALGORITHM_V1:
        return draw_winners(seed, entrants, count)
    if algorithm == ALGORITHM:
        return draw_winners(mixed_seed(seed, witnessed), entrants, count)
    raise ValueError(f"unknown draw algorithm {algorithm!r}")


def replacement(seed: int, entrants: Sequence[Entrant], out: set[str]) -> Entrant | None:
    """One winner drawn with ``seed`` among ``entrants`` not in ``out`` (a voided winner's)."""
    left = [e for e in entrants if e.sender not in out]
    winners = draw_winners(seed, left, 1)
    return winners[0] if winners else None


def chances(entrants: Sequence[Entrant], count: int, trials: int = 4_000) -> dict[str, float]:
    """Each entrant's chance of being among ``count`` winners, from 0 to 1.

    Exact for one winner (tickets over all tickets) and when everyone wins; otherwise the
    share of ``trials`` simulated draws (one fixed seed, so the same every time). The
    simulation gives each entrant the key ``U ** (1 / tickets)`` and takes the ``count``
    largest (Efraimidis and Spirakis, 2006): the same distribution as drawing one at a time
    without replacement, at a fraction of the cost.
    """
    total = sum(e.weight for e in entrants)
    if total == 0:
        return {e.sender: 0.0 for e in entrants}
    if count >= sum(1 for e in entrants if e.weight > 0):
        return {e.sender: 1.0 if e.weight > 0 else 0.0 for e in entrants}
    if count == 1:
        return {e.sender: e.weight / total for e in entrants}
    holders = [e for e in entrants if e.weight > 0]
    exponents = [1 / e.weight for e in holders]
    wins = [0] * len(holders)
    rng = random.Random(0)
    for _ in range(trials):
        keys = [rng.random() ** exponent for exponent in exponents]
        for index in heapq.nlargest(count, range(len(holders)), key=keys.__getitem__):
            wins[index] += 1
    won = {e.sender: w / trials for e, w in zip(holders, wins, strict=True)}
    return {e.sender: won.get(e.sender, 0.0) for e in entrants}


def ever_won(draw: Draw) -> set[str]:
    """Everyone who has been a winner of ``draw``: drawn, or drawn in someone's place."""
    won = {w.sender for w in draw.winners}
    won.update(v.replacement.sender for v in draw.voids if v.replacement is not None)
    return won


def verify(draw: Draw) -> list[str]:
    """Re-run a recorded draw and its voids from the record; what does not match (or [])."""
    problems = []
    if draw.seed_hash and seed_hash(draw.seed) != draw.seed_hash:
        problems.append(f"the seed's SHA-256 is not the recorded {draw.seed_hash}")
    try:
        expected = replay(
            draw.algorithm, draw.seed, draw.witnessed, draw.entrants, draw.rules.winners
        )
    except ValueError as exc:
        return [*problems, str(exc)]
    if expected != draw.winners:
        problems.append(
            "recorded winners "
            + ", ".join(w.sender for w in draw.winners)
            + " but the record draws "
            + ", ".join(w.sender for w in expected)
        )
    out = {w.sender for w in draw.winners}
    for void in draw.voids:
        pick = replacement(void.seed, draw.entrants, out)
        if pick != void.replacement:
            recorded = void.replacement.sender if void.replacement else "nobody"
            problems.append(
                f"the replacement for {void.sender} is recorded as {recorded} but the record"
                f" draws {pick.sender if pick else 'nobody'}"
            )
        if pick is not None:
            out.add(pick.sender)
    return problems
