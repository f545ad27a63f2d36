"""Malformed Socket.IO events and Engine.IO requests, against a real server on loopback.

The contract: any malformed event that asks for an ack gets ``bad_request``; no request to
``/socket.io/`` is ever answered 500. The seeded fuzz cases replay the same on every run.
"""

from __future__ import annotations

import json
import random
from typing import Any

import aiohttp
import pytest
import socketio

from tests.conftest import Venue, send

CONTRACT_ERRORS = {"empty", "too_long", "rate_limited", "banned", "paused", "bad_request"}
ANSWER_SECONDS = 5.0


def is_bad_request(ack: object) -> bool:
    return (
        isinstance(ack, dict)
        and set(ack) == {"ok", "error", "message"}
        and ack["ok"] is False
        and ack["error"] == "bad_request"
        and isinstance(ack["message"], str)
        and bool(ack["message"])
    )


async def call(client: socketio.AsyncClient, event: str, data: Any, namespace: str) -> Any:
    return await client.call(event, data, namespace=namespace, timeout=ANSWER_SECONDS)


# -- Socket.IO events with an ack -------------------------------------------------------------


async def test_an_unknown_event_that_asks_for_an_ack_gets_bad_request(venue: Venue) -> None:
    phone = await venue.phone()
    ack = await call(phone, "nonsense", {}, "/send")
    assert is_bad_request(ack), ack
    assert (await send(phone, {"text": "still connected"}))["ok"] is True


async def test_danmaku_with_two_arguments_gets_bad_request(venue: Venue) -> None:
    phone = await venue.phone()
    # python-socketio's client sends a tuple as separate arguments: ["danmaku", {...}, 2]
    ack = await call(phone, "danmaku", ({"text": "a"}, 2), "/send")
    assert is_bad_request(ack), ack
    assert venue.service.hub.recent_shown() == []  # nothing was submitted
    assert (await send(phone, {"text": "one argument is fine"}))["ok"] is True


async def test_a_projector_asking_for_an_ack_gets_bad_request(venue: Venue) -> None:
    show = await venue.projector()
    for event, data in (("danmaku", {"text": "from the wall"}), ("state", {}), ("x", None)):
        assert is_bad_request(await call(show.sio, event, data, "/show")), event


async def raw_phone(
    session: aiohttp.ClientSession, venue: Venue
) -> aiohttp.ClientWebSocketResponse:
    """A WebSocket speaking Engine.IO / Socket.IO by hand, connected to /send."""
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=websocket"
    ws = await session.ws_connect(url)
    assert (await ws.receive_str()).startswith("0{")
    await ws.send_str('40/send,{"client_id":"raw-phone"}')
    assert (await ws.receive_str()).startswith("40/send,")
    return ws


async def next_ack(ws: aiohttp.ClientWebSocketResponse) -> tuple[int, list[Any]]:
    """The next Socket.IO ACK on /send: its id and its arguments (pings are answered)."""
    while True:
        message = await ws.receive_str(timeout=ANSWER_SECONDS)
        if message == "2":
            await ws.send_str("3")
            continue
        assert message.startswith("43/send,"), message
        body = message[len("43/send,") :]
        digits = len(body) - len(body.lstrip("0123456789"))
        return int(body[:digits]), json.loads(body[digits:])


async def test_reserved_and_nameless_events_get_bad_request_and_never_run_connect(
    venue: Venue,
) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await raw_phone(session, venue)
        events = [
            '["connect",{"client_id":"intruder"}]',
            '["disconnect"]',
            '["message","hi"]',
            '["connect_error"]',
            "[]",
            "[5]",
            '[null,{"text":"a"}]',
            '[{"a":1}]',
        ]
        for n, event in enumerate(events, start=1):
            await ws.send_str(f"42/send,{n}{event}")
            ack_id, args = await next_ack(ws)
            assert ack_id == n and len(args) == 1 and is_bad_request(args[0]), (event, args)
        assert venue.service.hub.stats().phones == 1  # the connect handler never ran again
        await ws.close()


async def test_malformed_events_without_an_ack_are_ignored(venue: Venue) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await raw_phone(session, venue)
        for event in ('["nonsense",{}]', '["danmaku",{"text":"a"},2]', '["connect"]', "[7]"):
            await ws.send_str(f"42/send,{event}")
        await ws.send_str('42/send,9["danmaku",{"text":"after the noise"}]')
        ack_id, args = await next_ack(ws)  # the first answer is this one: nothing came before
        assert ack_id == 9 and args[0]["ok"] is True
        await ws.close()


async def test_a_number_too_long_to_read_is_dropped_and_the_phone_stays(venue: Venue) -> None:
    # A 100,000-digit integer takes seconds to read: the packet is refused unread
    # (more than 100 digits, as python-engineio's own guard), and the phone goes on.
    async with aiohttp.ClientSession() as session:
        ws = await raw_phone(session, venue)
        await ws.send_str('42/send,8["danmaku",{"text":"big","color":' + "9" * 101 + "}]")
        await ws.send_str('42/send,9["danmaku",{"text":"after the big number"}]')
        ack_id, args = await next_ack(ws)  # the first answer is this one
        assert ack_id == 9 and args[0]["ok"] is True
        assert [m.text for m in venue.service.hub.recent_shown()] == ["after the big number"]
        await ws.close()


