"""The console in the moderator's language: `danmaku --lang zh|en`, and README.zh.md.

The Chinese console is driven through every view, every dialog and the notices that real
phones and keys set off; each time, the screen as the terminal would show it (Textual's own
screenshot export, read back as text) and every notification must hold no English word
beyond a short allow-list: key names, the product's name, SHA-256, sender ids and what the
audience typed. The catalogue is checked against the msgids the code marks.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import re
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import socketio
from babel.messages.pofile import read_po
from rich.cells import cell_len
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from console.cli import build_parser
from console.dialogs.add_term import AddTermDialog
from console.dialogs.allow_word import AllowWordDialog
from console.dialogs.confirm import ConfirmDialog
from console.dialogs.join import JoinScreen
from console.dialogs.prize_plan import PrizePlanDialog
from console.dialogs.search import SearchDialog, SearchResults
from console.dialogs.void_winner import VoidWinnerDialog
from console.language import CATALOGUE_DIR
from console.widgets.held_table import HeldTable
from server.settings import Settings
from tests.conftest import Console, running_console, send, with_changes
from tests.process_support import DANMAKU, free_port

REPO = Path(__file__).resolve().parent.parent
CONSOLE_DIR = REPO / "console"

# Latin words a Chinese console may show: key names, the product's name, the hash's name,
# the core's sender ids ("client:<the phone's id>") and the test wordlist's category (a
# file's stem: the organiser's own name for it; its file is .txt). Single letters are keys.
ALLOWED = frozenset(
    {"Enter", "Esc", "Ctrl", "Danmaku", "Deck", "SHA", "sha", "client", "testlist", "txt"}
)
# What the audience sends here (audience text is never translated).
AUDIENCE = frozenset({"Dora", "darn", "it"})
NOT_WORDS = re.compile(r"https?://\S+|\b[0-9a-f]{8,}…?")  # URLs, seeds' hashes
LATIN_WORD = re.compile(r"[A-Za-z]+")


def english_words(text: str, allowed: Iterable[str] = ALLOWED | AUDIENCE) -> list[str]:
    """Latin words of two letters or more in ``text`` that are not allowed."""
    words = LATIN_WORD.findall(NOT_WORDS.sub(" ", text))
    return [word for word in words if len(word) > 1 and word not in allowed]


SVG_TEXT = "{http://www.w3.org/2000/svg}text"
SVG_LINE = re.compile(r"-line-(\d+)\)")


async def screenshot(console: Console) -> str:
    """Textual's SVG export of the screen, taken in the app's own task.

    Exporting renders the screen again; the app's task is where it renders (and where the
    app's language is installed), as it is for Textual's own screenshot key.
    """
    taken: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    console.app.call_next(lambda: taken.set_result(console.app.export_screenshot()))
    return await taken


async def screen_lines(console: Console) -> list[str]:
    """The screen (dialogs, toasts and all) as text, line by line, from Textual's SVG export.

    Each run of text sits at ``x`` = its first cell × the cell width, and the cell width is
    its ``textLength`` over its characters: the runs are put back in their columns.
    """
    root = ElementTree.fromstring(await screenshot(console))
    runs: dict[int, list[tuple[int, str]]] = {}
    for element in root.iter(SVG_TEXT):
        line = SVG_LINE.search(element.get("clip-path", ""))
        text = (element.text or "").replace("\xa0", " ")
        if line is None or not text:
            continue  # the window's title, outside the terminal
        cell = float(element.get("textLength", "0")) / len(text)
        column = round(float(element.get("x", "0")) / cell)
        runs.setdefault(int(line[1]), []).append((column, text))
    lines = []
    for number in sorted(runs):
        shown = ""
        for column, text in sorted(runs[number]):
            shown += " " * max(0, column - cell_len(shown)) + text
        lines.append(shown)
    return lines


class Inspector:
    """Looks at the Chinese console's screen after each step; fails on any English word."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.screens: set[type[Screen[Any]]] = set()
        self.heard = 0  # notifications already waited for

    async def look(self, step: str) -> list[str]:
        await self.console.pilot.pause()
        lines = await screen_lines(self.console)
        found = english_words("\n".join(lines))
        assert not found, f"English after {step}: {found}\n" + "\n".join(lines)
        self.screens.add(type(self.console.app.screen))
        return lines

    async def press(self, *keys: str) -> None:
        await self.console.pilot.press(*keys)

    async def open(self, key: str, kind: type[Screen[Any]], step: str) -> Any:
        await self.press(key)
        await self.console.wait_until(lambda: isinstance(self.console.app.screen, kind), what=step)
        await self.look(step)
        return self.console.app.screen

    async def notice(self, words: str, step: str) -> None:
        """Wait for a new notification containing ``words`` (Chinese: the console's own)."""

        def heard() -> bool:
            new = self.console.notifications[self.heard :]
            return any(words in notification.message for notification in new)

        await self.console.wait_until(heard, what=step)
        self.heard = len(self.console.notifications)
        await self.look(step)


