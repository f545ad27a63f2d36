"""What the two pages weigh over the wire, measured in the browser.

    python benchmarks/page_weight.py

Debian's chromium (headless) loads `/` (the phone page, on a 390x844 phone viewport) and
`/show` against the real server; the browser asks for compressed responses as it always does
(Accept-Encoding: gzip, deflate, br, zstd) and the server compresses text (aiohttp picks
deflate for chromium; gzip for a client that only takes gzip). Every HTTP response
the page gets until it is connected (and one second more) is counted with the DevTools
protocol: ``Network.loadingFinished.encodedDataLength`` is what came over the wire for it,
headers included. The body alone (compressed: wire minus the bytes received with the
headers) and the decoded size are shown beside it.
The Socket.IO connection itself is not counted beyond its HTTP upgrade (WebSocket frames
are not HTTP responses), and neither is the QR code on `/show` if it came from the cache.

Target: `/` under 30 KB compressed, because a thousand phones load it at once over venue
Wi-Fi.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.settings import Settings
from server.web.service import running_service

CHROMIUM = "/usr/bin/chromium"
TARGET_KB = {"/": 30.0}
PAGES = [("/", {"width": 390, "height": 844}), ("/show", {"width": 1920, "height": 1080})]


async def weigh(browser: Any, base: str, path: str, viewport: dict[str, int]) -> float:
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    seen: dict[str, dict[str, Any]] = {}

    def on_response(event: dict[str, Any]) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response["headers"].items()}
        seen[event["requestId"]] = {
            "url": response["url"],
            "status": response["status"],
            "encoding": headers.get("content-encoding", "-"),
            "headers": response.get("encodedDataLength", 0),
            "decoded": 0,
            "wire": None,
        }

    def on_data(event: dict[str, Any]) -> None:
        if event["requestId"] in seen:
            seen[event["requestId"]]["decoded"] += event["dataLength"]

    def on_finished(event: dict[str, Any]) -> None:
        if event["requestId"] in seen:
            seen[event["requestId"]]["wire"] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.dataReceived", on_data)
    cdp.on("Network.loadingFinished", on_finished)
    await page.goto(base + path)
    await page.wait_for_function("() => window.__danmakuSocket && window.__danmakuSocket.connected")
    await asyncio.sleep(1)
    await context.close()

    total = 0
    print(f"{path}")
    columns = (("status", 6), ("encoding", 8), ("wire B", 8), ("body B", 8), ("decoded B", 9))
    print(f"  {'resource':<30} " + " ".join(f"{c:>{width}}" for c, width in columns))
    for entry in seen.values():
        if entry["wire"] is None:
            continue  # a long poll or an upgrade still open: no body counted
        parts = urlsplit(entry["url"])
        name = parts.path + ("?" + parts.query[:20] if parts.query else "")
        wire = int(entry["wire"])
        body = max(0, wire - int(entry["headers"]))
        total += wire
        print(
            f"  {name:<30} {entry['status']:>6} {entry['encoding']:>8} {wire:>8} {body:>8} "
            f"{entry['decoded']:>9}"
        )
    kb = total / 1024
    target = TARGET_KB.get(path)
    verdict = f" (target < {target:g} KB: {'ok' if kb < target else 'OVER'})" if target else ""
    print(f"  total over the wire: {kb:.1f} KB{verdict}")
    return kb


async def main() -> None:
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is not installed")
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            host="127.0.0.1", port=0, db_path=Path(tmp) / "weight.db", rate=None,
            replay_idle_seconds=3600.0,
        )  # fmt: skip
        async with running_service(settings) as service, async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            print(f"chromium {browser.version}, headless; {service.base_url}")
            over = False
            for path, viewport in PAGES:
                kb = await weigh(browser, service.base_url, path, viewport)
                over = over or kb >= TARGET_KB.get(path, float("inf"))
            await browser.close()
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    asyncio.run(main())
