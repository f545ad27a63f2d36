"""The two web pages in a real browser (Debian's chromium) against the real server."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from server.models import DrawRules, Mode, Submission, VoidReason
from server.web.service import Service
from tests.browser_support import (
    ANDROID,
    DIGITS,
    PHONE,
    PROJECTOR,
    SHOTS,
    XSS,
    XSS_NICK,
    Watched,
    assert_colour_emoji,
    assert_text_font,
    browser,
    device,
    eventually,
    live_service,
    open_page,
    settings_for,
    shared_browser,
    submit_many,
)

# One chromium for the whole module (each test gets fresh contexts): starting it per test
# cost about a second each.
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

FLAGGED_TERM = "zzflagged"
SMALL_PROJECTOR = {"width": 1280, "height": 720}

# Every comment's box on screen (scrolling and static), as the page lays it out right now.
SCROLL_RECTS = """() => Array.from(document.querySelectorAll('.dm[data-danmaku-id]'))
    .filter(el => el.getBoundingClientRect().bottom > 0)
    .map(el => {
        const r = el.getBoundingClientRect();
        return {id: el.dataset.danmakuId, x: r.left, y: r.top, w: r.width, h: r.height,
                still: el.classList.contains('static')};
    })"""

__all__ = ["browser", "shared_browser"]  # the fixtures


@pytest_asyncio.fixture(loop_scope="module")
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
    kw.setdefault("viewport", PHONE)
    phone = await open_page(browser, f"{service.base_url}/", **kw)
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
    # The avatar (the nick's first character), the nick badge, then the text: all as text.
    assert await comment.text_content() == "<" + XSS_NICK + XSS
    assert await comment.locator(".avatar").text_content() == "<"
    assert await comment.locator(".nick").text_content() == XSS_NICK
    assert await comment.locator(".text").text_content() == XSS
    await asyncio.sleep(0.3)  # an onerror would have fired by now
    for page in (show, phone):
        assert await page.page.locator("img:not(#qr)").count() == 0
        assert page.dialogs == []
        assert page.errors == []


async def test_digits_and_spaces_are_drawn_from_a_text_font(service: Service, browser: Any) -> None:
    show = await open_show(browser, service)
    phone = await open_phone(browser, service)
    await phone.page.fill("input[name=text]", DIGITS)
    await assert_text_font(phone, "#count")  # "8/60"
    await phone.page.fill("input[name=nick]", "2026")
    await phone.page.click("button[type=submit]")
    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    await assert_text_font(phone, "[role=status]")
    [shown] = service.hub.recent_shown()
    await on_wall(show, shown.id).wait_for(timeout=5000)
    await assert_text_font(show, f'[data-danmaku-id="{shown.id}"] .text')
    await assert_text_font(show, f'[data-danmaku-id="{shown.id}"] .nick')
    # No emoji font is named in the stacks: emoji still come from it, by fallback.
    await assert_colour_emoji(show, f'[data-danmaku-id="{shown.id}"] .text')
    await assert_colour_emoji(phone, "#count")
    assert show.errors == [] and phone.errors == []


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
    return bool(await status(phone).get_attribute("data-kind") == kind)


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
    # Top and bottom comments into busy lanes: they wait for a lane without traffic.
    for i, mode in enumerate([Mode.TOP, Mode.BOTTOM, Mode.TOP]):
        accepted = await service.hub.submit(
            Submission(sender=f"st{i}", text=f"static {i} " + "字" * 6, mode=mode)
        )
        ids.append(accepted.id)

    seen: set[str] = set()
    panel = await show.evaluate(
        """() => { const r = document.getElementById('join').getBoundingClientRect();
                   return {x: r.left, y: r.top, w: r.width, h: r.height}; }"""
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    samples = 0
    while len(seen) < len(ids):
        assert loop.time() < deadline, f"only {len(seen)} of {len(ids)} reached the wall"
        rects = await show.evaluate(SCROLL_RECTS)
        samples += 1
        for i, a in enumerate(rects):
            if not a["still"]:
                assert a["y"] + a["h"] <= panel["y"], "a lane runs under the QR panel"
            assert not intersects(a, panel), a
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


def positions(show: Watched) -> Any:
    return show.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.dm[data-danmaku-id]'))
            .map(el => [el.dataset.danmakuId, el.getBoundingClientRect().left]))"""
    )


