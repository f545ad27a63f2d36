"""CPU per Redis round trip: the worker's lean connection against redis-py's.

Why ``server/cluster/resp.py`` exists: a worker makes a round trip for every batch of
submissions and every wake-up of its XREAD, hundreds a second. Starts a redis-server on a
loopback port (the tests' RedisServer) and times, in CPU seconds of this process
(``time.process_time``, so another process's load does not count), ``--trips`` round trips
of each kind, ``--repeats`` times:

- one XADD and five XADDs in one write, on :class:`~server.cluster.resp.LeanConnection`,
  on redis-py's own ``Connection`` used bare (no pool, no pipeline), and through a redis-py
  pipeline (what the worker used before);
- one XREAD of two streams (no BLOCK: it answers at once).

    python benchmarks/redis_round_trip.py [--trips 4000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redis.asyncio import Redis
from redis.asyncio.connection import ConnectionPool

from server.cluster.resp import LeanConnection
from tests.cluster_support import RedisServer
from tests.process_support import free_port

SUBMISSION = ["w", "abc", "n", "1", "s", '["client:x","hello #000001","nick","#fff","scroll","c1"]']


async def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="round-trip-") as tmp:
        server = RedisServer(free_port(), Path(tmp))
        server.start()
        try:
            return await measure(server.url, args)
        finally:
            server.stop()


async def measure(url: str, args: argparse.Namespace) -> int:
    lean = LeanConnection(url, timeout=5.0)
    pool = ConnectionPool.from_url(url, decode_responses=True)
    bare = pool.make_connection()
    await bare.connect()
    client = Redis.from_url(url, decode_responses=True)
    xadd = ["XADD", "s", "MAXLEN", "~", "10000", "*", *SUBMISSION]
    xread = ["XREAD", "COUNT", "1000", "STREAMS", "s", "t", "$", "$"]

    async def on_bare(commands: list[list[str]]) -> None:
        await bare.send_packed_command(bare.pack_commands(commands), check_health=False)
        for _ in commands:
            await bare.read_response()

    async def on_pipeline(commands: list[list[str]]) -> None:
        async with client.pipeline(transaction=False) as pipe:
            for command in commands:
                pipe.execute_command(*command)
            await pipe.execute()

    kinds: dict[str, Callable[[], Awaitable[object]]] = {
        "1 XADD, lean": lambda: lean.call([xadd]),
        "1 XADD, redis-py Connection": lambda: on_bare([xadd]),
        "1 XADD, redis-py pipeline": lambda: on_pipeline([xadd]),
        "5 XADDs, lean": lambda: lean.call([xadd] * 5),
        "5 XADDs, redis-py Connection": lambda: on_bare([xadd] * 5),
        "5 XADDs, redis-py pipeline": lambda: on_pipeline([xadd] * 5),
        "XREAD 2 streams, lean": lambda: lean.call([xread]),
        "XREAD 2 streams, redis-py Connection": lambda: on_bare([xread]),
        "XREAD 2 streams, redis-py client": lambda: client.execute_command(*xread),
    }
    taken: dict[str, list[float]] = {label: [] for label in kinds}
    for _ in range(args.repeats):
        for label, trip in kinds.items():
            started = time.process_time()
            for _ in range(args.trips):
                await trip()
            taken[label].append((time.process_time() - started) / args.trips * 1e6)
    await lean.close()
    await bare.disconnect()
    await client.aclose()
    await pool.disconnect()
    print(f"CPU per round trip, this process, {args.trips:,} trips x {args.repeats}:")
    for label, micros in taken.items():
        runs = "  ".join(f"{m:6.1f}" for m in micros)
        print(f"  {label:38} {runs} us   (best {min(micros):.1f})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
