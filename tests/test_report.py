"""`danmaku report`: the night's recap, made from a database a real server wrote.

A real server takes comments from real Socket.IO phones (clean ones, held ones approved,
rejected and left to expire), the moderator draws a lottery round through the hub, and
`danmaku report` runs as a subprocess on that file. The tests read the page as a reader
would: the numbers on it, the names, the words, and in Chromium what it looks like.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html import escape, unescape
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from server.hub import Hub
from server.models import Draw, DrawRules, Message, Mode, Reason, Status, Submission
from server.moderation import TextFilter
from server.report import figures
from server.report.command import make_report
from server.report.page import LOCALE_DIR
from server.settings import Settings
from tests.browser_support import CHROMIUM, chromium
from tests.conftest import OpenVenue, send, with_changes
from tests.process_support import DANMAKU, ENV

# Nicks are at most 16 characters: each of these is a whole attack within that.
SCRIPT_NICK = "<script>alert(1)"
ATTRIBUTE_NICK = '"><img src=x>'
PRIZE = "一等奖 <b>iPad</b> & more"
SHOWN_WORD = "烟花"  # in two comments that went up
REJECTED_WORD = "菠萝蜜"  # only in a comment the moderator rejected
EXPIRED_WORD = "椰子糖"  # only in a comment nobody decided


@dataclass
class RecordedNight:
    """The database a real server wrote, and what the test knows happened in it."""

    db: Path
    draw: Draw


async def record_a_night(open_venue: OpenVenue, settings: Settings) -> RecordedNight:
    """Phones send through a real server; the moderator approves, rejects, lets one expire
    and draws a round. Every ack is a commit, so the file holds it all when this returns."""
    venue = await open_venue(with_changes(settings, hold_expire_seconds=1.5))
    hub = venue.service.hub
    loud = await venue.phone("phone-loud")
    sly = await venue.phone("phone-sly")
    held = await venue.phone("phone-held")
    for text in ("新年快乐", f"今晚的{SHOWN_WORD}太美了", "主持人好帅", "乐队加油"):
        assert (await send(loud, {"text": text, "nick": SCRIPT_NICK}))["status"] == "shown"
    for text in (f"{SHOWN_WORD}开始了", "灯光好美"):
        assert (await send(sly, {"text": text, "nick": ATTRIBUTE_NICK}))["status"] == "shown"
    approved = await send(held, {"text": "一只黑猫跑过舞台", "nick": "小明"})
    rejected = await send(held, {"text": f"darn {REJECTED_WORD}", "nick": "小明"})
    expiring = await send(held, {"text": f"黑猫吃{EXPIRED_WORD}", "nick": "小明"})
    assert [a["status"] for a in (approved, rejected, expiring)] == ["held"] * 3
    assert await hub.approve(approved["id"]) is not None
    assert await hub.reject(rejected["id"]) is not None
    for _ in range(200):  # --hold-expire 1.5 s: the ticker lets the last one go
        if not hub.held():
            break
        await asyncio.sleep(0.05)
    assert not hub.held(), "the undecided comment did not expire"
    rules = DrawRules(winners=1, prize=PRIZE)
    hub.open_round(rules)
    draw = await hub.draw(rules)
    return RecordedNight(settings.db_path, draw)


def run_report(db: Path, out: Path, *options: str, env: dict[str, str] | None = None) -> Any:
    return subprocess.run(
        [*DANMAKU, "report", "--db", str(db), "--out", str(out), *options],
        capture_output=True, text=True, env=env or ENV, timeout=120,
    )  # fmt: skip


async def report_of(night: RecordedNight, out: Path, *options: str) -> str:
    result = await asyncio.to_thread(run_report, night.db, out, *options)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def section(html: str, key: str) -> str:
    """The markup of one section of the page (``<section id=key>``)."""
    start = html.index(f'id="{key}"')
    return html[start : html.index("</section>", start)]


def titles(markup: str) -> list[str]:
    """The tooltips a reader sees on hover, as text."""
    return [unescape(t) for t in re.findall(r"<title>(.*?)</title>", markup)]


def leading_count(tip: str) -> int:
    """The number a tooltip starts with ("3 comments: …" is 3)."""
    found = re.match(r"(\d+) ", tip)
    assert found is not None, tip
    return int(found.group(1))


def minutes_in_database(db: Path) -> Counter[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT created_at FROM messages WHERE NOT rehearsal").fetchall()
    return Counter(f"{datetime.fromtimestamp(at):%H:%M}" for (at,) in rows)


async def test_the_recap_shows_what_the_night_recorded(
    open_venue: OpenVenue, settings: Settings, tmp_path: Path
) -> None:
    night = await record_a_night(open_venue, settings)
    html = await report_of(night, tmp_path / "recap.html", "--lang", "en")

    # Comments per minute: each bar's tooltip gives the minute and its total.
    shown_minutes = Counter[str]()
    for tip in titles(section(html, "timeline")):
        minute, total = re.match(r"(\d\d:\d\d) · (\d+) comments?", tip).groups()  # type: ignore[union-attr]
        shown_minutes[minute] += int(total)
    assert shown_minutes == minutes_in_database(night.db)
    assert sum(shown_minutes.values()) == 9

    # The busiest sender, by nick, as text: escaped in the markup, never markup itself.
    senders = section(html, "senders")
    assert escape(SCRIPT_NICK) in senders
    assert escape(ATTRIBUTE_NICK) in senders
    assert titles(senders)[0] == f"{SCRIPT_NICK} · 4 comments: 4 shown at once"

    # The moderation record: the held term's list, with what became of each comment.
    categories = titles(section(html, "categories"))
    assert categories == ["3 comments: 1 approved, 1 rejected, 1 expired"]
    assert ">testlist<" in section(html, "categories")
    assert titles(section(html, "how")) == categories  # all three matched as written
    assert ">as written<" in section(html, "how")

    # How long held comments waited: the three decided ones, in some bucket each.
    waits = titles(section(html, "waits"))
    assert sum(leading_count(tip) for tip in waits) == 3

    # The words of the night come from the wall only.
    assert f'title="2 comments">{SHOWN_WORD}</span>' in section(html, "words")
    assert REJECTED_WORD not in html and EXPIRED_WORD not in html

    # The lottery: prize, winner, seed and the commitment shown before the draw.
    lottery = section(html, "lottery")
    assert escape(PRIZE) in lottery
    winner = night.draw.winners[0].nick
    assert f'<li class="winner">{escape(winner)}</li>' in lottery
    assert str(night.draw.seed) in lottery
    assert hashlib.sha256(str(night.draw.seed).encode()).hexdigest() in lottery

    # One file, nothing from outside, no script anywhere.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)""", html, re.I)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "<link" not in html.lower() and "url(" not in html and "@import" not in html
    assert "default-src 'none'" in html