async def test_pause_freezes_the_wall_and_resume_moves_it_again(
    service: Service, browser: Any
) -> None:
    show = await open_show(browser, service)
    ids = await submit_many(service, ["frozen one", "frozen two", "frozen three"])
    for message_id in ids:
        await on_wall(show, message_id).wait_for()
    await asyncio.sleep(0.3)

    service.hub.set_paused(True)
    await show.page.locator("#paused").wait_for(state="visible")
    frozen = await positions(show)
    await asyncio.sleep(0.6)
    assert await positions(show) == frozen  # nothing moved while paused
    assert set(frozen) == {str(i) for i in ids}

    service.hub.set_paused(False)
    await show.page.locator("#paused").wait_for(state="hidden")
    await asyncio.sleep(0.3)
    moved = await positions(show)
    for key, x in frozen.items():
        assert moved[key] < x - 10, (key, x, moved[key])  # moving left again
    assert show.errors == []


async def test_retract_and_clear_take_comments_off_at_once(service: Service, browser: Any) -> None:
    # max=2: two on screen, the others wait in the page's queue.
    show = await open_show(browser, service, "?max=2")
    ids = await submit_many(service, ["keep me", "retract me", "queued a", "queued b", "queued c"])
    await on_wall(show, ids[1]).wait_for()
    await eventually(lambda: _queued(show, 3))

    await service.hub.retract(ids[1])  # flying
    await on_wall(show, ids[1]).wait_for(state="detached", timeout=1000)
    await service.hub.retract(ids[3])  # still waiting: leaves the queue, never shows
    # The free place goes to the next in the queue, which is now "queued a", then "queued c".
    await on_wall(show, ids[2]).wait_for(timeout=1000)
    await eventually(lambda: _queued(show, 1))
    assert await on_wall(show, ids[0]).count() == 1

    service.hub.clear_wall()
    await show.page.locator(".dm").first.wait_for(state="detached", timeout=1000)
    assert await show.evaluate("() => window.__danmakuShow.queued()") == 0
    await asyncio.sleep(0.3)
    assert await show.page.locator(".dm").count() == 0
    assert await on_wall(show, ids[3]).count() == 0
    [after] = await submit_many(service, ["after the clear"])
    await on_wall(show, after).wait_for(timeout=2000)  # the wall goes on


async def _queued(show: Watched, count: int) -> bool:
    return bool(await show.evaluate("n => window.__danmakuShow.queued() === n", count))


TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
BACKGROUNDS = """() => [getComputedStyle(document.documentElement).backgroundColor,
    getComputedStyle(document.body).backgroundColor,
    getComputedStyle(document.documentElement).backgroundImage]"""


