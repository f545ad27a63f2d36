"""``danmaku serve``: the server with no console, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import gc
import signal

from server.settings import Settings
from server.web.service import running_service


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    """Run until a stop signal; flagged comments wait, persisted, for a moderator."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_service(settings) as service:
        print(f"Danmaku Deck serving. Phones open {service.join_url}", flush=True)
        print(f"Projector: {service.base_url}/show   (Ctrl-C stops)", flush=True)
        freeze_startup_objects()
        if ready is not None:
            ready.set()
        await stop.wait()


def freeze_startup_objects() -> None:
    """Keep the cyclic GC's pauses short once thousands of phones are connected.

    Everything alive after start-up (modules, jieba's dictionary) moves to a permanent
    generation the collector never scans again, and collections run less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
