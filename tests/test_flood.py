"""The flood guard: a countdown's one text from thousands of phones, judged as before."""

from __future__ import annotations

import random

from server.flood import FloodGuard, flood_key
from server.text import visible_length

WINDOW, SENDERS_FOR_FLOOD, MIN_LENGTH = 30.0, 8, 6


class EveryStep:
    """The rule written plainly: every sender of the text within the window is counted."""

    def __init__(self) -> None:
        self.sent: dict[str, dict[str, float]] = {}

    def record(self, sender: str, text: str, now: float) -> bool:
        senders = self.sent.setdefault(flood_key(text), {})
        senders[sender] = now
        recent = sum(1 for at in senders.values() if at >= now - WINDOW)
        return recent >= SENDERS_FOR_FLOOD and visible_length(text) >= MIN_LENGTH

    def is_repeat(self, sender: str, text: str, now: float) -> bool:
        at = self.sent.get(flood_key(text), {}).get(sender)
        return at is not None and now - at < WINDOW

    def forget(self, sender: str, text: str, at: float) -> None:
        senders = self.sent.get(flood_key(text), {})
        if senders.get(sender) == at:
            del senders[sender]


def test_a_slogan_is_a_flood_at_its_eighth_sender_and_applause_never_is() -> None:
    guard = FloodGuard(WINDOW, SENDERS_FOR_FLOOD, MIN_LENGTH)
    slogan = [guard.record(f"phone-{n}", "扫码领取新年红包", float(n)) for n in range(10)]
    assert slogan == [False] * 7 + [True] * 3
    assert not any(guard.record(f"phone-{n}", "新年快乐", 20.0) for n in range(5_000))
    # The first seven sent over 30 s ago: the slogan is no longer a flood.
    assert not guard.record("phone-late", "扫码领取新年红包", 40.0)


def test_the_guard_answers_as_the_plain_rule_does() -> None:
    rng = random.Random(7)
    guard, plain = FloodGuard(WINDOW, SENDERS_FOR_FLOOD, MIN_LENGTH), EveryStep()
    texts = ["666", "新年快乐", "扫码领取新年红包", "加我微信领奖品啦", "Happy new year all"]
    texts += [f"第{n}条评论来啦" for n in range(200)]  # in every shard of the guard's memory
    now = 0.0
    recorded: list[tuple[str, str, float]] = []
    for _ in range(20_000):
        now += rng.expovariate(20.0)
        sender, text = f"phone-{rng.randrange(60)}", rng.choice(texts)
        assert guard.is_repeat(sender, text, now) == plain.is_repeat(sender, text, now)
        assert guard.record(sender, text, now) == plain.record(sender, text, now)
        recorded.append((sender, text, now))
        if rng.random() < 0.05:  # a comment that was never stored
            undone = recorded.pop(rng.randrange(len(recorded)))
            guard.forget(*undone)
            plain.forget(*undone)
        if rng.random() < 0.01:
            guard.prune(now)