async def test_the_page_speaks_the_language_asked_for_or_the_environments(
    open_venue: OpenVenue, settings: Settings, tmp_path: Path
) -> None:
    night = await record_a_night(open_venue, settings)
    english = await report_of(night, tmp_path / "en.html", "--lang", "en")
    chinese = await report_of(night, tmp_path / "zh.html", "--lang", "zh")
    assert "<h2>Comments per minute</h2>" in english and "<h2>The lottery</h2>" in english
    assert "<h2>每分钟弹幕数</h2>" in chinese and "<h2>抽奖</h2>" in chinese
    assert "Comments per minute" not in chinese
    assert titles(section(chinese, "categories")) == ["3 条弹幕：审核通过 1，已拒绝 1，超时未审 1"]

    no_lang = {k: v for k, v in ENV.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    out = tmp_path / "env.html"
    result = await asyncio.to_thread(
        run_report, night.db, out, env={**no_lang, "LANG": "zh_CN.UTF-8"}
    )
    assert result.returncode == 0, result.stderr
    assert '<html lang="zh-CN">' in out.read_text(encoding="utf-8")

    # The console's --lang, given before the command, speaks for the report too.
    before = tmp_path / "before.html"
    command = [*DANMAKU, "--lang", "zh", "report", "--db", str(night.db), "--out", str(before)]
    result = await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, env={**no_lang, "LANG": "C"}
    )
    assert result.returncode == 0, result.stderr
    assert '<html lang="zh-CN">' in before.read_text(encoding="utf-8")