def dialog_classes() -> set[type[ModalScreen[Any]]]:
    """Every dialog defined in console/dialogs/ (a new one joins the test by itself)."""
    found: set[type[ModalScreen[Any]]] = set()
    for path in sorted((CONSOLE_DIR / "dialogs").glob("*.py")):
        module = importlib.import_module(f"console.dialogs.{path.stem}")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, ModalScreen) and value.__module__ == module.__name__:
                found.add(value)
    return found


async def phone(
    console: Console, phones: dict[str, socketio.AsyncClient], id_: str
) -> socketio.AsyncClient:
    """The phone that keeps ``id_`` (one sender), connected once."""
    if id_ not in phones:
        phones[id_] = await console.phone(id_)
    return phones[id_]


async def test_the_chinese_console_shows_no_english_word_anywhere(
    tmp_path: Path, settings: Settings
) -> None:
    allow = tmp_path / "放行词.txt"  # the organiser's own file name
    allow.write_text("# 放行的词\n", encoding="utf-8")
    settings = with_changes(settings, allow_files=(allow,))
    async with running_console(settings, size=(130, 40), language="zh") as console:
        eye = Inspector(console)
        hub = console.service.hub
        phones: dict[str, socketio.AsyncClient] = {}
        queue = await eye.look("start")
        assert "审核" in queue[0] and "弹幕墙" in queue[0] and "扫码加入" in "\n".join(queue)

        # Real phones: three clean comments go up, five flagged ones wait (the first one in
        # disguise: the queue says how it matched, "嘿猫 → 黑猫 (look-alike)").
        for id_, nick, text in (("甲", "小明", "大家好"), ("乙", "小红", "新年快乐"),
                                ("丙", "Dora", "加油")):  # fmt: skip
            ack = await send(await phone(console, phones, id_), {"text": text, "nick": nick})
            assert ack["status"] == "shown", ack
        for id_, nick, text in (("己", "小白", "嘿猫来了"),
                                ("丁", "阿黑", "黑猫来了"), ("丁", "阿黑", "黑猫又来了"),
                                ("丙", "Dora", "darn it"), ("戊", "", "看黑猫在此")):  # fmt: skip
            ack = await send(await phone(console, phones, id_), {"text": text, "nick": nick})
            assert ack["status"] == "held", ack
        held = console.app.get_screen("queue").query_one(HeldTable)
        await console.wait_until(lambda: len(held.comments) == 5, what="the queue")
        assert held.comments[0].reasons[0].how  # the disguise's name is the core's English…
        assert "形近字" in "\n".join(await eye.look("the queue with five held"))  # …translated

        # The queue's keys and dialogs.
        await eye.open("A", ConfirmDialog, "approve all (asks: more than 3)")
        await eye.press("n")
        await eye.press("a")
        await eye.notice("已通过", "a approves")
        await eye.press("z")
        await eye.notice("已撤销", "z undoes")
        await console.wait_until(lambda: len(hub.held()) == 5, what="the undo")
        await eye.press("r")
        await eye.notice("已拒绝", "r rejects")
        dialog = await eye.open("w", AddTermDialog, "w: add a word")
        dialog.query_one(Input).value = ""
        await eye.press("enter")
        await eye.notice("空词", "an empty word is refused")
        await eye.press("escape")
        await eye.open("k", AllowWordDialog, "k: allow a word")
        await eye.press("escape")
        await eye.open("P", ConfirmDialog, "P: purge asks")
        await eye.press("n")
        await eye.open("b", ConfirmDialog, "b: ban asks")
        await eye.press("y")
        await eye.notice("已封禁", "the ban")
        await eye.press("z")
        await eye.notice("解除封禁", "z lifts the ban")
        await eye.open("u", JoinScreen, "u: the join QR code")
        await eye.press("escape")

        # The switches every view has: the status line's banners and their notices.
        await eye.press("H")
        await eye.notice("全部待审", "H: hold everything")
        await eye.press("H", "p")
        await eye.notice("已暂停", "p: pause")
        await eye.press("p", "t")
        await eye.notice("彩排中", "t: rehearsal")
        await eye.open("t", ConfirmDialog, "t again: end the rehearsal asks")
        await eye.press("y")
        await eye.notice("彩排结束", "the rehearsal ends")

        # The wall: its sparkline and table, search, take down, clear.
        await eye.press("2")
        await console.wait_until(lambda: console.app.current_mode == "wall", what="the wall")
        await eye.look("the wall view")
        search = await eye.open("slash", SearchDialog, "/: search")
        search.query_one(Input).value = "黑猫"
        await eye.press("enter")
        await console.wait_until(lambda: search.query_one(SearchResults).found, what="results")
        await eye.look("search results")
        await eye.press("escape")
        await eye.press("x")
        await eye.notice("撤下", "x takes a comment down")
        await eye.open("c", ConfirmDialog, "c: clear asks")
        await eye.press("y")
        await eye.notice("清屏", "the projector cleared")

        # The lottery: a plan (a bad line first), the schemes, a round opened, drawn, voided.
        await eye.press("3")
        await console.wait_until(lambda: console.app.current_mode == "lottery", what="lottery")
        await eye.look("the lottery view")
        plan = await eye.open("e", PrizePlanDialog, "e: the prize plan")
        plan.query_one(TextArea).text = "三等奖 好多\n"
        await eye.press("ctrl+s")
        await eye.look("a bad plan line is named")
        plan.query_one(TextArea).text = "三等奖 1\n二等奖 1\n"
        await eye.press("ctrl+s")
        await eye.notice("奖项计划已设定", "the plan is set")
        for scheme in range(4):
            await eye.press("s")
            await eye.look(f"scheme {scheme}")
        await eye.press("enter")
        await console.wait_until(lambda: hub.lottery_round is not None, what="the round")
        await eye.look("a round opened")
        await eye.press("enter")
        await console.wait_until(lambda: len(hub.draws()) == 1, what="the draw")
        await eye.look("the draw")
        await eye.open("v", VoidWinnerDialog, "v: void a winner")
        await eye.press("enter")
        await eye.look("no reason chosen yet")
        await eye.press("a", "enter")
        await eye.notice("已作废", "a winner voided")
        await eye.press("d")
        await eye.look("the projector cleared of the lottery")

        # The senders, and quitting (declined).
        await eye.press("4")
        await console.wait_until(lambda: console.app.current_mode == "senders", what="senders")
        await eye.look("the senders view")
        await eye.open("b", ConfirmDialog, "b: ban a sender asks")
        await eye.press("n", "U")
        await eye.notice("未被封禁", "U on a sender not banned")
        await eye.press("ctrl+c")  # not a quit: says which key is
        await eye.notice("退出", "ctrl+c")
        await eye.open("q", ConfirmDialog, "q: quit asks")
        await eye.press("n")

        # A narrow terminal: the status line's short labels.
        await console.pilot.resize_terminal(80, 24)
        await eye.press("1")
        await eye.look("a narrow terminal")

        for notification in console.notifications:
            text = f"{notification.title} {notification.message}"
            assert not english_words(text), text
        views = {type(console.app.get_screen(name)) for name in ("queue", "wall", "lottery")}
        views.add(type(console.app.get_screen("senders")))
        assert views <= eye.screens
        assert dialog_classes() <= eye.screens, dialog_classes() - eye.screens


