"""The per-address limits (`--address-rate`, `--connect-rate`) and `--trust-proxy`.

A hall behind one NAT address is thousands of phones on one address: the defaults must let
it send and reconnect, while one script rotating client ids from one address is held back.
Behind a balancer the address is the one a trusted balancer forwards, never one a client
wrote itself.
"""

from __future__ import annotations

import json
import sqlite3
from ipaddress import ip_network
from pathlib import Path

import aiohttp
import pytest

from console.cli import build_parser, settings_from_args
from server.admission import Admission
from server.errors import ErrorCode, Refused
from server.models import Submission
from server.moderation import TextFilter
from server.settings import RateLimit, Settings
from server.web.forwarded import client_address
from tests.conftest import OpenVenue, send, with_changes

NAT = "198.51.100.7"  # the hall's one public address
LOOPBACK = (ip_network("127.0.0.1/32"),)


# -- the flags -----------------------------------------------------------------------------


def test_the_flags_set_the_limits_and_off_disables_them() -> None:
    args = build_parser().parse_args(
        ["serve", "--address-rate", "20000/3", "--connect-rate", "off",
         "--trust-proxy", "10.0.0.5", "--trust-proxy", "10.1.0.0/16"]
    )  # fmt: skip
    settings = settings_from_args(args)
    assert settings.address_rate == RateLimit(20000, 3.0)
    assert settings.connection_rate is None
    assert settings.trusted_proxies == (ip_network("10.0.0.5/32"), ip_network("10.1.0.0/16"))
    before = settings_from_args(build_parser().parse_args(["--address-rate", "off", "serve"]))
    assert before.address_rate is None  # given before the subcommand: kept
    defaults = settings_from_args(build_parser().parse_args([]))
    assert defaults.trusted_proxies == () and defaults.address_rate == Settings().address_rate


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--address-rate", "many"], "--address-rate expects N/S"),
        (["--connect-rate", "0/10"], "--connect-rate needs N >= 1"),
        (["--trust-proxy", "haproxy.lan"], "--trust-proxy expects an IP address"),
    ],
)
def test_a_bad_value_is_a_clear_error_naming_its_flag(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["serve", *argv])
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_a_worker_takes_the_connection_flags_but_refuses_the_hubs_address_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = build_parser().parse_args(
        ["worker", "--redis", "redis://127.0.0.1:1", "--connect-rate", "50/10",
         "--trust-proxy", "10.0.0.5"]
    )  # fmt: skip
    settings = settings_from_args(args)
    assert settings.connection_rate == RateLimit(50, 10.0)
    assert settings.trusted_proxies == (ip_network("10.0.0.5/32"),)
    # Comments are counted per address at the hub: on a worker the flag would do nothing.
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["worker", "--address-rate", "5/1"])
    assert exited.value.code == 2 and "--address-rate" in capsys.readouterr().err


# -- the defaults, for a hall behind one NAT -----------------------------------------------


def _judge(admission: Admission, sender: str, text: str, now: float) -> ErrorCode | None:
    submission = Submission(sender=sender, text=text, address=NAT)
    try:
        admission.judge(submission, banned=False, paused=False, now=now)
    except Refused as refused:
        return refused.code
    return None


def test_at_the_defaults_10000_phones_behind_one_address_sending_2000_a_second_lose_nothing(
    checker: TextFilter,
) -> None:
    phones, per_second, seconds = 10_000, 2_000, 12
    admission = Admission(Settings(), checker, now=0.0)
    refused = [
        code
        for n in range(per_second * seconds)
        if (code := _judge(admission, f"client:phone-{n % phones}", f"hello #{n}", n / per_second))
    ]
    assert refused == []


def test_at_the_defaults_a_script_rotating_client_ids_from_one_address_is_held_back(
    checker: TextFilter,
) -> None:
    defaults = Settings()
    assert defaults.address_rate is not None
    ceiling = defaults.address_rate
    admission = Admission(defaults, checker, now=0.0)
    # A fresh client id for every comment (so no sender's own limit applies), as fast
    # as it can: within one window it gets the ceiling and not one comment more.
    burst = ceiling.count + 500
    window = ceiling.seconds / 2
    codes = [
        _judge(admission, f"client:bot-{n}", f"buy now #{n}", n * window / burst)
        for n in range(burst)
    ]
    assert codes[: ceiling.count] == [None] * ceiling.count
    assert codes[ceiling.count :] == [ErrorCode.RATE_LIMITED] * 500
    # Its neighbours elsewhere are not affected.
    elsewhere = Submission(sender="client:guest", text="hi", address="203.0.113.20")
    admission.judge(elsewhere, banned=False, paused=False, now=window)