async def test_url_parameters_for_projectors_and_obs(service: Service, browser: Any) -> None:
    transparent = await open_show(browser, service, "?bg=transparent&qr=0&opacity=0.5")
    html, body, _ = await transparent.evaluate(BACKGROUNDS)
    assert html == body == "rgba(0, 0, 0, 0)"
    assert await transparent.page.locator("#join").is_hidden()
    assert await transparent.evaluate("() => getComputedStyle(stage).opacity") == "0.5"

    lanes_full = await transparent.evaluate("() => window.__danmakuShow.lanes()")
    default = await open_show(browser, service)
    assert (await default.evaluate(BACKGROUNDS))[1] == "rgb(0, 0, 0)"
    # A colour with or without "#" (a bare "#" starts the fragment; the rest still counts).
    for query in ("?bg=102030&area=0.5", "?bg=%23102030&area=0.5", "?bg=#102030&area=0.5&qr=0"):
        page = await open_show(browser, service, query)
        assert (await page.evaluate(BACKGROUNDS))[1] == "rgb(16, 32, 48)", query
        lanes = await page.evaluate("() => window.__danmakuShow.lanes()")
        assert 0 < lanes <= lanes_full / 2, (query, lanes, lanes_full)
        if query.endswith("qr=0"):
            assert await page.page.locator("#join").is_hidden()
        await page.page.context.close()
    served: list[str] = []

    async def an_image_in_web_media(context: Any) -> None:
        async def fulfil(route: Any) -> None:
            served.append(route.request.url)
            await route.fulfill(body=TINY_PNG, content_type="image/png")

        await context.route("**/assets/media/stage-1.png", fulfil)

    image = await open_show(browser, service, "?bg=stage-1.png", setup=an_image_in_web_media)
    assert (
        'url("' + service.base_url + '/assets/media/stage-1.png")'
        in (await image.evaluate(BACKGROUNDS))[2]
    )
    assert served == [service.base_url + "/assets/media/stage-1.png"]
    sneaky = await open_show(browser, service, "?bg=" + "..%2Fx)%22;")
    assert (await sneaky.evaluate(BACKGROUNDS))[1:] == ["rgb(0, 0, 0)", "none"]

    # nick=0&avatar=0 keep just the text; max=2 caps what is on screen and drops nothing.
    bare = await open_show(browser, service, "?nick=0&avatar=0&max=2&speed=5&qr=0")
    ids = await submit_many(service, ["one", "two", "three", "four"], nick="Nick")
    seen: set[str] = set()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while len(seen) < len(ids):
        assert loop.time() < deadline, f"only {seen} of {ids} reached the wall"
        on_screen = await bare.evaluate(
            "() => Array.from(document.querySelectorAll('.dm')).map(el => el.dataset.danmakuId)"
        )
        assert len(on_screen) <= 2
        seen.update(on_screen)
        await asyncio.sleep(0.1)
    assert seen == {str(i) for i in ids}
    assert await bare.page.locator(".dm .nick, .dm .avatar").count() == 0
    for page in (transparent, default, image, sneaky, bare):
        assert page.errors == []


async def test_nick_and_avatar_beside_each_comment(service: Service, browser: Any) -> None:
    show = await open_show(browser, service)
    await service.hub.submit(Submission(sender="a", text="first from a", nick="étoile"))
    await service.hub.submit(Submission(sender="b", text="from nobody"))
    await service.hub.submit(Submission(sender="a", text="second from a", nick="étoile"))
    comments = show.page.locator(".dm")
    await comments.nth(2).wait_for()
    avatars = await show.evaluate(
        """() => Array.from(document.querySelectorAll('.dm')).map(el => {
            const a = el.querySelector('.avatar'), n = el.querySelector('.nick');
            return {text: el.querySelector('.text').textContent, letter: a.textContent,
                    anon: a.classList.contains('anon'), colour: getComputedStyle(a).backgroundColor,
                    nick: n && n.textContent, width: a.getBoundingClientRect().width};
        })"""
    )
    by_text = {a["text"]: a for a in avatars}
    first, second, nobody = (by_text[t] for t in ("first from a", "second from a", "from nobody"))
    assert first["letter"] == "É" and first["nick"] == "étoile" and not first["anon"]
    assert first["colour"] == second["colour"] != nobody["colour"]  # a stable colour per sender
    assert nobody["anon"] and nobody["letter"] == "" and nobody["nick"] is None
    assert first["width"] > 20


async def test_phone_hears_the_review_outcome_and_a_lottery_win(
    service: Service, browser: Any
) -> None:
    phone = await open_phone(browser, service)
    await send_from_phone(phone, f"good {FLAGGED_TERM}", nick="Winner")
    await status(phone).filter(has_text="Waiting for review").wait_for(timeout=5000)
    [held] = service.hub.held()
    await service.hub.approve(held.id)
    await (
        status(phone)
        .filter(has_text=f"Your comment \u201cgood {FLAGGED_TERM}\u201d was approved")
        .wait_for(timeout=5000)
    )

    await send_from_phone(phone, f"bad {FLAGGED_TERM}")
    await status(phone).filter(has_text="Waiting for review").wait_for(timeout=5000)
    await send_from_phone(phone, "a clean one")
    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    [held] = service.hub.held()
    await service.hub.reject(held.id)
    # The status line has moved on: the outcome arrives as a notice below it.
    notice = phone.page.locator("#notices li").first
    await notice.wait_for(timeout=5000)
    rejected = f"Your comment \u201cbad {FLAGGED_TERM}\u201d was not approved"
    assert await notice.text_content() == rejected
    assert await notice.get_attribute("data-kind") == "error"

    assert await phone.page.locator("#won").is_hidden()
    await service.hub.draw(DrawRules(winners=1))
    won = phone.page.locator("#won")
    await won.wait_for(state="visible", timeout=5000)
    assert "You won" in await won.text_content()
    assert "Come to the stage" in await won.text_content()
    assert "Winner" in await won.text_content()
    box = await won.bounding_box()
    assert box["y"] < 120  # at the top, where the eye is
    await phone.page.click("#won-close")
    await won.wait_for(state="hidden")
    # A draw with a prize names it: "You won: Second prize" (你中了二等奖 in Chinese).
    await service.hub.draw(
        DrawRules(winners=1, prize="Second prize", exclude_previous_winners=False)
    )
    await won.wait_for(state="visible", timeout=5000)
    assert await phone.page.locator("#won-title").text_content() == "You won: Second prize"
    assert phone.errors == []


