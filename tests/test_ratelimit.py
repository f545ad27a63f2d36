"""The sliding-window limiter: pruning keeps memory flat and never changes a decision."""

from __future__ import annotations

import random

from server.ratelimit import SlidingWindowLimiter
from server.settings import RateLimit


def test_pruning_forgets_idle_senders_and_keeps_those_in_their_window() -> None:
    limiter = SlidingWindowLimiter(RateLimit(count=2, seconds=3.0))
    for second, sender in enumerate(["early", "middle", "late"]):
        assert limiter.allow(sender, float(second))
    limiter.allow("early", 3.5)  # sent again: no longer the oldest

    limiter.prune(4.5)  # "middle" (at 1.0) is out of its window; "late" (2.0) and "early" not

    assert sorted(limiter._events) == ["early", "late"]
    assert limiter.allow("early", 4.5)  # 0.0 has left its window: 3.5 and now
    assert not limiter.allow("early", 4.6)  # two within 3 s: the window is still kept


def test_pruning_at_any_moment_changes_no_decision() -> None:
    """Two limiters see the same traffic; one prunes often. Every answer is the same."""
    rng = random.Random(20261207)
    limit = RateLimit(count=3, seconds=2.0)
    pruned, never_pruned = SlidingWindowLimiter(limit), SlidingWindowLimiter(limit)
    senders = [f"phone-{n}" for n in range(40)]
    now = 0.0
    allowed: list[tuple[str, float]] = []
    for _ in range(20_000):
        now += rng.expovariate(50.0)
        sender = rng.choice(senders)
        answer = pruned.allow(sender, now)
        assert answer == never_pruned.allow(sender, now)
        assert pruned.retry_after(sender, now) == never_pruned.retry_after(sender, now)
        if answer:
            allowed.append((sender, now))
        if allowed and rng.random() < 0.05:  # a comment that came to nothing
            key, at = allowed.pop(rng.randrange(len(allowed)))
            pruned.give_back(key, at)
            never_pruned.give_back(key, at)
        if rng.random() < 0.02:
            pruned.prune(now)
    pruned.prune(now + limit.seconds)
    assert not pruned._events  # everyone idle for a whole window is forgotten
