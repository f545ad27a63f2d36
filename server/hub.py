"""The Hub: the core's one API, wiring the parts that each do one job.

Audience calls :meth:`Hub.submit`; the moderator's commands are :meth:`approve`,
:meth:`reject`, :meth:`approve_all`, :meth:`retract`, :meth:`ban`, :meth:`set_paused`,
:meth:`draw` and :meth:`dismiss_draw`; consumers follow what happens with
``async with hub.subscribe() as events: async for event in events: ...``.

The parts (:mod:`server.admission`, :mod:`server.review`, :mod:`server.wall`,
:mod:`server.senders`, :mod:`server.lottery_desk`, :mod:`server.stats`) never import the
hub: they return decisions or publish events, and the hub acts on them. Their state lives
in memory, kept in step with the store, which is only read at start-up.
"""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace

from server import events
from server.admission import REFUSED_BY_CATEGORY, Admission, RetryMemory, TextChecker
from server.bus import EventBus
from server.errors import ErrorCode, Refused
from server.lottery_desk import LotteryDesk, NobodyEligible
from server.models import Accepted, Draw, DrawRules, Message, Sender, Stats, Status, Submission
from server.review import ReviewQueue
from server.senders import SenderBook
from server.settings import Settings
from server.stats import StatsKeeper
from server.store import Store
from server.ticker import Ticker
from server.wall import Wall

TICK_SECONDS = 0.25