async def test_language_follows_accept_language_not_the_locale(
    service: Service, browser: Any
) -> None:
    # navigator.language says one thing, the Accept-Language header the server sees another:
    # the server's reading (/api/info lang) wins.
    zh = await open_phone(browser, service, locale="en-US", headers={"Accept-Language": "zh-CN,zh"})
    await zh.page.locator("button[type=submit]", has_text="发送").wait_for(timeout=3000)
    assert await zh.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert await zh.page.locator("[data-i18n=color]").text_content() == "颜色"
    en = await open_phone(browser, service, locale="zh-CN", headers={"Accept-Language": "en-GB"})
    await en.page.locator("button[type=submit]", has_text="Send").wait_for(timeout=3000)
    placeholder = await en.page.locator("input[name=text]").get_attribute("placeholder")
    assert placeholder == "Say something…"
    show = await open_show(browser, service, locale="en-US", headers={"Accept-Language": "zh-TW"})
    await show.page.locator("#join-title", has_text="扫码发弹幕").wait_for(timeout=3000)
    forced = await open_show(browser, service, "?lang=en", locale="zh-CN")
    await asyncio.sleep(0.3)
    assert await forced.page.locator("#join-title").text_content() == "Scan to comment"


TOUCH_TARGETS = """() => Array.from(document.querySelectorAll(
        '.swatch, .seg span, input[type=text], button[type=submit]'))
    .map(el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; })"""

PHONE_LAYOUT = """() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    fixed: Array.from(document.querySelectorAll('body *')).filter(el =>
        ['fixed', 'sticky'].includes(getComputedStyle(el).position)).length,
    sizeAdjust: getComputedStyle(document.documentElement).webkitTextSizeAdjust,
    inputFont: parseFloat(getComputedStyle(document.querySelector('input[name=text]')).fontSize),
    focused: document.activeElement === document.body,
    webFonts: document.fonts.size,
})"""


@pytest.mark.parametrize("name", ["iPhone 13", "Pixel 7"])
async def test_phone_page_on_emulated_phones(service: Service, browser: Any, name: str) -> None:
    phone = await open_phone(browser, service, emulate=device(name), viewport=None)
    layout = await phone.evaluate(PHONE_LAYOUT)
    assert layout["overflow"] <= 0  # no sideways scrolling
    assert layout["fixed"] == 0  # nothing pinned (the keyboard would push it around)
    assert layout["sizeAdjust"] == "100%"
    assert layout["inputFont"] >= 16  # iOS zooms into smaller fields
    assert layout["focused"]  # no autofocus: the keyboard stays down until a tap
    assert layout["webFonts"] == 0  # system fonts only
    for width, height in await phone.evaluate(TOUCH_TARGETS):
        assert width >= 44 and height >= 44, (width, height)

    await phone.page.tap("input[name=text]")
    await phone.page.keyboard.type("👍🏽 from a phone")
    assert await phone.page.locator("#count").text_content() == "14/60"  # graphemes
    await phone.page.tap("label.seg:has(input[value=top])")
    await phone.page.tap("label.swatch:has(input[value='#41b4ff'])")
    await phone.page.tap("button[type=submit]")
    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)
    [shown] = service.hub.recent_shown()
    assert (shown.text, shown.mode, shown.color) == ("👍🏽 from a phone", Mode.TOP, "#41b4ff")
    assert phone.errors == []


