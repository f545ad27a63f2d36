"""The contract's /send namespace, line by line, with real clients against a real server."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import socketio

from server.settings import RateLimit, Settings
from tests.conftest import OpenVenue, Venue, send, with_changes


async def test_clean_comment_is_acked_shown_with_an_integer_id(venue: Venue) -> None:
    phone = await venue.phone()
    ack = await send(
        phone,
        {"text": "新年快乐", "color": "#ff8800", "mode": "top", "nick": "小明", "cid": "c1"},
    )
    assert ack == {"ok": True, "id": ack["id"], "status": "shown"}
    assert isinstance(ack["id"], int)


async def test_flagged_comment_is_acked_held(venue: Venue) -> None:
    phone = await venue.phone()
    ack = await send(phone, {"text": "这只黑猫真可爱"})
    assert ack["ok"] is True and ack["status"] == "held"
    assert [m.id for m in venue.service.hub.held()] == [ack["id"]]


async def test_ok_ack_means_committed_to_the_database(venue: Venue, settings: Settings) -> None:
    phone = await venue.phone()
    ack = await send(phone, {"text": "committed before the ack", "cid": "durable-1"})
    # A second, independent connection to the same file sees the row at once.
    with sqlite3.connect(settings.db_path) as db:
        row = db.execute("SELECT text, status FROM messages WHERE id = ?", (ack["id"],)).fetchone()
    assert row == ("committed before the ack", "shown")


async def test_same_cid_from_same_sender_creates_nothing_new(venue: Venue) -> None:
    phone = await venue.phone("retrying-phone")
    first = await send(phone, {"text": "only once", "cid": "abc"})
    again = await send(phone, {"text": "only once", "cid": "abc"})
    assert again == first
    # A new connection with the same client_id is the same sender: still one message.
    reconnected = await venue.phone("retrying-phone")
    assert await send(reconnected, {"text": "only once", "cid": "abc"}) == first
    texts = [m.text for m in venue.service.hub.recent_shown()]
    assert texts.count("only once") == 1


async def test_same_cid_from_another_sender_is_a_new_message(venue: Venue) -> None:
    one = await send(await venue.phone("a"), {"text": "hi", "cid": "same"})
    two = await send(await venue.phone("b"), {"text": "hi", "cid": "same"})
    assert one["id"] != two["id"]


async def test_without_client_id_each_connection_is_its_own_sender(venue: Venue) -> None:
    first = await send(await venue.phone(None), {"text": "anon", "cid": "x"})
    second = await send(await venue.phone(None), {"text": "anon", "cid": "x"})
    assert first["id"] != second["id"]
    senders = {m.sender for m in venue.service.hub.recent_shown()}
    assert len(senders) == 2


async def test_cid_longer_than_64_characters_is_a_bad_request(venue: Venue) -> None:
    ack = await send(await venue.phone(), {"text": "hi", "cid": "x" * 65})
    assert ack["ok"] is False and ack["error"] == "bad_request"
    assert (await send(await venue.phone(), {"text": "hi", "cid": "x" * 64}))["ok"] is True


@pytest.mark.parametrize("text", ["", "   ", "\u202e\n"])
async def test_empty_text_is_refused_with_empty(venue: Venue, text: str) -> None:
    ack = await send(await venue.phone(), {"text": text})
    assert ack["ok"] is False and ack["error"] == "empty" and ack["message"]


async def test_too_long_counts_what_a_person_sees(venue: Venue) -> None:
    limit = venue.service.hub.settings.max_text_length
    family = "👨‍👩‍👧"  # five code points, one character on screen
    ok = await send(await venue.phone(), {"text": family * limit})
    assert ok["ok"] is True
    ack = await send(await venue.phone("p2"), {"text": "长" * (limit + 1)})
    assert ack == {"ok": False, "error": "too_long", "message": ack["message"]}


@pytest.mark.parametrize(
    "payload",
    [{"text": "x" * 5_000}, {"text": "长" * 5_000}, {"text": "hi", "nick": "n" * 5_000}],
)
async def test_text_far_over_the_limit_is_too_long_not_bad_request(
    venue: Venue, payload: dict[str, str]
) -> None:
    phone = await venue.phone()
    ack = await send(phone, payload)
    assert ack == {"ok": False, "error": "too_long", "message": ack["message"]}
    assert (await send(phone, {"text": "still here"}))["ok"] is True


async def test_rate_limited_per_sender(open_venue: OpenVenue, settings: Settings) -> None:
    venue = await open_venue(with_changes(settings, rate=RateLimit(1, 60)))
    phone = await venue.phone("fast")
    assert (await send(phone, {"text": "one"}))["ok"] is True
    ack = await send(phone, {"text": "two"})
    assert ack["ok"] is False and ack["error"] == "rate_limited" and "wait" in ack["message"]
    # Another sender is not affected.
    assert (await send(await venue.phone("other"), {"text": "three"}))["ok"] is True


async def test_retry_of_an_acked_cid_is_not_rate_limited(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(with_changes(settings, rate=RateLimit(1, 60)))
    phone = await venue.phone("retry")
    first = await send(phone, {"text": "one", "cid": "k"})
    assert await send(phone, {"text": "one", "cid": "k"}) == first


async def test_banned_sender_is_refused(venue: Venue) -> None:
    phone = await venue.phone("troll")
    held = await send(phone, {"text": "darn you"})
    message = venue.service.hub.message(held["id"])
    assert message is not None
    await venue.service.hub.ban(message.sender)
    ack = await send(phone, {"text": "let me back"})
    assert ack["ok"] is False and ack["error"] == "banned"


async def test_paused_wall_refuses_with_paused(venue: Venue) -> None:
    venue.service.hub.set_paused(True)
    ack = await send(await venue.phone(), {"text": "now?"})
    assert ack["ok"] is False and ack["error"] == "paused"
    venue.service.hub.set_paused(False)
    assert (await send(await venue.phone(), {"text": "now?"}))["ok"] is True


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "just a string",
        42,
        [1, 2],
        {},
        {"text": 5},
        {"text": ["a"]},
        {"text": "hi", "color": "red"},
        {"text": "hi", "color": "#12345g"},
        {"text": "hi", "color": "#fff"},
        {"text": "hi", "mode": "sideways"},
        {"text": "hi", "nick": 7},
        {"text": "hi", "cid": 3},
    ],
)
async def test_malformed_payloads_get_bad_request_and_server_keeps_serving(
    venue: Venue, payload: object
) -> None:
    phone = await venue.phone()
    ack = await send(phone, payload)
    assert ack["ok"] is False and ack["error"] == "bad_request" and ack["message"]
    assert (await send(phone, {"text": "still here"}))["ok"] is True


async def test_oversized_packet_drops_only_that_connection(venue: Venue) -> None:
    bystander = await venue.phone("bystander")
    flooder = await venue.phone("flooder")
    with pytest.raises(socketio.exceptions.SocketIOError):
        await flooder.call("danmaku", {"text": "x" * 1_000_000}, namespace="/send", timeout=3)
    assert (await send(bystander, {"text": "still serving"}))["ok"] is True


async def test_client_emitting_reserved_event_names_changes_nothing(venue: Venue) -> None:
    phone = await venue.phone()
    hub = venue.service.hub
    before = hub.stats()
    await phone.emit("connect", {"client_id": "spoof"}, namespace="/send")
    await phone.emit("disconnect", namespace="/send")
    await phone.emit("approve", {"id": 1}, namespace="/send")
    assert (await send(phone, {"text": "after"}))["ok"] is True
    after = hub.stats()
    assert (after.phones, after.show_pages) == (before.phones, before.show_pages)


async def test_nothing_sent_on_send_or_show_reaches_moderator_commands(venue: Venue) -> None:
    phone = await venue.phone("p")
    held = await send(phone, {"text": "黑猫"})
    show = await venue.projector()
    for name in ("approve", "approve_all", "ban", "draw", "pause"):
        await phone.emit(name, {"id": held["id"]}, namespace="/send")
        await show.sio.emit(name, {"id": held["id"]}, namespace="/show")
    await send(phone, {"text": "flush"})
    hub = venue.service.hub
    assert [m.id for m in hub.held()] == [held["id"]]
    assert not hub.paused and not hub.draws() and not hub.is_banned("client:p")


async def test_phone_is_told_of_review_and_lottery_win(venue: Venue) -> None:
    from server.models import DrawRules

    told: list[tuple[str, object]] = []
    phone = await venue.phone("hopeful")
    for name in ("review", "won"):
        phone.on(name, lambda data, name=name: told.append((name, data)), namespace="/send")
    held = await send(phone, {"text": "黑猫 please", "nick": "Hope"})
    second = await send(phone, {"text": "darn again"})
    await venue.service.hub.approve(held["id"])
    await venue.service.hub.reject(second["id"])
    draw = await venue.service.hub.draw(DrawRules(prize="二等奖"))
    await send(phone, {"text": "flush"})
    for _ in range(100):
        if len(told) >= 3:
            break
        await asyncio.sleep(0.02)
    assert told == [
        ("review", {"id": held["id"], "status": "approved"}),
        ("review", {"id": second["id"], "status": "rejected"}),
        ("won", {"draw_id": draw.id, "nick": "Hope", "prize": "二等奖"}),
    ]


async def test_binary_attachment_is_a_bad_request(venue: Venue) -> None:
    phone = await venue.phone()
    assert (await send(phone, {"text": b"\x00\x01binary"}))["error"] == "bad_request"
    assert (await send(phone, b"\x89PNG\r\n"))["error"] == "bad_request"
    assert (await send(phone, {"text": "still fine"}))["ok"] is True


async def test_each_phone_is_recorded_with_its_own_address(
    venue: Venue, settings: Settings
) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
    async with aiohttp.ClientSession(connector=connector) as http:
        phone = socketio.AsyncClient(reconnection=False, http_session=http)
        await phone.connect(venue.service.base_url, namespaces=["/send"],
                            auth={"client_id": "far"}, transports=["websocket"])  # fmt: skip
        ack = await send(phone, {"text": "from elsewhere"})
        await phone.disconnect()
    with sqlite3.connect(settings.db_path) as db:
        (address,) = db.execute(
            "SELECT address FROM messages WHERE id = ?", (ack["id"],)
        ).fetchone()
    assert address == "127.0.0.2"