async def test_the_recap_in_chromium_at_1280_by_800(
    open_venue: OpenVenue, settings: Settings, tmp_path: Path
) -> None:
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is needed (apt-get install chromium)"
    night = await record_a_night(open_venue, settings)
    async with chromium() as browser:
        for lang, heading in (("en", "The night in review"), ("zh", "活动弹幕回顾")):
            out = tmp_path / f"recap-{lang}.html"
            await report_of(night, out, "--lang", lang)
            await look_at(browser, out, lang, heading)


async def look_at(browser: Any, out: Path, lang: str, heading: str) -> None:
    """Open the page as an organiser would, keep screenshots, and check what shows."""
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":  # a blocked fetch or script would say so here
            errors.append(message.text)

    page.on("request", lambda request: requests.append(request.url))
    page.on("console", on_console)
    await page.goto(out.as_uri())
    await page.screenshot(path=f"/tmp/recap-{lang}.png")
    await page.screenshot(path=f"/tmp/recap-{lang}-full.png", full_page=True)
    assert requests == [out.as_uri()]  # the file itself, nothing else
    assert errors == []
    assert await page.locator("h1").inner_text() == heading
    # The nicks read as typed, and the page fits the screen's width.
    senders = await page.locator("#senders").inner_text()
    assert SCRIPT_NICK in senders and ATTRIBUTE_NICK in senders
    assert await page.evaluate("document.documentElement.scrollWidth") <= 1280
    box = await page.locator("#timeline svg").bounding_box()
    assert box is not None and box["width"] > 1000 and box["height"] > 200
    await page.close()


