"""Ingest: N phones sending R comments/s through the server to show pages, in one run for
a bare python-socketio relay and for the real `danmaku serve`, side by side.

Each server runs as a subprocess pinned to core 0 (this generator pins itself to core 1).
N phones connect to /send (from several loopback addresses) and `--shows` pages to /show;
then `--rate` comments per second, spread round-robin over the phones, go out for
`--seconds`. Each comment is unique and clean (nothing the default lists hold), carries a
`cid`, and is timed from just before its emit to its ack and to its arrival on each show
page. Printed per server: acked, refused, lost (acked but not seen on every show page),
send->show latency p50/p99/max, send->ack p50/p99, achieved rate, and server CPU seconds
(utime+stime from /proc/<pid>/stat) per 1,000 comments over the sending window. For
`danmaku serve` the database row count must equal the acked count afterwards.

    python benchmarks/ingest.py [--phones 5000 --rate 1000 --seconds 60 --shows 2]
                                [--servers bare,bare-gc,danmaku] [--danmaku-rate 1/4]
                                [--flood 3000] [--per-address N] [--server-args ARGS]

`bare` is the relay as python-socketio runs it by default; `bare-gc` the same relay with
danmaku serve's gc.freeze() + raised thresholds. Targets (issue 4): nothing lost, p99
send->show <= 25 ms, and danmaku serve's CPU per 1,000 comments <= the bare relay's (the
one with gc tuning is printed beside it for reference).
`--flood` adds one phone sending that many comments/s regardless of acks, behind the same
address as the first phones: the others must still lose nothing, at p99 <= 50 ms.
`--per-address 10000` puts 10,000 phones on one source address, a hall behind one NAT:
at 2,000 comments/s the per-address ceiling (`--address-rate`) must refuse none.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen

P99_TARGET_MS = 25.0
P99_WITH_FLOODER_MS = 50.0  # the other senders' p99 while one phone floods
SERVERS = ("bare", "bare-gc", "danmaku")
# Short, clean danmaku (none is held by the default wordlists); each gets " #<seq>".
PHRASES = (
    "大家好",
    "哈哈哈哈哈哈",
    "前方高能",
    "awsl",
    "泪目了",
    "这波操作可以",
    "爷青回",
    "打call打call",
    "新年快乐",
    "笑死我了",
    "冲冲冲",
    "来了来了",
    "前排",
    "太强了吧",
    "好听好听",
    "再来一首",
    "主唱加油",
    "鼓手好帅",
    "这段太燃了",
    "全场最佳",
    "安可安可",
    "感动哭了",
    "第一次来现场",
    "音响效果真好",
    "灯光好美",
    "大合唱走起",
    "Encore!",
    "What a show",
    "Happy new year",
    "so good",
    "吉他solo绝了",
    "今晚值了",
)
NICKS = ("小明", "阿花", "Leo", "猫猫", "", "kiki", "老王", "")
COLORS = ("#ffffff", "#ff8800", "#66ccff", "#ffe066")


def comment_text(seq: int) -> str:
    # Six digits at least: a bare "#8964" is a term of the default politics list.
    return f"{PHRASES[seq % len(PHRASES)]} #{seq:06d}"


@dataclass
class Outcome:
    """What one server did under the load."""

    label: str
    phones: int = 0
    shows: int = 0
    connect_errors: int = 0
    sent: int = 0
    send_errors: int = 0
    send_seconds: float = 0.0
    window_seconds: float = 0.0
    acked_ok: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    held: int = 0
    no_ack: int = 0
    lost: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # send -> show, every page
    ack_ms: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    db_rows: int | None = None
    db_addresses: list[str] = field(default_factory=list)
    disconnected: int = 0
    flood_sent: int = 0
    flood_outcomes: Counter[str] = field(default_factory=Counter)
    cores: str = ""  # how busy each core was over the window (others' work shows here)
    server_share: float = 0.0  # the server's CPU seconds per second of window
    error: str = ""

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu_seconds / max(1, self.acked_ok) * 1000

    def pct(self, values: list[float], fraction: float) -> float:
        return loadgen.percentile(values, fraction)


class Run:
    """Bookkeeping for one server's run: send times, acks, ids."""

    def __init__(self, total: int) -> None:
        self.sent_at = [0.0] * total
        self.acked_at = [0.0] * total
        self.ids: list[int | None] = [None] * total
        self.acks = 0
        self.ok = 0
        self.outcome_codes: Counter[str] = Counter()
        self.held = 0

    def on_ack(self, phone: loadgen.Phone, seq: int, ack: dict[str, Any], now: float) -> None:
        if not 0 <= seq < len(self.sent_at) or self.acked_at[seq]:
            return
        self.acked_at[seq] = now
        self.acks += 1
        if ack.get("ok"):
            self.ids[seq] = int(ack["id"])
            self.ok += 1
            if ack.get("status") != "shown":
                self.held += 1
        else:
            self.outcome_codes[str(ack.get("error"))] += 1


