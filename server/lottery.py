"""The weighted lottery: pure functions, so a recorded draw can be re-run and checked.

Each entrant's chance is proportional to their weight (comments that reached the
screen). Winners are drawn one at a time without replacement, so nobody wins twice
in one draw. Integer arithmetic on :class:`random.Random` seeded with the recorded
seed makes a draw reproducible bit for bit on any machine.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from server.models import Entrant

ALGORITHM = "sequential-weighted-without-replacement/v1"


def eligible_entrants(
    weights: Iterable[Entrant],
    banned: set[str],
    previous_winners: set[str],
    exclude_previous_winners: bool,
) -> tuple[Entrant, ...]:
    """Entrants allowed in a draw, in a canonical order (by sender id)."""
    return tuple(
        sorted(
            (
                e
                for e in weights
                if e.weight > 0
                and e.sender not in banned
                and not (exclude_previous_winners and e.sender in previous_winners)
            ),
            key=lambda e: e.sender,
        )
    )


def draw_winners(seed: int, entrants: Sequence[Entrant], count: int) -> tuple[Entrant, ...]:
    """Draw up to ``count`` distinct winners, each pick weighted by ``Entrant.weight``."""
    rng = random.Random(seed)
    remaining = list(entrants)
    winners: list[Entrant] = []
    while remaining and len(winners) < count:
        ticket = rng.randrange(sum(e.weight for e in remaining))
        for index, entrant in enumerate(remaining):
            if ticket < entrant.weight:
                winners.append(remaining.pop(index))
                break
            ticket -= entrant.weight
    return tuple(winners)
