"""The two web pages in a real browser (Debian's chromium) against the real server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from server.models import DrawRules, Mode, Submission
from server.web.service import Service
from tests.browser_support import (
    PHONE,
    PROJECTOR,
    SHOTS,
    Watched,
    chromium,
    eventually,
    live_service,
    open_page,
    settings_for,
    submit_many,
)

pytestmark = pytest.mark.browser

FLAGGED_TERM = "zzflagged"
XSS = "<img src=x onerror=alert(1)>"
XSS_NICK = "<img src=x>"  # nicks are short (16): markup that would still make an <img>
SMALL_PROJECTOR = {"width": 1280, "height": 720}

# Every scrolling comment's box, as the page lays it out right now.
SCROLL_RECTS = """() => Array.from(document.querySelectorAll('.dm[data-danmaku-id]:not(.static)'))
    .map(el => {
        const r = el.getBoundingClientRect();
        return {id: el.dataset.danmakuId, x: r.left, y: r.top, w: r.width, h: r.height};
    })"""


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with chromium() as b:
        yield b


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    wordlist = tmp_path / "testlist.txt"
    wordlist.write_text(f"# test-only term\n{FLAGGED_TERM}\n", encoding="utf-8")
    settings = settings_for(tmp_path, wordlists=(wordlist,), use_default_wordlists=False)
    async with live_service(settings) as running:
        yield running


async def open_show(browser: Any, service: Service, query: str = "", **kw: Any) -> Watched:
    kw.setdefault("viewport", SMALL_PROJECTOR)
    show = await open_page(browser, f"{service.base_url}/show{query}", **kw)
    await show.wait_connected()
    return show


async def open_phone(browser: Any, service: Service, **kw: Any) -> Watched:
    phone = await open_page(browser, f"{service.base_url}/", viewport=PHONE, **kw)
    await phone.wait_connected()
    return phone


async def send_from_phone(phone: Watched, text: str, nick: str = "") -> None:
    await phone.page.fill("input[name=nick]", nick)
    await phone.page.fill("input[name=text]", text)
    await phone.page.click("button[type=submit]")


def status(phone: Watched) -> Any:
    return phone.page.locator("[role=status]")


def on_wall(show: Watched, message_id: int | str) -> Any:
    return show.page.locator(f'[data-danmaku-id="{message_id}"]')


def intersects(a: dict[str, float], b: dict[str, float]) -> bool:
    slack = 0.5  # sub-pixel rounding between neighbouring lanes
    return (
        a["x"] + a["w"] - slack > b["x"]
        and b["x"] + b["w"] - slack > a["x"]
        and a["y"] + a["h"] - slack > b["y"]
        and b["y"] + b["h"] - slack > a["y"]
    )


async def test_phone_comment_reaches_the_wall_over_websocket(
    service: Service, browser: Any
) -> None:
    show = await open_show(browser, service)
    phone = await open_phone(browser, service)
    await send_from_phone(phone, "Hello wall 你好", nick="Ann")

    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    comment = show.page.locator("[data-danmaku-id]", has_text="Hello wall 你好")
    await comment.wait_for(timeout=5000)
    assert "Hello wall 你好" in await comment.text_content()
    assert await phone.page.input_value("input[name=text]") == ""
    assert await show.transport() == "websocket"
    assert await phone.transport() == "websocket"
    assert show.errors == [] and phone.errors == []


async def test_phone_keeps_nick_and_client_id_across_reloads(
    service: Service, browser: Any
) -> None:
    phone = await open_phone(browser, service)
    await send_from_phone(phone, "first", nick="Bo")
    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    await phone.page.reload()
    await phone.wait_connected()
    assert await phone.page.input_value("input[name=nick]") == "Bo"
    await send_from_phone(phone, "second", nick="Bo")
    await status(phone).filter(has_text="second").wait_for(timeout=5000)
    senders = {m.sender for m in service.hub.recent_shown()}
    assert len(senders) == 1, senders  # one phone, one sender, across the reload


async def test_markup_in_text_and_nick_stays_text(service: Service, browser: Any) -> None:
    show = await open_show(browser, service)
    phone = await open_phone(browser, service)
    await send_from_phone(phone, XSS, nick=XSS_NICK)

    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    assert XSS in await status(phone).text_content()
    comment = show.page.locator("[data-danmaku-id]").first
    await comment.wait_for(timeout=5000)
    assert await comment.text_content() == XSS_NICK + XSS  # the nick badge, then the text
    assert await comment.locator(".nick").text_content() == XSS_NICK
    await asyncio.sleep(0.3)  # an onerror would have fired by now
    for page in (show, phone):
        assert await page.page.locator("img:not(#qr)").count() == 0
        assert page.dialogs == []
        assert page.errors == []


async def test_flagged_comment_waits_for_review_then_appears(
    service: Service, browser: Any
) -> None:
    show = await open_show(browser, service)
    phone = await open_phone(browser, service)
    text = f"this is {FLAGGED_TERM} text"
    await send_from_phone(phone, text)

    await status(phone).filter(has_text="Waiting for review").wait_for(timeout=5000)
    held = service.hub.held()
    assert [m.text for m in held] == [text]
    await asyncio.sleep(0.5)
    assert await show.page.locator("[data-danmaku-id]").count() == 0

    await service.hub.approve(held[0].id)
    await on_wall(show, held[0].id).wait_for(timeout=5000)
    assert text in await on_wall(show, held[0].id).text_content()


async def test_errors_from_the_server_are_shown(service: Service, browser: Any) -> None:
    phone = await open_phone(browser, service)
    service.hub.set_paused(True)
    await send_from_phone(phone, "while paused")
    await eventually(lambda: _status_kind(phone, "error"), timeout=5)
    assert (await status(phone).text_content()).strip() != ""
    assert await phone.page.input_value("input[name=text]") == "while paused"  # kept for later


async def _status_kind(phone: Watched, kind: str) -> bool:
    return await status(phone).get_attribute("data-kind") == kind


async def test_polling_fallback_when_websocket_fails(service: Service, browser: Any) -> None:
    async def refuse(ws: Any) -> None:  # the WebSocket opens and is closed at once
        await ws.close()

    async def hang(ws: Any) -> None:  # opens but never speaks (iOS WebKit over plain HTTP)
        pass

    async def refuse_websockets(context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", refuse)

    async def hang_websockets(context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", hang)

    show = await open_show(browser, service, setup=hang_websockets)
    phone = await open_phone(browser, service, setup=refuse_websockets)
    assert await show.transport() == "polling"
    assert await phone.transport() == "polling"

    await send_from_phone(phone, "over long-polling", nick="Poll")
    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    await show.page.locator("[data-danmaku-id]", has_text="over long-polling").wait_for(
        timeout=5000
    )
    # And a second one, so the poll loop is known to go on after the first answer.
    await send_from_phone(phone, "second poll")
    await show.page.locator("[data-danmaku-id]", has_text="second poll").wait_for(timeout=5000)


async def test_scroll_lanes_never_overlap_and_nothing_is_dropped(
    service: Service, browser: Any
) -> None:
    # Fast crossing (3 s) so 30 comments get through their lanes within the test.
    show = await open_show(browser, service, "?speed=3", viewport=PROJECTOR)
    lengths = [3, 12, 7, 20, 5, 9, 15, 4, 11, 6]
    texts = [f"{i:02d}" + "弹" * lengths[i % len(lengths)] for i in range(30)]
    ids = await submit_many(service, texts)

    seen: set[str] = set()
    qr_top = await show.evaluate(
        "() => document.getElementById('join').getBoundingClientRect().top"
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    samples = 0
    while len(seen) < len(ids):
        assert loop.time() < deadline, f"only {len(seen)} of {len(ids)} reached the wall"
        rects = await show.evaluate(SCROLL_RECTS)
        samples += 1
        for i, a in enumerate(rects):
            assert a["y"] + a["h"] <= qr_top, "a lane runs under the QR panel"
            for b in rects[i + 1 :]:
                assert not intersects(a, b), (a, b)
        seen.update(r["id"] for r in rects)
        await asyncio.sleep(0.15)
    assert seen == {str(i) for i in ids}
    assert samples >= 5


async def test_top_and_bottom_comments_stand_still_centred(service: Service, browser: Any) -> None:
    show = await open_show(browser, service)
    [top_id] = await submit_many(service, ["top comment"], mode=Mode.TOP)
    [bottom_id] = await submit_many(service, ["bottom comment"], mode=Mode.BOTTOM)
    await on_wall(show, top_id).wait_for()
    await on_wall(show, bottom_id).wait_for()
    first_top = await on_wall(show, top_id).bounding_box()
    bottom = await on_wall(show, bottom_id).bounding_box()
    await asyncio.sleep(0.4)
    assert await on_wall(show, top_id).bounding_box() == first_top  # not moving
    width = SMALL_PROJECTOR["width"]
    for box in (first_top, bottom):
        assert abs(box["x"] + box["width"] / 2 - width / 2) < 2
    panel = await show.page.locator("#join").bounding_box()
    assert first_top["y"] < 60
    # Bottom comments stand at the foot of the screen, clear of the QR panel beside them.
    assert bottom["y"] + bottom["height"] > SMALL_PROJECTOR["height"] * 0.85
    assert bottom["x"] + bottom["width"] < panel["x"]


async def test_show_catches_up_after_reconnect(service: Service, browser: Any) -> None:
    show = await open_show(browser, service)
    [first] = await submit_many(service, ["before the blink"])
    await on_wall(show, first).wait_for()

    await show.evaluate("() => window.__danmakuSocket.close()")
    await eventually(lambda: _show_pages(service, 0), timeout=5)
    missed = await submit_many(service, ["missed one", "missed two"])
    await asyncio.sleep(0.2)
    assert await on_wall(show, missed[0]).count() == 0

    await show.evaluate("() => window.__danmakuSocket.open()")
    for message_id in missed:
        await on_wall(show, message_id).wait_for(timeout=5000)
    [after] = await submit_many(service, ["after the blink"])
    await on_wall(show, after).wait_for(timeout=5000)
    for message_id in [first, *missed, after]:
        assert await on_wall(show, message_id).count() <= 1


async def _show_pages(service: Service, count: int) -> bool:
    return service.hub.stats().show_pages == count


async def test_show_reconnects_by_itself_when_the_link_drops(
    service: Service, browser: Any
) -> None:
    """The network blinks: the socket dies under the page, which must come back alone."""
    links: list[Any] = []
    blocked = False

    async def relay(ws: Any) -> None:
        if blocked:
            await ws.close()
            return
        ws.connect_to_server()
        links.append(ws)

    async def http(route: Any) -> None:
        await (route.abort() if blocked else route.continue_())

    async def through_a_flaky_network(context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", relay)
        await context.route("**/socket.io/**", http)

    show = await open_show(browser, service, setup=through_a_flaky_network)
    [before] = await submit_many(service, ["before the drop"])
    await on_wall(show, before).wait_for()

    blocked = True
    await links[-1].close()  # the page's WebSocket closes; every retry now fails
    await eventually(lambda: _status_is(show, "reconnecting"), timeout=5)
    missed = await submit_many(service, ["sent while offline"])
    await asyncio.sleep(0.8)
    assert await on_wall(show, missed[0]).count() == 0

    blocked = False
    await show.wait_connected(timeout=10_000)
    await on_wall(show, missed[0]).wait_for(timeout=5000)  # caught up with auth.last_id
    [after] = await submit_many(service, ["after the drop"])
    await on_wall(show, after).wait_for(timeout=5000)
    assert await on_wall(show, before).count() <= 1


async def _status_is(page: Watched, status: str) -> bool:
    return bool(await page.evaluate("s => window.__danmakuSocket.status === s", status))


async def _connected(page: Watched) -> bool:
    return bool(await page.evaluate("() => window.__danmakuSocket.connected"))


async def test_pause_badge_and_lottery_overlay(service: Service, browser: Any) -> None:
    show = await open_show(browser, service)
    service.hub.set_paused(True)
    await show.page.locator("#paused").wait_for(state="visible")
    service.hub.set_paused(False)
    await show.page.locator("#paused").wait_for(state="hidden")

    for i, nick in enumerate(["Ann", XSS_NICK, "Cleo"]):
        await service.hub.submit(Submission(sender=f"s{i}", text=f"hi {i}", nick=nick))
    draw = await service.hub.draw(DrawRules(winners=2))
    winners = show.page.locator("#lottery .winners li")
    await winners.nth(1).wait_for(timeout=8000)
    assert sorted(await winners.all_text_contents()) == sorted(w.nick for w in draw.winners)
    assert await show.page.locator("img:not(#qr)").count() == 0

    service.hub.dismiss_draw()
    await show.page.locator("#lottery").wait_for(state="hidden")
    assert show.dialogs == [] and show.errors == []


async def test_idle_replays_look_different(browser: Any, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, replay_idle_seconds=0.3, replay_interval_seconds=0.3)
    async with live_service(settings) as service:
        show = await open_show(browser, service)
        [message_id] = await submit_many(service, ["say it again"])
        replay = show.page.locator(f'.dm.replay[data-danmaku-id="{message_id}"]')
        await replay.first.wait_for(timeout=8000)
        assert "say it again" in await replay.first.text_content()
        style = await replay.first.evaluate(
            "el => { const s = getComputedStyle(el); return [s.opacity, s.fontStyle]; }"
        )
        assert float(style[0]) < 1 and style[1] == "italic"


async def test_screenshots(service: Service, browser: Any) -> None:
    """Pictures for a human to look at (in $DANMAKU_SHOTS, default /tmp/shots)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    show = await open_show(browser, service, viewport=PROJECTOR)
    phone = await open_phone(browser, service, locale="zh-CN")
    assert await phone.page.locator("button[type=submit]").text_content() == "发送"
    await send_from_phone(phone, "大家好！这是第一条弹幕", nick="小明")
    await status(phone).filter(has_text="上墙了").wait_for(timeout=5000)
    await phone.page.fill("input[name=text]", "还有一条")
    await phone.page.screenshot(path=str(SHOTS / "send-390x844.png"))

    texts = [
        "新年快乐！🎉",
        "Hello from the back row",
        "这个讲得太好了，学到了",
        "666666",
        "主持人加油",
        "Can we get the slides afterwards?",
        "前排合影",
        "哈哈哈哈哈哈哈哈",
    ]
    colors = ["#ffffff", "#fe0302", "#ffe133", "#00cd00", "#41b4ff", "#ff7eb6"]
    nicks = ["阿杰", "Sam", "Mei", "小红", "老王", "Priya", "Tom", "橘子"]
    for i, text in enumerate(texts):
        await service.hub.submit(
            Submission(sender=f"s{i}", text=text, nick=nicks[i], color=colors[i % 6])
        )
    await service.hub.submit(
        Submission(sender="top", text="欢迎来到年会", nick="主持人", mode=Mode.TOP)
    )
    await service.hub.submit(
        Submission(
            sender="bot", text="底部弹幕 bottom", nick="Lee", mode=Mode.BOTTOM, color="#ffe133"
        )
    )
    await asyncio.sleep(2.5)
    await show.page.screenshot(path=str(SHOTS / "show-1920x1080.png"))

    await service.hub.draw(DrawRules(winners=1))
    await show.page.locator("#lottery .winners li").first.wait_for(timeout=8000)
    await show.page.screenshot(path=str(SHOTS / "show-lottery-1920x1080.png"))
    assert show.errors == [] and phone.errors == []
