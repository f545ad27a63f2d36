"""The lottery desk: the prize plan, the open round, the night's draws, and voids.

A gala draws its prizes in rounds. Opening a round fixes its seed and publishes only the
seed's SHA-256 (the projector shows it); every comment that reaches the wall until the draw
is witnessed and mixed into the draw's random source, so neither the organiser (who knows
the seed) nor any one sender chooses the result. The draw itself is :mod:`server.lottery`'s
pure functions; this keeps the record (every draw and void committed before it is
announced) and what the projector shows.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from server import lottery
from server.events import (
    DrawDismissed,
    DrawMade,
    Event,
    PrizePlanChanged,
    RoundOpened,
    WinnerVoided,
)
from server.models import Draw, DrawRules, Entrant, Message, Prize, Void, VoidReason
from server.store import Store

WITNESSED_KEPT = 10_000  # a long wait before a draw mixes in its first 10,000 comments


class NobodyEligible(Exception):
    """A draw was asked for but no sender can win."""


class NoSuchWinner(Exception):
    """A void named someone who is not a standing winner of the draw on the projector."""


@dataclass
class Round:
    """A committed round: its seed is fixed, only its hash is public until the draw."""

    rules: DrawRules
    seed: int
    seed_hash: str
    witnessed: list[tuple[int, str]] = field(default_factory=list)
    on_projector: bool = True  # its commitment is shown (until ``d``)


def parse_prize_plan(text: str) -> tuple[Prize, ...]:
    """A prize plan: one prize a line, in drawing order, the count last (``三等奖 10``).

    ``#`` starts a comment; blank lines are skipped.

    Raises:
        ValueError: naming the line that is not ``<name> <count>`` with a count of 1-100.
    """
    plan = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, count_text = line.rpartition(" ")
        name = name.strip()
        if not name or not count_text.isdigit() or not 1 <= int(count_text) <= 100:
            raise ValueError(
                f"line {number}: {raw.strip()!r} is not a prize and a count (e.g. 三等奖 10)"
            )
        plan.append(Prize(name, int(count_text)))
    return tuple(plan)


class LotteryDesk:
    """Opens rounds, draws winners, voids them, and shows them until dismissed."""

    def __init__(
        self, store: Store, publish: Callable[[Event], None], clock: Callable[[], float]
    ) -> None:
        self._store = store
        self._publish = publish
        self._clock = clock
        self._draws: list[Draw] = []
        self.plan: tuple[Prize, ...] = ()
        self.round: Round | None = None  # committed, not drawn yet
        self.current: Draw | None = None  # its winners are on the projector now

    def restore(self, draws: Iterable[Draw]) -> None:
        """Start from the store's record (nothing is on the projector after a restart)."""
        self._draws = list(draws)

    def draws(self) -> list[Draw]:
        """Every recorded draw, oldest first."""
        return list(self._draws)

    # -- the prize plan -----------------------------------------------------------------

    def set_plan(self, plan: tuple[Prize, ...]) -> None:
        """Draw these prizes in this order from now on (prizes already drawn count)."""
        self.plan = plan
        self._publish(PrizePlanChanged(plan))

    def prizes_drawn(self) -> int:
        """How many of the plan's prizes are drawn: each is the next draw named like it."""
        position = 0
        for draw in self._draws:
            if position < len(self.plan) and draw.rules.prize == self.plan[position].name:
                position += 1
        return position

    def next_prize(self) -> Prize | None:
        """The plan's first prize not drawn yet."""
        position = self.prizes_drawn()
        return self.plan[position] if position < len(self.plan) else None

    # -- rounds and draws -----------------------------------------------------------------

    def open_round(self, rules: DrawRules, seed: int | None = None) -> Round:
        """Commit a round's seed and show its hash (a round already open is replaced)."""
        seed = secrets.randbits(63) if seed is None else seed
        self.round = Round(rules, seed, lottery.seed_hash(seed))
        self.current = None  # the commitment replaces the last winners on the projector
        self._publish(RoundOpened(rules.prize, rules.winners, self.round.seed_hash))
        return self.round

    def witness(self, message: Message) -> None:
        """A comment reached the wall: the open round's draw mixes it in."""
        if self.round is not None and len(self.round.witnessed) < WITNESSED_KEPT:
            self.round.witnessed.append((message.id, message.text))

    def previous_winners(self) -> set[str]:
        """Everyone who has been a winner of an earlier draw tonight (voided ones too)."""
        return {sender for draw in self._draws for sender in lottery.ever_won(draw)}

    def barred(self) -> set[str]:
        """Voided as staff or as a duplicate person: out of every later round, toggle or not."""
        return {
            void.sender
            for draw in self._draws
            for void in draw.voids
            if void.reason in (VoidReason.STAFF, VoidReason.DUPLICATE)
        }

    def entrants(
        self, rules: DrawRules, shown: Iterable[Entrant], banned: set[str]
    ) -> tuple[Entrant, ...]:
        """Who would enter a draw with ``rules`` now, with their tickets."""
        return lottery.eligible_entrants(
            shown,
            banned | self.barred(),
            self.previous_winners(),
            rules.exclude_previous_winners,
            scheme=rules.scheme,
            cap=rules.cap,
            min_shown=rules.min_shown,
        )

    async def draw(
        self, rules: DrawRules, shown: Iterable[Entrant], banned: set[str], seed: int | None
    ) -> Draw:
        """Draw the open round (one is opened now if none is), commit it, then show it.

        ``seed`` (tests, reproductions) opens a fresh round with that seed.

        Raises:
            NobodyEligible: when no sender has a comment on screen and may win.
        """
        entrants = self.entrants(rules, shown, banned)
        if not entrants:
            raise NobodyEligible("Nobody can win yet: no eligible sender has a comment on screen.")
        if self.round is None or seed is not None:
            self.open_round(rules, seed)
        assert self.round is not None
        committed, self.round = self.round, None
        witnessed = tuple(committed.witnessed)
        winners = lottery.replay(
            lottery.ALGORITHM, committed.seed, witnessed, entrants, rules.winners
        )
        draw = Draw(
            id=0,
            seed=committed.seed,
            rules=rules,
            entrants=entrants,
            winners=winners,
            created_at=self._clock(),
            algorithm=lottery.ALGORITHM,
            witnessed=witnessed,
            seed_hash=committed.seed_hash,
        )
        draw = replace(draw, id=await self._store.add_draw(draw))
        await self._store.durable()
        self._draws.append(draw)
        self.current = draw
        self._publish(DrawMade(draw))
        return draw

    async def void(self, sender: str, reason: VoidReason) -> Draw:
        """Void a standing winner of the draw on the projector and draw one replacement.

        The replacement comes from the same draw's entrants, never anyone who has been a
        winner of it, with a seed of its own (recorded).

        Raises:
            NoSuchWinner: when ``sender`` is not a standing winner of the current draw.
        """
        draw = self.current
        if draw is None or sender not in {w.sender for w in draw.standing}:
            raise NoSuchWinner("Only a winner of the draw on the projector can be voided.")
        voided = next(w for w in draw.standing if w.sender == sender)
        seed = secrets.randbits(63)
        pick = lottery.replacement(seed, draw.entrants, lottery.ever_won(draw))
        void = Void(sender, voided.nick, reason, seed, pick, self._clock())
        updated = replace(draw, voids=(*draw.voids, void))
        await self._store.set_voids(draw.id, updated.voids)
        await self._store.durable()
        self._draws = [updated if d.id == draw.id else d for d in self._draws]
        self.current = updated
        self._publish(WinnerVoided(updated, void))
        return updated

    def dismiss(self) -> None:
        """Take the winners (or an open round's commitment) off the projector."""
        if self.current is not None or (self.round is not None and self.round.on_projector):
            self.current = None
            if self.round is not None:
                self.round.on_projector = False  # still open: Enter draws it
            self._publish(DrawDismissed())