class Hub:
    """The core. Build it with :meth:`open`; always :meth:`close` it."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        checker: TextChecker,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._store = store
        self._clock = clock
        self._bus = EventBus()
        self._publish = self._bus.publish
        self._admission = Admission(settings, checker, clock())
        self._retries = RetryMemory()
        self._senders = SenderBook()
        self._review = ReviewQueue()
        self._wall = Wall(settings, store, self._publish, clock, rng or random.Random())
        self._lottery = LotteryDesk(store, self._publish, clock)
        self._stats = StatsKeeper(clock)
        self._paused = False
        self._ticker = Ticker(TICK_SECONDS, self.tick, name="hub-ticker")

    # -- lifecycle ----------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        settings: Settings,
        checker: TextChecker,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> Hub:
        """Open the store at ``settings.db_path``, restore state from it, start the ticker."""
        store = await Store.open(settings.db_path)
        hub = cls(settings, store, checker, clock=clock, rng=rng)
        await hub._restore()
        hub._ticker.start()
        return hub

    async def close(self) -> None:
        """Stop the ticker and close the store (everything acknowledged is committed)."""
        await self._ticker.stop()
        await self._store.close()

    async def _restore(self) -> None:
        messages = await self._store.messages()
        self._senders.restore(await self._store.senders(), messages)
        self._retries.restore(messages)
        self._review.restore(messages)
        self._wall.restore(messages, banned=self._senders.banned())
        self._lottery.restore(await self._store.draws())

    # -- subscription -------------------------------------------------------------------

    def subscribe(self) -> AbstractAsyncContextManager[AsyncIterator[events.Event]]:
        """Follow the hub's events: ``async with hub.subscribe() as events: async for …``."""
        return self._bus.subscribe()

    # -- the audience -------------------------------------------------------------------

    async def submit(self, submission: Submission) -> Accepted:
        """Take one comment: refuse it, show it, or hold it. Committed before returning.

        Raises:
            Refused: with the contract's error code and a message for the sender.
        """
        try:
            return await self._retries.once(submission, lambda: self._accept(submission))
        except Refused as refused:
            sender = submission.sender
            if not self.is_banned(sender) and self._admission.refusal_bans(
                sender, refused.code, self._clock()
            ):
                await self.ban(sender)
            raise

    async def _accept(self, submission: Submission) -> Accepted:
        now = self._clock()
        admitted = self._admission.judge(
            submission, banned=self.is_banned(submission.sender), paused=self._paused, now=now
        )
        message = Message(
            id=self._store.new_message_id(),
            text=admitted.text,
            nick=admitted.nick,
            sender=submission.sender,
            color=submission.color,
            mode=submission.mode,
            status=admitted.status,
            reasons=admitted.reasons,
            shown_count=0,
            created_at=now,
            # A refused comment was never acknowledged: a retry of it is judged afresh.
            cid=None if admitted.status is Status.REJECTED else submission.cid,
        )
        self._store.add_message(message, submission.address)
        if admitted.status is Status.REJECTED:  # kept for the export's audit trail
            await self._store.durable()
            raise Refused(ErrorCode.BAD_REQUEST, REFUSED_BY_CATEGORY)
        if self._senders.note_nick(submission.sender, message.nick):
            self._store.upsert_sender(submission.sender, message.nick)
        await self._store.durable()
        self._senders[submission.sender].total += 1
        self._stats.accepted(now)
        if message.status is Status.HELD:
            self._review.add(message)
            self._publish(events.Held(message))
        else:
            self._go_live(message)
        return Accepted(message.id, message.status)

    def _go_live(self, message: Message) -> None:
        """A comment reaches the wall: it counts for its sender's lottery weight."""
        self._senders[message.sender].on_screen += 1
        self._wall.go_live(message)

    def replace_checker(self, checker: TextChecker) -> None:
        """Use a rebuilt filter from now on (a wordlist was edited live)."""
        self._admission.replace_checker(checker)

    # -- the moderator ------------------------------------------------------------------

    async def _decide(self, message_id: int, status: Status) -> Message | None:
        """Approve or reject a held comment (one path); None if it is no longer held."""
        message = self._review.take(message_id)
        if message is None:
            return None
        self._store.set_status(message_id, status)
        await self._store.durable()
        decided = replace(message, status=status)
        self._publish(events.Resolved(decided))
        if status is Status.APPROVED:
            self._go_live(decided)
        return decided

    async def approve(self, message_id: int) -> Message | None:
        """Put a held comment on the wall. Returns None if it is no longer held."""
        return await self._decide(message_id, Status.APPROVED)

    async def reject(self, message_id: int) -> Message | None:
        """Keep a held comment off the wall for good. Returns None if it is no longer held."""
        return await self._decide(message_id, Status.REJECTED)

    async def approve_all(self) -> int:
        """Approve every held comment, oldest first; return how many."""
        decided = [await self.approve(message_id) for message_id in self._review.ids()]
        return sum(1 for message in decided if message is not None)

    async def retract(self, message_id: int) -> Message | None:
        """Take a comment off the wall: off every projector, out of replays and the lottery.

        Returns None if the comment is not on the wall.
        """
        message = self._wall.take_down(message_id)
        if message is None:
            return None
        self._store.set_status(message_id, Status.RETRACTED)
        await self._store.durable()
        retracted = replace(message, status=Status.RETRACTED)
        self._senders[message.sender].on_screen -= 1
        self._publish(events.Retracted(retracted))
        return retracted

    def clear_wall(self) -> None:
        """Empty every projector of what is flying now (nothing is deleted)."""
        self._publish(events.WallCleared())

    async def ban(self, sender_id: str) -> int:
        """Ban a sender: their held comments are rejected, later sends refused.

        Their comments leave the replay pool and they are out of the lottery.
        Returns how many held comments were rejected.
        """
        state = self._senders[sender_id]
        state.banned = True
        self._store.set_banned(sender_id, True)
        rejected = [await self.reject(message_id) for message_id in self._review.ids_of(sender_id)]
        await self._store.durable()
        self._wall.stop_replaying(sender_id)
        self._publish(events.Banned(sender_id, state.nick))
        return sum(1 for message in rejected if message is not None)

    async def unban(self, sender_id: str) -> None:
        """Let a banned sender send again (their earlier comments may replay again)."""
        self._senders[sender_id].banned = False
        self._store.set_banned(sender_id, False)
        await self._store.durable()
        self._wall.resume_replaying(sender_id)

    def set_paused(self, paused: bool) -> None:
        """Pause the wall (new comments are refused with ``paused``) or resume it."""
        if paused != self._paused:
            self._paused = paused
            self._publish(events.PauseChanged(paused))

    @property
    def paused(self) -> bool:
        """Whether the wall is paused."""
        return self._paused

    async def draw(self, rules: DrawRules, seed: int | None = None) -> Draw:
        """Draw winners, record the draw, and show it on the projector.

        Raises:
            NobodyEligible: when no sender has a comment on screen and may win.
        """
        return await self._lottery.draw(
            rules, self._senders.weights(), self._senders.banned(), seed
        )

    def dismiss_draw(self) -> None:
        """Take the winners off the projector."""
        self._lottery.dismiss()

    # -- views --------------------------------------------------------------------------

    def held(self) -> list[Message]:
        """The review queue, oldest first."""
        return self._review.messages()

    def recent_shown(self, limit: int = 50) -> list[Message]:
        """The latest live comments on the wall, newest first."""
        return self._wall.recent(limit)

    def message(self, message_id: int) -> Message | None:
        """A held or on-screen message by id."""
        return self._review.get(message_id) or self._wall.get(message_id)

    def catch_up(self, last_id: int) -> list[Message]:
        """Live comments shown recently with an id above ``last_id``, in id order."""
        return self._wall.catch_up(last_id)

    def replay_once(self) -> Message | None:
        """Replay one least-shown comment now (the ticker does this when the wall is idle)."""
        return self._wall.replay_once()

    def senders(self) -> list[Sender]:
        """Every sender with their lottery weight (``on_screen``)."""
        return self._senders.listing()

    def is_banned(self, sender_id: str) -> bool:
        """Whether a sender is banned."""
        return self._senders.is_banned(sender_id)

    def draws(self) -> list[Draw]:
        """Every recorded draw, oldest first."""
        return self._lottery.draws()

    @property
    def current_draw(self) -> Draw | None:
        """The draw shown on the projector right now, if any."""
        return self._lottery.current

    def set_audience(self, phones: int, show_pages: int) -> None:
        """The web adapter reports how many phones and projector pages are connected."""
        self._stats.phones, self._stats.show_pages = phones, show_pages

    def idle_seconds(self) -> float:
        """Seconds since the last comment was accepted (or since the hub opened)."""
        return self._clock() - self._stats.last_accepted_at

    def stats(self) -> Stats:
        """Numbers for the moderator."""
        return self._stats.snapshot(
            held=len(self._review),
            shown_total=self._wall.shown_total,
            paused=self._paused,
            dropped_events=self._bus.dropped,
        )

    # -- every tick: replay, stats, housekeeping ------------------------------------------

    def tick(self) -> None:
        """One round of periodic work: idle replay, stats, pruning."""
        now = self._clock()
        self._wall.tick(now, paused=self._paused, show_pages=self._stats.show_pages)
        self._admission.prune(now)
        stats = self.stats()
        if self._stats.changed(stats):
            self._publish(events.StatsChanged(stats))


__all__ = ["Hub", "NobodyEligible", "TextChecker"]
