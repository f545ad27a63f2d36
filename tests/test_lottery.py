"""The lottery's fairness and reproducibility, as pure functions."""

from __future__ import annotations

import random
from collections import Counter

from server.lottery import draw_winners, eligible_entrants
from server.models import Entrant
from server.replay import ReplayPool

ENTRANTS = (
    Entrant("a", "A", 1),
    Entrant("b", "B", 2),
    Entrant("c", "C", 3),
    Entrant("d", "D", 10),
)

# The 0.999 quantile of chi-square with 3 degrees of freedom: a fair draw exceeds
# it one time in a thousand; with fixed seeds the test is deterministic.
CHI2_3DF_999 = 16.266


def test_single_winner_frequency_matches_weight() -> None:
    draws = 20_000
    wins = Counter(draw_winners(seed, ENTRANTS, 1)[0].sender for seed in range(draws))
    total_weight = sum(e.weight for e in ENTRANTS)
    chi2 = sum(
        (wins[e.sender] - draws * e.weight / total_weight) ** 2 / (draws * e.weight / total_weight)
        for e in ENTRANTS
    )
    assert chi2 < CHI2_3DF_999, (chi2, wins)


def test_a_biased_draw_would_fail_the_same_check() -> None:
    # The same statistic catches an unweighted (uniform) draw: the check has teeth.
    draws = 20_000
    rng = random.Random(1)
    wins = Counter(rng.choice(ENTRANTS).sender for _ in range(draws))
    total_weight = sum(e.weight for e in ENTRANTS)
    chi2 = sum(
        (wins[e.sender] - draws * e.weight / total_weight) ** 2 / (draws * e.weight / total_weight)
        for e in ENTRANTS
    )
    assert chi2 > CHI2_3DF_999


def test_nobody_wins_twice_and_count_is_capped() -> None:
    for seed in range(200):
        winners = draw_winners(seed, ENTRANTS, 3)
        assert len({w.sender for w in winners}) == 3
    assert len(draw_winners(1, ENTRANTS, 10)) == 4


def test_same_seed_same_winners() -> None:
    assert draw_winners(123, ENTRANTS, 2) == draw_winners(123, ENTRANTS, 2)
    assert any(draw_winners(s, ENTRANTS, 2) != draw_winners(0, ENTRANTS, 2) for s in range(10))


def test_eligibility_rules() -> None:
    everyone = ENTRANTS + (Entrant("z", "Zero", 0),)
    assert [e.sender for e in eligible_entrants(everyone, {"b"}, {"c"}, True)] == ["a", "d"]
    assert [e.sender for e in eligible_entrants(everyone, {"b"}, {"c"}, False)] == ["a", "c", "d"]


def test_replay_pool_prefers_least_shown_at_random_among_equals() -> None:
    pool = ReplayPool(random.Random(5))
    pool.add(1, 3)
    pool.add(2, 1)
    pool.add(3, 1)
    firsts: Counter[int | None] = Counter()
    for seed in range(200):
        trial = ReplayPool(random.Random(seed))
        for message_id, count in ((1, 3), (2, 1), (3, 1)):
            trial.add(message_id, count)
        firsts[trial.pick()] += 1
    assert set(firsts) == {2, 3} and min(firsts.values()) > 60
    order: list[int] = []
    for _ in range(4):
        picked = pool.pick()
        assert picked is not None
        order.append(picked)
        pool.shown(picked)
    assert sorted(order[:2]) == [2, 3] and sorted(order[2:]) == [2, 3]
    pool.discard(2)
    pool.discard(3)
    assert pool.pick() == 1
    pool.discard(1)
    assert pool.pick() is None
