"""The contract's /show namespace, with real projector clients."""

from __future__ import annotations

import asyncio

from server.settings import Settings
from tests.conftest import OpenVenue, Venue, send, with_changes


async def test_passed_comment_reaches_show_with_the_contract_shape(venue: Venue) -> None:
    show = await venue.projector()
    ack = await send(
        await venue.phone(),
        {"text": "干杯", "color": "#00FF00", "mode": "bottom", "nick": "阿强"},
    )
    await show.wait_for(lambda s: bool(s.danmaku()))
    (event,) = show.danmaku()
    assert 0 <= event.pop("avatar_hue") < 360  # extension: a colour for the generated avatar
    assert [event] == [
        {
            "id": ack["id"],
            "text": "干杯",
            "nick": "阿强",
            "color": "#00ff00",
            "mode": "bottom",
            "replay": False,
        }
    ]


async def test_defaults_for_color_mode_and_nick(venue: Venue) -> None:
    show = await venue.projector()
    await send(await venue.phone(), {"text": "plain"})
    await show.wait_for(lambda s: bool(s.danmaku()))
    (event,) = show.danmaku()
    assert (event["color"], event["mode"], event["nick"]) == ("#ffffff", "scroll", "")


async def test_held_comment_reaches_show_only_after_approval(venue: Venue) -> None:
    show = await venue.projector()
    ack = await send(await venue.phone(), {"text": "黑猫来了"})
    await send(await venue.phone("other"), {"text": "marker"})
    await show.wait_for(lambda s: "marker" in s.texts())
    assert "黑猫来了" not in show.texts()
    await venue.service.hub.approve(ack["id"])
    await show.wait_for(lambda s: "黑猫来了" in s.texts())
    assert [d["replay"] for d in show.danmaku() if d["id"] == ack["id"]] == [False]


async def test_rejected_comment_never_reaches_show(venue: Venue) -> None:
    show = await venue.projector()
    ack = await send(await venue.phone(), {"text": "darn it"})
    await venue.service.hub.reject(ack["id"])
    await send(await venue.phone("other"), {"text": "marker"})
    await show.wait_for(lambda s: "marker" in s.texts())
    await asyncio.sleep(0.2)
    assert "darn it" not in show.texts()


async def test_idle_replays_are_marked_and_prefer_least_shown(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(
        with_changes(settings, replay_idle_seconds=0.3, replay_interval_seconds=0.1)
    )
    phone = await venue.phone()
    for text in ("one", "two", "three"):
        await send(phone, {"text": text})
    show = await venue.projector()
    await show.wait_for(lambda s: len([d for d in s.danmaku() if d["replay"]]) >= 6, timeout=8)
    replays = [d["text"] for d in show.danmaku() if d["replay"]][:6]
    # Least-shown first: each comment comes round once before any comes round twice.
    assert sorted(replays[:3]) == ["one", "three", "two"]
    assert sorted(replays[3:6]) == ["one", "three", "two"]
    shown = {m.text: m.shown_count for m in venue.service.hub.recent_shown()}
    assert min(shown.values()) >= 3  # once live + at least twice replayed


async def test_rejected_and_banned_comments_are_never_replayed(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(
        with_changes(settings, replay_idle_seconds=0.3, replay_interval_seconds=0.05)
    )
    hub = venue.service.hub
    good = await venue.phone("good")
    troll = await venue.phone("troll")
    await send(good, {"text": "keep me"})
    await send(troll, {"text": "troll shown"})
    rejected = await send(troll, {"text": "黑猫 rejected"})
    await hub.reject(rejected["id"])
    await hub.ban("client:troll")
    show = await venue.projector()
    await show.wait_for(lambda s: len([d for d in s.danmaku() if d["replay"]]) >= 5, timeout=8)
    replayed = {d["text"] for d in show.danmaku() if d["replay"]}
    assert replayed == {"keep me"}


async def test_reconnecting_projector_catches_up_with_last_id(venue: Venue) -> None:
    phone = await venue.phone()
    acks = [await send(phone, {"text": f"m{i}", "cid": f"c{i}"}) for i in range(5)]
    late = await venue.projector(auth={"last_id": acks[1]["id"]})
    await late.wait_for(lambda s: len(s.danmaku()) >= 3)
    await asyncio.sleep(0.2)
    assert late.texts() == ["m2", "m3", "m4"]
    assert all(not d["replay"] for d in late.danmaku())


async def test_projector_without_last_id_gets_no_backlog(venue: Venue) -> None:
    await send(await venue.phone(), {"text": "before"})
    show = await venue.projector()
    await show.wait_for(lambda s: any(n == "state" for n, _ in s.events))
    await asyncio.sleep(0.2)
    assert show.texts() == []


async def test_pause_and_lottery_reach_the_projector(venue: Venue) -> None:
    from server.models import DrawRules

    show = await venue.projector()
    await send(await venue.phone("winner"), {"text": "pick me", "nick": "Lucky"})
    venue.service.hub.set_paused(True)
    draw = await venue.service.hub.draw(DrawRules(winners=1))
    venue.service.hub.dismiss_draw()
    await show.wait_for(lambda s: any(n == "lottery_clear" for n, _ in s.events))
    names = [n for n, _ in show.events]
    assert names.index("lottery") < names.index("lottery_clear")
    # Two steps: the round's commitment (no seed, no winners), then the draw revealing both.
    committed, drawn = [d for n, d in show.events if n == "lottery"]
    assert committed["id"] is None and committed["winners"] == [] and "seed" not in committed
    assert committed["seed_hash"] == drawn["seed_hash"] == draw.seed_hash
    assert drawn["id"] == draw.id and drawn["winners"] == [{"nick": "Lucky"}]
    assert drawn["seed"] == str(draw.seed)
    assert ("state", {"paused": True}) in show.events


async def test_retract_takes_a_comment_off_screens_replays_and_lottery(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(
        with_changes(settings, replay_idle_seconds=0.3, replay_interval_seconds=0.05)
    )
    hub = venue.service.hub
    gone = await send(await venue.phone("a"), {"text": "oops"})
    await send(await venue.phone("b"), {"text": "fine"})
    show = await venue.projector()
    await hub.retract(gone["id"])
    await show.wait_for(lambda s: ("retract", {"id": gone["id"]}) in s.events)
    await show.wait_for(lambda s: len([d for d in s.danmaku() if d["replay"]]) >= 4)
    assert {d["text"] for d in show.danmaku() if d["replay"]} == {"fine"}
    assert {s.id: s.on_screen for s in hub.senders()}["client:a"] == 0
    late = await venue.projector(auth={"last_id": 0})
    await late.wait_for(lambda s: "fine" in s.texts())
    assert "oops" not in late.texts()


async def test_clear_reaches_projectors(venue: Venue) -> None:
    show = await venue.projector()
    venue.service.hub.clear_wall()
    await show.wait_for(lambda s: ("clear", {}) in s.events)