async def run_server(label: str, args: argparse.Namespace, workdir: Path) -> Outcome:
    outcome = Outcome(label)
    port = loadgen.free_port()
    db = workdir / f"{label}.db"
    if label == "danmaku":
        argv = loadgen.danmaku_serve_argv(
            port, db, danmaku_rate(args), shlex.split(args.server_args)
        )
        if args.danmaku_command:  # e.g. a patched variant under test: replaces "python -m console"
            argv = [*shlex.split(args.danmaku_command), *argv[3:]]
    else:
        argv = loadgen.bare_relay_argv(port, gc_tuned=label == "bare-gc")
    server = loadgen.ServerProcess(label, argv, port, core=0)
    phones: list[loadgen.Connection] = []
    shows: list[loadgen.Connection] = []
    shown = " ".join(a for a in argv if not a.startswith("/") or a.endswith(".py"))
    print(f"\n--- {label}: {shown}", flush=True)
    try:
        await server.start(workdir / f"{label}.log")
        async with loadgen.Sources.for_connections(args.phones, args.per_address) as sources:
            await drive(args, server, sources, outcome, phones, shows)
            code, seconds = await server.astop()
            print(f"  stopped with SIGINT: exit code {code} after {seconds:.2f} s", flush=True)
            await loadgen.close_all(shows + phones)
    except Exception as exc:  # report it, clean up, go on with the next server
        outcome.error = f"{type(exc).__name__}: {exc}"
        print(f"  !! {label} failed: {outcome.error}", flush=True)
        if args.show_log:
            print(server.log())
    finally:
        server.stop()
    if label == "danmaku" and db.exists():
        with sqlite3.connect(db) as conn:
            outcome.db_rows = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
            outcome.db_addresses = [
                str(r[0]) for r in conn.execute("SELECT DISTINCT address FROM messages LIMIT 5")
            ]
    return outcome


