"""Through HAProxy: phones on two workers, a projector on each, the hub and Redis behind.

Starts redis-server, `danmaku hub` (default wordlists, a temporary database, a per-sender
limit each phone's pace stays inside), two `danmaku worker --trust-proxy 127.0.0.1` and
Debian's HAProxy running the shipped deploy/haproxy.cfg in front of them, all on loopback
and left to the scheduler on this machine's cores, beside this generator. ``--phones``
phones connect through HAProxy as our pages do (a random ``lb`` parameter each, from
several loopback addresses); two projectors connect through HAProxy with the worker
cookie of worker A and of worker B. Then ``--rate`` comments/s for ``--seconds``
(``ingest.send_load``: unique, clean, each with a cid), round-robin over the phones.

In the same run, the bare python-socketio relay (benchmarks/bare_relay.py) takes the same
load (``ingest.run_server``: pinned to core 0, this generator on core 1), as the yardstick
for a worker's CPU: once before the cluster and once after, and the yardstick is the mean
of the two. This machine's speed drifts by a fifth within minutes (every process's CPU per
comment moves together); a relay run on one side only compared the workers with a
different machine (four runs one evening, the relay after: the workers' ratio to it 0.88
to 1.19, with no code changed).

    python benchmarks/cluster_ingest.py [--phones 5000 --rate 1000 --seconds 60]
                                        [--no-bare] [--per-address 1000] [--py-spy DIR]

Printed: phones and projectors per worker (each worker's /healthz), acked, refused, no
ack, lost (acked but not on both projectors), send→show and send→ack p50/p99/max, the
hub's database rows (must equal acked), every process's CPU (hub, workers, Redis, HAProxy,
and this generator: the phones and projectors are its connections) per 1,000 comments the
wall took (the database rows: a comment answered ``unavailable`` for a late ack was carried
all the same), and each worker's CPU per 1,000 comments its own phones sent (it relays
every comment to its projector, so per comment it does what the relay does: one in, one
ack, two out) beside the relay's. Targets (issue 14): 0 lost, p99 send→show <= 50 ms, each
worker's CPU per 1,000 comments <= the bare relay's. ``--py-spy DIR`` writes a py-spy
profile of each Python process (workers, hub, generator, bare relay) over the sending
window; on a busy machine its samples count time waiting for a core too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
import ingest
import loadgen
from cluster_rig import Cluster, CpuMeter, running_cluster

from server.cluster.link import connect

P99_TARGET_MS = 50.0
WORKER_COOKIE = "DANMAKU_WORKER"  # deploy/haproxy.cfg: `cookie DANMAKU_WORKER insert ...`
GENERATOR = "generator"  # this process: the phones and the projectors


async def worker_health(cluster: Cluster) -> dict[str, dict[str, Any]]:
    """Each worker's /healthz, asked directly (not through HAProxy)."""
    found = {}
    async with aiohttp.ClientSession() as http:
        for worker in cluster.workers:
            async with http.get(f"http://127.0.0.1:{worker.port}/healthz") as response:
                found[worker.label] = dict(await response.json())
    return found


async def redis_calls(url: str, *, reset: bool = False) -> dict[str, int]:
    """Commands Redis ran since the last reset, by name (``reset``: start counting now)."""
    redis = connect(url)
    try:
        if reset:
            await redis.config_resetstat()
            return {}
        stats = await redis.info("commandstats")
        return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}
    finally:
        await redis.aclose()


