"""The lottery's fairness and reproducibility, as pure functions."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import replace

import pytest

from server.lottery import (
    ALGORITHM,
    chances,
    draw_winners,
    eligible_entrants,
    replacement,
    replay,
    seed_hash,
    verify,
)
from server.lottery_desk import parse_prize_plan
from server.models import Draw, DrawRules, Entrant, Prize, Scheme, Void, VoidReason
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
    everyone = (*ENTRANTS, Entrant("z", "Zero", 0))
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


# -- schemes, stated chances, and the draw without replacement --------------------------

SHOWN = (Entrant("a", "A", 1), Entrant("b", "B", 4), Entrant("c", "C", 9), Entrant("d", "D", 30))
# The 0.999 quantile of chi-square with 11 degrees of freedom (12 ordered pairs of 4).
CHI2_11DF_999 = 31.264


@pytest.mark.parametrize(
    ("scheme", "cap", "expected"),
    [
        (Scheme.PROPORTIONAL, None, {"a": 1, "b": 4, "c": 9, "d": 30}),
        (Scheme.CAPPED, 5, {"a": 1, "b": 4, "c": 5, "d": 5}),
        (Scheme.SQRT, None, {"a": 100, "b": 200, "c": 300, "d": 547}),
        (Scheme.EQUAL, None, {"a": 1, "b": 1, "c": 1, "d": 1}),
    ],
)
def test_each_scheme_turns_comments_into_tickets(
    scheme: Scheme, cap: int | None, expected: dict[str, int]
) -> None:
    entrants = eligible_entrants(SHOWN, set(), set(), True, scheme=scheme, cap=cap)
    assert {e.sender: e.weight for e in entrants} == expected


def test_minimum_shown_to_enter() -> None:
    entrants = eligible_entrants(SHOWN, set(), set(), True, min_shown=5)
    assert [e.sender for e in entrants] == ["c", "d"]


@pytest.mark.parametrize("scheme", list(Scheme))
def test_one_winner_frequencies_match_the_stated_chances(scheme: Scheme) -> None:
    entrants = eligible_entrants(SHOWN, set(), set(), True, scheme=scheme, cap=5)
    stated = chances(entrants, 1)
    draws = 20_000
    wins = Counter(draw_winners(seed, entrants, 1)[0].sender for seed in range(draws))
    chi2 = sum((wins[s] - draws * p) ** 2 / (draws * p) for s, p in stated.items())
    assert chi2 < CHI2_3DF_999, (scheme, chi2, wins, stated)


@pytest.mark.parametrize("scheme", list(Scheme))
def test_two_winners_without_replacement_follow_the_exact_pair_chances(scheme: Scheme) -> None:
    entrants = eligible_entrants(SHOWN, set(), set(), True, scheme=scheme, cap=5)
    total = sum(e.weight for e in entrants)
    # Without replacement the second pick is among those left: P(x then y).
    exact = {
        (x.sender, y.sender): x.weight / total * y.weight / (total - x.weight)
        for x in entrants
        for y in entrants
        if x is not y
    }
    draws = 20_000
    pairs = Counter(
        tuple(w.sender for w in draw_winners(seed, entrants, 2)) for seed in range(draws)
    )
    assert set(pairs) <= set(exact)  # nobody twice
    chi2 = sum((pairs[k] - draws * p) ** 2 / (draws * p) for k, p in exact.items())
    assert chi2 < CHI2_11DF_999, (scheme, chi2)
    # The stated chance of being among two winners is the sum over the pairs one is in.
    stated = chances(entrants, 2)
    for sender, chance in stated.items():
        among = sum(p for pair, p in exact.items() if sender in pair)
        assert abs(chance - among) < 0.02, (sender, chance, among)


def test_with_replacement_would_fail_the_pair_check() -> None:
    entrants = eligible_entrants(SHOWN, set(), set(), True)
    total = sum(e.weight for e in entrants)
    exact = {
        (x.sender, y.sender): x.weight / total * y.weight / (total - x.weight)
        for x in entrants
        for y in entrants
        if x is not y
    }
    rng = random.Random(2)
    pairs: Counter[tuple[str, str]] = Counter()
    while sum(pairs.values()) < 20_000:  # two independent picks, repeats thrown away
        x, y = rng.choices(entrants, [e.weight for e in entrants], k=2)
        if x is not y:
            pairs[(x.sender, y.sender)] += 1
    chi2 = sum((pairs[k] - 20_000 * p) ** 2 / (20_000 * p) for k, p in exact.items())
    assert chi2 > CHI2_11DF_999


# -- commit, reveal, mix, void -----------------------------------------------------------


def test_the_commitment_is_sha256_of_the_seeds_digits() -> None:
    assert seed_hash(42) == hashlib.sha256(b"42").hexdigest()


def test_witnessed_comments_change_the_draw_and_the_record_replays_it() -> None:
    entrants = eligible_entrants(SHOWN, set(), set(), True, scheme=Scheme.EQUAL)
    quiet = [replay(ALGORITHM, seed, (), entrants, 1) for seed in range(40)]
    busy = [replay(ALGORITHM, seed, ((7, "加油"),), entrants, 1) for seed in range(40)]
    assert quiet != busy  # what the hall sends between commit and draw is mixed in
    assert replay(ALGORITHM, 5, ((7, "加油"),), entrants, 1) == busy[5]


def _recorded(seed: int, witnessed: tuple[tuple[int, str], ...] = ()) -> Draw:
    entrants = eligible_entrants(SHOWN, set(), set(), True)
    winners = replay(ALGORITHM, seed, witnessed, entrants, 2)
    return Draw(1, seed, DrawRules(2, prize="二等奖"), entrants, winners, 0.0, ALGORITHM,
                witnessed, seed_hash=seed_hash(seed))  # fmt: skip


def test_verify_accepts_an_honest_record_and_names_what_was_altered() -> None:
    draw = _recorded(9, ((3, "hi"),))
    assert verify(draw) == []
    other = next(e for e in draw.entrants if e not in draw.winners)
    assert "recorded winners" in verify(replace(draw, winners=(other, draw.winners[1])))[0]
    assert "SHA-256" in verify(replace(draw, seed_hash=seed_hash(10)))[0]
    # An edited witnessed comment changes the mix: most such edits no longer fit the winners.
    assert sum(bool(verify(replace(draw, witnessed=((3, f"hi{n}"),)))) for n in range(20)) > 5


def test_a_void_draws_its_replacement_from_those_who_never_won_this_draw() -> None:
    draw = _recorded(11)
    out = {w.sender for w in draw.winners}
    pick = replacement(77, draw.entrants, out)
    assert pick is not None and pick.sender not in out
    void = Void(draw.winners[0].sender, "", VoidReason.ABSENT, 77, pick, 1.0)
    voided = replace(draw, voids=(void,))
    assert voided.standing == (pick, draw.winners[1])
    assert verify(voided) == []
    wrong = next(e for e in draw.entrants if e.sender not in out | {pick.sender})
    assert "replacement" in verify(replace(voided, voids=(replace(void, replacement=wrong),)))[0]


def test_prize_plan_lines_comments_and_errors() -> None:
    plan = parse_prize_plan("# the night\n三等奖 10\n\nGrand prize 1  # last\n")
    assert plan == (Prize("三等奖", 10), Prize("Grand prize", 1))
    with pytest.raises(ValueError, match="line 2"):
        parse_prize_plan("一等奖 1\n二等奖 many\n")