async def test_at_the_defaults_a_burst_of_new_sessions_from_one_address_is_accepted(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(with_changes(settings, connection_rate=Settings().connection_rate))
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        statuses = set()
        for _ in range(500):  # a few hundred phones joining in one second
            async with http.get(url) as response:
                statuses.add(response.status)
        assert statuses == {200}


async def test_a_script_rejoining_send_with_new_client_ids_on_one_session_is_refused(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(with_changes(settings, connection_rate=RateLimit(3, 60)))
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=websocket"
    answers = []
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        assert (await ws.receive_str()).startswith("0")
        for n in range(5):  # join, leave, join again as someone else: no new handshake
            await ws.send_str("40/send," + json.dumps({"client_id": f"bot-{n}"}))
            answers.append((await ws.receive_str())[:7])
            await ws.send_str("41/send,")
    assert answers == ["40/send"] * 3 + ["44/send"] * 2


# -- X-Forwarded-For -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("peer", "headers", "expected"),
    [
        ("127.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        # The client wrote its own header; the balancer appended the real address.
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),
        ("127.0.0.1", ["6.6.6.6", "203.0.113.9"], "203.0.113.9"),  # two header lines
        ("127.0.0.1", ["203.0.113.9, 127.0.0.1"], "203.0.113.9"),  # two trusted hops
        ("127.0.0.1", ["127.0.0.1"], "127.0.0.1"),  # only proxies: the left-most
        ("127.0.0.1", ["unknown"], "127.0.0.1"),  # not an address: the proxy's own
        ("127.0.0.1", [], "127.0.0.1"),
        ("192.0.2.1", ["203.0.113.9"], "192.0.2.1"),  # from anyone else: ignored
        ("127.0.0.1", ["2001:db8::7"], "2001:db8::7"),
    ],
)
def test_the_client_is_the_right_most_untrusted_address(
    peer: str, headers: list[str], expected: str
) -> None:
    assert client_address(peer, headers, LOOPBACK) == expected


def _addresses(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [str(row[0]) for row in conn.execute("SELECT address FROM messages ORDER BY id")]


async def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(
    open_venue: OpenVenue, settings: Settings
) -> None:
    venue = await open_venue(with_changes(settings, address_rate=RateLimit(2, 60)))
    alice = await venue.phone("alice", headers={"X-Forwarded-For": "203.0.113.1"})
    bob = await venue.phone("bob", headers={"X-Forwarded-For": "203.0.113.2"})
    assert (await send(alice, {"text": "one"}))["ok"]
    assert (await send(alice, {"text": "two"}))["ok"]
    # Both are 127.0.0.1 whatever they claim: the address's ceiling is used up.
    assert (await send(bob, {"text": "three"}))["error"] == "rate_limited"
    assert _addresses(settings.db_path) == ["127.0.0.1", "127.0.0.1"]


async def test_behind_a_trusted_proxy_the_limits_count_the_clients_address(
    open_venue: OpenVenue, settings: Settings
) -> None:
    trusting = with_changes(settings, address_rate=RateLimit(2, 60), trusted_proxies=LOOPBACK)
    venue = await open_venue(trusting)
    alice = await venue.phone("alice", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.1"})
    bob = await venue.phone("bob", headers={"X-Forwarded-For": "203.0.113.2"})
    assert (await send(alice, {"text": "one"}))["ok"]
    assert (await send(alice, {"text": "two"}))["ok"]
    assert (await send(alice, {"text": "three"}))["error"] == "rate_limited"
    assert (await send(bob, {"text": "four"}))["ok"]  # another address: its own ceiling
    assert _addresses(settings.db_path) == ["203.0.113.1", "203.0.113.1", "203.0.113.2"]


@pytest.mark.parametrize("trusted", [False, True])
async def test_new_sessions_are_counted_per_forwarded_address_only_from_a_trusted_proxy(
    open_venue: OpenVenue, settings: Settings, trusted: bool
) -> None:
    limits = with_changes(
        settings, connection_rate=RateLimit(2, 60), trusted_proxies=LOOPBACK if trusted else ()
    )
    venue = await open_venue(limits)
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=polling"

    async def handshake(client: str) -> int:
        async with http.get(url, headers={"X-Forwarded-For": client}) as response:
            return response.status

    async with aiohttp.ClientSession() as http:
        first = [await handshake("203.0.113.1") for _ in range(3)]
        other = await handshake("203.0.113.2")
    assert first == [200, 200, 429]
    assert other == (200 if trusted else 429)
