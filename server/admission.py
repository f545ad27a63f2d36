"""Admission: whether a submission is refused, shown or held, decided before it is stored.

:class:`Admission` runs the checks in the order that is fair to a hall behind one NAT
address: what the comment is (empty, too long), who sends it (banned) and when (paused),
the sender's own rate limit before the address's shared ceiling, a repeat of one's own
text, then the filter on text and nick, the ``--reject`` categories, and many senders
sending one text at once (a flood: held). It also counts refusals that only a script
keeps earning and says when to ban. :class:`RetryMemory` makes a phone's retry with the
same ``cid`` harmless.

Nothing here stores, publishes or bans: the hub acts on what these return.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import Protocol

from server import text
from server.errors import ErrorCode, Refused
from server.flood import CATEGORY as FLOOD
from server.flood import FloodGuard
from server.growth import Shards
from server.models import Accepted, Message, Reason, Status, Submission, Verdict, record
from server.ratelimit import SlidingWindowLimiter
from server.settings import RateLimit, Settings

log = logging.getLogger(__name__)

# Refusals that only a script keeps earning; "paused" and "banned" are not the sender's doing.
AUTO_BAN_CODES = frozenset(
    {ErrorCode.RATE_LIMITED, ErrorCode.TOO_LONG, ErrorCode.EMPTY, ErrorCode.BAD_REQUEST}
)
PRUNE_EVERY_SECONDS = 5.0
NICKS_REMEMBERED = 200_000  # nicks whose verdict is kept (a few MB), per filter
# Hold everything (the moderator's panic switch): what the filter passes is held with this.
HOLD_ALL = Reason(term="", category="hold_all", span=(0, 0))
REFUSED_BY_CATEGORY = "This comment can't go on the wall here."


class TextChecker(Protocol):
    """What admission needs from the moderation filter."""

    def check(self, text: str) -> Verdict:
        """Say whether ``text`` should be held, and why."""
        ...


@record
class Admitted:
    """A submission that gets stored: its cleaned text and nick, the reasons, the status.

    ``status`` is ``SHOWN``, ``HELD``, or ``REJECTED`` for a ``--reject`` category: that
    one is stored for the record and then refused with :data:`REFUSED_BY_CATEGORY`.
    """

    text: str
    nick: str
    reasons: tuple[Reason, ...]
    status: Status


class Admission:
    """The three limiters, the flood guard, the filter and the auto-ban count."""

    def __init__(self, settings: Settings, checker: TextChecker, now: float) -> None:
        self._settings = settings
        self._last_prune_at = now
        self._checker = checker
        self._per_sender = SlidingWindowLimiter(settings.rate) if settings.rate else None
        self._per_address = (
            SlidingWindowLimiter(settings.address_rate) if settings.address_rate else None
        )
        # The n-th refusal within the window bans: a window that allows n - 1 of them.
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
        # A phone sends its nick with every comment: checked once per filter, not each time.
        self._nick_reasons: dict[str, tuple[Reason, ...]] = {}

    @property
    def checker(self) -> TextChecker:
        """The filter comments are judged with now."""
        return self._checker

    def replace_checker(self, checker: TextChecker) -> None:
        """Use a rebuilt filter from now on (a wordlist was edited live)."""
        self._checker = checker
        self._nick_reasons = {}

    def judge(
        self,
        submission: Submission,
        *,
        banned: bool,
        paused: bool,
        now: float,
        hold_all: bool = False,
        verdict: Verdict | None = None,
    ) -> Admitted:
        """Decide on one submission; an accepted text is remembered by the flood guard.

        With ``hold_all`` every comment the filter would pass is held all the same
        (:data:`HOLD_ALL` says why); refusals and ``--reject`` categories are unchanged.
        ``verdict``: this filter's verdict on the cleaned text, found elsewhere
        (:mod:`server.filter_process`); None: the filter is asked here.

        Raises:
            Refused: with the contract's error code and a message for the sender.
        """
        body = text.clean(submission.text)
        nick = text.clean(submission.nick)
        self._refuse_if_invalid(body, nick)
        if banned:
            raise Refused(ErrorCode.BANNED, "You can no longer send comments here.")
        if paused:
            raise Refused(ErrorCode.PAUSED, "The wall is paused for a moment. Try again soon.")
        self._refuse_if_too_fast(submission, body, now)
        if verdict is None:
            verdict = self._checker.check(body)
        reasons = verdict.reasons + self._nick_check(nick)
        if any(reason.category in self._settings.reject_categories for reason in reasons):
            return Admitted(body, nick, reasons, Status.REJECTED)
        if self._flood.record(submission.sender, body, now):
            reasons += (Reason(term=body, category=FLOOD, span=(0, len(body))),)
        if hold_all and not reasons:
            reasons = (HOLD_ALL,)
        return Admitted(body, nick, reasons, Status.HELD if reasons else Status.SHOWN)

    def _nick_check(self, nick: str) -> tuple[Reason, ...]:
        """The filter's reasons for a nick (marked as the nick's), remembered per filter."""
        reasons = self._nick_reasons.get(nick)
        if reasons is None:
            if len(self._nick_reasons) >= NICKS_REMEMBERED:  # a stadium's worth; then afresh
                self._nick_reasons.clear()
            reasons = tuple(
                replace(reason, field="nick") for reason in self._checker.check(nick).reasons
            )
            self._nick_reasons[nick] = reasons
        return reasons

    def _refuse_if_invalid(self, body: str, nick: str) -> None:
        settings = self._settings
        if not body:
            raise Refused(ErrorCode.EMPTY, "Type a comment first.")
        if text.visible_length(body) > settings.max_text_length:
            raise Refused(
                ErrorCode.TOO_LONG, f"Too long: at most {settings.max_text_length} characters."
            )
        if text.visible_length(nick) > settings.max_nick_length:
            raise Refused(
                ErrorCode.TOO_LONG,
                f"Nickname too long: at most {settings.max_nick_length} characters.",
            )

    def _refuse_if_too_fast(self, submission: Submission, body: str, now: float) -> None:
        sender = submission.sender
        # The sender's own limit first: what one flooding phone sends beyond it must not
        # use up the ceiling of the address it shares with a whole hall behind one NAT.
        if self._per_sender is not None and not self._per_sender.allow(sender, now):
            wait = self._per_sender.retry_after(sender, now)
            raise Refused(
                ErrorCode.RATE_LIMITED, f"Too fast: wait {max(1, round(wait))} s and send again."
            )
        address = submission.address or ""
        if self._per_address is not None and not self._per_address.allow(address, now):
            raise Refused(ErrorCode.RATE_LIMITED, "Too busy right now: send again in a moment.")
        if self._flood.is_repeat(sender, body, now):
            raise Refused(ErrorCode.RATE_LIMITED, "You just sent that. Say something new!")

    def forget(self, submission: Submission, body: str, at: float) -> None:
        """Undo what judging a comment at ``at`` counted: it was not stored (the commit failed).

        So its resend is neither "too fast" nor "you just sent that".
        """
        if self._per_sender is not None:
            self._per_sender.give_back(submission.sender, at)
        if self._per_address is not None:
            self._per_address.give_back(submission.address or "", at)
        self._flood.forget(submission.sender, body, at)

    def refusal_bans(self, sender: str, code: ErrorCode, now: float) -> bool:
        """Count a refusal; True when the sender has earned so many that they are a script."""
        if self._refusals is None or code not in AUTO_BAN_CODES:
            return False
        if self._refusals.allow(sender, now):
            return False
        log.warning("auto-ban: %s had %s refusals", sender, self._settings.auto_ban_refusals)
        return True

    def prune(self, now: float) -> None:
        """Every few seconds, forget idle senders' windows and old texts.

        It keeps memory flat and changes no decision.
        """
        if now - self._last_prune_at < PRUNE_EVERY_SECONDS:
            return
        self._last_prune_at = now
        for limiter in (self._per_sender, self._per_address, self._refusals):
            if limiter is not None:
                limiter.prune(now)
        self._flood.prune(now)


class RetryMemory:
    """The first ack of every ``(sender, cid)``: a retry gets it again and creates nothing.

    :meth:`once` runs one attempt; a batch uses its parts (:meth:`recall`, :meth:`begin`,
    :meth:`end`) to judge many in one go with the same rules.
    """

    def __init__(self) -> None:
        # Every ack of the night, in shards (server.growth): a stadium's is millions.
        self._acks: Shards[dict[tuple[str, str], Accepted]] = Shards(dict)
        # First attempts not over yet; the future is made only when a retry races one.
        self._in_flight: dict[tuple[str, str], asyncio.Future[Accepted] | None] = {}

    def restore(self, messages: Iterable[Message]) -> None:
        """Start from the store's record: the first ack of every message sent with a cid."""
        for message in messages:
            if message.cid is not None:
                # The first ack said held exactly when the comment had reasons (whatever
                # the moderator decided later).
                status = Status.HELD if message.reasons else Status.SHOWN
                key = (message.sender, message.cid)
                self._acks.of(key)[key] = Accepted(message.id, status)

    def recall(self, submission: Submission) -> Accepted | asyncio.Future[Accepted] | None:
        """What a retry gets instead of being judged; None for a first attempt.

        The first attempt's ack, or its outcome to await while it is in flight.
        """
        if submission.cid is None:
            return None
        key = (submission.sender, submission.cid)
        acked = self._acks.of(key).get(key)
        if acked is not None:  # a retry of something already committed
            return acked
        if key not in self._in_flight:
            return None
        future = self._in_flight[key]  # a retry racing the first attempt
        if future is None:
            future = self._in_flight[key] = asyncio.get_running_loop().create_future()
        return future

    def begin(self, submission: Submission) -> None:
        """A first attempt starts: retries wait for it until :meth:`end`."""
        if submission.cid is not None:
            self._in_flight[(submission.sender, submission.cid)] = None

    def end(self, submission: Submission, outcome: Accepted | BaseException) -> None:
        """A first attempt is over; retries racing it get the same outcome.

        Its ack is remembered; after a failure (a refusal, the store) a retry is judged afresh.
        """
        if submission.cid is None:
            return
        key = (submission.sender, submission.cid)
        future = self._in_flight.pop(key)
        if isinstance(outcome, Accepted):
            self._acks.of(key)[key] = outcome
            if future is not None:
                future.set_result(outcome)
        elif future is not None:
            future.set_exception(outcome)
            future.exception()  # mark retrieved: racing retries re-raise it themselves

    async def once(
        self, submission: Submission, accept: Callable[[], Awaitable[Accepted]]
    ) -> Accepted:
        """Run ``accept`` unless this cid was accepted already, or is being accepted now."""
        earlier = self.recall(submission)
        if isinstance(earlier, Accepted):
            return earlier
        if earlier is not None:
            return await asyncio.shield(earlier)
        self.begin(submission)
        try:
            accepted = await accept()
        except BaseException as exc:
            self.end(submission, exc)
            raise
        self.end(submission, accepted)
        return accepted
