"""A bare python-socketio relay: the yardstick for ``benchmarks/ingest.py``.

Receives ``danmaku`` on ``/send``, answers the ack ``{"ok": true, "id": n, "status":
"shown"}`` and emits the comment to ``/show``: no validation, no filter, no database.
The same python-socketio AsyncServer on aiohttp as the real server.

    python benchmarks/bare_relay.py --port 8099 [--gc-tuned]

``--gc-tuned`` applies what ``danmaku serve`` does after start-up: ``gc.collect()``,
``gc.freeze()`` and ``gc.set_threshold(50_000, 50, 100)``. Stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import resource
import signal
from typing import Any

import socketio
from aiohttp import web


def make_app() -> tuple[web.Application, socketio.AsyncServer]:
    sio = socketio.AsyncServer(
        async_mode="aiohttp", max_http_buffer_size=64 * 1024, logger=False, engineio_logger=False
    )
    ids = itertools.count(1)

    async def danmaku(sid: str, data: Any = None) -> dict[str, Any]:
        n = next(ids)
        if isinstance(data, dict):
            await sio.emit(
                "danmaku",
                {
                    "id": n,
                    "text": data.get("text", ""),
                    "nick": data.get("nick", ""),
                    "color": data.get("color", "#ffffff"),
                    "mode": data.get("mode", "scroll"),
                    "replay": False,
                },
                namespace="/show",
            )
        return {"ok": True, "id": n, "status": "shown"}

    sio.on("danmaku", danmaku, namespace="/send")
    sio.on("connect", lambda sid, environ, auth=None: None, namespace="/send")
    sio.on("connect", lambda sid, environ, auth=None: None, namespace="/show")
    app = web.Application()
    sio.attach(app)
    return app, sio


async def serve(port: int, gc_tuned: bool) -> None:
    app, sio = make_app()
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if gc_tuned:
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 50, 100)
    print(f"bare relay ready on 127.0.0.1:{port} (gc tuned: {gc_tuned})", flush=True)
    try:
        await stop.wait()
    finally:
        if sio.eio.sockets:
            try:
                await asyncio.wait_for(sio.eio.disconnect(), 0.5)
            except TimeoutError:
                pass
        await sio.shutdown()
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--gc-tuned", action="store_true", help="gc.freeze + raised thresholds")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(serve(args.port, args.gc_tuned))


if __name__ == "__main__":
    main()