async def test_an_english_and_a_chinese_console_run_side_by_side(
    tmp_path: Path, settings: Settings
) -> None:
    chinese = with_changes(settings, db_path=tmp_path / "zh.db")
    async with (
        running_console(settings, language="en") as english_console,
        running_console(chinese, language="zh") as chinese_console,
    ):
        english = "\n".join(await screen_lines(english_console))
        assert english_words(english)  # the detector finds English where it is
        assert "Queue" in english and "审核" not in english
        assert not english_words("\n".join(await screen_lines(chinese_console)))
        # A notice from each, at the same time: each in its own console's language.
        await english_console.pilot.press("p")
        await chinese_console.pilot.press("p")
        await english_console.wait_until(lambda: english_console.notifications)
        await chinese_console.wait_until(lambda: chinese_console.notifications)
        assert english_console.notifications[0].message.startswith("Wall paused")
        assert chinese_console.notifications[0].message.startswith("弹幕墙已暂停")
        await chinese_console.wait_until(lambda: chinese_console.app.stats.paused)
        assert "已暂停" in (await screen_lines(chinese_console))[1]


# -- the command line ------------------------------------------------------------------------


def test_lang_defaults_from_the_environment_and_the_option_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert build_parser().parse_args([]).lang == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert build_parser().parse_args([]).lang == "zh"
    assert build_parser().parse_args(["--lang", "en"]).lang == "en"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL overrides LANG
    assert build_parser().parse_args([]).lang == "en"
    assert build_parser().parse_args(["--lang", "zh"]).lang == "zh"


