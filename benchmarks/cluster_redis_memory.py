"""Redis memory per pending submission, and how long a hub outage a maxmemory rides out.

Starts redis-server and `danmaku hub` (rig: cluster_rig.py) and runs them at steady state
first: ``--steady`` comments through the real stream (a synthetic worker, as in
cluster_hub.py), so the wall's event stream and a reply stream hold what they hold on a
night; their bytes (per comment shown, per reply entry) come from ``MEMORY USAGE``
(exact: ``SAMPLES 0``; an entry holds a batch of events, or of one worker's acks). Then the
hub stops (SIGINT) and ``--pending`` submissions are appended as a worker appends them
(``cluster_rig.StreamProducer``, ``Request``), nobody taking them: ``INFO memory``'s ``used_memory``
before and after gives the bytes each one holds in Redis (``MEMORY USAGE`` of the stream
is printed beside it), for everyday comments and for the longest a phone may send
(60 characters of CJK, a 16-character nick). A check: with ``maxmemory`` set
``--verify-mb`` above what is in use, submissions are appended until Redis refuses one
(``noeviction``: OOM), against the count the bytes per entry predict.

What a hub outage at ``--outage-rate`` submissions/s rides out: (maxmemory − what a
night holds before it) / (rate × bytes per submission), where a night holds Redis's
baseline, the wall's events of the last catch-up window plus a margin (the hub trims
older ones: ``catch_up_seconds`` + ``RETENTION_MARGIN_SECONDS`` at that rate, every
comment shown) and each worker's reply stream (``REPLIES_KEPT`` entries). Printed for
Redis's own default (``maxmemory 0``: no limit, so this machine's free memory), for the
``maxmemory`` the README's "A stadium" section recommends if it names one, and for
``--maxmemory`` sizes. A phone that hears ``unavailable`` and sends again adds another
entry: the figure counts entries, not comments.

    python benchmarks/cluster_redis_memory.py [--pending 100000] [--outage-rate 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest
import loadgen
from cluster_hub import all_answered, feed, submission
from cluster_rig import StreamProducer, phone_address, random_sender, running_cluster
from redis.asyncio import Redis

from server.cluster.bridge import RETENTION_MARGIN_SECONDS
from server.cluster.link import connect
from server.cluster.publisher import REPLIES_KEPT
from server.cluster.wire import EVENTS, SUBMISSIONS, replies_key
from server.models import Submission
from server.settings import Settings

README = loadgen.ROOT / "README.md"
LONGEST_TEXT = "前方高能预警全场起立欢呼" * 5  # 60 characters: the longest a phone may send
LONGEST_NICK = "一二三四五六七八九十甲乙丙丁戊己"  # 16
CHUNK = 5_000  # submissions in flight at once while filling


def longest(seq: int, senders: list[str]) -> Submission:
    """The most a phone may send: 60 characters of CJK text, a 16-character nick."""
    sender = seq % len(senders)
    return Submission(
        senders[sender],
        f"{seq:08d}{LONGEST_TEXT[8:]}",
        LONGEST_NICK,
        "#66ccff",
        cid=f"{seq:024x}",
        address=phone_address(sender),
    )


async def used_memory(redis: Redis) -> int:
    info: dict[str, Any] = await redis.info("memory")
    return int(info["used_memory"])


async def key_bytes(redis: Redis, key: str) -> int:
    return int(await redis.memory_usage(key, samples=0) or 0)


async def fill(
    producer: StreamProducer,
    make: Callable[[int, list[str]], Submission],
    first: int,
    count: int,
    senders: list[str],
) -> int:
    """Append ``count`` submissions (``CHUNK`` in flight at a time) until Redis refuses
    one; returns how many it took."""
    failures = producer.failures
    for start in range(first, first + count, CHUNK):
        for seq in range(start, min(first + count, start + CHUNK)):
            producer.submit(seq, make(seq, senders))
        await producer.flushed()
        if producer.failures > failures:
            break
    timings = producer.timings
    return sum(1 for n in range(first, first + count) if n in timings and timings[n].entry_ms)


def readme_maxmemory() -> int | None:
    """The ``maxmemory`` the README's "A stadium" section recommends (bytes), if any."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## A stadium\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    if section is None:
        return None
    found = re.search(r"maxmemory\s+(\d+(?:\.\d+)?)\s*([kmg]b?)?\b", section.group(1), re.I)
    return None if found is None else parse_size(found.group(1) + (found.group(2) or ""))


def parse_size(spec: str) -> int:
    """``256mb``, ``2gb``, ``1g`` (as Redis reads them: powers of 1024 with ``b``)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmg]?)(b?)", spec.strip().lower())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {spec!r} (e.g. 1gb, 512mb)")
    number, unit, binary = match.groups()
    base = 1024 if binary or not unit else 1000
    return int(float(number) * base ** " kmg".index(unit or " "))


def available_memory() -> int:
    """MemAvailable of this machine, in bytes."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


