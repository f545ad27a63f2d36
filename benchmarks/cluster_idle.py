"""Worker memory per idle phone: N phones held by two `danmaku worker` processes.

Starts redis-server, `danmaku hub` and two workers on loopback (rig: cluster_rig.py),
reads each worker's VmRSS, connects ``--phones`` phones to `/send`, half to each worker,
straight to the workers' ports: HAProxy would need two open files per phone, and this
machine caps a process at 20,000, so it cannot stand in front of 15,000. Holds them
``--hold`` seconds (every phone answers at least one 25 s ping), checks that all stayed
connected on both sides (each worker's /healthz, and the hub's sum of the workers'
reports) and prints each worker's KB per phone: (peak VmRSS during the hold − VmRSS
before) / its phones.

    python benchmarks/cluster_idle.py [--phones 15000] [--hold 30] [--browser]

`--browser` connects as a phone's browser does (permessage-deflate offered, the usual
headers), as in idle_phones.py. Target (issue 14): 15,000 phones across 2 workers at
<= 25 KB each.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
import loadgen
from cluster_rig import running_cluster
from idle_phones import TARGET_KB, WARM_UP_PHONES, healthz


async def run(args: argparse.Namespace) -> int:
    soft, hard = loadgen.raise_nofile_limit()
    print(f"generator open-file limit: soft {soft}, hard {hard}; {loadgen.uptime_line()}")
    with tempfile.TemporaryDirectory(prefix="cluster-idle-") as tmp:
        async with (
            running_cluster(Path(tmp), workers=args.workers) as cluster,
            loadgen.Sources.for_connections(args.phones, args.per_address) as sources,
        ):
            workers = cluster.workers
            assert cluster.hub is not None
            compress = 15 if args.browser else 0

            async def opener(conn: loadgen.Connection, i: int) -> None:
                port = workers[i % len(workers)].port
                headers = loadgen.browser_headers("127.0.0.1", port) if args.browser else None
                await conn.open(
                    sources.session(i),
                    loadgen.socketio_url("127.0.0.1", port),
                    {"client_id": f"idle-{i}"},
                    compress=compress,
                    headers=headers,
                )

            # Warm up each worker (module-level caches on the first connections), settle.
            warm, _ = await loadgen.open_many(
                lambda i: loadgen.Phone(), WARM_UP_PHONES * len(workers), opener, 10
            )
            await loadgen.close_all(warm)
            await asyncio.sleep(2.0)
            before = {w.label: loadgen.rss_kb(w.pid) for w in workers}
            started = time.perf_counter()
            phones, errors = await loadgen.open_many(
                lambda i: loadgen.Phone(),
                args.phones,
                opener,
                args.concurrency,
                loadgen.progress_printer("connected", max(1000, args.phones // 10)),
            )
            took = time.perf_counter() - started
            print(
                f"opened {len(phones):,} of {args.phones:,} in {took:.1f} s; failures "
                f"{len(errors)}" + (f", e.g. {errors[0]}" if errors else "")
            )
            peak = dict(before)
            hold_end = time.monotonic() + args.hold
            while time.monotonic() < hold_end:
                await asyncio.sleep(min(5.0, max(0.0, hold_end - time.monotonic())))
                for w in workers:
                    peak[w.label] = max(peak[w.label], loadgen.rss_kb(w.pid))
                alive = sum(not p.closed for p in phones)
                print(f"  {alive:,} connected; VmRSS " + ", ".join(
                    f"{label} {kb / 1024:,.0f} MB" for label, kb in peak.items()))  # fmt: skip
            await asyncio.sleep(1.5)  # a fresh audience report reaches the hub
            async with aiohttp.ClientSession() as http:
                counted = {w.label: (await healthz(http, w.port)).get("phones") for w in workers}
                hub_counted = (await healthz(http, cluster.hub.port)).get("phones")
            alive = sum(not p.closed for p in phones)
            pinged = sum(p.pings > 0 for p in phones)
            await loadgen.close_all(phones)
    return report(args, workers_share(args), before, peak, counted, hub_counted, alive, pinged)


def workers_share(args: argparse.Namespace) -> list[int]:
    """How many phones each worker was given (i % workers)."""
    return [len(range(n, args.phones, args.workers)) for n in range(args.workers)]


def report(
    args: argparse.Namespace,
    share: list[int],
    before: dict[str, int],
    peak: dict[str, int],
    counted: dict[str, object],
    hub_counted: object,
    alive: int,
    pinged: int,
) -> int:
    print(f"\n=== idle phones: {args.phones:,} across {args.workers} workers ===")
    print(f"still connected {alive:,}; answered >= 1 ping {pinged:,} (hold {args.hold:g} s)")
    print(f"the hub counts {hub_counted} phones (the workers' reports)")
    checks = [
        (f"every phone still connected ({alive:,})", alive == args.phones),
        (f"the hub counts them all ({hub_counted})", hub_counted == args.phones),
    ]
    for (label, kb_before), phones in zip(before.items(), share, strict=True):
        per_phone = (peak[label] - kb_before) / max(1, phones)
        print(
            f"{label}: {phones:,} phones (its /healthz: {counted[label]}), VmRSS "
            f"{kb_before / 1024:,.1f} -> peak {peak[label] / 1024:,.1f} MB: {per_phone:.1f} KB "
            "per phone"
        )
        checks.append((f"{label}: {per_phone:.1f} KB per phone <= {TARGET_KB:.0f} KB",
                       per_phone <= TARGET_KB and counted[label] == phones))  # fmt: skip
    print(f"connected like browsers: {'yes' if args.browser else 'no'}; {loadgen.uptime_line()}")
    return 0 if loadgen.verdict(checks) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=15_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hold", type=float, default=30.0, help="seconds to stay connected")
    parser.add_argument("--concurrency", type=int, default=200, help="handshakes at a time")
    parser.add_argument("--browser", action="store_true", help="connect like a phone's browser")
    parser.add_argument(
        "--per-address", type=int, default=1000, help="phones per loopback source address"
    )
    args = parser.parse_args()
    loadgen.install_signal_cleanup()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
