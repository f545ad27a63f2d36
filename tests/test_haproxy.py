"""Through the shipped HAProxy configuration (deploy/haproxy.cfg), to two real workers.

The workers here are plain `danmaku serve` processes: they share nothing, which is
enough to see where each session lands and that it stays there. Every client connects
from 127.0.0.x, as a hall behind one NAT address does.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
import socketio

from tests.browser_support import chromium, open_page
from tests.conftest import ShowClient, send
from tests.haproxy_support import Cluster, cluster


async def hang_up(sio: socketio.AsyncClient) -> None:
    """Leave without waiting for the long poll in flight: a polite disconnect waits for
    the server's next ping (up to 25 s) to answer it."""
    await sio.eio.disconnect(abort=True)


async def connect_phones(
    stack: AsyncExitStack,
    urls: Sequence[str],
    sessions: Sequence[aiohttp.ClientSession] | None = None,
) -> list[socketio.AsyncClient]:
    """Phone n on /send over long-polling through ``urls[n]`` (and ``sessions[n]``, a
    browser's own cookie jar), all at once; closed with ``stack``."""

    async def one(n: int) -> socketio.AsyncClient:
        options = {"http_session": sessions[n]} if sessions else {}
        sio = socketio.AsyncClient(reconnection=False, **options)
        await sio.connect(
            urls[n], namespaces=["/send"], auth={"client_id": f"phone-{n}"}, transports=["polling"]
        )
        stack.push_async_callback(hang_up, sio)
        return sio

    return list(await asyncio.gather(*(one(n) for n in range(len(urls)))))


async def assert_spread_and_sticky(
    cluster: Cluster, phones: Sequence[socketio.AsyncClient]
) -> None:
    """Every phone sends three comments: all acked, each phone's all on one worker, and
    the phones spread over both workers."""
    for round_ in range(3):
        acks = await asyncio.gather(
            *(send(phone, {"text": f"hi {n}.{round_}"}) for n, phone in enumerate(phones))
        )
        assert [ack.get("ok") for ack in acks] == [True] * len(phones), acks
    assert all(phone.connected for phone in phones)  # no "Invalid session" dropped one
    senders = [{sender for sender, _ in rows} for rows in cluster.rows("text")]
    assert set.union(*senders) == {f"client:phone-{n}" for n in range(len(phones))}
    assert not set.intersection(*senders)  # no phone's comments on both workers
    per_worker = await cluster.phones_per_worker()
    assert sum(per_worker) == len(phones)
    assert min(per_worker) >= len(phones) // 5, per_worker  # spread, not one worker


async def test_polling_phones_from_one_address_spread_by_the_lb_parameter_and_stay(
    tmp_path: Path, wordlist: Path
) -> None:
    async with cluster(tmp_path, wordlist) as venue, AsyncExitStack() as stack:
        # As our pages do: a random lb value per page. (aiohttp keeps no cookie from an
        # IP-address host, so only the lb parameter keeps these on their worker.)
        urls = [venue.url(secrets.token_hex(4)) for _ in range(50)]
        await assert_spread_and_sticky(venue, await connect_phones(stack, urls))


async def test_a_halls_new_phones_split_nearly_evenly_over_the_workers(
    tmp_path: Path, wordlist: Path
) -> None:
    # Each worker must be sized for its share: an uneven split (57 to 43 at HAProxy's
    # default weights) overloads one worker while the other idles.
    async with cluster(tmp_path, wordlist) as venue, aiohttp.ClientSession() as http:
        handshake = venue.url(None) + "socket.io/?EIO=4&transport=polling&lb="
        landed: list[str] = []

        async def new_phone() -> None:
            http.cookie_jar.clear()  # a phone that has never been here
            async with http.get(handshake + secrets.token_hex(4)) as response:
                assert response.status == 200
                landed.append(response.cookies["DANMAKU_WORKER"].value)

        for _ in range(40):
            await asyncio.gather(*(new_phone() for _ in range(50)))
    shares = [landed.count(worker) / len(landed) for worker in ("w1", "w2")]
    assert max(shares) <= 0.56, shares


async def test_polling_phones_without_the_lb_parameter_stay_by_the_cookie(
    tmp_path: Path, wordlist: Path
) -> None:
    async with cluster(tmp_path, wordlist) as venue, AsyncExitStack() as stack:
        sessions = []
        for _ in range(20):  # each phone a browser of its own, keeping cookies
            http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
            stack.push_async_callback(http.close)
            sessions.append(http)
        phones = await connect_phones(stack, [venue.url(None)] * 20, sessions)
        await assert_spread_and_sticky(venue, phones)


