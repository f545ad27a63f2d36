"""The lottery desk: the night's draws, the one on the projector, and making a new one.

The draw itself is :mod:`server.lottery`'s pure functions; this keeps the record (every
draw committed before it is announced) and who is on the projector now.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from server import lottery
from server.events import DrawDismissed, DrawMade, Event
from server.models import Draw, DrawRules, Entrant
from server.store import Store


class NobodyEligible(Exception):
    """A draw was asked for but no sender can win."""


class LotteryDesk:
    """Draws winners, records them, and shows them until dismissed."""

    def __init__(
        self, store: Store, publish: Callable[[Event], None], clock: Callable[[], float]
    ) -> None:
        self._store = store
        self._publish = publish
        self._clock = clock
        self._draws: list[Draw] = []
        self.current: Draw | None = None  # on the projector now

    def restore(self, draws: Iterable[Draw]) -> None:
        """Start from the store's record (nothing is on the projector after a restart)."""
        self._draws = list(draws)

    def draws(self) -> list[Draw]:
        """Every recorded draw, oldest first."""
        return list(self._draws)

    async def draw(
        self, rules: DrawRules, weights: Iterable[Entrant], banned: set[str], seed: int | None
    ) -> Draw:
        """Draw winners among ``weights``, commit the draw, then show it.

        Raises:
            NobodyEligible: when no sender has a comment on screen and may win.
        """
        previous = {w.sender for d in self._draws for w in d.winners}
        entrants = lottery.eligible_entrants(
            weights, banned, previous, rules.exclude_previous_winners
        )
        if not entrants:
            raise NobodyEligible("Nobody can win yet: no eligible sender has a comment on screen.")
        seed = secrets.randbits(63) if seed is None else seed
        winners = lottery.draw_winners(seed, entrants, rules.winners)
        now = self._clock()
        draw_id = await self._store.add_draw(
            seed=seed,
            rules=rules,
            entrants=entrants,
            winners=winners,
            algorithm=lottery.ALGORITHM,
            created_at=now,
        )
        await self._store.durable()
        draw = Draw(draw_id, seed, rules, entrants, winners, now, lottery.ALGORITHM)
        self._draws.append(draw)
        self.current = draw
        self._publish(DrawMade(draw))
        return draw

    def dismiss(self) -> None:
        """Take the winners off the projector."""
        if self.current is not None:
            self.current = None
            self._publish(DrawDismissed())
