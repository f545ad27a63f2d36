"""``danmaku serve``: the server with no console, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys

from server.settings import Settings
from server.web.service import running_service


def stop_signal() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM: a process with no console waits for it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    """Run until a stop signal; flagged comments wait, persisted, for a moderator."""
    stop = stop_signal()
    async with running_service(settings, keep_gc_pauses_short=True) as service:
        print(f"Danmaku Deck serving. Phones open {service.join_url}", flush=True)
        print(f"Projector: {service.base_url}/show   (Ctrl-C stops)", flush=True)
        if service.capacity_warning:
            print(f"Warning: {service.capacity_warning}", file=sys.stderr, flush=True)
        if ready is not None:
            ready.set()
        await stop.wait()
