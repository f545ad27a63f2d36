"""Send→show through a cluster: phones on worker A, a projector on worker B, the hub between.

Starts redis-server, `danmaku hub` and two `danmaku worker` processes on loopback (each a
subprocess; no pinning: on this 2-core machine they share the cores with this generator),
opens ``--phones`` phones on worker A and one projector on worker B, then sends ``--rate``
unique comments per second for ``--seconds``, round-robin over the phones. Prints acked,
refused, lost (acked but never shown on B), send→ack and send→show p50/p99/max, and the
row count of the hub's database (it must equal the acked count).

    python benchmarks/cluster_latency.py [--phones 200 --rate 500 --seconds 20]

A first look only: the through-HAProxy benchmark of issue 14 (5,000 phones, 1,000/s) is
for the benchmark suite.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen


def danmaku_argv(command: str, port: int, redis_url: str, *extra: str) -> list[str]:
    """``danmaku COMMAND`` on loopback with the cluster's Redis."""
    return [sys.executable, "-m", "console", command, "--host", "127.0.0.1", "--port",
            str(port), "--redis", redis_url, *extra]  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    redis_port = loadgen.free_port()
    redis = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(redis_port),
         "--bind", "127.0.0.1", "--dir", str(workdir), "--save", ""],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{redis_port}/0"
    db = workdir / "hub.db"
    hub_port, a_port, b_port = (loadgen.free_port() for _ in range(3))
    wordlist = workdir / "none.txt"
    wordlist.write_text("# nothing held: every comment flies\n")
    servers = [
        loadgen.ServerProcess(
            "hub",
            danmaku_argv(
                "hub",
                hub_port,
                url,
                "--db",
                str(db),
                "--rate",
                "off",
                "--address-rate",
                "off",
                "--no-default-wordlists",
                "--wordlist",
                str(wordlist),
            ),
            hub_port,
        ),
        loadgen.ServerProcess("worker A", danmaku_argv("worker", a_port, url), a_port),
        loadgen.ServerProcess("worker B", danmaku_argv("worker", b_port, url), b_port),
    ]
    sent: dict[int, float] = {}  # seq -> when it was emitted (perf_counter)
    sent_of: dict[int, float] = {}  # the comment's id -> when it was emitted
    ack_latency: list[float] = []
    refused: dict[str, int] = {}

    def on_ack(phone: loadgen.Phone, ack_id: int, ack: dict[str, Any], now: float) -> None:
        if ack.get("ok"):
            sent_of[ack["id"]] = sent[ack_id]
            ack_latency.append(now - sent[ack_id])
        else:
            refused[ack.get("error", "?")] = refused.get(ack.get("error", "?"), 0) + 1

    try:
        for server in servers:
            await server.start(workdir / f"{server.label.replace(' ', '-')}.log")
        async with loadgen.make_session() as session:
            projector = loadgen.Projector()
            await projector.open(session, loadgen.socketio_url("127.0.0.1", b_port))
            phones = [loadgen.Phone(on_ack) for _ in range(args.phones)]
            for i, phone in enumerate(phones):
                await phone.open(
                    session, loadgen.socketio_url("127.0.0.1", a_port), {"client_id": f"b-{i}"}
                )
            interval = 1 / args.rate
            start = time.perf_counter()
            for seq in range(int(args.rate * args.seconds)):
                delay = start + seq * interval - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sent[seq] = time.perf_counter()
                payload = {"text": f"bench {seq}", "cid": f"c{seq}"}
                await phones[seq % len(phones)].send_danmaku(payload, seq)
            achieved = len(sent) / (time.perf_counter() - start)
            await asyncio.sleep(3)  # the last ones land
        show = sorted(projector.seen[i] - at for i, at in sent_of.items() if i in projector.seen)
        lost = sum(1 for i in sent_of if i not in projector.seen)
        ack_latency.sort()
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        print(
            f"{args.phones} phones on worker A, 1 projector on worker B, {achieved:.0f} "
            f"comments/s for {args.seconds:g} s ({loadgen.uptime_line()})"
        )
        print(
            f"  sent {len(sent)}, acked {len(sent_of)}, refused {refused or 0}, lost {lost}, "
            f"rows in the hub's database {rows}"
        )
        for label, values in (("send->ack ", ack_latency), ("send->show", show)):
            p50, p99 = loadgen.percentile(values, 0.5), loadgen.percentile(values, 0.99)
            worst = values[-1] if values else 0.0
            figures = f"p50 {p50 * 1000:.1f} ms  p99 {p99 * 1000:.1f} ms  max {worst * 1000:.1f} ms"
            print(f"  {label} {figures}")
    finally:
        for server in reversed(servers):
            server.stop()
        redis.terminate()
        redis.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    loadgen.install_signal_cleanup()
    asyncio.run(main(parser.parse_args()))