def test_a_bad_lang_is_a_clear_usage_error() -> None:
    result = subprocess.run(
        [*DANMAKU, "--lang", "fr"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 2
    assert "argument --lang: invalid choice: 'fr' (choose from 'zh', 'en')" in result.stderr


def _tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-u", *args], capture_output=True, text=True, check=False)


def _console_in_tmux(tmp_path: Path, lang: str, *options: str) -> str:
    """Run `danmaku` in a real terminal with ``LANG=lang``; the status line once it is up."""
    port = free_port()
    session = f"i18n{port}"
    command = " ".join([*DANMAKU, "--host", "127.0.0.1", "--port", str(port),
                        "--db", str(tmp_path / f"{port}.db"), *options])  # fmt: skip
    env = ("-e", f"LANG={lang}", "-e", "LC_ALL=", "-e", "LC_MESSAGES=")
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", *env, command)
    try:
        deadline = time.monotonic() + 30
        while "http://" not in (screen := _tmux("capture-pane", "-p", "-t", session).stdout):
            assert time.monotonic() < deadline, screen
            time.sleep(0.2)
        _tmux("send-keys", "-t", session, "q")
        while "(y)" not in _tmux("capture-pane", "-p", "-t", session).stdout:
            assert time.monotonic() < deadline, "no question before quitting"
            time.sleep(0.1)
        _tmux("send-keys", "-t", session, "y")
        while _tmux("has-session", "-t", session).returncode == 0:  # it ends with the console
            assert time.monotonic() < deadline + 10, "the console did not quit"
            time.sleep(0.2)
        return screen
    finally:
        _tmux("kill-session", "-t", session)


@pytest.mark.slow
def test_the_real_command_speaks_what_lang_and_LANG_say(tmp_path: Path) -> None:
    assert "1 审核" in _console_in_tmux(tmp_path, "en_US.UTF-8", "--lang", "zh")
    assert "1 审核" in _console_in_tmux(tmp_path, "zh_CN.UTF-8")
    english = _console_in_tmux(tmp_path, "zh_CN.UTF-8", "--lang", "en")
    assert "1 Queue" in english and "审核" not in english


# -- the catalogue ---------------------------------------------------------------------------

MARKERS = {"_": (0,), "N_": (0,), "ngettext": (0, 1), "pgettext": (1,)}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def marked_msgids() -> set[tuple[str | None, str]]:
    """``(context, msgid)`` of every literal the console marks (f-strings included)."""
    found: set[tuple[str | None, str]] = set()
    for path in CONSOLE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            positions = MARKERS.get(node.func.id)
            if positions is None or not node.args:
                continue
            literals = [node.args[i] for i in positions if i < len(node.args)]
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in literals):
                continue  # a variable: its literal was marked with N_() where it was written
            context = None
            if node.func.id == "pgettext":
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path}: pgettext needs a literal context"
                context = str(first.value)
            for literal in literals:
                assert isinstance(literal, ast.Constant)
                found.add((context, str(literal.value)))
    return found


