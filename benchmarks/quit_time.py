"""How long quitting takes with phones and projectors connected.

Two measurements, each printed:
- `danmaku serve` as a real process, stopped with SIGINT (the same path as Ctrl-C);
- the Textual console (headless pilot), quit with `q` then `y` (it asks first).
Each time runs from the stop request until the process has exited (serve) or the app has
returned (console) and the port accepts a new bind.

    python benchmarks/quit_time.py [--phones 200] [--shows 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import socketio


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


async def connect_clients(port: int, phones: int, shows: int) -> list[socketio.AsyncClient]:
    clients = []
    for i in range(phones + shows):
        client = socketio.AsyncClient(reconnection=False)
        namespace = "/send" if i < phones else "/show"
        auth = {"client_id": f"bench-{i}"} if namespace == "/send" else None
        await client.connect(
            f"http://127.0.0.1:{port}", namespaces=[namespace], auth=auth,
            transports=["websocket"],
        )  # fmt: skip
        clients.append(client)
    return clients


async def measure_serve(phones: int, shows: int, workdir: Path) -> float:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--db", str(workdir / "serve.db")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.readline()
    clients = await connect_clients(port, phones, shows)
    started = time.perf_counter()
    process.send_signal(signal.SIGINT)
    while process.poll() is None or not port_is_free(port):
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.disconnect()
    return elapsed


async def measure_console(phones: int, shows: int, workdir: Path) -> float:
    from console.app import make_console
    from server.settings import Settings

    port = free_port()
    settings = Settings(host="127.0.0.1", port=port, db_path=workdir / "console.db")
    app = make_console(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        while app.service is None:  # the server starts in on_mount
            await pilot.pause(0.05)
        clients = await connect_clients(port, phones, shows)
        started = time.perf_counter()
        await pilot.press("q", "y")  # q asks first: one stray key must not stop the wall
    while not port_is_free(port):
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.disconnect()
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--shows", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        serve = await measure_serve(args.phones, args.shows, workdir)
        print(f"danmaku serve, SIGINT -> exited and port free: {serve:.3f} s "
              f"({args.phones} phones, {args.shows} show pages connected)")  # fmt: skip
        console = await measure_console(args.phones, args.shows, workdir)
        print(f"console, q -> app returned and port free:      {console:.3f} s "
              f"({args.phones} phones, {args.shows} show pages connected)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
