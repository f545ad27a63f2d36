"""The contract's HTTP surface, against a real server."""

from __future__ import annotations

from html.parser import HTMLParser

import aiohttp

from server.settings import Settings
from tests.conftest import OpenVenue, Venue


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.found.append((tag, attributes))
        if tag == "script" and "src" not in attributes:
            self._in_script = True

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def has(self, tag: str, **attrs: str) -> bool:
        return any(
            t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
            for t, a in self.found
        )


async def _get(venue: Venue, path: str) -> tuple[int, dict[str, str], str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(venue.service.base_url + path) as response:
            return response.status, dict(response.headers), await response.text()


async def test_send_page_has_the_contract_form(venue: Venue) -> None:
    status, headers, body = await _get(venue, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = _Elements()
    page.feed(body)
    assert page.has("form")
    assert page.has("input", name="text") or page.has("textarea", name="text")
    assert page.has("input", name="nick")
    assert page.has("button", type="submit")
    assert any(a.get("role") == "status" for _, a in page.found)
    assert page.inline_scripts == 0


async def test_show_page_is_served(venue: Venue) -> None:
    status, headers, body = await _get(venue, "/show")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<script" in body and "socketio.js" in body


async def test_healthz_is_200_and_a_json_object(venue: Venue) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(venue.service.base_url + "/healthz") as response:
            assert response.status == 200
            body = await response.json()
    assert isinstance(body, dict) and body["ok"] is True


async def test_pages_send_a_content_security_policy(venue: Venue) -> None:
    for path in ("/", "/show"):
        _, headers, _ = await _get(venue, path)
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy


async def test_join_info_and_qr_code(venue: Venue) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(venue.service.base_url + "/api/info") as response:
            info = await response.json()
        async with http.get(venue.service.base_url + "/qr.svg") as response:
            assert response.headers["Content-Type"] == "image/svg+xml"
            assert (await response.text()).lstrip().startswith("<?xml")
    assert info["join_url"] == venue.service.join_url
    assert "0.0.0.0" not in info["join_url"]


async def test_socketio_speaks_engineio_4_on_its_default_path(venue: Venue) -> None:
    status, _, body = await _get(venue, "/socket.io/?EIO=4&transport=polling")
    assert status == 200 and body.startswith("0{") and '"sid"' in body


async def test_unknown_paths_are_404_not_500(venue: Venue) -> None:
    for path in ("/nope", "/assets/../server/hub.py", "/socket.io/?EIO=3&transport=polling"):
        status, _, _ = await _get(venue, path)
        assert 400 <= status < 500, path


async def test_pages_and_assets_are_compressed_when_the_browser_accepts_it(venue: Venue) -> None:
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        for path in ("/", "/show", "/assets/lib/socketio.js", "/assets/show/main.js"):
            headers = {"Accept-Encoding": "gzip"}
            async with http.get(venue.service.base_url + path, headers=headers) as response:
                assert response.status == 200
                assert response.headers.get("Content-Encoding") == "gzip", path


async def test_ui_language_follows_accept_language(venue: Venue) -> None:
    async with aiohttp.ClientSession() as http:
        for header, lang in (("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9", "zh"), ("fr", "en")):
            headers = {"Accept-Language": header}
            async with http.get(venue.service.base_url + "/api/info", headers=headers) as r:
                assert (await r.json())["lang"] == lang


async def test_cross_origin_socketio_is_refused(venue: Venue) -> None:
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Origin": "http://evil.example"}) as response:
            assert response.status == 400
        async with http.get(url, headers={"Origin": venue.service.base_url}) as response:
            assert response.status == 200


async def test_garbage_polling_requests_are_4xx_never_500(venue: Venue) -> None:
    base = venue.service.base_url + "/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        async with http.get(base) as response:
            sid = (await response.text()).split('"sid":"')[1].split('"')[0]
        attempts = [
            ("GET", base + "&sid=nope", b""),
            ("POST", base + "&sid=nope", b"40/send,"),
            ("POST", base + f"&sid={sid}", b"\x00\xff garbage \x1e 99"),
            ("POST", base + f"&sid={sid}", b"42/send,[" * 2000),
            ("POST", base, b"x" * 200_000),
            ("GET", venue.service.base_url + "/socket.io/?EIO=4&transport=carrier-pigeon", b""),
        ]
        for method, url, body in attempts:
            async with http.request(method, url, data=body) as response:
                assert response.status < 500, (method, url[-40:], response.status)
        async with http.get(venue.service.base_url + "/healthz") as response:
            assert response.status == 200


async def test_connection_flood_from_one_address_is_limited(
    open_venue: OpenVenue, settings: Settings
) -> None:
    from server.settings import RateLimit
    from tests.conftest import with_changes

    venue = await open_venue(with_changes(settings, connection_rate=RateLimit(20, 60)))
    url = venue.service.base_url + "/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        statuses = []
        for _ in range(25):
            async with http.get(url) as response:
                statuses.append(response.status)
        assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
        async with http.get(venue.service.base_url + "/") as response:
            assert response.status == 200  # pages still load; only new sockets wait
