"""The Hub: every rule of the product, behind a small async API.

Audience calls :meth:`Hub.submit`; the moderator's commands are :meth:`approve`,
:meth:`reject`, :meth:`approve_all`, :meth:`ban`, :meth:`set_paused`, :meth:`draw`
and :meth:`dismiss_draw`; consumers follow what happens with
``async with hub.subscribe() as events: async for event in events: ...``.

State the hot path needs (held queue, replay pool, sender weights, recent shows)
lives in memory and is kept in step with the store, which is only read at start-up.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Protocol

from server import lottery, text
from server.errors import ErrorCode, Refused
from server.events import (
    Banned,
    DrawDismissed,
    DrawMade,
    Event,
    Held,
    PauseChanged,
    Resolved,
    Retracted,
    Shown,
    StatsChanged,
    WallCleared,
)
from server.flood import CATEGORY as FLOOD
from server.flood import FloodGuard
from server.models import (
    Accepted,
    Draw,
    DrawRules,
    Entrant,
    Message,
    Reason,
    Sender,
    Stats,
    Status,
    Submission,
    Verdict,
)
from server.ratelimit import SlidingWindowLimiter
from server.replay import ReplayPool
from server.settings import RateLimit, Settings
from server.store import Store

log = logging.getLogger(__name__)

SUBSCRIBER_QUEUE_SIZE = 10_000
TICK_SECONDS = 0.25
PRUNE_EVERY_SECONDS = 5.0  # forgetting idle senders' windows only keeps memory flat
RECENT_SHOWN_KEPT = 200
# Refusals that only a script keeps earning; "paused" and "banned" are not the sender's doing.
AUTO_BAN_CODES = frozenset(
    {ErrorCode.RATE_LIMITED, ErrorCode.TOO_LONG, ErrorCode.EMPTY, ErrorCode.BAD_REQUEST}
)


class TextChecker(Protocol):
    """What the hub needs from the moderation filter."""

    def check(self, text: str) -> Verdict:
        """Say whether ``text`` should be held, and why."""
        ...


class NobodyEligible(Exception):
    """A draw was asked for but no sender can win."""


class _SenderState:
    """What the hub remembers of one sender between messages."""

    __slots__ = ("nick", "banned", "on_screen", "total")

    def __init__(self, nick: str = "", banned: bool = False) -> None:
        self.nick = nick
        self.banned = banned
        self.on_screen = 0
        self.total = 0


class Hub:
    """The core. Build it with :meth:`open`; always :meth:`close` it."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        checker: TextChecker,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._store = store
        self._checker = checker
        self._clock = clock
        self._rng = rng or random.Random()
        self._subscribers: set[asyncio.Queue[Event]] = set()
        self._limiter = SlidingWindowLimiter(settings.rate) if settings.rate else None
        self._address_limiter = (
            SlidingWindowLimiter(settings.address_rate) if settings.address_rate else None
        )
        self._refusals = (
            SlidingWindowLimiter(
                RateLimit(settings.auto_ban_refusals - 1, settings.auto_ban_window_seconds)
            )
            if settings.auto_ban_refusals
            else None
        )
        self._flood = FloodGuard(
            settings.duplicate_window_seconds, settings.flood_senders, settings.flood_min_length
        )
        self._messages: dict[int, Message] = {}  # held, plus those that reached the screen
        self._held: dict[int, Message] = {}  # insertion order = oldest first
        self._senders: dict[str, _SenderState] = {}
        self._acks: dict[tuple[str, str], Accepted] = {}  # (sender, cid) -> first ack
        self._in_flight: dict[tuple[str, str], asyncio.Future[Accepted]] = {}
        self._pool = ReplayPool(self._rng)
        self._recent_live: deque[tuple[float, Message]] = deque()
        self._recent_shown: deque[int] = deque(maxlen=RECENT_SHOWN_KEPT)  # ids, oldest first
        self._accepted_times: deque[float] = deque()
        self._draws: list[Draw] = []
        self._current_draw: Draw | None = None
        self._paused = False
        self._phones = 0
        self._show_pages = 0
        self._shown_total = 0
        self._last_live_at = clock()
        self._last_accepted_at = clock()
        self._last_replay_at = 0.0
        self._last_prune_at = clock()
        self._published_stats: Stats | None = None
        self._ticker: asyncio.Task[None] | None = None
        self.dropped_events = 0

    # -- lifecycle ----------------------------------------------------------------------

    @classmethod
    async def open(cls, settings: Settings, checker: TextChecker, **kwargs: object) -> Hub:
        """Open the store at ``settings.db_path``, restore state from it, start the ticker."""
        store = await Store.open(settings.db_path)
        hub = cls(settings, store, checker, **kwargs)  # type: ignore[arg-type]
        await hub._restore()
        hub._ticker = asyncio.create_task(hub._tick_forever(), name="hub-ticker")
        return hub

    async def close(self) -> None:
        """Stop the ticker and close the store (everything acknowledged is committed)."""
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
            self._ticker = None
        await self._store.close()

    async def _restore(self) -> None:
        for sender in await self._store.senders():
            self._senders[sender.id] = _SenderState(sender.nick, sender.banned)
        for message in await self._store.messages():
            state = self._senders.setdefault(message.sender, _SenderState(message.nick))
            state.total += 1
            if message.cid is not None:
                self._acks[(message.sender, message.cid)] = Accepted(
                    message.id, Status.HELD if message.status is Status.HELD else Status.SHOWN
                )
            if message.status is Status.HELD:
                self._held[message.id] = message
                self._messages[message.id] = message
            elif message.status.reached_screen:
                state.on_screen += 1
                self._shown_total += 1
                self._messages[message.id] = message
                self._recent_shown.append(message.id)
                if not state.banned:
                    self._pool.add(message.id, message.shown_count)
        self._draws = await self._store.draws()

    # -- subscription -------------------------------------------------------------------

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[Event]]:
        """Follow the hub's events; the queue is bounded and removed on exit."""
        queue: asyncio.Queue[Event] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self._subscribers.add(queue)

        async def events() -> AsyncIterator[Event]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            self._subscribers.discard(queue)

    def _publish(self, event: Event) -> None:
        for queue in self._subscribers:
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:  # a stuck consumer must never stall the wall
                self.dropped_events += 1
                log.warning("subscriber queue full, dropped %s", type(event).__name__)

    # -- the audience -------------------------------------------------------------------

    async def submit(self, submission: Submission) -> Accepted:
        """Take one comment: refuse it, show it, or hold it. Committed before returning.

        Raises:
            Refused: with the contract's error code and a message for the sender.
        """
        try:
            return await self._submit(submission)
        except Refused as refused:
            if refused.code in AUTO_BAN_CODES:
                await self._count_refusal(submission.sender)
            raise

    async def _count_refusal(self, sender: str) -> None:
        """Ban a sender who keeps sending what gets refused (a script, not a person)."""
        if self._refusals is None or self.is_banned(sender):
            return
        if not self._refusals.allow(sender, self._clock()):
            log.warning("auto-ban: %s had %s refusals", sender, self.settings.auto_ban_refusals)
            await self.ban(sender)

    async def _submit(self, submission: Submission) -> Accepted:
        if submission.cid is None:
            return await self._accept(submission)
        key = (submission.sender, submission.cid)
        if key in self._acks:  # a retry of something already committed
            return self._acks[key]
        if key in self._in_flight:  # a retry racing the first attempt
            return await asyncio.shield(self._in_flight[key])
        future: asyncio.Future[Accepted] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            accepted = await self._accept(submission)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: racing retries re-raise it themselves
            raise
        finally:
            del self._in_flight[key]
        self._acks[key] = accepted
        future.set_result(accepted)
        return accepted

    async def _accept(self, submission: Submission) -> Accepted:
        body = text.clean(submission.text)
        nick = text.clean(submission.nick)
        self._refuse_if_invalid(body, nick, submission.sender)
        now = self._clock()
        address = submission.address or ""
        # The sender's own limit first: what one flooding phone sends beyond it must not
        # use up the ceiling of the address it shares with a whole hall behind one NAT.
        if self._limiter is not None and not self._limiter.allow(submission.sender, now):
            wait = self._limiter.retry_after(submission.sender, now)
            raise Refused(
                ErrorCode.RATE_LIMITED, f"Too fast: wait {max(1, round(wait))} s and send again."
            )
        if self._address_limiter is not None and not self._address_limiter.allow(address, now):
            raise Refused(ErrorCode.RATE_LIMITED, "Too busy right now: send again in a moment.")
        if self._flood.is_repeat(submission.sender, body, now):
            raise Refused(ErrorCode.RATE_LIMITED, "You just sent that. Say something new!")
        reasons = self._checker.check(body).reasons + tuple(
            replace(r, field="nick") for r in self._checker.check(nick).reasons
        )
        refusing = [r.category for r in reasons if r.category in self.settings.reject_categories]
        if refusing:
            await self._keep_refused(submission, body, nick, reasons, now)
            raise Refused(ErrorCode.BAD_REQUEST, "This comment can't go on the wall here.")
        if self._flood.record(submission.sender, body, now):
            reasons += (Reason(term=body, category=FLOOD, span=(0, len(body))),)
        status = Status.HELD if reasons else Status.SHOWN
        message_id = self._insert(submission, body, nick, reasons, status, now)
        is_new = submission.sender not in self._senders
        sender = self._sender(submission.sender)
        if is_new or (nick and sender.nick != nick):  # no nick given keeps the one they had
            sender.nick = nick
            self._store.upsert_sender(submission.sender, nick)
        await self._store.durable()
        sender.total += 1
        self._accepted_times.append(now)
        self._last_accepted_at = now
        message = Message(
            id=message_id,
            text=body,
            nick=nick,
            sender=submission.sender,
            color=submission.color,
            mode=submission.mode,
            status=status,
            reasons=reasons,
            shown_count=0,
            created_at=now,
            cid=submission.cid,
        )
        self._messages[message_id] = message
        if status is Status.HELD:
            self._held[message_id] = message
            self._publish(Held(message))
        else:
            self._reached_screen(message)
        return Accepted(message_id, status)

    async def _keep_refused(
        self, submission: Submission, body: str, nick: str, reasons: tuple[Reason, ...], now: float
    ) -> None:
        """Record a comment refused by a ``reject`` category, for the export's audit trail.

        It is stored without its cid: it was never acknowledged, so a retry is judged afresh.
        """
        unacknowledged = replace(submission, cid=None)
        self._insert(unacknowledged, body, nick, reasons, Status.REJECTED, now)
        await self._store.durable()

    def _insert(
        self,
        submission: Submission,
        body: str,
        nick: str,
        reasons: tuple[Reason, ...],
        status: Status,
        now: float,
    ) -> int:
        return self._store.add_message(
            sender=submission.sender,
            nick=nick,
            text=body,
            color=submission.color,
            mode=submission.mode,
            status=status,
            reasons=reasons,
            cid=submission.cid,
            address=submission.address,
            created_at=now,
        )

    def replace_checker(self, checker: TextChecker) -> None:
        """Use a rebuilt filter from now on (a wordlist was edited live)."""
        self._checker = checker

    def _refuse_if_invalid(self, body: str, nick: str, sender: str) -> None:
        if not body:
            raise Refused(ErrorCode.EMPTY, "Type a comment first.")
        if text.visible_length(body) > self.settings.max_text_length:
            raise Refused(
                ErrorCode.TOO_LONG,
                f"Too long: at most {self.settings.max_text_length} characters.",
            )
        if text.visible_length(nick) > self.settings.max_nick_length:
            raise Refused(
                ErrorCode.TOO_LONG,
                f"Nickname too long: at most {self.settings.max_nick_length} characters.",
            )
        state = self._senders.get(sender)
        if state is not None and state.banned:
            raise Refused(ErrorCode.BANNED, "You can no longer send comments here.")
        if self._paused:
            raise Refused(ErrorCode.PAUSED, "The wall is paused for a moment. Try again soon.")

    def _sender(self, sender_id: str) -> _SenderState:
        state = self._senders.get(sender_id)
        if state is None:
            state = self._senders[sender_id] = _SenderState()
        return state

    # -- showing ------------------------------------------------------------------------

    def _reached_screen(self, message: Message) -> None:
        """A live comment goes on the wall: it counts for the lottery and joins the pool."""
        sender = self._sender(message.sender)
        sender.on_screen += 1
        self._shown_total += 1
        now = self._clock()
        self._last_live_at = now
        self._recent_live.append((now, message))
        self._recent_shown.append(message.id)
        self._pool.add(message.id, message.shown_count)
        self._show(message, replay=False)

    def _show(self, message: Message, replay: bool) -> None:
        now = self._clock()
        shown = replace(message, shown_count=message.shown_count + 1, last_shown_at=now)
        self._messages[message.id] = shown
        self._pool.shown(message.id)
        # Counting a show is not acknowledged to anyone: it rides the next grouped commit.
        self._store.count_shown(message.id, now)
        self._publish(Shown(shown, replay))

    def catch_up(self, last_id: int) -> list[Message]:
        """Live comments shown recently with an id above ``last_id``, in id order."""
        horizon = self._clock() - self.settings.catch_up_seconds
        missed = {
            m.id: m
            for at, m in self._recent_live
            if at >= horizon and m.id > last_id and m.id in self._messages  # not retracted
        }
        return [missed[i] for i in sorted(missed)]

    def replay_once(self) -> Message | None:
        """Replay one least-shown comment now (the ticker calls this when the wall is idle)."""
        message_id = self._pool.pick()
        if message_id is None:
            return None
        self._last_replay_at = self._clock()
        self._show(self._messages[message_id], replay=True)
        return self._messages[message_id]

    # -- the moderator ------------------------------------------------------------------

    async def approve(self, message_id: int) -> Message | None:
        """Put a held comment on the wall. Returns None if it is no longer held."""
        message = self._held.pop(message_id, None)
        if message is None:
            return None
        self._store.set_status(message_id, Status.APPROVED)
        await self._store.durable()
        approved = replace(message, status=Status.APPROVED)
        self._messages[message_id] = approved
        self._publish(Resolved(approved))
        self._reached_screen(approved)
        return approved

    async def reject(self, message_id: int) -> Message | None:
        """Keep a held comment off the wall for good. Returns None if it is no longer held."""
        message = self._held.pop(message_id, None)
        if message is None:
            return None
        self._store.set_status(message_id, Status.REJECTED)
        await self._store.durable()
        rejected = replace(message, status=Status.REJECTED)
        del self._messages[message_id]
        self._publish(Resolved(rejected))
        return rejected

    async def approve_all(self) -> int:
        """Approve every held comment, oldest first; return how many."""
        approved = 0
        for message_id in list(self._held):
            if await self.approve(message_id) is not None:
                approved += 1
        return approved

    async def retract(self, message_id: int) -> Message | None:
        """Take a comment off the wall: off every projector, out of replays and the lottery.

        Returns None if the comment is not on the wall.
        """
        message = self._messages.get(message_id)
        if message is None or not message.status.reached_screen:
            return None
        self._store.set_status(message_id, Status.RETRACTED)
        await self._store.durable()
        retracted = replace(message, status=Status.RETRACTED)
        del self._messages[message_id]
        self._pool.discard(message_id)
        self._sender(message.sender).on_screen -= 1
        self._shown_total -= 1
        self._publish(Retracted(retracted))
        return retracted

    def clear_wall(self) -> None:
        """Empty every projector of what is flying now (nothing is deleted)."""
        self._publish(WallCleared())

    async def ban(self, sender_id: str) -> int:
        """Ban a sender: their held comments are rejected, later sends refused.

        Their comments leave the replay pool and they are out of the lottery.
        Returns how many held comments were rejected.
        """
        state = self._sender(sender_id)
        state.banned = True
        self._store.set_banned(sender_id, True)
        rejected = 0
        for message_id in [m.id for m in self._held.values() if m.sender == sender_id]:
            if await self.reject(message_id) is not None:
                rejected += 1
        await self._store.durable()
        for message in self._messages.values():
            if message.sender == sender_id:
                self._pool.discard(message.id)
        self._publish(Banned(sender_id, state.nick))
        return rejected

    async def unban(self, sender_id: str) -> None:
        """Let a banned sender send again (their earlier comments may replay again)."""
        state = self._sender(sender_id)
        state.banned = False
        self._store.set_banned(sender_id, False)
        await self._store.durable()
        for message in self._messages.values():
            if message.sender == sender_id and message.status.reached_screen:
                self._pool.add(message.id, message.shown_count)

    def set_paused(self, paused: bool) -> None:
        """Pause the wall (new comments are refused with ``paused``) or resume it."""
        if paused != self._paused:
            self._paused = paused
            self._publish(PauseChanged(paused))

    @property
    def paused(self) -> bool:
        """Whether the wall is paused."""
        return self._paused

    async def draw(self, rules: DrawRules, seed: int | None = None) -> Draw:
        """Draw winners, record the draw, and show it on the projector.

        Raises:
            NobodyEligible: when no sender has a comment on screen and may win.
        """
        banned = {sid for sid, s in self._senders.items() if s.banned}
        previous = {w.sender for d in self._draws for w in d.winners}
        entrants = lottery.eligible_entrants(
            (Entrant(sid, s.nick, s.on_screen) for sid, s in self._senders.items()),
            banned,
            previous,
            rules.exclude_previous_winners,
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
        self._current_draw = draw
        self._publish(DrawMade(draw))
        return draw

    def dismiss_draw(self) -> None:
        """Take the winners off the projector."""
        if self._current_draw is not None:
            self._current_draw = None
            self._publish(DrawDismissed())

    # -- views --------------------------------------------------------------------------

    def held(self) -> list[Message]:
        """The review queue, oldest first."""
        return list(self._held.values())

    def recent_shown(self, limit: int = 50) -> list[Message]:
        """The latest live comments on the wall, newest first."""
        newest_first = (self._messages.get(i) for i in reversed(self._recent_shown))
        return [m for m in newest_first if m is not None][:limit]

    def message(self, message_id: int) -> Message | None:
        """A held or on-screen message by id."""
        return self._messages.get(message_id)

    def senders(self) -> list[Sender]:
        """Every sender with their lottery weight (``on_screen``)."""
        return [
            Sender(sid, s.nick, s.banned, s.on_screen, s.total) for sid, s in self._senders.items()
        ]

    def is_banned(self, sender_id: str) -> bool:
        """Whether a sender is banned."""
        state = self._senders.get(sender_id)
        return state is not None and state.banned

    def draws(self) -> list[Draw]:
        """Every recorded draw, oldest first."""
        return list(self._draws)

    @property
    def current_draw(self) -> Draw | None:
        """The draw shown on the projector right now, if any."""
        return self._current_draw

    def set_audience(self, phones: int, show_pages: int) -> None:
        """The web adapter reports how many phones and projector pages are connected."""
        self._phones, self._show_pages = phones, show_pages

    def idle_seconds(self) -> float:
        """Seconds since the last comment was accepted (or since the hub opened)."""
        return self._clock() - self._last_accepted_at

    def stats(self) -> Stats:
        """Numbers for the moderator."""
        horizon = self._clock() - 60
        while self._accepted_times and self._accepted_times[0] < horizon:
            self._accepted_times.popleft()
        return Stats(
            phones=self._phones,
            show_pages=self._show_pages,
            per_minute=len(self._accepted_times),
            held=len(self._held),
            shown_total=self._shown_total,
            paused=self._paused,
        )

    # -- the ticker: replay, stats, housekeeping ------------------------------------------

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                self.tick()
            except Exception:  # the ticker must outlive any single bad tick
                log.exception("hub tick failed")

    def tick(self) -> None:
        """One round of periodic work: idle replay, stats, pruning."""
        now = self._clock()
        if self._should_replay(now):
            self.replay_once()
        horizon = now - self.settings.catch_up_seconds
        while self._recent_live and self._recent_live[0][0] < horizon:
            self._recent_live.popleft()
        if now - self._last_prune_at >= PRUNE_EVERY_SECONDS:
            self._last_prune_at = now
            for limiter in (self._limiter, self._address_limiter, self._refusals):
                if limiter is not None:
                    limiter.prune(now)
            self._flood.prune(now)
        stats = self.stats()
        if stats != self._published_stats:
            self._published_stats = stats
            self._publish(StatsChanged(stats))

    def _should_replay(self, now: float) -> bool:
        return (
            not self._paused
            and self._show_pages > 0
            and now - self._last_live_at >= self.settings.replay_idle_seconds
            and now - self._last_replay_at >= self.settings.replay_interval_seconds
        )


__all__ = ["Hub", "NobodyEligible", "TextChecker"]
