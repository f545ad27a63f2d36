"""The core on its own: a real SQLite file, the real filter, no web."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from server.errors import ErrorCode, Refused
from server.events import Shown
from server.hub import Hub, NobodyEligible
from server.models import DrawRules, Message, Status, Submission
from server.moderation import TextFilter, load_filter
from server.settings import Settings
from server.store import Store


def sub(
    sender: str, text: str, *, nick: str = "", cid: str | None = None, address: str | None = None
) -> Submission:
    return Submission(sender=sender, text=text, nick=nick, cid=cid, address=address)


def known(hub: Hub, message_id: int) -> Message:
    """A message the hub holds or shows (fails the test when it has neither)."""
    message = hub.message(message_id)
    assert message is not None, f"#{message_id} is neither held nor on the wall"
    return message


async def test_clean_shown_flagged_held_with_reasons(hub: Hub) -> None:
    shown = await hub.submit(sub("a", "大家好"))
    held = await hub.submit(sub("a", "一只黑猫"))
    assert shown.status is Status.SHOWN and held.status is Status.HELD
    (message,) = hub.held()
    assert message.id == held.id
    assert [(r.term, r.category, r.span) for r in message.reasons] == [("黑猫", "testlist", (2, 4))]


async def test_flagged_nick_holds_the_comment(hub: Hub) -> None:
    held = await hub.submit(sub("a", "hello", nick="darn guy"))
    assert held.status is Status.HELD
    (reason,) = known(hub, held.id).reasons
    assert reason.field == "nick" and reason.span == (0, 4)


async def test_text_is_stored_without_control_or_bidi_characters(hub: Hub) -> None:
    accepted = await hub.submit(sub("a", "ab\u202ecd\x07\nef"))
    assert known(hub, accepted.id).text == "abcd ef"


async def test_approve_all_keeps_order_and_empties_queue(hub: Hub) -> None:
    ids = [(await hub.submit(sub(f"s{i}", f"黑猫{i}"))).id for i in range(3)]
    assert [m.id for m in hub.held()] == ids
    assert await hub.approve_all() == 3
    assert hub.held() == []
    assert [m.id for m in hub.recent_shown()] == list(reversed(ids))


async def test_ban_rejects_held_and_refuses_later(hub: Hub) -> None:
    await hub.submit(sub("troll", "shown first"))
    await hub.submit(sub("troll", "黑猫 one"))
    await hub.submit(sub("troll", "darn two"))
    keep = await hub.submit(sub("nice", "黑猫 fan"))
    assert await hub.ban("troll") == 2
    assert [m.id for m in hub.held()] == [keep.id]
    with pytest.raises(Refused) as refused:
        await hub.submit(sub("troll", "again"))
    assert refused.value.code is ErrorCode.BANNED


async def test_restart_restores_queue_counts_bans_and_draws(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    await hub.submit(sub("a", "one", nick="Ann", cid="c1"))
    await hub.submit(sub("a", "two", nick="Ann"))
    held = await hub.submit(sub("b", "黑猫", nick="Bob"))
    await hub.submit(sub("c", "three", nick="Cat"))
    await hub.ban("c")
    draw = await hub.draw(DrawRules(winners=1), seed=7)
    await hub.close()

    hub = await Hub.open(settings, checker)
    try:
        assert [m.id for m in hub.held()] == [held.id]
        weights = {s.id: (s.nick, s.on_screen, s.banned) for s in hub.senders()}
        assert weights["a"] == ("Ann", 2, False)
        assert weights["b"] == ("Bob", 0, False)
        assert weights["c"] == ("Cat", 1, True)
        assert hub.draws() == [draw]
        # The cid survives too: a retry after the restart creates nothing new.
        again = await hub.submit(sub("a", "one", nick="Ann", cid="c1"))
        assert again.status is Status.SHOWN and again.id == 1
        with pytest.raises(Refused):
            await hub.submit(sub("c", "still banned"))
    finally:
        await hub.close()


async def test_shown_count_is_persisted(settings: Settings, checker: TextFilter) -> None:
    hub = await Hub.open(settings, checker)
    accepted = await hub.submit(sub("a", "again and again"))
    hub.replay_once()
    hub.replay_once()
    await hub.close()
    store = await Store.open(settings.db_path)
    try:
        (message,) = await store.messages()
    finally:
        await store.close()
    assert message.id == accepted.id and message.shown_count == 3


async def test_draw_weights_exclusions_and_record(hub: Hub) -> None:
    for n in range(3):
        await hub.submit(sub("heavy", f"hi {n}", nick="Heavy"))
    await hub.submit(sub("light", "hi", nick="Light"))
    await hub.submit(sub("held-only", "黑猫", nick="Held"))
    await hub.submit(sub("banned", "hi", nick="Banned"))
    await hub.ban("banned")
    draw = await hub.draw(DrawRules(winners=5), seed=42)
    assert {(e.sender, e.weight) for e in draw.entrants} == {("heavy", 3), ("light", 1)}
    assert sorted(w.sender for w in draw.winners) == ["heavy", "light"]  # nobody twice
    assert draw.seed == 42 and draw.rules == DrawRules(winners=5)
    # Earlier winners are out by default...
    with pytest.raises(NobodyEligible):
        await hub.draw(DrawRules(winners=1))
    # ...unless the moderator says otherwise.
    again = await hub.draw(DrawRules(winners=1, exclude_previous_winners=False))
    assert len(again.winners) == 1


async def test_draw_with_nobody_eligible_says_so(hub: Hub) -> None:
    await hub.submit(sub("x", "黑猫"))  # held: not on screen, no ticket
    with pytest.raises(NobodyEligible, match="Nobody"):
        await hub.draw(DrawRules())


async def test_per_minute_and_held_stats(hub: Hub) -> None:
    await hub.submit(sub("a", "one"))
    await hub.submit(sub("b", "黑猫"))
    stats = hub.stats()
    assert (stats.per_minute, stats.held, stats.shown_total) == (2, 1, 1)


async def test_same_text_again_from_same_sender_is_refused(hub: Hub) -> None:
    await hub.submit(sub("a", "Happy New Year"))
    with pytest.raises(Refused) as refused:
        await hub.submit(sub("a", "happy  new year"))
    assert refused.value.code is ErrorCode.RATE_LIMITED
    assert (await hub.submit(sub("b", "Happy New Year"))).status is Status.SHOWN


async def test_same_longer_text_from_many_senders_at_once_is_held(hub: Hub) -> None:
    flood = hub.settings.flood_senders
    statuses = [(await hub.submit(sub(f"bot{i}", "加群领红包快来呀"))).status for i in range(flood)]
    assert statuses[:-1] == [Status.SHOWN] * (flood - 1) and statuses[-1] is Status.HELD
    assert hub.held()[-1].reasons[-1].category == "flood"
    # Applause is not a flood, however many send it.
    cheers = [(await hub.submit(sub(f"fan{i}", "666"))).status for i in range(flood * 2)]
    assert set(cheers) == {Status.SHOWN}


async def test_reject_category_refuses_and_keeps_an_audit_record(
    settings: Settings, checker: TextFilter
) -> None:
    from dataclasses import replace

    hub = await Hub.open(replace(settings, reject_categories=frozenset({"testlist"})), checker)
    try:
        with pytest.raises(Refused) as refused:
            await hub.submit(sub("a", "黑猫", cid="k"))
        assert refused.value.code is ErrorCode.BAD_REQUEST and hub.held() == []
        with pytest.raises(Refused):  # a retry is judged again, not answered from a cache
            await hub.submit(sub("a", "黑猫", cid="k"))
    finally:
        await hub.close()
    store = await Store.open(settings.db_path)
    try:
        statuses = [m.status for m in await store.messages()]
    finally:
        await store.close()
    assert statuses == [Status.REJECTED, Status.REJECTED]


async def test_replaced_checker_takes_effect_at_once(hub: Hub, tmp_path: Path) -> None:
    assert (await hub.submit(sub("a", "meow"))).status is Status.SHOWN
    extra = tmp_path / "cats.txt"
    extra.write_text("meow\n", encoding="utf-8")
    hub.replace_checker(load_filter([extra], use_defaults=False))
    assert (await hub.submit(sub("b", "meow"))).status is Status.HELD


async def test_a_nick_is_judged_again_by_a_replaced_checker(hub: Hub, tmp_path: Path) -> None:
    # The hub remembers each nick's verdict (a phone sends it with every comment); a
    # wordlist edited live must still reach a nick it has already let through.
    assert (await hub.submit(sub("a", "hello", nick="meow"))).status is Status.SHOWN
    assert (await hub.submit(sub("b", "hi", nick="meow"))).status is Status.SHOWN
    extra = tmp_path / "cats.txt"
    extra.write_text("meow\n", encoding="utf-8")
    hub.replace_checker(load_filter([extra], use_defaults=False))
    held = await hub.submit(sub("c", "hey", nick="meow"))
    assert held.status is Status.HELD
    assert [(r.field, r.term) for r in known(hub, held.id).reasons] == [("nick", "meow")]


async def test_auto_ban_after_repeated_refusals(settings: Settings, checker: TextFilter) -> None:
    from dataclasses import replace

    from server.settings import RateLimit

    hub = await Hub.open(replace(settings, rate=RateLimit(1, 60), auto_ban_refusals=5), checker)
    try:
        await hub.submit(sub("script", "first"))
        codes = []
        for n in range(6):
            try:
                await hub.submit(sub("script", f"spam {n}"))
            except Refused as refused:
                codes.append(refused.code)
        assert codes == [ErrorCode.RATE_LIMITED] * 5 + [ErrorCode.BANNED]
        assert hub.is_banned("script")
        assert (await hub.submit(sub("person", "hello"))).status is Status.SHOWN
    finally:
        await hub.close()


async def test_address_ceiling_is_per_address(settings: Settings, checker: TextFilter) -> None:
    from dataclasses import replace

    from server.settings import RateLimit

    hub = await Hub.open(replace(settings, address_rate=RateLimit(3, 60)), checker)
    try:
        for n in range(3):
            await hub.submit(sub(f"nat{n}", f"hi {n}", address="10.0.0.1"))
        with pytest.raises(Refused) as refused:
            await hub.submit(sub("nat9", "one too many", address="10.0.0.1"))
        assert refused.value.code is ErrorCode.RATE_LIMITED
        assert (await hub.submit(sub("x", "elsewhere", address="10.0.0.2"))).status is Status.SHOWN
    finally:
        await hub.close()


async def test_a_flooding_phone_does_not_use_up_its_nat_neighbours_ceiling(
    settings: Settings, checker: TextFilter
) -> None:
    from dataclasses import replace

    from server.settings import RateLimit

    limits = replace(settings, rate=RateLimit(1, 3), address_rate=RateLimit(5, 60))
    hub = await Hub.open(replace(limits, auto_ban_refusals=None), checker)
    try:
        await hub.submit(sub("flooder", "first", address="10.0.0.1"))
        for n in range(50):  # all beyond the flooder's own limit
            with pytest.raises(Refused):
                await hub.submit(sub("flooder", f"spam {n}", address="10.0.0.1"))
        for n in range(4):  # the rest of the hall behind the same address still gets through
            accepted = await hub.submit(sub(f"guest{n}", f"hello {n}", address="10.0.0.1"))
            assert accepted.status is Status.SHOWN
    finally:
        await hub.close()


async def test_invisible_characters_are_removed_and_cannot_hide_a_term(hub: Hub) -> None:
    accepted = await hub.submit(sub("a", "黑\u200b猫\ufeff来\u2060了"))
    message = known(hub, accepted.id)
    assert message.text == "黑猫来了" and accepted.status is Status.HELD


async def test_retry_after_a_restart_gets_the_first_ack_even_once_decided(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(settings, checker)
    first = await hub.submit(sub("a", "黑猫 again", cid="c1"))
    await hub.reject(first.id)
    await hub.close()
    hub = await Hub.open(settings, checker)
    try:
        retry = await hub.submit(sub("a", "黑猫 again", cid="c1"))
        assert (retry.id, retry.status) == (first.id, Status.HELD)
    finally:
        await hub.close()


async def test_a_consumer_that_stops_reading_loses_events_and_the_stats_say_so(hub: Hub) -> None:
    async with hub.subscribe():  # subscribed, never reading
        assert hub.stats().dropped_events == 0
        for n in range(10_002):  # ends resumed
            hub.set_paused(n % 2 == 0)
        assert hub.stats().dropped_events == 2
        assert (await hub.submit(sub("a", "the wall goes on"))).status is Status.SHOWN


async def test_idle_wall_replays_on_the_hubs_own_clock(
    settings: Settings, checker: TextFilter
) -> None:
    now = [1_000.0]
    hub = await Hub.open(settings, checker, clock=lambda: now[0], rng=random.Random(3))
    try:
        async with hub.subscribe() as events:
            await hub.submit(sub("a", "first"))
            hub.set_audience(phones=1, show_pages=1)
            assert isinstance(await anext(events), Shown)
            now[0] += settings.replay_idle_seconds - 1
            hub.tick()  # not idle long enough yet
            now[0] += 1
            hub.tick()
            replays: list[Shown] = []
            while not replays:
                event = await anext(events)
                if isinstance(event, Shown):
                    replays.append(event)
            assert replays[0].replay and replays[0].message.text == "first"
            assert replays[0].message.shown_count == 2
    finally:
        await hub.close()