async def drive(
    args: argparse.Namespace,
    server: loadgen.ServerProcess,
    sources: loadgen.Sources,
    outcome: Outcome,
    phones: list[loadgen.Connection],
    shows: list[loadgen.Connection],
) -> None:
    url = loadgen.socketio_url("127.0.0.1", server.port)
    total = int(args.rate * args.seconds)
    run = Run(total)

    async def open_show(conn: loadgen.Connection, i: int) -> None:
        await conn.open(sources.session(i), url)

    async def open_phone(conn: loadgen.Connection, i: int) -> None:
        await conn.open(sources.session(i), url, {"client_id": f"ingest-{i}"})

    opened_shows, errors = await loadgen.open_many(
        lambda i: loadgen.Projector(), args.shows, open_show
    )
    shows.extend(opened_shows)
    projectors = [s for s in opened_shows if isinstance(s, loadgen.Projector)]
    started = time.perf_counter()
    opened, phone_errors = await loadgen.open_many(
        lambda i: loadgen.Phone(run.on_ack),
        args.phones,
        open_phone,
        args.concurrency,
        loadgen.progress_printer("phones", max(1000, args.phones // 5)),
    )
    phones.extend(opened)
    flooder = None
    if args.flood:
        # Shares its source address with the first phones: a flooder behind the hall's NAT.
        flooder = loadgen.Phone(lambda phone, ack_id, ack, now: record_flood(outcome, ack))
        await flooder.open(sources.session(0), url, {"client_id": "flooder"})
        phones.append(flooder)
    outcome.phones, outcome.shows = len(opened), len(opened_shows)
    outcome.connect_errors = len(errors) + len(phone_errors)
    print(
        f"  {len(opened)} phones + {len(opened_shows)} show pages connected in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if not opened or not opened_shows:
        raise RuntimeError(f"nothing to measure: {(errors + phone_errors)[:3]}")
    await asyncio.sleep(args.settle)

    profiler = start_profiler(args, outcome.label, server.pid)
    cores_before = loadgen.core_times()
    cpu_before = loadgen.cpu_seconds(server.pid)
    typed: list[loadgen.Phone] = [p for p in opened if isinstance(p, loadgen.Phone)]
    start = await send_load(args, run, typed, projectors, outcome, flooder)
    outcome.cpu_seconds = loadgen.cpu_seconds(server.pid) - cpu_before
    outcome.cores = loadgen.core_busy(cores_before, loadgen.core_times())
    outcome.server_share = outcome.cpu_seconds / max(1e-9, outcome.window_seconds)
    if profiler is not None:
        profiler.wait(30)
    tally(run, projectors, outcome, phones + shows)
    if args.dump:
        dump_timeline(Path(args.dump) / f"{outcome.label}.csv", run, projectors, start)
    print(
        f"  sent {outcome.sent} in {outcome.send_seconds:.1f} s; acked ok {outcome.acked_ok}, "
        f"lost {outcome.lost}, p99 send->show "
        f"{outcome.pct(outcome.latencies_ms, 0.99):.1f} ms",
        flush=True,
    )


async def send_load(
    args: argparse.Namespace,
    run: Run,
    phones: list[loadgen.Phone],
    projectors: list[loadgen.Projector],
    outcome: Outcome,
    flooder: loadgen.Phone | None = None,
) -> float:
    """``args.rate`` comments/s round-robin over ``phones`` for ``args.seconds``, then wait
    (at most ``args.drain`` s) for every ack and every acked comment on every projector.

    Sets the outcome's sent count, send_seconds and window_seconds; returns when sending
    started (perf_counter).
    """
    total = len(run.sent_at)
    start = time.perf_counter()
    send_deadline = start + args.seconds * 3 + 30  # bounded even if the loop falls behind
    seq = 0
    flooding = None
    if flooder is not None:
        flooding = asyncio.ensure_future(flood(flooder, args, outcome, start))
    while seq < total and time.perf_counter() < send_deadline:
        due = min(total, int((time.perf_counter() - start) * args.rate) + 1)
        while seq < due:
            phone = phones[seq % len(phones)]
            payload = {
                "text": comment_text(seq),
                "nick": NICKS[seq % len(NICKS)],
                "color": COLORS[seq % len(COLORS)],
                "mode": "scroll",
                "cid": f"c{seq}",
            }
            run.sent_at[seq] = time.perf_counter()
            try:
                await phone.send_danmaku(payload, seq)
            except Exception:  # a closed phone: counted, not fatal
                outcome.send_errors += 1
            seq += 1
        await asyncio.sleep(0.001)
    outcome.sent = seq
    outcome.send_seconds = time.perf_counter() - start
    if flooding is not None:
        flooding.cancel()

    # Drain: every ack in, and every acked comment on every show page (bounded).
    drain_deadline = time.perf_counter() + args.drain
    while time.perf_counter() < drain_deadline:
        if run.acks >= seq - outcome.send_errors and all(len(s.seen) >= run.ok for s in projectors):
            break
        await asyncio.sleep(0.02)
    outcome.window_seconds = time.perf_counter() - start
    return start


def tally(
    run: Run,
    projectors: list[loadgen.Projector],
    outcome: Outcome,
    connections: list[loadgen.Connection],
) -> None:
    """Acks, refusals, latencies (sorted) and losses of a finished :func:`send_load`."""
    seq = outcome.sent
    outcome.acked_ok = sum(1 for i in run.ids if i is not None)
    outcome.refused = run.outcome_codes
    outcome.held = run.held
    outcome.no_ack = seq - outcome.send_errors - run.acks
    outcome.disconnected = sum(c.closed for c in connections)
    for n in range(seq):
        message_id = run.ids[n]
        if run.acked_at[n]:
            outcome.ack_ms.append((run.acked_at[n] - run.sent_at[n]) * 1000)
        if message_id is None:
            continue
        seen_everywhere = True
        for show in projectors:
            arrived = show.seen.get(message_id)
            if arrived is None:
                seen_everywhere = False
            else:
                outcome.latencies_ms.append((arrived - run.sent_at[n]) * 1000)
        if not seen_everywhere:
            outcome.lost += 1
    outcome.latencies_ms.sort()
    outcome.ack_ms.sort()


async def flood(
    flooder: loadgen.Phone, args: argparse.Namespace, outcome: Outcome, start: float
) -> None:
    """Send ``args.flood`` comments/s without waiting for acks, in a task of its own: when
    the server stops reading from it, only this task waits, not the other phones."""
    while True:
        due = int((time.perf_counter() - start) * args.flood)
        while outcome.flood_sent < due:
            try:
                await flooder.send_danmaku({"text": f"spam {outcome.flood_sent}"}, 0)
            except Exception:  # the server closed it: that is allowed
                return
            outcome.flood_sent += 1
        await asyncio.sleep(0.001)


def record_flood(outcome: Outcome, ack: dict[str, Any]) -> None:
    outcome.flood_outcomes["ok" if ack.get("ok") else str(ack.get("error"))] += 1


def start_profiler(
    args: argparse.Namespace, label: str, pid: int
) -> subprocess.Popen[bytes] | None:
    """py-spy (if asked for and installed) sampling the server over the sending window."""
    if not args.py_spy:
        return None
    out = Path(args.py_spy) / f"{label}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        return subprocess.Popen(
            [
                "py-spy",
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(int(args.seconds)),
                "--rate",
                "250",
                "--format",
                "raw",
                "--nonblocking",
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        print(f"  py-spy not started: {exc}")
        return None


def dump_timeline(path: Path, run: Run, shows: list[loadgen.Projector], start: float) -> None:
    """One CSV line per comment: when it was sent, and its ack and show latencies (ms)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        out.write("seq,sent_s,ack_ms," + ",".join(f"show{k}_ms" for k in range(len(shows))) + "\n")
        for n, sent in enumerate(run.sent_at):
            if not sent:
                continue
            ack = f"{(run.acked_at[n] - sent) * 1000:.2f}" if run.acked_at[n] else ""
            cells = []
            for show in shows:
                message_id = run.ids[n]
                arrived = None if message_id is None else show.seen.get(message_id)
                cells.append("" if arrived is None else f"{(arrived - sent) * 1000:.2f}")
            out.write(f"{n},{sent - start:.4f},{ack},{','.join(cells)}\n")


def danmaku_rate(args: argparse.Namespace) -> str:
    """The per-sender limit for danmaku serve: one that each phone's pace stays inside."""
    if args.danmaku_rate != "auto":
        return str(args.danmaku_rate)
    interval = args.phones / args.rate  # seconds between two comments of one phone
    seconds = int(interval * 0.8)
    return f"1/{seconds}" if seconds >= 1 else "off"


def precheck(total: int) -> int:
    """How many of the texts `danmaku check` (default lists) would hold; -1 if it failed."""
    texts = "\n".join(comment_text(seq) for seq in range(min(total, len(PHRASES) * 40))) + "\n"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "console", "check"],
            input=texts,
            capture_output=True,
            text=True,
            cwd=loadgen.ROOT,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return -1
    if result.returncode != 0:
        return -1
    return sum('"verdict": "hold"' in line for line in result.stdout.splitlines())


def report(outcomes: list[Outcome], args: argparse.Namespace) -> bool:
    width = 16
    labels = {"bare": "bare relay", "bare-gc": "bare+gc.freeze", "danmaku": "danmaku serve"}
    print(
        "\n=== ingest: "
        f"{args.phones:,} phones, {args.rate:,.0f} comments/s for {args.seconds:.0f} s, "
        f"{args.shows} show pages ==="
    )

    def row(name: str, values: list[str]) -> None:
        print(f"{name:<34}" + "".join(f"{v:>{width}}" for v in values))

    row("", [labels.get(o.label, o.label) for o in outcomes])
    row("phones / show pages connected", [f"{o.phones}/{o.shows}" for o in outcomes])
    row("connect failures", [str(o.connect_errors) for o in outcomes])
    row("comments sent", [f"{o.sent:,}" for o in outcomes])
    row("acked ok", [f"{o.acked_ok:,}" for o in outcomes])
    row("  of which held (should be 0)", [str(o.held) for o in outcomes])
    row(
        "refused (by error)",
        [",".join(f"{k}:{v}" for k, v in o.refused.items()) or "0" for o in outcomes],
    )
    row("no ack at all", [str(o.no_ack) for o in outcomes])
    row("lost (acked, not on every page)", [str(o.lost) for o in outcomes])
    row("send->show p50 ms", [f"{o.pct(o.latencies_ms, 0.50):.1f}" for o in outcomes])
    row("send->show p99 ms", [f"{o.pct(o.latencies_ms, 0.99):.1f}" for o in outcomes])
    row("send->show max ms", [f"{o.pct(o.latencies_ms, 1.0):.1f}" for o in outcomes])
    row(
        "send->ack p50 / p99 ms",
        [f"{o.pct(o.ack_ms, 0.5):.1f}/{o.pct(o.ack_ms, 0.99):.1f}" for o in outcomes],
    )
    row(
        "achieved rate (acked/s)",
        [f"{o.acked_ok / o.send_seconds:,.0f}" if o.send_seconds else "-" for o in outcomes],
    )
    row("server CPU s (window)", [f"{o.cpu_seconds:.2f}/{o.window_seconds:.0f}s" for o in outcomes])
    row("server CPU s per 1,000 comments", [f"{o.cpu_per_1000:.3f}" for o in outcomes])
    row("connections dropped", [str(o.disconnected) for o in outcomes])
    if args.flood:
        row("flooder: comments sent", [f"{o.flood_sent:,}" for o in outcomes])
        row(
            "flooder: answers",
            [",".join(f"{k}:{v}" for k, v in o.flood_outcomes.items()) for o in outcomes],
        )
    print("cores busy over each window (server's own share of core 0 in brackets):")
    for o in outcomes:
        print(f"  {labels.get(o.label, o.label):<16} {o.cores}  [server {o.server_share:.0%}]")
    for o in outcomes:
        if o.error:
            print(f"{labels.get(o.label, o.label)} FAILED: {o.error}")

    ok = True
    checks: list[tuple[str, bool]] = []
    bare_cpu = {
        o.label: o.cpu_per_1000 for o in outcomes if o.label.startswith("bare") and o.acked_ok
    }
    for o in outcomes:
        name = labels.get(o.label, o.label)
        checks.append(
            (
                f"{name}: nothing lost, every comment acked ok",
                not o.error and o.lost == 0 and o.acked_ok == o.sent and o.sent > 0,
            )
        )
        if o.label == "danmaku":
            target = P99_WITH_FLOODER_MS if args.flood else P99_TARGET_MS
            checks.append(
                (
                    f"{name}: p99 send->show <= {target:.0f} ms",
                    o.pct(o.latencies_ms, 0.99) <= target,
                )
            )
            # The yardstick is python-socketio as it runs by default ("bare");
            # "bare-gc" (the same relay with our gc tuning) is printed beside it.
            if "bare" in bare_cpu:
                checks.append(
                    (
                        f"{name}: CPU/1,000 <= bare relay's "
                        f"({o.cpu_per_1000:.3f} vs {bare_cpu['bare']:.3f} s)",
                        o.cpu_per_1000 <= bare_cpu["bare"],
                    )
                )
            if "bare-gc" in bare_cpu:
                print(
                    f"for reference: {name} CPU/1,000 {o.cpu_per_1000:.3f} s vs bare relay "
                    f"with gc tuning {bare_cpu['bare-gc']:.3f} s "
                    f"({o.cpu_per_1000 / bare_cpu['bare-gc'] - 1:+.1%})"
                )
            checks.append(
                (
                    f"{name}: database rows {o.db_rows} == acked {o.acked_ok}"
                    + (f" + the flooder's {o.flood_outcomes['ok']}" if args.flood else ""),
                    o.db_rows == o.acked_ok + o.flood_outcomes["ok"],
                )
            )
            if o.db_addresses:
                print(
                    f"addresses recorded in the database: {', '.join(o.db_addresses)} "
                    f"(phones came from {-(-args.phones // args.per_address)} addresses)"
                )
    print()
    for text, passed in checks:
        ok &= passed
        print(f"[{'PASS' if passed else 'FAIL'}] {text}")
    return ok


async def main_async(args: argparse.Namespace) -> int:
    print(loadgen.pin_to_core(1))
    soft, hard = loadgen.raise_nofile_limit()
    print(f"generator open-file limit: soft {soft}, hard {hard}")
    print(f"machine before: {loadgen.uptime_line()}")
    labels = [s.strip() for s in args.servers.split(",") if s.strip()]
    for label in labels:
        if label not in SERVERS:
            raise SystemExit(f"unknown server {label!r}; choose from {', '.join(SERVERS)}")
    held = precheck(int(args.rate * args.seconds))
    print(
        "pre-check with `danmaku check`: "
        + ("failed to run" if held < 0 else f"{held} sample texts would be held (want 0)")
    )
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="ingest-") as tmp:
        for label in labels:
            outcomes.append(await run_server(label, args, Path(tmp)))
            await asyncio.sleep(1.0)
    print(f"\nmachine after: {loadgen.uptime_line()}")
    ok = report(outcomes, args)
    print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=1000.0, help="comments per second, total")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--shows", type=int, default=2)
    parser.add_argument(
        "--servers",
        default=",".join(SERVERS),
        help=f"comma-separated, in order: {', '.join(SERVERS)}",
    )
    parser.add_argument(
        "--danmaku-rate",
        default="auto",
        help="danmaku serve's --rate; auto: one comment per 80%% of the interval "
        "each phone sends at (phones/rate s), e.g. 1/4 for 5,000 at 1,000/s",
    )
    parser.add_argument(
        "--danmaku-command",
        metavar="CMD",
        help="run this instead of 'python -m console' (then: serve --host ...)",
    )
    parser.add_argument(
        "--server-args",
        default="",
        metavar="ARGS",
        help="more options for danmaku serve, e.g. '--address-rate 3000/2'",
    )
    parser.add_argument(
        "--flood",
        type=float,
        default=0.0,
        metavar="PER_S",
        help="one more phone (behind the first phones' address) sending this many comments/s "
        "regardless of acks, e.g. 3000; the others' figures must not change",
    )
    parser.add_argument("--concurrency", type=int, default=200, help="handshakes at a time")
    parser.add_argument(
        "--per-address", type=int, default=1000, help="phones per loopback source address"
    )
    parser.add_argument("--settle", type=float, default=2.0, help="pause before sending (s)")
    parser.add_argument("--drain", type=float, default=10.0, help="max wait for stragglers (s)")
    parser.add_argument("--dump", metavar="DIR", help="write each server's timeline as CSV")
    parser.add_argument(
        "--py-spy", metavar="DIR", help="profile each server with py-spy over the sending window"
    )
    parser.add_argument("--show-log", action="store_true", help="print a failed server's output")
    args = parser.parse_args()
    loadgen.install_signal_cleanup()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