async def test_a_fuzzed_stream_of_events_gets_one_contract_ack_for_each(venue: Venue) -> None:
    rng = random.Random(20240212)
    names: list[Any] = [
        "danmaku",
        "nonsense",
        "connect",
        "disconnect",
        "message",
        "",
        "on_danmaku",
        "tell",
        "__init__",
        "emit",
        "trigger_event",
        "DANMAKU",
        0,
        None,
        True,
        [],
    ]
    values: list[Any] = [
        {"text": "fuzz"},
        {"text": ""},
        {"text": 5},
        {},
        [],
        "text",
        3,
        None,
        {"text": "x" * 300},
        {"text": "hi", "mode": "sideways"},
    ]
    async with aiohttp.ClientSession() as session:
        ws = await raw_phone(session, venue)
        for n in range(1, 151):
            name = rng.choice(names)
            args = [rng.choice(values) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
            await ws.send_str(f"42/send,{n}" + json.dumps([name, *args]))
            ack_id, answer = await next_ack(ws)
            assert ack_id == n and len(answer) == 1, (name, args, answer)
            ack = answer[0]
            if name == "danmaku" and len(args) <= 1:
                assert ack.get("ok") is True or ack.get("error") in CONTRACT_ERRORS, (args, ack)
            else:
                assert is_bad_request(ack), (name, args, ack)
        assert venue.service.hub.stats().phones == 1
        await ws.close()


# -- Engine.IO long-polling: never a 500 ---------------------------------------------------------


async def handshake(http: aiohttp.ClientSession, venue: Venue) -> str:
    """Open a long-polling Engine.IO session; its URL (with ``sid``)."""
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=polling"
    async with http.get(url) as response:
        assert response.status == 200
        sid = json.loads((await response.text())[1:])["sid"]
    return f"{url}&sid={sid}"


async def post(http: aiohttp.ClientSession, url: str, body: bytes) -> int:
    async with http.post(url, data=body, timeout=aiohttp.ClientTimeout(ANSWER_SECONDS)) as r:
        await r.read()
        return r.status


def fallback_answers(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Requests answered 400 only by the door's last resort (a cause left unfixed)."""
    return [r.getMessage() for r in caplog.records if r.name.startswith("server.web._socketio")]


async def test_after_an_oversized_post_closes_a_session_the_next_post_is_400(
    venue: Venue, caplog: pytest.LogCaptureFixture
) -> None:
    async with aiohttp.ClientSession() as http:
        session = await handshake(http, venue)
        # Answered at once (python-engineio would hold it until the client polled again).
        assert await post(http, session, b"4" * 5_000_000) == 400
        assert await post(http, session, b"40/send,") == 400
        assert await post(http, session, b"4hello") == 400
        async with http.get(session) as response:
            assert response.status == 400
    assert fallback_answers(caplog) == []


async def test_after_a_client_closes_its_session_the_next_post_is_400(
    venue: Venue, caplog: pytest.LogCaptureFixture
) -> None:
    async with aiohttp.ClientSession() as http:
        session = await handshake(http, venue)
        assert await post(http, session, b"1") == 200  # Engine.IO CLOSE
        assert await post(http, session, b"40/send,") == 400
    assert fallback_answers(caplog) == []


async def test_fuzzed_socketio_requests_are_never_answered_500(
    venue: Venue, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(7)
    root = venue.service.base_url + "/socket.io/"
    bodies = [
        b"",
        b"1",
        b"6",
        b"9",
        b"40/send,",
        b'42/send,1["danmaku",{"text":"a"}]',
        b"4" * 70_000,
        b"\xff\xfe\x00",
        b"b!!!",
        b"40/nope,",
        b'451-/send,["x",{"_placeholder":true,"num":0}]',
        b"2probe",
        b"5",
        b"4\x1e4\x1e1",
        b"42/send,[" * 500,
    ]
    async with aiohttp.ClientSession() as http:
        sessions = [await handshake(http, venue) for _ in range(3)]
        statuses: list[tuple[int, str, str, bytes]] = []
        for _ in range(200):
            method = rng.choice(["GET", "POST", "POST", "POST", "PUT", "DELETE", "OPTIONS"])
            query = rng.choice(
                [
                    rng.choice(sessions),
                    rng.choice(sessions).replace("EIO=4", "EIO=3"),
                    rng.choice(sessions) + "&j=x",
                    rng.choice(sessions).replace("polling", "websocket"),
                    root + "?EIO=4&transport=polling&sid=nope",
                    root + "?EIO=4&transport=polling&sid=",
                    root + "?EIO=5&transport=polling",
                    root + "?transport=carrier-pigeon",
                    root,
                ]
            )
            body = rng.choice(bodies) if method == "POST" else b""
            timeout = aiohttp.ClientTimeout(0.5)  # a GET on a live session waits for packets
            try:
                async with http.request(method, query, data=body, timeout=timeout) as response:
                    statuses.append((response.status, method, query[-30:], body[:20]))
            except TimeoutError:
                continue
            if rng.random() < 0.1:  # now and then a new session, so closing ones is no dead end
                sessions[rng.randrange(len(sessions))] = await handshake(http, venue)
        assert statuses, "every request timed out"
        assert [s for s in statuses if s[0] >= 500] == []
        async with http.get(venue.service.base_url + "/healthz") as response:
            assert response.status == 200
    assert fallback_answers(caplog) == []


async def test_a_long_polling_phone_gets_bad_request_too(venue: Venue) -> None:
    async with aiohttp.ClientSession() as http:
        session = await handshake(http, venue)
        assert await post(http, session, b"40/send,") == 200
        assert await post(http, session, b'42/send,1["nonsense",{}]') == 200
        answers: list[str] = []
        while not any(a.startswith("43/send,1") for a in answers):
            async with http.get(session, timeout=aiohttp.ClientTimeout(ANSWER_SECONDS)) as r:
                assert r.status == 200
                answers += (await r.text()).split("\x1e")  # Engine.IO's payload separator
        ack = next(a for a in answers if a.startswith("43/send,1"))
        assert is_bad_request(json.loads(ack[len("43/send,1") :])[0]), ack