def test_no_database_or_not_ours_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "recap.html"
    missing = run_report(tmp_path / "none.db", out)
    assert missing.returncode == 1
    assert missing.stderr.startswith("danmaku report: No database at")
    assert "Traceback" not in missing.stderr
    assert not (tmp_path / "none.db").exists() and not out.exists()

    text = tmp_path / "notes.db"
    text.write_text("not a database, just notes\n" * 50, encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    for path in (text, other):
        result = run_report(path, out)
        assert result.returncode == 1
        assert "is not a Danmaku Deck database" in result.stderr
        assert "Traceback" not in result.stderr
        assert not out.exists()

    unwritable = run_report(other, tmp_path / "no-such-dir" / "recap.html")
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr


async def test_an_empty_night_says_so(
    open_venue: OpenVenue, settings: Settings, tmp_path: Path
) -> None:
    await open_venue(settings)  # the server made the database; nobody sent anything
    out = tmp_path / "recap.html"
    result = await asyncio.to_thread(run_report, settings.db_path, out, "--lang", "en")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<h2>A quiet night</h2>" in html
    assert "Nobody sent a comment and no lottery was drawn." in html


async def test_held_wait_runs_from_sending_to_the_decision_on_the_hubs_clock(
    settings: Settings, checker: TextFilter, tmp_path: Path
) -> None:
    now = [1_000.0]
    hub = await Hub.open(settings, checker, clock=lambda: now[0])
    try:
        first = await hub.submit(Submission(sender="a", text="一只黑猫"))
        now[0] += 30
        second = await hub.submit(Submission(sender="b", text="darn"))
        now[0] += 200
        assert await hub.approve(first.id) is not None  # waited 230 s
        await hub.retract(first.id)  # taken down later: the decision's time stays
        now[0] += 5
        assert await hub.reject(second.id) is not None  # waited 205 s
        third = await hub.submit(Submission(sender="c", text="黑猫黑猫"))
        now[0] += 7
        await hub.approve(third.id)
        assert await hub.undo() is not None  # back in the queue: not decided any more
    finally:
        await hub.close()
    out = tmp_path / "recap.html"
    await make_report(settings.db_path, out, "en")
    waits = section(out.read_text(encoding="utf-8"), "waits")
    assert titles(waits) == [
        "0 comments",
        "0 comments",
        "0 comments",
        "0 comments",
        "2 comments: 1 approved, 1 rejected",  # 2–5 min
        "0 comments",
    ]
    assert "3 min 38 s" in waits  # the median of 230 s and 205 s


async def test_a_database_from_before_decision_times_still_reports(
    settings: Settings, checker: TextFilter, tmp_path: Path
) -> None:
    hub = await Hub.open(settings, checker)
    held = await hub.submit(Submission(sender="a", text="一只黑猫"))
    await hub.approve(held.id)
    await hub.close()
    with sqlite3.connect(settings.db_path) as conn:
        conn.execute("ALTER TABLE messages DROP COLUMN decided_at")
    out = tmp_path / "recap.html"
    await make_report(settings.db_path, out, "en")
    html = out.read_text(encoding="utf-8")
    assert "This database does not record when comments were decided." in html
    with sqlite3.connect(settings.db_path) as conn:  # read-only: not migrated behind our back
        columns = [row[1] for row in conn.execute("PRAGMA table_info(messages)")]
    assert "decided_at" not in columns


def _held(how: str, status: Status, category: str = "insult") -> Message:
    reason = Reason(term="傻逼", category=category, span=(0, 2), how=how)
    return Message(1, "sb", "", "s", "#ffffff", Mode.SCROLL, status, (reason,), 0, 0.0)


def test_how_a_comment_matched_is_grouped_by_the_kind_in_brackets() -> None:
    rows = figures.by_how(
        [
            _held("sb → 傻逼 (initials)", Status.REJECTED),
            _held("SB → 傻逼 (initials)", Status.APPROVED),
            _held("", Status.REJECTED),
            _held("沙比 → 傻逼 (homophone)", Status.EXPIRED),
        ]
    )
    assert [(r.label, r.total) for r in rows] == [("initials", 2), ("homophone", 1), ("literal", 1)]
    assert rows[0].counts == {Status.REJECTED: 1, Status.APPROVED: 1}


def test_two_senders_with_one_nick_are_two_numbered_rows() -> None:
    def said(i: int, sender: str, nick: str) -> Message:
        return Message(i, "hi", nick, sender, "#ffffff", Mode.SCROLL, Status.SHOWN, (), 0, 0.0)

    messages = [said(1, "a", "小王"), said(2, "a", "小王"), said(3, "a", "小王")]
    messages += [said(4, "b", "小王"), said(5, "c", "老李"), said(6, "c", "老李")]
    rows = figures.busiest_senders(messages, {}, 10)
    assert [(r.nick, r.namesake, r.total) for r in rows] == [
        ("小王", 1, 3),
        ("老李", 0, 2),
        ("小王", 2, 1),
    ]


def test_a_long_night_is_counted_in_wider_bars_that_add_up() -> None:
    start = datetime(2026, 12, 31, 19, 0).timestamp()
    messages = [
        Message(i, "hi", "", "s", "#ffffff", Mode.SCROLL, Status.SHOWN, (), 0, start + i * 37.0)
        for i in range(600)  # six hours and ten minutes, one comment every 37 s
    ]
    line = figures.timeline(messages)
    assert line.step_minutes == 5 and len(line.counts) <= figures.MAX_BARS
    assert sum(sum(c.values()) for c in line.counts) == 600
    assert line.starts[0] == datetime(2026, 12, 31, 19, 0)


def test_every_string_of_the_page_has_its_chinese() -> None:
    page = Path(figures.__file__).with_name("page.py")
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    wanted = {
        msg if isinstance(msg, str) else msg[0]
        for _, msg, _, _ in extract_from_file("python", page, keywords=keywords)
    }
    with (LOCALE_DIR / "zh.po").open("rb") as po:
        catalog = read_po(po, locale="zh")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and m.string and (isinstance(m.string, str) or all(m.string))
    }
    assert len(wanted) > 80
    assert wanted - translated == set()
