"""The hub's CPU per submission on a cluster's path, without Redis or a network.

Opens the real core (``Hub`` on a temporary SQLite file, the default wordlists) and feeds
it the cluster benchmark's comments (clean, unique, ``--senders`` distinct senders) in
stream-sized batches through :meth:`Hub.submit_batch`, as the intake does. Prints CPU time per
submission: the event loop's thread (judging, writing, going live) and the whole process
(the database's thread too), and where the loop's thread spends it (cProfile with
``--profile``). CPU time, not wall time: a figure to steer by on a busy machine.

    python benchmarks/hub_batch_cpu.py [--count 30000 --batch 40] [--profile]
    python benchmarks/hub_batch_cpu.py --count 20000 --text 新年快乐   # a countdown: one text

``--text``: every comment is that text (each sender sends it once, as a hall counting down
does), instead of unique ones.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import pstats
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_hub import submission
from cluster_rig import random_sender

from server.curation import build_filter_off_loop
from server.heap import freeze_startup_objects
from server.hub import Hub
from server.models import IntakeMark
from server.settings import RateLimit, Settings

SOURCE = "benchmark:submissions"


async def feed(
    hub: Hub, count: int, batch_size: int, senders: list[str], first: int, text: str | None
) -> None:
    """``count`` comments from number ``first``, a batch at a time (all ``text``, if given)."""
    for start in range(first, first + count, batch_size):
        numbers = range(start, min(first + count, start + batch_size))
        batch = [submission(n, senders) for n in numbers]
        if text is not None:
            batch = [dataclasses.replace(s, text=text) for s in batch]
        await hub.submit_batch(batch, IntakeMark(SOURCE, f"{numbers[-1]}-0"))


@asynccontextmanager
async def benchmark_hub() -> AsyncIterator[Hub]:
    """The real core on a temporary database, the default wordlists, warmed and frozen."""
    with tempfile.TemporaryDirectory(prefix="hub-cpu-") as tmp:
        settings = Settings(
            db_path=Path(tmp) / "wall.db",
            rate=RateLimit(count=1_000, seconds=1.0),  # a pace each benchmark sender keeps under
        )
        hub = await Hub.open(settings, await build_filter_off_loop(settings))
        freeze_startup_objects()
        try:
            yield hub
        finally:
            await hub.close()


async def run(args: argparse.Namespace) -> None:
    async with benchmark_hub() as hub:
        senders = [random_sender() for _ in range(args.senders)]
        await feed(hub, 2_000, args.batch, senders, 0, None)  # warm: every code path once
        profiler = cProfile.Profile() if args.profile else None
        thread_start, process_start = time.thread_time(), time.process_time()
        if profiler is not None:
            profiler.enable()
        await feed(hub, args.count, args.batch, senders, 2_000, args.text)
        if profiler is not None:
            profiler.disable()
        thread_cpu = time.thread_time() - thread_start
        process_cpu = time.process_time() - process_start
    per = 1e6 / args.count
    what = f"all {args.text!r}" if args.text else "unique texts"
    print(f"{args.count:,} submissions ({what}) in batches of {args.batch}:")
    print(f"  event loop's thread: {thread_cpu * per:.0f} us CPU per submission")
    print(f"  whole process:       {process_cpu * per:.0f} us CPU per submission")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30_000)
    parser.add_argument("--batch", type=int, default=40, help="entries per stream read")
    parser.add_argument("--senders", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the loop's thread")
    parser.add_argument("--text", help="every comment this text (a countdown), not unique ones")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
