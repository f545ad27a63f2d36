"""The gala's lottery through the hub: rounds committed before they are drawn, voids, the
prize plan, and the record that `danmaku draws --verify` re-runs (real SQLite files)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from server import lottery
from server.events import DrawMade, Event, PrizePlanChanged, RoundOpened, WinnerVoided
from server.hub import Hub, NoSuchWinner
from server.models import DrawRules, Entrant, Prize, Scheme, Submission, VoidReason
from server.moderation import TextFilter
from server.settings import Settings
from tests.conftest import Venue
from tests.process_support import DANMAKU, ENV


async def fill(hub: Hub, shown: dict[str, int]) -> None:
    """Each sender gets that many comments on the wall."""
    for sender, count in shown.items():
        for n in range(count):
            await hub.submit(Submission(sender=sender, text=f"{sender} says {n}", nick=sender))


async def test_a_round_shows_only_its_hash_then_the_draw_reveals_the_seed(hub: Hub) -> None:
    await fill(hub, {"ann": 2, "bob": 1, "cat": 3})
    async with hub.subscribe() as events:
        rules = DrawRules(winners=2, prize="二等奖", scheme=Scheme.EQUAL)
        commitment = hub.open_round(rules)
        opened = await anext(events)
        assert opened == RoundOpened("二等奖", 2, commitment)
        seed = hub.lottery_round.seed if hub.lottery_round else -1
        assert commitment == hashlib.sha256(str(seed).encode()).hexdigest()
        # The hall keeps sending between the commit and the draw: it is mixed in.
        await hub.submit(Submission(sender="dan", text="快开奖", nick="dan"))
        draw = await hub.draw(rules)
        assert (draw.seed, draw.seed_hash) == (seed, commitment)
        assert [text for _, text in draw.witnessed] == ["快开奖"]
        assert {e.sender for e in draw.entrants} == {"ann", "bob", "cat", "dan"}
        assert lottery.verify(draw) == []
        made = [e async for e in _until(events, DrawMade)]
        assert made[-1] == DrawMade(draw)
    assert hub.lottery_round is None  # the next Enter opens a new round


async def _until(events: AsyncIterator[Event], kind: type) -> AsyncIterator[Event]:
    async for event in events:
        yield event
        if isinstance(event, kind):
            return


async def test_void_replaces_a_winner_and_survives_a_restart(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    try:
        await fill(hub, {"ann": 1, "bob": 1, "cat": 1, "dan": 1})
        draw = await hub.draw(DrawRules(winners=1, prize="一等奖"))
        (winner,) = draw.standing
        async with hub.subscribe() as events:
            voided = await hub.void_winner(winner.sender, VoidReason.ABSENT)
            event = await anext(events)
        assert isinstance(event, WinnerVoided) and event.draw == voided
        (void,) = voided.voids
        assert void.sender == winner.sender and void.replacement is not None
        assert voided.standing == (void.replacement,) and void.replacement != winner
        with pytest.raises(NoSuchWinner):  # only a standing winner can be voided
            await hub.void_winner(winner.sender, VoidReason.STAFF)
    finally:
        await hub.close()
    hub = await Hub.open(settings, checker)
    try:
        (restored,) = hub.draws()
        assert restored == voided and lottery.verify(restored) == []
        # Both have been winners of this draw: out of later rounds, unless earlier winners
        # may win again; a voided "absent" winner then may, a voided staff member never.
        entrants = {e.sender for e in hub.entrants(DrawRules())}
        assert not {winner.sender, void.replacement.sender} & entrants
        anyone = DrawRules(exclude_previous_winners=False)
        assert {winner.sender, void.replacement.sender} <= {e.sender for e in hub.entrants(anyone)}
    finally:
        await hub.close()


async def test_a_winner_voided_as_staff_never_enters_again(hub: Hub) -> None:
    await fill(hub, {"ann": 1, "bob": 1, "cat": 1})
    draw = await hub.draw(DrawRules(winners=1))
    (winner,) = draw.standing
    await hub.void_winner(winner.sender, VoidReason.STAFF)
    anyone = DrawRules(exclude_previous_winners=False)
    assert winner.sender not in {e.sender for e in hub.entrants(anyone)}


async def test_setting_a_prize_plan_is_an_event_the_views_follow(hub: Hub) -> None:
    plan = (Prize("三等奖", 1),)
    async with hub.subscribe() as events:
        hub.set_prize_plan(plan)
        assert await anext(events) == PrizePlanChanged(plan)
    assert (hub.next_prize(), hub.prizes_drawn()) == (plan[0], 0)


async def test_the_prize_plan_moves_on_as_prizes_are_drawn(
    settings: Settings, checker: TextFilter
) -> None:
    plan = (Prize("三等奖", 2), Prize("二等奖", 1), Prize("一等奖", 1))
    hub = await Hub.open(replace(settings, prize_plan=plan), checker)
    try:
        await fill(hub, {f"s{n}": 1 for n in range(6)})
        drawn = []
        while (prize := hub.next_prize()) is not None:
            draw = await hub.draw(DrawRules(winners=prize.count, prize=prize.name))
            drawn.append((draw.rules.prize, len(draw.winners)))
        assert drawn == [("三等奖", 2), ("二等奖", 1), ("一等奖", 1)]
        winners = [w.sender for d in hub.draws() for w in d.winners]
        assert len(set(winners)) == 4  # earlier winners are out of later rounds
    finally:
        await hub.close()


def draws_command(db: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DANMAKU, "draws", "--db", str(db), *options],
        capture_output=True, text=True, env=ENV, timeout=60,
    )  # fmt: skip


async def test_draws_verify_passes_an_honest_record_and_fails_an_altered_winner(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    try:
        await fill(hub, {"ann": 3, "bob": 1, "cat": 2})
        hub.open_round(DrawRules(winners=1, prize="Grand prize"))
        await hub.submit(Submission(sender="dan", text="go go go", nick="dan"))
        draw = await hub.draw(DrawRules(winners=1, prize="Grand prize"))
    finally:
        await hub.close()
    db = settings.db_path
    honest = draws_command(db, "--verify")
    assert honest.returncode == 0, honest.stderr
    assert "Grand prize" in honest.stdout and "OK" in honest.stdout
    (record,) = json.loads(draws_command(db, "--format", "json").stdout)
    assert record["prize"] == "Grand prize" and record["seed"] == str(draw.seed)
    assert record["seed_hash"] == hashlib.sha256(str(draw.seed).encode()).hexdigest()
    assert record["winners"][0]["sender"] == draw.winners[0].sender  # ids in the record
    assert [w["text"] for w in record["witnessed"]] == ["go go go"]
    # Someone edits the database to crown another entrant.
    loser = next(e for e in draw.entrants if e.sender != draw.winners[0].sender)
    forged = json.dumps([{"sender": loser.sender, "nick": loser.nick, "weight": loser.weight}])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE draws SET winners = ?", (forged,))
    caught = draws_command(db, "--verify")
    assert caught.returncode == 1 and "MISMATCH" in caught.stdout


def test_draws_of_a_database_from_before_prizes_still_load_and_verify(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    parsed = (Entrant("a", "A", 2), Entrant("b", "B", 1))
    entrants = [{"sender": e.sender, "nick": e.nick, "weight": e.weight} for e in parsed]
    winners = lottery.draw_winners(5, parsed, 1)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE draws (id INTEGER PRIMARY KEY AUTOINCREMENT, seed INTEGER NOT NULL,"
            " rules TEXT NOT NULL, entrants TEXT NOT NULL, winners TEXT NOT NULL,"
            " algorithm TEXT NOT NULL, created_at REAL NOT NULL)"
        )
        conn.execute(
            "INSERT INTO draws (seed, rules, entrants, winners, algorithm, created_at)"
            " VALUES (5, ?, ?, ?, ?, 1.0)",
            (
                json.dumps({"winners": 1, "exclude_previous_winners": True}),
                json.dumps(entrants),
                json.dumps(
                    [{"sender": w.sender, "nick": w.nick, "weight": w.weight} for w in winners]
                ),
                lottery.ALGORITHM_V1,
            ),
        )
    result = draws_command(db, "--verify")
    assert result.returncode == 0 and "OK" in result.stdout, result.stdout + result.stderr


async def test_the_draws_page_shows_prize_hash_seed_and_nicks_never_sender_ids(
    venue: Venue,
) -> None:
    hub = venue.service.hub
    for sender, nick in (("client:ann-secret-id", "<b>Ann</b>"), ("client:bob-id", "Bob")):
        await hub.submit(Submission(sender=sender, text=f"hello from {nick}", nick=nick))
    commitment = hub.open_round(DrawRules(winners=1, prize="一等奖"))
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{venue.service.base_url}/draws") as before:
            assert before.status == 200
            page = await before.text()
        assert commitment in page and "一等奖" in page
        draw = await hub.draw(DrawRules(winners=1, prize="一等奖"))
        headers = {"Accept-Language": "zh-CN"}
        async with http.get(f"{venue.service.base_url}/draws", headers=headers) as after:
            page = await after.text()
    assert "抽奖记录" in page and str(draw.seed) in page and draw.seed_hash in page
    assert "&lt;b&gt;Ann&lt;/b&gt;" in page and "<b>Ann</b>" not in page  # text, not HTML
    assert "client:" not in page and "secret" not in page
