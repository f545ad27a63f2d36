"""The Hub: the core's one API, wiring the parts that each do one job.

Audience calls :meth:`Hub.submit` (a cluster's intake :meth:`Hub.submit_batch`); the
moderator's commands are :meth:`approve`, :meth:`reject`, :meth:`approve_all`,
:meth:`retract`, :meth:`ban`, :meth:`set_paused`, :meth:`start_rehearsal`,
:meth:`end_rehearsal`, :meth:`open_round`, :meth:`draw`, :meth:`void_winner` and
:meth:`dismiss_draw`; consumers follow what happens with
``async with hub.subscribe() as events: async for event in events: ...``.

The parts (:mod:`server.admission`, :mod:`server.review`, :mod:`server.wall`,
:mod:`server.senders`, :mod:`server.lottery_desk`, :mod:`server.stats`) never import the
hub: they return decisions or publish events, and the hub acts on them. Their state lives
in memory, kept in step with the store, which is only read at start-up.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import replace

from server import events
from server.admission import REFUSED_BY_CATEGORY, Admission, RetryMemory, TextChecker
from server.bus import EventBus
from server.errors import ErrorCode, Refused
from server.lottery_desk import LotteryDesk, NobodyEligible, NoSuchWinner, Round
from server.masking import mask
from server.models import (
    Accepted,
    Draw,
    DrawRules,
    Entrant,
    IntakeMark,
    Message,
    Prize,
    Sender,
    Stats,
    Status,
    Submission,
    Verdict,
    VoidReason,
)
from server.review import ReviewQueue
from server.senders import SenderBook
from server.settings import Settings
from server.stats import StatsKeeper
from server.store import Store
from server.ticker import Ticker
from server.undo import Decision, Kind, UndoLog
from server.wall import Wall

log = logging.getLogger(__name__)

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
        self._lottery.plan = settings.prize_plan
        self._stats = StatsKeeper(clock)
        self._audiences: dict[str, tuple[int, int]] = {}  # source -> (phones, show pages)
        self._paused = False
        self._hold_all = False
        self._rehearsal = settings.rehearsal
        self._undo = UndoLog()
        self._background: set[asyncio.Task[None]] = set()  # kept: the loop holds tasks weakly
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
        store = await Store.open(settings.db_path, clock=clock)
        hub = cls(settings, store, checker, clock=clock, rng=rng)
        try:
            await hub._restore()
        except BaseException:  # an unreadable record: the connection's thread must not linger
            await store.close()
            raise
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
        if not self._rehearsal:  # a rehearsal an earlier process left running ends here
            for message_id in self._review.rehearsal_ids():
                self._review.take(message_id)
                self._store.set_status(message_id, Status.REJECTED)
            await self._store.durable()
        self._stats.expired = sum(1 for m in messages if m.status is Status.EXPIRED)
        self._stats.restore(messages)
        self._wall.restore(messages, banned=self._senders.banned(), rehearsal=self._rehearsal)
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
        # Shielded: once judged, the comment is written for the next commit whatever its
        # caller does; a caller cancelled meanwhile (a phone hanging up) must not leave the
        # row committed unknown to the retry memory, the wall and the counts.
        accepting = self._retries.once(submission, lambda: self._accept(submission))
        try:
            return await asyncio.shield(accepting)
        except Refused as refused:
            if self._refusal_bans(submission.sender, refused):
                await self._ban(submission.sender)  # the core's doing: not the moderator's to undo
            raise

    async def submit_batch(
        self,
        batch: Sequence[Submission],
        read_to: IntakeMark,
        verdicts: Sequence[Verdict] | None = None,
    ) -> list[Accepted | Exception]:
        """Take comments an intake read, in its order: each as :meth:`submit` would, one commit.

        All are judged and written in order with no wait between them, and ``read_to``
        (where the intake read the batch's last entry, refusals and retries included) is
        stored in the same transaction, so that a restarted hub never takes one twice.
        The commit starts at once (the batch is its own group). Returns each one's
        outcome, in order: its ack, its :class:`Refused`, or what the store raised
        (nothing acknowledged: the phone may send it again). ``verdicts``: :attr:`checker`'s
        on each text, found in another process (:mod:`server.filter_process`).
        """
        outcomes: list[Accepted | Exception | asyncio.Future[Accepted] | None] = []
        stored: list[tuple[int, Submission, Message]] = []  # (index in outcomes, …)
        bans: list[str] = []
        for index, submission in enumerate(batch):
            earlier = self._retries.recall(submission)
            if earlier is not None:  # a retry: its first attempt's ack, now or once known
                outcomes.append(earlier)
                continue
            try:
                message = self._store_new(submission, verdicts[index] if verdicts else None)
            except Refused as refused:
                outcomes.append(refused)
                self._note_refusal(submission.sender, refused, bans)
                continue
            self._retries.begin(submission)
            stored.append((len(outcomes), submission, message))
            outcomes.append(None)  # known after the commit
        self._store.set_intake(read_to)
        failed: Exception | None = None
        try:
            await asyncio.shield(self._store.commit_now())
        except Exception as exc:  # none of the batch is stored
            failed = exc
        for index, submission, message in stored:
            outcome: Accepted | Exception
            if failed is not None:
                outcome = failed
                self._admission.forget(submission, message.text, message.created_at)
            else:
                try:
                    outcome = self._committed(message)
                except Refused as refused:  # a --reject category: stored, then refused
                    outcome = refused
                    self._note_refusal(submission.sender, refused, bans)
            self._retries.end(submission, outcome)
            outcomes[index] = outcome
        for sender in bans:  # the core's doing: not the moderator's to undo
            try:
                await self._ban(sender)
            except Exception:  # the store failed: they stay banned in memory, as refused
                log.exception("recording the automatic ban of %s failed", sender)
        answered: list[Accepted | Exception] = []
        for known in outcomes:
            assert known is not None
            answered.append(
                await _retry_outcome(known) if isinstance(known, asyncio.Future) else known
            )
        return answered

    def _note_refusal(self, sender: str, refused: Refused, bans: list[str]) -> None:
        """Count a refusal in a batch; one that earns a ban refuses the sender's next at once.

        The ban itself is made after the batch's commit (``bans``).
        """
        if self._refusal_bans(sender, refused):
            self._senders[sender].banned = True
            bans.append(sender)

    def _refusal_bans(self, sender: str, refused: Refused) -> bool:
        """Count a refusal; True when it earns the sender an automatic ban."""
        return not self.is_banned(sender) and self._admission.refusal_bans(
            sender, refused.code, self._clock()
        )

    async def _accept(self, submission: Submission) -> Accepted:
        message = self._store_new(submission)
        try:
            await self._store.durable()
        except Exception:
            self._admission.forget(submission, message.text, message.created_at)
            raise
        return self._committed(message)

    def _store_new(self, submission: Submission, verdict: Verdict | None = None) -> Message:
        """Judge a comment and write it for the next commit.

        ``verdict``: the filter's on the comment's text, found elsewhere; None: ask it here.

        Raises:
            Refused: the comment is refused; nothing is written.
        """
        now = self._clock()
        admitted = self._admission.judge(
            submission,
            banned=self.is_banned(submission.sender),
            paused=self._paused,
            now=now,
            hold_all=self._hold_all,
            verdict=verdict,
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
            rehearsal=self._rehearsal,
        )
        self._store.add_message(message, submission.address)
        if admitted.status is not Status.REJECTED and self._senders.note_nick(
            submission.sender, message.nick
        ):
            self._store.upsert_sender(submission.sender, message.nick)
        return message

    def _committed(self, message: Message) -> Accepted:
        """A stored comment is committed: it joins the review queue or goes on the wall.

        Raises:
            Refused: for a ``--reject`` category (stored for the export's audit trail).
        """
        if message.status is Status.REJECTED:
            raise Refused(ErrorCode.BAD_REQUEST, REFUSED_BY_CATEGORY)
        self._senders[message.sender].total += 1
        now = message.created_at
        self._stats.accepted(now, held=message.status is Status.HELD)
        if message.status is Status.HELD:
            self._review.add(message, now)
            self._stats.held(now)
            self._publish(events.Held(message))
        else:
            self._go_live(message)
        return Accepted(message.id, message.status)

    def _go_live(self, message: Message) -> None:
        """A comment reaches the wall: it counts for its sender's lottery weight.

        A rehearsal's comment flies like any other but counts for nothing in the lottery.
        """
        self._senders.went_up(message)
        self._wall.go_live(message)
        if not message.rehearsal:
            self._lottery.witness(message)

    async def intake_position(self, source: str) -> str | None:
        """Where the intake reading ``source`` stands: the last entry whose effect is committed."""
        return await self._store.intake_position(source)

    @property
    def checker(self) -> TextChecker:
        """The filter comments are judged with now (replaced when a wordlist is edited)."""
        return self._admission.checker

    def replace_checker(self, checker: TextChecker) -> None:
        """Use a rebuilt filter from now on (a wordlist was edited live)."""
        self._admission.replace_checker(checker)

    # -- the moderator ------------------------------------------------------------------

    async def _decide(
        self, message_ids: Iterable[int], status: Status, *, masked: bool = False
    ) -> list[Message]:
        """Approve or reject held comments (one path, one commit); those still held.

        ``masked``: approved with the matched words masked (:mod:`server.masking`).
        """
        taken = [m for m in map(self._review.take, message_ids) if m is not None]
        if not taken:
            return []
        decided = [
            replace(m, status=status, masked_text=mask(m.text, m.reasons) if masked else None)
            for m in taken
        ]
        for message in decided:
            self._store.set_status(message.id, status)
            if message.masked_text is not None:
                self._store.set_masked(message.id, message.masked_text)
        await self._store.durable()
        self._stats.decided(self._clock(), len(taken))
        for message in decided:
            self._publish(events.Resolved(message))
            if status is Status.APPROVED:
                self._go_live(message)
        return decided

    async def _decision(
        self, message_ids: Iterable[int], status: Status, *, masked: bool = False
    ) -> list[Message]:
        """A moderator's decision: made, and logged so that :meth:`undo` can take it back."""
        decided = await self._decide(message_ids, status, masked=masked)
        kind = Kind.APPROVED if status is Status.APPROVED else Kind.REJECTED
        self._undo.record(Decision(kind, self._clock(), tuple(decided)))
        return decided

    async def approve(self, message_id: int) -> Message | None:
        """Put a held comment on the wall. Returns None if it is no longer held."""
        decided = await self._decision([message_id], Status.APPROVED)
        return decided[0] if decided else None

    async def reject(self, message_id: int) -> Message | None:
        """Keep a held comment off the wall for good. Returns None if it is no longer held."""
        decided = await self._decision([message_id], Status.REJECTED)
        return decided[0] if decided else None

    async def approve_group(self, message_id: int) -> list[Message]:
        """Approve a held comment and every held one with the same text (one queue row)."""
        return await self._decision(self._review.group_of(message_id), Status.APPROVED)

    async def approve_masked(self, message_id: int) -> list[Message]:
        """Approve a queue row with its matched words masked: the wall shows the masked text.

        The record keeps the text as sent and the masked form (``masked_text``).
        """
        group = self._review.group_of(message_id)
        return await self._decision(group, Status.APPROVED, masked=True)

    async def reject_group(self, message_id: int) -> list[Message]:
        """Reject a held comment and every held one with the same text (one queue row)."""
        return await self._decision(self._review.group_of(message_id), Status.REJECTED)

    async def approve_all(self) -> int:
        """Approve every held comment, oldest first; return how many."""
        return len(await self._decision(self._review.ids(), Status.APPROVED))

    async def reject_all(self) -> int:
        """Reject every held comment, oldest first; return how many."""
        return len(await self._decision(self._review.ids(), Status.REJECTED))

    def undoable(self) -> Decision | None:
        """The decision :meth:`undo` would take back now, if any."""
        return self._undo.peek(self._clock())

    async def undo(self) -> Decision | None:
        """Take back the last decision made within the last minute; None when there is none.

        An approval comes off every projector and goes back to the queue; a rejection goes
        back to the queue; a ban is lifted and what it rejected goes back to the queue. Each
        call takes back the decision before the last one undone.
        """
        decision = self._undo.pop(self._clock())
        if decision is None:
            return None
        if decision.kind is Kind.BANNED and decision.sender is not None:
            await self.unban(decision.sender)
        back: list[Message] = []
        for message in decision.messages:
            if message.status is Status.APPROVED:
                on_wall = self._wall.take_down(message.id)
                if on_wall is None:  # taken down since: it stays down
                    continue
                self._senders.came_down(message)
                self._store.set_masked(message.id, None)
                held = replace(on_wall, status=Status.HELD, masked_text=None)
                self._publish(events.Retracted(held))
            else:
                held = replace(message, status=Status.HELD)
            self._store.set_status(message.id, Status.HELD)
            back.append(held)
        await self._store.durable()
        now = self._clock()
        for held in back:
            self._review.add(held, now)
            self._publish(events.Held(held))
        return decision

    def held_group(self, message_id: int) -> list[int]:
        """The ids of the held comments decided with this one (same text), oldest first."""
        return self._review.group_of(message_id)

    def _expire(self, message_ids: list[int]) -> None:
        """Held comments that waited past ``--hold-expire`` leave the queue as ``expired``."""
        taken = [m for m in map(self._review.take, message_ids) if m is not None]
        for message in taken:
            self._store.set_status(message.id, Status.EXPIRED)
        self._stats.expired += len(taken)
        expired = [replace(message, status=Status.EXPIRED) for message in taken]
        announce = asyncio.ensure_future(self._announce_when_durable(expired))
        self._background.add(announce)
        announce.add_done_callback(self._background.discard)

    async def _announce_when_durable(self, resolved: list[Message]) -> None:
        """Publish each comment's :class:`~server.events.Resolved` once its status is committed."""
        try:
            await self._store.durable()
        except Exception:  # the store logged it; the queue already let them go
            log.exception("committing %d expired comments failed", len(resolved))
            return
        for message in resolved:
            self._publish(events.Resolved(message))

    async def retract(self, message_id: int) -> Message | None:
        """Take a comment off the wall: off every projector, out of replays and the lottery.

        Returns None if the comment is not on the wall.
        """
        retracted = await self._retract([message_id])
        return retracted[0] if retracted else None

    async def _retract(self, message_ids: Iterable[int]) -> list[Message]:
        """Take comments off the wall (one commit); those that were on it."""
        taken = [m for m in map(self._wall.take_down, message_ids) if m is not None]
        for message in taken:
            self._store.set_status(message.id, Status.RETRACTED)
        await self._store.durable()
        retracted = [replace(message, status=Status.RETRACTED) for message in taken]
        for message in retracted:
            self._senders.came_down(message)
            self._publish(events.Retracted(message))
        return retracted

    async def purge(self, sender_id: str) -> int:
        """Ban a sender and take every comment of theirs off every projector now.

        Their comments leave idle replay and the lottery (weight 0 in any later draw, even
        if they are unbanned); their held ones are rejected. Not undone by :meth:`undo`.
        Returns how many comments came off the wall.
        """
        if not self.is_banned(sender_id):
            await self._ban(sender_id)
        return len(await self._retract(self._wall.ids_of(sender_id)))

    def clear_wall(self) -> None:
        """Empty every projector of what is flying now (nothing is deleted)."""
        self._publish(events.WallCleared())

    async def ban(self, sender_id: str) -> int:
        """Ban a sender: their held comments are rejected, later sends refused.

        Their comments leave the replay pool and they are out of the lottery; :meth:`undo`
        can lift it. Returns how many held comments were rejected.
        """
        rejected = await self._ban(sender_id)
        nick = self._senders[sender_id].nick
        self._undo.record(
            Decision(Kind.BANNED, self._clock(), tuple(rejected), sender=sender_id, nick=nick)
        )
        return len(rejected)

    async def _ban(self, sender_id: str) -> list[Message]:
        state = self._senders[sender_id]
        state.banned = True
        self._store.set_banned(sender_id, True)
        rejected = await self._decide(self._review.ids_of(sender_id), Status.REJECTED)
        await self._store.durable()
        self._wall.stop_replaying(sender_id)
        self._publish(events.Banned(sender_id, state.nick))
        return rejected

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

    def set_hold_all(self, hold_all: bool) -> None:
        """Hold every new comment for review, whatever the filter says (or stop doing so)."""
        if hold_all != self._hold_all:
            self._hold_all = hold_all
            self._publish(events.HoldAllChanged(hold_all))

    @property
    def hold_all(self) -> bool:
        """Whether every new comment waits for review."""
        return self._hold_all

    def start_rehearsal(self) -> None:
        """Mark every comment from now on as a rehearsal's (see :meth:`end_rehearsal`).

        They fly as usual (and replay) but never count for the lottery, and the export
        leaves them out unless asked.
        """
        if not self._rehearsal:
            self._rehearsal = True
            self._publish(events.RehearsalChanged(True))

    async def end_rehearsal(self) -> tuple[int, int]:
        """End a rehearsal: its comments come off every projector and out of idle replay.

        Each one on the wall gets a :class:`~server.events.Retracted` (one ``retract`` per
        comment on ``/show``) and keeps its status in the record (it still says what
        happened, and ``rehearsal`` marks it); its held ones are rejected (their phones are
        told). Nothing of it is left for ``z`` to bring back. Returns ``(taken down,
        rejected)``.
        """
        if not self._rehearsal:
            return (0, 0)
        self._rehearsal = False
        rejected = await self._decide(self._review.rehearsal_ids(), Status.REJECTED)
        taken = [m for m in map(self._wall.take_down, self._wall.rehearsal_ids()) if m]
        self._undo.forget({m.id for m in taken} | {m.id for m in rejected})
        for message in taken:
            self._publish(events.Retracted(message))
        self._publish(events.RehearsalChanged(False))
        return (len(taken), len(rejected))

    @property
    def rehearsal(self) -> bool:
        """Whether comments sent now are a rehearsal's."""
        return self._rehearsal

    def rehearsal_left(self) -> tuple[int, int]:
        """A rehearsal's comments on the wall and held now: what ending it takes away."""
        return (len(self._wall.rehearsal_ids()), len(self._review.rehearsal_ids()))

    def open_round(self, rules: DrawRules, seed: int | None = None) -> str:
        """Commit the next round's seed and show its SHA-256 (returned) on the projector."""
        return self._lottery.open_round(rules, seed).seed_hash

    async def draw(self, rules: DrawRules, seed: int | None = None) -> Draw:
        """Draw the open round's winners, record the draw, and show it on the projector.

        Raises:
            NobodyEligible: when no sender has a comment on screen and may win.
        """
        return await self._lottery.draw(
            rules, self._senders.weights(), self._senders.banned(), seed
        )

    async def void_winner(self, sender_id: str, reason: VoidReason) -> Draw:
        """Void a winner of the draw on the projector and draw one replacement.

        Raises:
            NoSuchWinner: when that sender is not a standing winner of it.
        """
        return await self._lottery.void(sender_id, reason)

    def dismiss_draw(self) -> None:
        """Take the winners (or the open round's commitment) off the projector."""
        self._lottery.dismiss()

    def set_prize_plan(self, plan: tuple[Prize, ...]) -> None:
        """Draw these prizes in this order from now on (prizes already drawn count)."""
        self._lottery.set_plan(plan)

    # -- views --------------------------------------------------------------------------

    def held(self) -> list[Message]:
        """The review queue, oldest first."""
        return self._review.messages()

    async def search(self, needle: str, limit: int = 200) -> list[Message]:
        """Comments of the night whose text, nick or sender contains ``needle``, newest first.

        Every status (shown, held, rejected, expired…), as the record has them now.
        """
        await self._store.durable()  # the decisions made so far are in the record
        return await self._store.search(needle, limit)

    def history(self) -> list[tuple[int, int]]:
        """Comments per minute for the last half hour, ``(shown, held)``, oldest first."""
        return self._stats.history()

    def recent_shown(self, limit: int = 50) -> list[Message]:
        """The latest live comments on the wall, newest first."""
        return self._wall.recent(limit)

    def message(self, message_id: int) -> Message | None:
        """A held or on-screen message by id."""
        return self._review.get(message_id) or self._wall.get(message_id)

    def catch_up(self, last_id: int) -> list[Message]:
        """Live comments shown recently with an id above ``last_id``, in id order, as shown."""
        return [message.as_shown() for message in self._wall.catch_up(last_id)]

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

    @property
    def lottery_round(self) -> Round | None:
        """The round committed and not drawn yet, if any."""
        return self._lottery.round

    @property
    def prize_plan(self) -> tuple[Prize, ...]:
        """The night's prizes in drawing order (empty: one draw at a time)."""
        return self._lottery.plan

    def next_prize(self) -> Prize | None:
        """The plan's first prize not drawn yet."""
        return self._lottery.next_prize()

    def prizes_drawn(self) -> int:
        """How many of the plan's prizes are drawn (the plan's next one is at this index)."""
        return self._lottery.prizes_drawn()

    def entrants(self, rules: DrawRules) -> tuple[Entrant, ...]:
        """Who would enter a draw with ``rules`` now, with their tickets."""
        return self._lottery.entrants(rules, self._senders.weights(), self._senders.banned())

    def set_audience(self, phones: int, show_pages: int, *, source: str = "") -> None:
        """How many phones and projector pages are connected to ``source``.

        The web adapter reports its own (``""``); a cluster's hub reports its workers'.
        Idle replay runs while any projector watches, wherever it is connected.
        """
        self._audiences[source] = (phones, show_pages)
        counts = self._audiences.values()
        self._stats.phones = sum(p for p, _ in counts)
        self._stats.show_pages = sum(s for _, s in counts)

    def idle_seconds(self) -> float:
        """Seconds since the last comment was accepted (or since the hub opened)."""
        return self._clock() - self._stats.last_accepted_at

    def stats(self) -> Stats:
        """Numbers for the moderator."""
        return self._stats.snapshot(
            held=len(self._review),
            oldest_held_seconds=self._review.oldest_wait(self._clock()),
            shown_total=self._wall.shown_total,
            paused=self._paused,
            hold_all=self._hold_all,
            rehearsal=self._rehearsal,
            dropped_events=self._bus.dropped,
        )

    # -- every tick: replay, stats, housekeeping ------------------------------------------

    def tick(self) -> None:
        """One round of periodic work: idle replay, expiry, stats, pruning."""
        now = self._clock()
        expire_after = self.settings.hold_expire_seconds
        if expire_after is not None:
            stale = self._review.expired(now, expire_after)
            if stale:
                self._expire(stale)
        self._wall.tick(now, paused=self._paused, show_pages=self._stats.show_pages)
        self._admission.prune(now)
        stats = self.stats()
        if self._stats.changed(stats):
            self._publish(events.StatsChanged(stats))


async def _retry_outcome(first_attempt: asyncio.Future[Accepted]) -> Accepted | Exception:
    """A retry's outcome: its first attempt's, once that is over (waited for, never cancelled)."""
    if not first_attempt.done():
        await asyncio.wait([first_attempt])
    failure = first_attempt.exception()
    if failure is None:
        return first_attempt.result()
    if isinstance(failure, Exception):
        return failure
    return RuntimeError("the first attempt was cancelled")  # nothing acknowledged: send again


__all__ = ["Hub", "NoSuchWinner", "NobodyEligible", "TextChecker"]