async def run_cluster(
    args: argparse.Namespace, workdir: Path
) -> tuple[ingest.Outcome, CpuMeter, dict[str, dict[str, Any]], int, dict[str, int]]:
    outcome = ingest.Outcome("cluster")
    hub_options = ["--rate", ingest.danmaku_rate(args)]
    worker_options = ["--trust-proxy", "127.0.0.1"]  # HAProxy's X-Forwarded-For counts
    async with running_cluster(
        workdir, haproxy=True, hub_options=hub_options, worker_options=worker_options
    ) as cluster:
        host, port = cluster.entry()
        url = loadgen.socketio_url(host, port)
        print(f"HAProxy on {host}:{port} in front of {', '.join(w.label for w in cluster.workers)}")
        run = ingest.Run(int(args.rate * args.seconds))
        async with loadgen.Sources.for_connections(args.phones, args.per_address) as sources:

            async def open_projector(conn: loadgen.Connection, i: int) -> None:
                cookie = {"Cookie": f"{WORKER_COOKIE}=w{i % len(cluster.workers) + 1}"}
                await conn.open(sources.session(i), url, headers=cookie)

            async def open_phone(conn: loadgen.Connection, i: int) -> None:
                lb = secrets.token_hex(4)  # what our pages add to every Socket.IO URL
                await conn.open(sources.session(i), f"{url}&lb={lb}", {"client_id": f"c-{i}"})

            shows, show_errors = await loadgen.open_many(
                lambda i: loadgen.Projector(), args.shows, open_projector
            )
            phones, phone_errors = await loadgen.open_many(
                lambda i: loadgen.Phone(run.on_ack),
                args.phones,
                open_phone,
                args.concurrency,
                loadgen.progress_printer("phones", max(1000, args.phones // 5)),
            )
            outcome.phones, outcome.shows = len(phones), len(shows)
            outcome.connect_errors = len(show_errors) + len(phone_errors)
            for error in sorted(set(show_errors + phone_errors))[:3]:
                print(f"  connect failure, e.g. {error}")
            await asyncio.sleep(args.settle + 1.0)  # and the workers' audience reports
            health = await worker_health(cluster)
            projectors = [s for s in shows if isinstance(s, loadgen.Projector)]
            typed = [p for p in phones if isinstance(p, loadgen.Phone)]
            # This process too: the phones and both projectors are its connections.
            meter = CpuMeter({**cluster.pids(), GENERATOR: os.getpid()})
            profilers = [
                ingest.start_profiler(args, label.replace(" ", "-"), pid)
                for label, pid in meter.pids.items()
                if label not in ("redis-server", "haproxy")  # not Python
            ]
            await redis_calls(cluster.redis.url, reset=True)
            await ingest.send_load(args, run, typed, projectors, outcome)
            meter.stop()
            calls = await redis_calls(cluster.redis.url)
            for profiler in filter(None, profilers):
                profiler.wait(30)
            ingest.tally(run, projectors, outcome, [*phones, *shows])
            await loadgen.close_all([*shows, *phones])
        with sqlite3.connect(cluster.db) as conn:
            rows = int(conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0])
    return outcome, meter, health, rows, calls


def report(
    args: argparse.Namespace,
    cluster: ingest.Outcome,
    meter: CpuMeter,
    health: dict[str, dict[str, Any]],
    rows: int,
    calls: dict[str, int],
    bare: list[ingest.Outcome],
) -> bool:
    print(
        f"\n=== through HAProxy: hub + {len(health)} workers + Redis; {args.phones:,} phones, "
        f"{args.rate:,.0f} comments/s for {args.seconds:g} s, {args.shows} projectors ==="
    )
    total_phones = sum(int(h["phones"]) for h in health.values()) or 1
    for label, h in health.items():
        print(f"{label}: {h['phones']:,} phones, {h['show_pages']} projector(s)")
    print(f"connected {cluster.phones:,} phones, {cluster.shows} projectors; failures "
          f"{cluster.connect_errors}")  # fmt: skip
    print(
        f"sent {cluster.sent:,} in {cluster.send_seconds:.1f} s; acked ok {cluster.acked_ok:,} "
        f"(held {cluster.held}); refused {dict(cluster.refused) or 0}; no ack {cluster.no_ack}; "
        f"lost {cluster.lost}; connections dropped {cluster.disconnected}"
    )
    print(f"hub's database rows: {rows:,}")
    for name, values in (("send->show", cluster.latencies_ms), ("send->ack ", cluster.ack_ms)):
        print(
            f"{name} p50 {cluster.pct(values, 0.5):.1f}  p99 {cluster.pct(values, 0.99):.1f}  "
            f"max {cluster.pct(values, 1.0):.1f} ms"
        )
    thousands = max(1, rows) / 1000
    window = max(1e-9, cluster.window_seconds)
    print(f"CPU over the {window:.1f} s window, per 1,000 comments of the wall:")
    for label, seconds in meter.seconds.items():
        print(f"  {label:<13} {seconds:6.2f} s ({seconds / window:4.0%} of a core)  "
              f"{seconds / thousands:.3f} s")  # fmt: skip
    print(f"  all together  {sum(meter.seconds.values()) / thousands:.3f} s; cores: {meter.cores}")
    busiest = sorted(calls.items(), key=lambda item: -item[1])[:6]
    print(
        "Redis commands per 1,000 comments (each a round trip or part of one): "
        + ", ".join(f"{name} {count / thousands:,.0f}" for name, count in busiest)
    )
    p99 = cluster.pct(cluster.latencies_ms, 0.99)
    checks = [
        (
            f"nothing lost, every comment acked ok ({cluster.acked_ok:,} of {cluster.sent:,})",
            cluster.sent > 0 and cluster.lost == 0 and cluster.acked_ok == cluster.sent,
        ),
        (f"p99 send->show <= {P99_TARGET_MS:.0f} ms ({p99:.1f})", p99 <= P99_TARGET_MS),
        (f"database rows {rows:,} == acked {cluster.acked_ok:,}", rows == cluster.acked_ok),
        (
            "the projectors are on different workers",
            all(int(h["show_pages"]) == 1 for h in health.values()),
        ),
    ]
    for when, relay in zip(("before", "after"), bare, strict=False):
        print(
            f"bare relay {when} (same phones, rate and projectors): p99 send->show "
            f"{relay.pct(relay.latencies_ms, 0.99):.1f} ms, lost {relay.lost}, CPU "
            f"{relay.cpu_per_1000:.3f} s per 1,000 comments"
        )
    if bare and all(relay.acked_ok for relay in bare):
        yardstick = sum(relay.cpu_per_1000 for relay in bare) / len(bare)
        print(f"the relay's CPU per 1,000 comments, mean of its runs: {yardstick:.3f} s")
        for label, h in health.items():
            own = thousands * int(h["phones"]) / total_phones  # the round-robin share
            per_own = meter.seconds[label] / max(1e-9, own)
            checks.append(
                (
                    f"{label}: CPU per 1,000 of its phones' comments <= the bare relay's "
                    f"({per_own:.3f} vs {yardstick:.3f} s)",
                    per_own <= yardstick,
                )
            )
    print()
    for text, passed in checks:
        print(f"[{'PASS' if passed else 'FAIL'}] {text}")
    return all(passed for _, passed in checks)


async def main_async(args: argparse.Namespace) -> int:
    soft, hard = loadgen.raise_nofile_limit()
    print(f"generator open-file limit: soft {soft}, hard {hard}")
    print(f"machine before: {loadgen.uptime_line()}")
    held = ingest.precheck(int(args.rate * args.seconds))
    print(f"pre-check with `danmaku check`: {held} sample texts would be held (want 0)")
    bare: list[ingest.Outcome] = []
    with tempfile.TemporaryDirectory(prefix="cluster-ingest-") as tmp:
        if not args.no_bare:
            bare.append(await run_bare(args, Path(tmp), "before"))
        cluster, meter, health, rows, calls = await run_cluster(args, Path(tmp))
        if not args.no_bare:
            bare.append(await run_bare(args, Path(tmp), "after"))
    print(f"\nmachine after: {loadgen.uptime_line()}")
    ok = report(args, cluster, meter, health, rows, calls, bare)
    print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


async def run_bare(args: argparse.Namespace, workdir: Path, when: str) -> ingest.Outcome:
    """The bare relay's run, as ingest.py runs it (this generator pinned to core 1)."""
    cores = os.sched_getaffinity(0)
    print(loadgen.pin_to_core(1), f"(for the bare relay's run {when} the cluster's)")
    outcome = await ingest.run_server("bare", args, workdir)
    os.sched_setaffinity(0, cores)  # the cluster (started from here) runs unpinned
    await asyncio.sleep(1.0)
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=1000.0, help="comments per second, total")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--shows", type=int, default=2, help="projectors, one per worker in turn")
    parser.add_argument(
        "--danmaku-rate",
        default="auto",
        help="the hub's --rate; auto: a per-sender limit each phone's pace stays inside",
    )
    parser.add_argument("--no-bare", action="store_true", help="skip the bare relay's run")
    parser.add_argument("--concurrency", type=int, default=200, help="handshakes at a time")
    parser.add_argument(
        "--per-address", type=int, default=1000, help="phones per loopback source address"
    )
    parser.add_argument("--settle", type=float, default=2.0, help="pause before sending (s)")
    parser.add_argument("--drain", type=float, default=10.0, help="max wait for stragglers (s)")
    parser.add_argument("--show-log", action="store_true", help="print a failed server's output")
    parser.add_argument(
        "--py-spy", metavar="DIR", help="profile every process with py-spy over the sending window"
    )
    # What ingest.run_server reads for the bare relay's run, left at "none".
    parser.set_defaults(flood=0.0, dump=None, danmaku_command=None)
    args = parser.parse_args()
    loadgen.install_signal_cleanup()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
