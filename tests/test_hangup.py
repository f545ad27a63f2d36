"""The moderator's SSH drops (SIGHUP): the wall keeps running; --takeover re-attaches."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import subprocess
import sys
import termios
import time
from pathlib import Path

import aiohttp
import pytest
import socketio

from tests.process_support import free_port


def _owner(db: Path) -> int | None:
    try:
        return int(json.loads(db.with_suffix(".pid").read_text())["pid"])
    except (OSError, ValueError):
        return None


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


async def _healthy(port: int, timeout: float = 15.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    return dict(await response.json())
            except aiohttp.ClientError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)


async def _send_and_see(port: int, text: str) -> None:
    seen = asyncio.Event()
    show = socketio.AsyncClient(reconnection=False)
    show.on("danmaku", lambda d: seen.set() if d["text"] == text else None, namespace="/show")
    await show.connect(f"http://127.0.0.1:{port}", namespaces=["/show"])
    phone = socketio.AsyncClient(reconnection=False)
    await phone.connect(f"http://127.0.0.1:{port}", namespaces=["/send"],
                        auth={"client_id": "hup"})  # fmt: skip
    ack = await phone.call("danmaku", {"text": text}, namespace="/send")
    assert ack["ok"] is True
    await asyncio.wait_for(seen.wait(), 5)
    await phone.disconnect()
    await show.disconnect()


@pytest.mark.slow
async def test_hangup_keeps_the_wall_and_takeover_reattaches(tmp_path: Path) -> None:
    port, db = free_port(), tmp_path / "night.db"
    session = f"hup{port}"
    command = f"{sys.executable} -m console --host 127.0.0.1 --port {port} --db {db} --rate off"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        await _healthy(port)
        owner = _owner(db)
        assert owner is not None
        _tmux("kill-session", "-t", session)  # the terminal goes away: SIGHUP
        await asyncio.sleep(1.0)
        await _healthy(port)  # still serving…
        await _send_and_see(port, "still up after the hangup")  # …and the wall still works

        busy = subprocess.run([*command.split(), "serve"], capture_output=True, text=True,
                              timeout=30)  # fmt: skip
        assert busy.returncode == 1 and "--takeover" in busy.stderr

        _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command + " --takeover")
        deadline = time.monotonic() + 20
        while _owner(db) in (owner, None):
            assert time.monotonic() < deadline, "the new console never took over"
            await asyncio.sleep(0.1)
        await _healthy(port)
        await _send_and_see(port, "the new console serves")
        deadline = time.monotonic() + 10
        while "Join http" not in _tmux("capture-pane", "-p", "-t", session):
            assert time.monotonic() < deadline, _tmux("capture-pane", "-p", "-t", session)
            await asyncio.sleep(0.2)
    finally:
        _tmux("send-keys", "-t", session, "C-q")
        await asyncio.sleep(0.5)
        _tmux("kill-session", "-t", session)


@pytest.mark.slow
async def test_a_terminal_that_vanishes_without_a_hangup_does_not_stop_the_wall(
    tmp_path: Path,
) -> None:
    # The console's terminal is a pty that is not its controlling one, so closing the far
    # end sends no SIGHUP: every write to it then fails (EIO), and the console keeps
    # updating its screen as comments arrive. Textual's output thread used to die on the
    # first failure, and 30 screen updates later the whole process froze: no comment
    # acked, /healthz silent, SIGTERM ignored (seen after `tmux kill-server` under load).
    port, db = free_port(), tmp_path / "night.db"
    terminal, console_side = pty.openpty()
    termios.tcsetwinsize(console_side, (30, 100))
    console = subprocess.Popen(
        [sys.executable, "-m", "console", "--host", "127.0.0.1", "--port", str(port),
         "--db", str(db), "--rate", "off"],
        stdin=console_side, stdout=console_side, stderr=console_side,
        start_new_session=True, env={**os.environ, "TERM": "xterm-256color"},
    )  # fmt: skip
    os.close(console_side)
    loop = asyncio.get_running_loop()
    loop.add_reader(terminal, os.read, terminal, 65536)  # the screen, read and dropped
    try:
        await _healthy(port, timeout=60)
        await asyncio.sleep(1.0)  # the console's first screens drawn
        loop.remove_reader(terminal)
        os.close(terminal)  # the terminal is gone: no SIGHUP
        phone = socketio.AsyncClient(reconnection=False)
        await phone.connect(f"http://127.0.0.1:{port}", namespaces=["/send"],
                            auth={"client_id": "vanished"})  # fmt: skip
        for n in range(1_000):  # froze after ~400 before: each one is a screen update
            ack = await phone.call("danmaku", {"text": f"comment {n}"}, namespace="/send",
                                   timeout=5)  # fmt: skip
            assert ack["ok"] is True, ack
            await asyncio.sleep(0.01)
        await phone.disconnect()
        await _send_and_see(port, "still up with no terminal")
        console.terminate()  # and it still stops when told to
        assert console.wait(timeout=20) == 0
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()