async def test_a_websocket_phone_reaches_a_projector_on_its_worker(
    tmp_path: Path, wordlist: Path
) -> None:
    async with cluster(tmp_path, wordlist) as venue, AsyncExitStack() as stack:
        lb = secrets.token_hex(4)  # one page's worth: the same worker for both
        projector = ShowClient(socketio.AsyncClient(reconnection=False))

        async def record(data: Any) -> None:
            projector.events.append(("danmaku", data))

        projector.sio.on("danmaku", record, namespace="/show")
        await projector.sio.connect(venue.url(lb), namespaces=["/show"], transports=["websocket"])
        stack.push_async_callback(projector.sio.disconnect)
        phone = socketio.AsyncClient(reconnection=False)
        await phone.connect(
            venue.url(lb), namespaces=["/send"], auth={"client_id": "ws"}, transports=["websocket"]
        )
        stack.push_async_callback(phone.disconnect)
        assert phone.transport() == "websocket"
        assert (await send(phone, {"text": "through the tunnel"}))["ok"]
        await projector.wait_for(lambda show: show.texts() == ["through the tunnel"])


async def test_behind_haproxy_a_trusting_worker_limits_each_client_address(
    tmp_path: Path, wordlist: Path
) -> None:
    options = ("--trust-proxy", "127.0.0.1", "--address-rate", "2/60")
    async with cluster(tmp_path, wordlist, *options) as venue, AsyncExitStack() as stack:
        lb = secrets.token_hex(4)  # both on one worker: one ceiling per address there

        async def phone(source: str, client_id: str) -> socketio.AsyncClient:
            http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source, 0)))
            stack.push_async_callback(http.close)
            sio = socketio.AsyncClient(reconnection=False, http_session=http)
            # A phone claiming another address: HAProxy appends the real one after it.
            await sio.connect(
                venue.url(lb),
                namespaces=["/send"],
                auth={"client_id": client_id},
                headers={"X-Forwarded-For": "6.6.6.6"},
                transports=["polling"],
            )
            stack.push_async_callback(hang_up, sio)
            return sio

        first, second = await phone("127.0.0.2", "first"), await phone("127.0.0.3", "second")
        assert (await send(first, {"text": "one"}))["ok"]
        assert (await send(first, {"text": "two"}))["ok"]
        assert (await send(first, {"text": "three"}))["error"] == "rate_limited"
        assert (await send(second, {"text": "four"}))["ok"]  # its own address, its own ceiling
        stored = [row for rows in venue.rows("address") for row in rows]
        assert stored == [
            ("client:first", "127.0.0.2"),
            ("client:first", "127.0.0.2"),
            ("client:second", "127.0.0.3"),
        ]


@pytest.mark.browser
async def test_the_phone_page_keeps_its_worker_over_polling_and_websocket(
    tmp_path: Path, wordlist: Path
) -> None:
    polls: list[Any] = []  # the long-polling page's Socket.IO requests

    async def polling_only(context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", lambda ws: ws.close())
        context.on("request", lambda r: polls.append(r) if "/socket.io/" in r.url else None)

    async with cluster(tmp_path, wordlist) as venue, chromium() as browser:
        pages = {
            "poll": await open_page(browser, venue.url(None), setup=polling_only),
            "ws": await open_page(browser, venue.url(None)),
        }
        for page in pages.values():
            await page.wait_connected()
        assert [await page.transport() for page in pages.values()] == ["polling", "websocket"]
        for n in range(3):
            for name, page in pages.items():
                await page.page.fill("input[name=text]", f"{name} {n}")
                await page.page.click("button[type=submit]")
                # The page echoes what went out once it is acknowledged (committed).
                status = page.page.locator("[role=status]").filter(has_text=f"{name} {n}")
                await status.wait_for(timeout=5000)
        # Each page's comments all reached one worker.
        for name in pages:
            per_worker = [[t for _, t in rows if t.startswith(name)] for rows in venue.rows("text")]
            assert sorted(len(texts) for texts in per_worker) == [0, 3], per_worker
        # Every long-polling request carried the page's lb value and, after the handshake,
        # the worker's cookie.
        assert len(polls) > 3
        assert len({parse_qs(urlsplit(r.url).query)["lb"][0] for r in polls}) == 1
        cookies = [(await r.all_headers()).get("cookie", "") for r in polls[1:]]
        assert all("DANMAKU_WORKER=" in cookie for cookie in cookies), cookies
        assert not pages["poll"].errors and not pages["ws"].errors
