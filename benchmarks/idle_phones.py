"""Server memory per idle phone: `danmaku serve` holding N connected phones.

Starts `danmaku serve` (loopback, temporary database, `--rate off`) pinned to core 0, pins
this generator to core 1, reads the server's VmRSS before and after connecting N phones on
`/send` (each answering Engine.IO pings), holds them for `--hold` seconds (long enough for
every phone to answer at least one 25 s ping) and checks that all stayed connected, on both
sides (`/healthz` counts phones). Prints KB of server memory per phone, and what a venue
server needs for more phones than this machine allows.

    python benchmarks/idle_phones.py [--phones 15000] [--hold 30] [--browser]
                                     [--behind-nat] [--reconnect] [--server-args ARGS]

`--browser` connects as a phone's browser does: it offers permessage-deflate (every browser
does; the server then keeps zlib state for each connection it has sent anything to) and
sends the usual headers (Origin, User-Agent, Accept-Language, ...), which the server keeps
for the connection's life. Without it, a bare minimal client.
Target: 15,000 phones at <= 25 KB each.

`--reconnect` then drops every phone at once and has them all reconnect at once, each
retrying as our pages do (0.5 s doubling to 5 s, jittered) when refused: a Wi-Fi blink.
Target: all back within 30 s.

`--behind-nat`: every phone is a hall behind one NAT address to the server, which then
counts them all against one address's limits (`--connect-rate`, `--address-rate`). They
say so in X-Forwarded-For (`NAT_ADDRESS`), the server trusting loopback as its proxy:
15,000 connections from one loopback source address would measure this machine's
ephemeral-port search instead (connect() slows down as that address's ports fill up; a
NAT router keeps its own port table and the server sees only the address).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
import loadgen

TARGET_KB = 25.0
NAT_ADDRESS = "198.51.100.7"  # the hall's one public address with --behind-nat
WARM_UP_PHONES = 50
RECONNECT_TARGET_SECONDS = 30.0
RECONNECT_RETRIES = 40  # at 5 s apart at most: the phones keep trying for minutes


async def healthz(session: aiohttp.ClientSession, port: int) -> dict[str, object]:
    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
        return dict(await response.json())


def sysctl(name: str) -> str:
    try:
        return Path("/proc/sys", *name.split(".")).read_text().strip().replace("\t", " ")
    except OSError:
        return "?"


def venue_notes(phones: int, kb_per_phone: float, server_pid_limits: str) -> None:
    need = phones + 1000
    print("\nWhat a venue server needs for more phones (one socket = one open file each):")
    print(f"  open files: this server has {server_pid_limits}; this machine's hard cap is 20,000.")
    print(f"    For P phones the server needs P + ~1,000 (e.g. {need:,} for {phones:,}):")
    print("    `ulimit -n` / systemd LimitNOFILE= (hard limit), and fs.nr_open, fs.file-max above")
    print(f"    it (now fs.nr_open={sysctl('fs.nr_open')}, fs.file-max={sysctl('fs.file-max')}).")
    print(
        f"  memory: ~{kb_per_phone:.0f} KB per phone here -> "
        f"{kb_per_phone * 50_000 / 1024:,.0f} MB for 50,000 phones, plus kernel socket buffers "
        f"(net.ipv4.tcp_mem={sysctl('net.ipv4.tcp_mem')} pages)."
    )
    print(
        f"  accept backlog: net.core.somaxconn={sysctl('net.core.somaxconn')} (the server asks "
        "listen(1024)); a hall reconnecting at once after a Wi-Fi blink wants both >= 4096,"
    )
    print(
        "    and net.ipv4.tcp_max_syn_backlog likewise "
        f"(now {sysctl('net.ipv4.tcp_max_syn_backlog')})."
    )
    print(
        f"  ephemeral ports: net.ipv4.ip_local_port_range={sysctl('net.ipv4.ip_local_port_range')}"
        " limits connections from ONE client address to one server port (a load generator,"
    )
    print("    or a reverse proxy in front of the server: widen it to '1024 65535' or give the")
    print("    proxy several upstream addresses). Phones each have their own address: no limit.")
    print("  a NAT/Wi-Fi router in front of the hall needs a conntrack table larger than the")
    print("    number of phones (nf_conntrack_max).")


async def mass_disconnect(
    phones: list[loadgen.Connection], sources: loadgen.Sources, port: int
) -> None:
    """Every phone drops at once (the hall's Wi-Fi blinks, the show ends): how long until the
    server has let them all go, and how long it could not answer meanwhile."""
    print(f"\nall {len(phones):,} phones drop at once ...", flush=True)
    started = time.perf_counter()
    for phone in phones:
        phone.abort()
    slowest = 0.0
    left: object = "?"
    deadline = started + 120
    while time.perf_counter() < deadline:
        asked = time.perf_counter()
        try:
            async with asyncio.timeout(max(1.0, deadline - asked)):
                left = (await healthz(sources.session(1), port)).get("phones")
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            left = f"no answer ({type(exc).__name__})"
        slowest = max(slowest, time.perf_counter() - asked)
        if left == 0:
            break
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - started
    print(
        f"server counted {left} phones after {elapsed:.2f} s; its slowest /healthz answer "
        f"meanwhile took {slowest * 1000:,.0f} ms (the event loop was busy that long)"
    )


async def reconnect_at_once(
    phones: list[loadgen.Connection],
    opener: Callable[[loadgen.Connection, int], Awaitable[None]],
    port: int,
    args: argparse.Namespace,
) -> bool:
    """Every phone drops and reconnects at once, retrying as the pages do: how long until
    all are back, and how often the server refused a new session (HTTP 429)."""
    count = len(phones)
    print(f"\nall {count:,} phones drop and reconnect at once (a Wi-Fi blink) ...", flush=True)
    refusals: Counter[str] = Counter()

    async def reopen(conn: loadgen.Connection, i: int) -> None:
        try:
            await opener(conn, i)
        except loadgen.ConnectFailed as exc:
            refusals["429 too many connections" if "429" in str(exc) else "other"] += 1
            raise

    for phone in phones:
        phone.abort()
    started = time.perf_counter()
    back, errors = await loadgen.open_many(
        lambda i: loadgen.Phone(),
        count,
        reopen,
        args.reconnect_concurrency,
        loadgen.progress_printer("back", max(1000, count // 10)),
        retries=RECONNECT_RETRIES,
        retry_delay=loadgen.page_backoff,
    )
    elapsed = time.perf_counter() - started
    phones[:] = back
    await asyncio.sleep(3.0)  # the server lets the dropped sessions go meanwhile
    async with aiohttp.ClientSession() as session:
        counted = (await healthz(session, port)).get("phones")
    ok = len(back) == count and not errors and elapsed <= RECONNECT_TARGET_SECONDS
    print(
        f"back: {len(back):,} of {count:,} in {elapsed:.1f} s (target <= "
        f"{RECONNECT_TARGET_SECONDS:.0f} s); server /healthz counts {counted}; failed tries: "
        + (", ".join(f"{k} {v:,}" for k, v in refusals.items()) or "none")
        + f"; never back: {len(errors)}"
    )
    print(f"reconnect: {'OK' if ok else 'FAIL'}")
    return ok


async def run(args: argparse.Namespace) -> int:
    print(loadgen.pin_to_core(1))
    soft, hard = loadgen.raise_nofile_limit()
    print(f"generator open-file limit: soft {soft}, hard {hard}")
    if args.phones + 100 > soft:
        print(f"!! {args.phones} phones need more than {soft} open files in this generator")
    print(f"machine: {loadgen.uptime_line()}")
    port = loadgen.free_port()
    url = loadgen.socketio_url("127.0.0.1", port)
    with tempfile.TemporaryDirectory(prefix="idle-phones-") as tmp:
        extra = shlex.split(args.server_args)
        if args.behind_nat:
            extra += ["--trust-proxy", "127.0.0.0/8"]
        argv = loadgen.danmaku_serve_argv(port, Path(tmp) / "idle.db", "off", extra)
        if args.danmaku_command:  # a patched variant under test: replaces "python -m console"
            argv = [*shlex.split(args.danmaku_command), *argv[3:]]
        server = loadgen.ServerProcess("danmaku serve", argv, port, core=0)
        phones: list[loadgen.Connection] = []
        try:
            await server.start(Path(tmp) / "server.log")
            print(
                f"server: {' '.join(server.argv[:4])} ... pid {server.pid}, "
                f"open files {loadgen.open_files_limit(server.pid)}"
            )
            async with loadgen.Sources.for_connections(args.phones, args.per_address) as sources:
                print(
                    f"phones connect from {len(sources.addresses)} loopback addresses "
                    f"({sources.addresses[0]} ...), at most {args.per_address} each"
                    + (f"; the server sees them all as {NAT_ADDRESS}" if args.behind_nat else "")
                )
                return await measure(args, server, sources, url, port, phones)
        finally:
            code = server.stop()
            print(f"server stopped (exit code {code})")
            if args.show_log:
                print(server.log())


async def measure(
    args: argparse.Namespace,
    server: loadgen.ServerProcess,
    sources: loadgen.Sources,
    url: str,
    port: int,
    phones: list[loadgen.Connection],
) -> int:
    compress = 15 if args.browser else 0
    headers = loadgen.browser_headers("127.0.0.1", port) if args.browser else {}
    if args.behind_nat:
        headers["X-Forwarded-For"] = NAT_ADDRESS

    async def opener(conn: loadgen.Connection, i: int) -> None:
        await conn.open(
            sources.session(i), url, {"client_id": f"idle-{i}"}, compress=compress, headers=headers
        )

    # Warm up (first connection allocates module-level caches), then let it settle.
    warm, _ = await loadgen.open_many(lambda i: loadgen.Phone(), WARM_UP_PHONES, opener, 10)
    await loadgen.close_all(warm)
    await asyncio.sleep(2.0)
    before = loadgen.rss_kb(server.pid)
    generator_before = loadgen.rss_kb(os.getpid())
    print(f"server RSS before: {before / 1024:,.1f} MB")

    started = time.perf_counter()
    opened, errors = await loadgen.open_many(
        lambda i: loadgen.Phone(),
        args.phones,
        opener,
        args.concurrency,
        loadgen.progress_printer("connected", max(1000, args.phones // 10)),
    )
    phones.extend(opened)
    connect_seconds = time.perf_counter() - started
    print(
        f"opened {len(opened):,} of {args.phones:,} phones in {connect_seconds:.1f} s "
        f"({len(opened) / connect_seconds:,.0f}/s); failures: {len(errors)}"
    )
    for error in sorted(set(errors))[:5]:
        print(f"  e.g. {error}")
    await asyncio.sleep(3.0)
    after = loadgen.rss_kb(server.pid)
    generator_after = loadgen.rss_kb(os.getpid())
    peak = after
    print(f"server RSS after connecting: {after / 1024:,.1f} MB")

    hold_start = time.monotonic()
    hold_cpu = loadgen.cpu_seconds(server.pid)
    hold_end = hold_start + args.hold
    while time.monotonic() < hold_end:
        await asyncio.sleep(min(5.0, max(0.0, hold_end - time.monotonic())))
        rss = loadgen.rss_kb(server.pid)
        peak = max(peak, rss)
        alive = sum(not p.closed for p in phones)
        print(
            f"  hold {args.hold - max(0.0, hold_end - time.monotonic()):4.0f} s: "
            f"{alive:,} connected, server RSS {rss / 1024:,.1f} MB"
        )
    idle_cpu = (loadgen.cpu_seconds(server.pid) - hold_cpu) / max(
        1e-9, time.monotonic() - hold_start
    )
    health = await healthz(sources.session(0), port)
    alive = sum(not p.closed for p in phones)
    pinged = sum(p.pings > 0 for p in phones)
    final = loadgen.rss_kb(server.pid)
    peak = max(peak, final)
    per_phone = (peak - before) / max(1, len(opened))
    generator_per_phone = (generator_after - generator_before) / max(1, len(opened))
    closed = [p for p in phones if p.closed]
    ok = (
        not errors
        and alive == args.phones
        and health.get("phones") == args.phones
        and per_phone <= TARGET_KB
    )

    print("\n=== idle phones: danmaku serve ===")
    print(
        f"phones requested / opened / still connected: {args.phones:,} / {len(opened):,} / "
        f"{alive:,} (server /healthz says {health.get('phones')})"
    )
    print(
        f"phones that answered >= 1 ping: {pinged:,} (hold {args.hold:.0f} s; "
        f"server pings every 25 s)"
    )
    if closed:
        print(f"closed during the hold: {len(closed)}, e.g. {closed[0].close_reason}")
    print(
        "phones like browsers (permessage-deflate offered, Origin, User-Agent, ...): "
        + ("yes" if args.browser else "no")
    )
    print(
        f"server RSS: before {before / 1024:,.1f} MB, after connecting {after / 1024:,.1f} MB, "
        f"after the hold {final / 1024:,.1f} MB, peak {peak / 1024:,.1f} MB"
    )
    print(
        f"server memory per phone: {per_phone:.1f} KB (target <= {TARGET_KB:.0f} KB): "
        f"{'OK' if per_phone <= TARGET_KB else 'OVER'}"
    )
    print(f"generator memory per phone: {generator_per_phone:.1f} KB")
    print(f"server CPU while the phones sat idle (pings only): {idle_cpu:.1%} of a core")
    print(f"machine: {loadgen.uptime_line()}")
    venue_notes(args.phones, per_phone, loadgen.open_files_limit(server.pid))
    if args.reconnect:
        ok = await reconnect_at_once(phones, opener, port, args) and ok
    print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
    if not args.quit_connected:
        await mass_disconnect(phones, sources, port)
    print("stopping the server (SIGINT) ...", flush=True)
    code, seconds = await server.astop()
    print(
        f"server exited with {code} after {seconds:.2f} s"
        + (" (killed: it did not exit in time)" if code == -9 else "")
    )
    await loadgen.close_all(phones)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=15_000)
    parser.add_argument("--hold", type=float, default=30.0, help="seconds to stay connected")
    parser.add_argument("--concurrency", type=int, default=200, help="handshakes at a time")
    parser.add_argument(
        "--browser",
        action="store_true",
        help="connect like a browser: offer permessage-deflate, send Origin, User-Agent, ...",
    )
    parser.add_argument(
        "--per-address", type=int, default=1000, help="phones per loopback source address"
    )
    parser.add_argument(
        "--danmaku-command",
        metavar="CMD",
        help="run this instead of 'python -m console' (then: serve --host ...)",
    )
    parser.add_argument(
        "--quit-connected",
        action="store_true",
        help="stop the server with every phone still connected (default: all phones drop "
        "at once first, and the time the server takes to let them go is measured)",
    )
    parser.add_argument(
        "--behind-nat",
        action="store_true",
        help=f"every phone behind one address ({NAT_ADDRESS}) as the server sees it",
    )
    parser.add_argument(
        "--reconnect",
        action="store_true",
        help="after the hold, every phone drops and reconnects at once, retrying as the "
        "pages do (a Wi-Fi blink); with --behind-nat a whole hall behind one NAT",
    )
    parser.add_argument(
        "--reconnect-concurrency",
        type=int,
        default=2000,
        help="handshakes in flight at once while reconnecting",
    )
    parser.add_argument(
        "--server-args",
        default="",
        metavar="ARGS",
        help="more options for danmaku serve, e.g. '--connect-rate 2000/10'",
    )
    parser.add_argument("--show-log", action="store_true", help="print the server's output")
    args = parser.parse_args()
    loadgen.install_signal_cleanup()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