async def measure(args: argparse.Namespace) -> dict[str, float]:
    senders = [random_sender() for _ in range(args.senders)]
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cluster-memory-") as tmp:
        async with running_cluster(Path(tmp), workers=0) as cluster:
            assert cluster.hub is not None
            redis = connect(cluster.redis.url)
            figures["default maxmemory"] = float(
                (await redis.config_get("maxmemory")).get("maxmemory") or 0
            )
            figures["baseline"] = await used_memory(redis)
            producer = StreamProducer(cluster.redis.url)
            follower = asyncio.create_task(producer.follow())
            await feed([producer], senders, 0, args.steady, args.steady_rate)
            await all_answered([producer], range(args.steady), 120)
            follower.cancel()
            events, replies = await redis.xlen(EVENTS), await redis.xlen(replies_key(producer.name))
            # An entry holds a batch of events (or of one worker's acks): the events are
            # counted per comment shown, the replies per entry (the stream keeps entries).
            figures["event"] = await key_bytes(redis, EVENTS) / max(1, args.steady)
            figures["reply"] = await key_bytes(redis, replies_key(producer.name)) / max(1, replies)
            print(f"steady state: {args.steady:,} comments taken; events stream {events:,} "
                  f"entries, {figures['event']:.0f} B per comment; reply stream {replies:,} "
                  f"entries, {figures['reply']:.0f} B each")  # fmt: skip
            code = cluster.hub.stop()
            print(f"hub stopped (exit code {code}); appending with nobody taking them:")
            first = args.steady
            for kind, make in (("everyday", submission), ("longest", longest)):
                memory, stream = await used_memory(redis), await key_bytes(redis, SUBMISSIONS)
                taken = await fill(producer, make, first, args.pending, senders)
                grown = await used_memory(redis) - memory
                stream_grown = await key_bytes(redis, SUBMISSIONS) - stream
                figures[kind] = grown / max(1, taken)
                print(f"  {kind}: {taken:,} submissions: used_memory +{grown / 2**20:,.1f} MiB = "
                      f"{figures[kind]:.0f} B each (the stream's MEMORY USAGE: "
                      f"{stream_grown / max(1, taken):.0f} B each)")  # fmt: skip
                first += args.pending
            await verify(args, redis, producer, figures, first, senders)
            await producer.close()
            await redis.aclose()
    return figures


async def verify(
    args: argparse.Namespace,
    redis: Redis,
    producer: StreamProducer,
    figures: dict[str, float],
    first: int,
    senders: list[str],
) -> None:
    """Set maxmemory a little above what is in use and append until Redis refuses one."""
    room = args.verify_mb * 2**20
    await redis.config_set("maxmemory", str(await used_memory(redis) + room))
    predicted = room / figures["everyday"]
    taken = await fill(producer, submission, first, int(predicted * 2) + CHUNK, senders)
    refused = producer.failures
    await redis.config_set("maxmemory", "0")
    print(f"check: with maxmemory {args.verify_mb} MiB above what was in use, Redis took "
          f"{taken:,} submissions before refusing ({refused:,} refused); the bytes per "
          f"entry predict {predicted:,.0f} ({taken / predicted - 1:+.1%})")  # fmt: skip


def ride_out(args: argparse.Namespace, figures: dict[str, float]) -> None:
    rate = args.outage_rate
    window = Settings().catch_up_seconds + RETENTION_MARGIN_SECONDS
    night = (
        figures["baseline"]
        + rate * window * figures["event"]
        + args.workers * REPLIES_KEPT * figures["reply"]
    )
    print(f"\n=== a hub outage at {rate:,.0f} submissions/s ===")
    print(
        f"before it Redis holds ~{night / 2**20:,.0f} MiB: baseline "
        f"{figures['baseline'] / 2**20:.1f} MiB, the wall's last {window:.0f} s of events at "
        f"{rate:,.0f}/s ({rate * window * figures['event'] / 2**20:,.0f} MiB), "
        f"{args.workers} workers' reply streams "
        f"({args.workers * REPLIES_KEPT * figures['reply'] / 2**20:.1f} MiB)"
    )
    default = int(figures["default maxmemory"])
    sizes: list[tuple[str, int]] = []
    if default == 0:
        sizes.append(("Redis's default (maxmemory 0: no limit; this machine's free memory)",
                      available_memory()))  # fmt: skip
    else:
        sizes.append((f"Redis's default maxmemory {default:,} B", default))
    recommended = readme_maxmemory()
    if recommended is None:
        print('README.md\'s "A stadium" section recommends no maxmemory (yet)')
    else:
        sizes.append(("the README's recommendation", recommended))
    sizes += [(f"maxmemory {spec}", parse_size(spec)) for spec in args.maxmemory]
    for label, size in sizes:
        for kind in ("everyday", "longest"):
            seconds = (size - night) / (rate * figures[kind])
            print(f"  {label}, {size / 2**20:,.0f} MiB, {kind} comments "
                  f"({figures[kind]:.0f} B): {max(0.0, seconds):,.0f} s "
                  f"({max(0.0, seconds) / 60:,.1f} min)")  # fmt: skip


async def run(args: argparse.Namespace) -> int:
    print(f"machine: {loadgen.uptime_line()}")
    held = ingest.precheck(args.steady)
    print(f"pre-check with `danmaku check`: {held} sample texts would be held (want 0)")
    figures = await measure(args)
    ride_out(args, figures)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=100_000, help="submissions per kind")
    parser.add_argument("--steady", type=int, default=20_000, help="comments before the outage")
    parser.add_argument("--steady-rate", type=float, default=1000.0, help="their pace (/s)")
    parser.add_argument("--senders", type=int, default=20_000)
    parser.add_argument("--outage-rate", type=float, default=5000.0, help="submissions/s")
    parser.add_argument("--workers", type=int, default=2, help="workers (reply streams kept)")
    parser.add_argument("--verify-mb", type=int, default=16, help="room for the check (MiB)")
    parser.add_argument(
        "--maxmemory", nargs="*", default=["1gb", "4gb"], help="more sizes to print for"
    )
    args = parser.parse_args()
    loadgen.install_signal_cleanup()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