def catalogue() -> Any:
    with (CATALOGUE_DIR / "zh.po").open("rb") as po_file:
        return read_po(po_file, locale="zh")


def test_the_catalogue_translates_exactly_what_the_console_marks() -> None:
    zh = catalogue()
    in_catalogue: set[tuple[str | None, str]] = set()
    for message in zh:
        if not message.id:
            continue  # the header
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        in_catalogue.update((message.context, msgid) for msgid in ids)
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        wanted = {name for msgid in ids for name in PLACEHOLDER.findall(msgid)}
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (message.id, string)
    marked = marked_msgids()
    assert marked - in_catalogue == set(), "marked in console/ but not in zh.po"
    assert in_catalogue - marked == set(), "in zh.po but no longer used in console/"


# -- README.zh.md ----------------------------------------------------------------------------

FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
SHELL_COMMENT = re.compile(r"\s+#(\s.*)?$")  # a command's comment is in the README's language


def _shape(path: Path) -> tuple[list[str], list[list[str]], list[str]]:
    """A README's heading levels, its code blocks' commands (comments dropped) and the
    first cell of every table row."""
    text = path.read_text(encoding="utf-8")
    prose = FENCE.sub("", text)
    levels = [line.split(" ", 1)[0] for line in prose.splitlines() if line.startswith("#")]
    commands = [
        [SHELL_COMMENT.sub("", line) for line in block.splitlines() if line.strip()]
        for _lang, block in FENCE.findall(text)
    ]
    lines = prose.splitlines()
    keys = [  # a table's rows, its header (the line above "| ---") left out
        line.split("|")[1].strip()
        for line, below in zip(lines, [*lines[1:], ""], strict=True)
        if line.startswith("|") and not line.startswith("| ---") and not below.startswith("| ---")
    ]
    return levels, commands, keys


def test_readme_zh_keeps_in_step_with_readme() -> None:
    levels, commands, keys = _shape(REPO / "README.md")
    levels_zh, commands_zh, keys_zh = _shape(REPO / "README.zh.md")
    assert levels_zh == levels, "the same sections, in the same order"
    assert commands_zh == commands, "the same commands in the code blocks"
    assert keys_zh == keys, "the same keys and parameters in the tables"
    zh = (REPO / "README.zh.md").read_text(encoding="utf-8")
    assert "danmaku --lang zh" in zh and "(README.md)" in zh
    assert "(README.zh.md)" in (REPO / "README.md").read_text(encoding="utf-8")