async def test_phone_reconnects_when_back_from_the_background(
    service: Service, browser: Any
) -> None:
    """WeChat in the background: the link dies silently; coming back must not wait for pings."""
    links: list[Any] = []

    async def relay(ws: Any) -> None:
        ws.connect_to_server()
        links.append(ws)

    async def setup(context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", relay)

    phone = await open_phone(browser, service, setup=setup)
    assert len(links) == 1
    await phone.evaluate(
        """() => {
            const state = value => Object.defineProperty(
                document, 'visibilityState', {value, configurable: true});
            state('hidden');
            document.dispatchEvent(new Event('visibilitychange'));
            // A minute asleep: no ping arrived in that time (the page's timers were frozen).
            window.__danmakuSocket._lastRx -= 60000;
            state('visible');
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    conn = phone.page.locator("#conn[data-state=reconnecting]")
    await conn.wait_for(timeout=1000)
    assert "Reconnecting" in await conn.text_content()
    await phone.page.locator("#conn[data-state=connected]").wait_for(timeout=5000)
    assert len(links) == 2  # a new link, at once
    await send_from_phone(phone, "back again")
    await status(phone).filter(has_text="Sent").wait_for(timeout=5000)


async def test_lost_ack_is_retried_with_the_same_cid_without_a_duplicate(
    service: Service, browser: Any
) -> None:
    """The comment reaches the server but its ack dies with the link: the retry is harmless."""
    dropped: list[str] = []
    closing: list[asyncio.Future[Any]] = []  # kept: the loop holds tasks weakly

    async def relay(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if isinstance(message, str) and message.startswith("43/send,") and not dropped:
                dropped.append(message)  # the ack is lost, and the link with it
                closing.append(asyncio.ensure_future(ws.close()))
                return
            ws.send(message)

        server.on_message(from_server)

    async def setup(context: Any) -> None:
        await context.route_web_socket("**/socket.io/**", relay)

    show = await open_show(browser, service)
    phone = await open_phone(browser, service, setup=setup)
    await send_from_phone(phone, "exactly once")
    await status(phone).filter(has_text="Sent").wait_for(timeout=8000)
    assert len(dropped) == 1
    assert [m.text for m in service.hub.recent_shown()] == ["exactly once"]
    await show.page.locator(".dm", has_text="exactly once").wait_for()
    await asyncio.sleep(0.3)
    assert await show.page.locator(".dm", has_text="exactly once").count() == 1


async def test_projector_keys_cursor_and_fullscreen(service: Service, browser: Any) -> None:
    show = await open_show(browser, service, viewport=PROJECTOR)
    assert await show.evaluate("() => getComputedStyle(document.body).cursor") == "none"
    await show.page.keyboard.press("f")
    await show.page.wait_for_function("() => document.fullscreenElement !== null", timeout=2000)
    await show.page.keyboard.press("f")
    await show.page.wait_for_function("() => document.fullscreenElement === null", timeout=2000)
    await show.page.mouse.move(100, 100)
    await show.page.mouse.move(200, 120)
    assert await show.evaluate("() => getComputedStyle(document.body).cursor") != "none"


async def test_screenshots(service: Service, browser: Any) -> None:
    """Pictures for a human to look at (in $DANMAKU_SHOTS, default /tmp/shots)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    show = await open_show(browser, service, viewport=PROJECTOR)
    transparent = await open_show(browser, service, "?bg=transparent&qr=0", viewport=PROJECTOR)
    phone = await open_phone(browser, service, locale="zh-CN")
    assert await phone.page.locator("button[type=submit]").text_content() == "发送"
    await send_from_phone(phone, "大家好！这是第一条弹幕", nick="小明")
    await status(phone).filter(has_text="上墙了").wait_for(timeout=5000)
    await phone.page.fill("input[name=text]", "还有一条")
    await phone.page.screenshot(path=str(SHOTS / "send-zh-390x844.png"))

    # English, after a held comment was approved and with a lottery win on top.
    english = await open_phone(browser, service, locale="en-US")
    await send_from_phone(english, f"Great talk {FLAGGED_TERM}", nick="Priya")
    await status(english).filter(has_text="Waiting for review").wait_for(timeout=5000)
    await service.hub.approve(service.hub.held()[0].id)
    await status(english).filter(has_text="was approved").wait_for(timeout=5000)
    await english.page.fill("input[name=text]", "Thanks!")
    await service.hub.draw(DrawRules(winners=2))  # both phones so far: this one wins
    await english.page.locator("#won").wait_for(timeout=5000)
    service.hub.dismiss_draw()

    android = await open_phone(
        browser, service, emulate=device("Pixel 7"), viewport=ANDROID, locale="zh-CN"
    )
    await android.page.tap("label.seg:has(input[value=bottom])")
    await android.page.tap("label.swatch:has(input[value='#ffe133'])")
    await android.page.fill("input[name=nick]", "安卓用户")
    await android.page.fill("input[name=text]", "这条从安卓手机发出 👍🏽")

    # An idle replay, through the page's own path (the server sends these after 10 s idle).
    await show.evaluate(
        """() => window.__danmakuShow.inject({id: 2, text: '再放一遍：这个讲得太好了',
            nick: 'Mei', color: '#ffffff', mode: 'scroll', replay: true, avatar_hue: 200})"""
    )
    await service.hub.submit(
        Submission(sender="top", text="欢迎来到年会", nick="主持人", mode=Mode.TOP)
    )
    await service.hub.submit(
        Submission(
            sender="bot", text="底部弹幕 bottom", nick="Lee", mode=Mode.BOTTOM, color="#ffe133"
        )
    )
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
    nicks = ["阿杰", "Sam", "", "小红", "老王", "Priya", "Tom", "橘子"]
    for i, text in enumerate(texts):
        await service.hub.submit(
            Submission(sender=f"s{i}", text=text, nick=nicks[i], color=colors[i % 6])
        )
    await asyncio.sleep(3.5)
    await show.page.screenshot(path=str(SHOTS / "show-1920x1080.png"))
    # The same wall as an OBS overlay: a real alpha channel, no QR.
    await transparent.page.screenshot(
        path=str(SHOTS / "show-transparent-1920x1080.png"), omit_background=True
    )

    await service.hub.draw(DrawRules(winners=3))
    await show.page.locator("#lottery .winners li").nth(2).wait_for(timeout=8000)
    await show.page.screenshot(path=str(SHOTS / "show-lottery-1920x1080.png"))
    await english.page.screenshot(path=str(SHOTS / "send-en-390x844.png"))
    await android.page.screenshot(path=str(SHOTS / "send-android-412x915.png"))
    for page in (show, transparent, phone, english, android):
        assert page.errors == [], page.errors


LOTTERY_STATE = """() => ({
    title: document.getElementById('lottery-title').textContent,
    count: document.getElementById('lottery-count').hidden
        ? null : document.getElementById('lottery-count').textContent,
    roll: document.getElementById('lottery-roll').hidden
        ? null : document.getElementById('lottery-roll').textContent,
    winners: Array.from(document.querySelectorAll('#lottery-winners li'), li => li.textContent),
    replacements: Array.from(document.querySelectorAll('#lottery-winners li.replacement'),
        li => li.textContent),
    voided: document.getElementById('lottery-voided').hidden
        ? null : document.getElementById('lottery-voided').textContent,
    proof: document.getElementById('lottery-proof').hidden
        ? null : document.getElementById('lottery-proof').textContent,
    record: document.getElementById('join-record').hidden
        ? null : document.getElementById('join-record').textContent,
})"""

# What is on top at the QR code's centre: the QR panel must stay above the lottery overlay.
ON_TOP_OF_QR = """() => {
    const r = document.getElementById('qr').getBoundingClientRect();
    return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).id;
}"""


async def test_lottery_overlay_commits_a_round_then_shows_its_prize_seed_and_voids(
    service: Service, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    hub = service.hub
    show = await open_show(browser, service, "?lang=zh", viewport=PROJECTOR)
    nicks = ["小明", "Priya", XSS_NICK, "阿杰", "Sam", "橘子", "老王"]
    for i, nick in enumerate(nicks):
        await hub.submit(Submission(sender=f"s{i}", text=f"新年快乐 {i}", nick=nick))
    rules = DrawRules(winners=3, prize="二等奖")

    # Committed: the prize, how many, and the seed's SHA-256 in full; no seed, no winners.
    seed_hash = hub.open_round(rules)
    await show.page.locator("#lottery").wait_for(state="visible", timeout=5000)
    state = await show.evaluate(LOTTERY_STATE)
    assert state["title"] == "二等奖" and state["count"] == "×3"
    assert state["winners"] == [] and state["roll"] == "本轮种子已提前锁定，开奖后公布"
    assert state["proof"].startswith("SHA-256 ")
    assert state["proof"].removeprefix("SHA-256 ").replace(" ", "") == seed_hash
    assert "种子" not in state["proof"] and state["record"] is None
    assert await show.evaluate(ON_TOP_OF_QR) == "qr"
    await show.page.screenshot(path=str(SHOTS / "show-lottery-round-1920x1080.png"))

    # Drawn: the prize as the title, the winners, then the seed beside the hash's start.
    draw = await hub.draw(rules)
    await show.page.locator("#lottery-winners li").nth(2).wait_for(timeout=8000)
    state = await show.evaluate(LOTTERY_STATE)
    assert state["title"] == "二等奖" and state["count"] is None and state["roll"] is None
    assert state["winners"] == [w.nick for w in draw.standing]
    assert state["proof"] == f"种子 {draw.seed} · SHA-256 {seed_hash[:16]}…"
    host = service.base_url.removeprefix("http://")
    assert state["record"] is not None and state["record"].endswith("/draws")
    assert state["record"].startswith("抽奖记录 ") and host.split(":")[1] in state["record"]
    assert await show.evaluate(ON_TOP_OF_QR) == "qr"
    assert await show.page.locator("img:not(#qr)").count() == 0  # the <img> nick stays text
    await show.page.screenshot(path=str(SHOTS / "show-lottery-drawn-1920x1080.png"))

    # A void: the same draw again, its winners changed in place (no roll), the void named.
    voided = draw.standing[0]
    updated = await hub.void_winner(voided.sender, VoidReason.ABSENT)
    (replacement,) = [w.nick for w in updated.standing if w not in draw.standing]
    await show.page.locator("#lottery-winners li", has_text=replacement).wait_for(timeout=2000)
    state = await show.evaluate(LOTTERY_STATE)
    assert state["roll"] is None  # a roll would show it for seconds
    assert state["winners"] == [w.nick for w in updated.standing]
    assert state["replacements"] == [replacement]
    assert state["voided"] == f"作废：{voided.nick}（不在场）"
    await show.page.screenshot(path=str(SHOTS / "show-lottery-voided-1920x1080.png"))

    hub.dismiss_draw()
    await show.page.locator("#lottery").wait_for(state="hidden")
    assert show.dialogs == [] and show.errors == []


async def test_lottery_round_overlay_in_english_for_a_plain_draw(
    service: Service, browser: Any
) -> None:
    show = await open_show(browser, service, "?lang=en")
    await service.hub.submit(Submission(sender="a", text="hi", nick="Ann"))
    seed_hash = service.hub.open_round(DrawRules(winners=1))
    await show.page.locator("#lottery").wait_for(state="visible", timeout=5000)
    state = await show.evaluate(LOTTERY_STATE)
    # No prize name: a generic title; the hash grouped by eight to read it aloud.
    assert state["title"] == "Lucky draw" and state["count"] == "×1"
    assert state["proof"] == "SHA-256 " + " ".join(seed_hash[i : i + 8] for i in range(0, 64, 8))
    draw = await service.hub.draw(DrawRules(winners=1))
    await show.page.locator("#lottery-winners li").first.wait_for(timeout=8000)
    state = await show.evaluate(LOTTERY_STATE)
    assert state["title"] == "Congratulations!" and state["winners"] == ["Ann"]
    assert state["proof"] == f"seed {draw.seed} · SHA-256 {seed_hash[:16]}…"
    assert state["record"] is not None and state["record"].startswith("Draw record ")
    assert show.errors == []
