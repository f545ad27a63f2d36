"""Does the hub stall as the night's comments pile up?

Opens the real core (``Hub`` on a temporary SQLite file, the default wordlists) and feeds
it ``--count`` of the cluster benchmark's comments (clean, unique) in stream-sized batches
through :meth:`Hub.submit_batch`, as fast as it takes them, timing each batch. A map
that doubles rehashes all it holds at once: the batch that pushes one past 2/3 of a power
of two (87,381 and 174,762 comments here) waits for it (:mod:`server.growth`). Printed:
the median batch, the slowest batches and where in the night they came, and the slowest
batch near each of those doublings. The WAL checkpoint's thread runs once a second and
shares the core: some slow batches are its.

    python benchmarks/hub_growth.py [--count 200000 --batch 50]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_hub import submission
from cluster_rig import random_sender
from hub_batch_cpu import benchmark_hub

from server.models import IntakeMark

DOUBLINGS = [2 * (1 << bits) // 3 + 1 for bits in range(15, 19)]  # 21,846 … 174,763
NEAR = 1_000  # a doubling's batch: within this many comments of it


async def batch_times(count: int, batch: int) -> list[tuple[int, float]]:
    """(first comment's number, seconds) for each batch."""
    async with benchmark_hub() as hub:
        senders = [random_sender() for _ in range(20_000)]
        times = []
        for first in range(0, count, batch):
            comments = [submission(n, senders) for n in range(first, first + batch)]
            started = time.perf_counter()
            await hub.submit_batch(comments, IntakeMark("benchmark", f"{first}-0"))
            times.append((first, time.perf_counter() - started))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=50, help="comments per stream read")
    args = parser.parse_args()
    times = asyncio.run(batch_times(args.count, args.batch))
    ordered = sorted(seconds for _, seconds in times)
    print(f"{args.count:,} comments in batches of {args.batch}:")
    print(f"  median batch {ordered[len(ordered) // 2] * 1000:.1f} ms", end="")
    print(f", p99 {ordered[int(len(ordered) * 0.99)] * 1000:.1f} ms")
    slowest = sorted(times, key=lambda t: t[1], reverse=True)[:5]
    listed = ", ".join(f"{s * 1000:.0f} ms at {first:,}" for first, s in slowest)
    print(f"  slowest: {listed}")
    for doubling in (d for d in DOUBLINGS if d < args.count):
        near = max(s for first, s in times if abs(first - doubling) <= NEAR)
        print(f"  slowest within {NEAR:,} of comment {doubling:,}: {near * 1000:.1f} ms")


if __name__ == "__main__":
    main()
