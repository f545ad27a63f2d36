"""The ``danmaku`` command: the console by default, and serve, check, export, draws, report.

Only the console itself imports Textual, so the other commands start fast and work without
a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from server.i18n import LANGUAGES, language_from_environment
from server.models import Prize
from server.settings import ProxyNetwork, RateLimit, Settings, parse_proxy

DEFAULTS = Settings()  # the one place defaults live; the options and their help read them


def _rate_text(rate: RateLimit | None) -> str:
    return "off" if rate is None else f"{rate.count}/{rate.seconds:g}"


def _rate_for(option: str) -> Callable[[str], RateLimit | None]:
    """A parser of ``N/S`` or ``off`` whose errors name ``option``."""

    def parse(spec: str) -> RateLimit | None:
        try:
            return RateLimit.parse(spec, option)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


_rate = _rate_for("--rate")


def _proxy(spec: str) -> ProxyNetwork:
    try:
        return parse_proxy(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _prize_plan(path: str) -> tuple[Prize, ...]:
    from server.lottery_desk import parse_prize_plan

    try:
        return parse_prize_plan(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{path}: {exc}") from None


def _seconds_or_off(spec: str) -> float | None:
    if spec.strip().lower() == "off":
        return None
    try:
        seconds = float(spec)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or off, not {spec!r}") from None
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"expected SECONDS > 0 or off, not {spec!r}")
    return seconds


def _default(value: object, keep: bool) -> object:
    return value if keep else argparse.SUPPRESS


def _wordlist_options(parser: argparse.ArgumentParser, defaults: bool = True) -> None:
    parser.add_argument(
        "--wordlist",
        action="append",
        type=Path,
        default=_default(list(DEFAULTS.wordlists), defaults),
        metavar="FILE",
        help="an extra list, one term a line, '#' starts a comment; the file's stem is the "
        "category (repeatable)",
    )
    parser.add_argument(
        "--no-default-wordlists",
        action="store_true",
        default=_default(not DEFAULTS.use_default_wordlists, defaults),
        help="use only the lists given with --wordlist",
    )
    parser.add_argument(
        "--allow",
        action="append",
        type=Path,
        default=_default(list(DEFAULTS.allow_files), defaults),
        metavar="FILE",
        help="an extra allow list: innocent words that contain a term (repeatable)",
    )
    parser.add_argument(
        "--aliases",
        action="append",
        type=Path,
        default=_default(list(DEFAULTS.alias_files), defaults),
        metavar="FILE",
        help="extra aliases, 'alias = part' a line (绿泡泡 = 微信), applied to every term "
        "(repeatable)",
    )
    parser.add_argument(
        "--senses",
        action="append",
        type=Path,
        default=_default(list(DEFAULTS.sense_files), defaults),
        metavar="FILE",
        help="extra senses, 'after|before TERMS = WORDS' a line (after 垃圾 = 分类): words "
        "beside a term that show its everyday sense (repeatable)",
    )


def _address_options(parser: argparse.ArgumentParser, defaults: bool = True) -> None:
    """The per-address limits and the proxies trusted to name the client's address."""
    parser.add_argument(
        "--address-rate",
        type=_rate_for("--address-rate"),
        default=_default(DEFAULTS.address_rate, defaults),
        metavar="N/S",
        help="at most N comments per S seconds from one network address, a whole hall behind "
        f"one NAT together ({_rate_text(DEFAULTS.address_rate)}); 'off' disables it",
    )
    _connection_options(parser, defaults)


def _connection_options(parser: argparse.ArgumentParser, defaults: bool = True) -> None:
    """What limits connections where they arrive: the connect rate and the trusted proxies."""
    parser.add_argument(
        "--connect-rate",
        type=_rate_for("--connect-rate"),
        default=_default(DEFAULTS.connection_rate, defaults),
        metavar="N/S",
        help="at most N new connections per S seconds from one network address "
        f"({_rate_text(DEFAULTS.connection_rate)}); 'off' disables it",
    )
    parser.add_argument(
        "--trust-proxy",
        action="append",
        type=_proxy,
        default=_default(list(DEFAULTS.trusted_proxies), defaults),
        metavar="ADDR",
        help="a balancer (address or network) whose X-Forwarded-For names the client; "
        "the limits then count the client's address (repeatable; none by default)",
    )


def _server_options(parser: argparse.ArgumentParser, defaults: bool = True) -> None:
    """The options of every server-side command.

    ``defaults=False`` is for ``serve``: options given before the subcommand
    (``danmaku --port 9000 serve``) must not be overwritten by its own defaults.
    """
    parser.add_argument(
        "--host",
        default=_default(DEFAULTS.host, defaults),
        help=f"address to listen on ({DEFAULTS.host})",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=_default(DEFAULTS.port, defaults),
        help=f"port to listen on ({DEFAULTS.port})",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=_default(DEFAULTS.db_path, defaults),
        help=f"SQLite file ({DEFAULTS.db_path})",
    )
    _wordlist_options(parser, defaults)
    parser.add_argument(
        "--rate",
        type=_rate,
        default=_default(DEFAULTS.rate, defaults),
        metavar="N/S",
        help=f"per-sender limit, N messages per S seconds ({_rate_text(DEFAULTS.rate)}); "
        "'off' disables it",
    )
    _address_options(parser, defaults)
    parser.add_argument(
        "--reject",
        action="append",
        default=_default(sorted(DEFAULTS.reject_categories), defaults),
        metavar="CATEGORY",
        help="refuse comments in this category outright instead of holding them (repeatable)",
    )
    parser.add_argument(
        "--replay-after",
        type=float,
        default=_default(DEFAULTS.replay_idle_seconds, defaults),
        metavar="SECONDS",
        help="replay earlier comments when nothing new was shown for this long "
        f"({DEFAULTS.replay_idle_seconds:g})",
    )
    parser.add_argument(
        "--hold-expire",
        type=_seconds_or_off,
        default=_default(DEFAULTS.hold_expire_seconds, defaults),
        metavar="SECONDS",
        help="a held comment not decided within this long expires, never shown "
        f"({DEFAULTS.hold_expire_seconds:g}); 'off' keeps every one waiting",
    )
    parser.add_argument(
        "--rehearsal",
        action="store_true",
        default=_default(DEFAULTS.rehearsal, defaults),
        help="start in rehearsal mode: comments fly but never count for the lottery and "
        "are left out of the export (the console's t ends it)",
    )
    parser.add_argument(
        "--takeover",
        action="store_true",
        default=_default(False, defaults),
        help="stop the danmaku still serving this database (e.g. its SSH session dropped) "
        "and take its place",
    )
    parser.add_argument(
        "--prizes",
        type=_prize_plan,
        default=_default(DEFAULTS.prize_plan, defaults),
        metavar="FILE",
        help="the night's prizes in drawing order: one a line, the count last "
        "('三等奖 10'); '#' starts a comment",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=_default(language_from_environment(), defaults),
        help="the console's language: every view, key and message (default from "
        "LC_ALL / LC_MESSAGES / LANG: zh when they name Chinese, else en)",
    )
    parser.add_argument(
        "--public-url",
        default=_default(DEFAULTS.public_url, defaults),
        metavar="URL",
        help="the URL phones should open, when it differs from this machine's LAN address",
    )
    _redis_option(parser, defaults)


def _redis_option(parser: argparse.ArgumentParser, defaults: bool = True) -> None:
    parser.add_argument(
        "--redis",
        default=_default(DEFAULTS.redis_url, defaults),
        metavar="URL",
        help="the cluster's Redis (redis://host:port): the console or `hub` commits every "
        "worker's comments; a `worker` passes them on",
    )


def _worker_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``danmaku worker``: only what an edge process uses (it keeps no database)."""
    worker = commands.add_parser(
        "worker", help="an edge process of a cluster: phones and projectors, no database"
    )
    worker.add_argument("--host", default=argparse.SUPPRESS, help="address to listen on")
    worker.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port to listen on")
    worker.add_argument(
        "--public-url",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="the URL phones should open (the balancer's, usually)",
    )
    # Connections arrive here; comments are counted per address at the hub, so a worker
    # has no --address-rate (it would be silently ignored).
    _connection_options(worker, defaults=False)
    _redis_option(worker, defaults=False)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, as the contract describes it."""
    parser = argparse.ArgumentParser(
        prog="danmaku",
        description="Danmaku Deck: a moderated live-comment wall. With no command, "
        "runs the moderator console with the server inside it.",
    )
    _server_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the server with no console")
    _server_options(serve, defaults=False)
    hub = commands.add_parser("hub", help="the hub of a cluster (--redis) with no console")
    _server_options(hub, defaults=False)
    _worker_parser(commands)
    check = commands.add_parser(
        "check", help="read lines on stdin, write one JSON verdict per line on stdout"
    )
    _wordlist_options(check)
    export = commands.add_parser("export", help="write every message as JSON or CSV")
    export.add_argument(
        "--db", type=Path, default=DEFAULTS.db_path, help=f"SQLite file ({DEFAULTS.db_path})"
    )
    export.add_argument("--format", choices=("csv", "json"), default="json")
    export.add_argument(
        "--include-rehearsal",
        action="store_true",
        help="include the comments sent during a rehearsal (left out by default)",
    )
    draws = commands.add_parser(
        "draws", help="every recorded draw; --verify re-runs each from its record"
    )
    draws.add_argument(
        "--db", type=Path, default=DEFAULTS.db_path, help=f"SQLite file ({DEFAULTS.db_path})"
    )
    draws.add_argument(
        "--verify",
        action="store_true",
        help="re-run every draw and replacement from the record; exit 1 on any mismatch",
    )
    draws.add_argument("--format", choices=("text", "json"), default="text")
    report = commands.add_parser(
        "report", help="the night's recap: one self-contained HTML page with charts"
    )
    report.add_argument(
        "--db", type=Path, default=DEFAULTS.db_path, help=f"SQLite file ({DEFAULTS.db_path})"
    )
    report.add_argument("--out", type=Path, required=True, metavar="FILE", help="the page to write")
    report.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,  # else it would hide `danmaku --lang zh report`
        help="the page's language (default: --lang before the command, else LC_ALL / LANG)",
    )
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings for a server-side command."""
    return Settings(
        host=args.host,
        port=args.port,
        db_path=args.db,
        wordlists=tuple(args.wordlist),
        use_default_wordlists=not args.no_default_wordlists,
        allow_files=tuple(args.allow),
        alias_files=tuple(args.aliases),
        sense_files=tuple(args.senses),
        reject_categories=frozenset(args.reject),
        rate=args.rate,
        address_rate=args.address_rate,
        connection_rate=args.connect_rate,
        trusted_proxies=tuple(args.trust_proxy),
        redis_url=args.redis,
        replay_idle_seconds=args.replay_after,
        public_url=args.public_url,
        prize_plan=args.prizes,
        hold_expire_seconds=args.hold_expire,
        rehearsal=args.rehearsal,
    )


def _missing_wordlists(paths: Sequence[Path]) -> list[Path]:
    return [p for p in paths if not p.is_file()]


def _bad_extras(aliases: Sequence[Path], senses: Sequence[Path]) -> bool:
    """Say so (and return True) when an alias or senses file has a line of the wrong shape."""
    from server.moderation.aliases import AliasError, read_aliases
    from server.moderation.senses import SensesError, read_senses

    try:
        read_aliases(aliases)
        read_senses(senses)
    except (AliasError, SensesError) as error:
        print(f"danmaku: {error}", file=sys.stderr)
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``danmaku`` console script."""
    args = build_parser().parse_args(argv)
    given = (
        [*args.wordlist, *args.allow, *args.aliases, *args.senses]
        if hasattr(args, "wordlist")
        else []
    )
    missing = _missing_wordlists(given)
    if missing:
        print(f"danmaku: no such wordlist: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if given and _bad_extras(args.aliases, args.senses):
        return 2
    if args.command == "check":
        return _check(args)
    if args.command == "export":
        return _export(args)
    if args.command == "draws":
        return _draws(args)
    if args.command == "report":
        return _report(args)
    settings = settings_from_args(args)
    if args.command in ("hub", "worker") and settings.redis_url is None:
        print(f"danmaku {args.command}: --redis URL is required", file=sys.stderr)
        return 2
    if args.command == "worker":
        return _worker(settings)
    if args.takeover and not _take_over(settings):
        return 1
    if args.command in ("serve", "hub"):
        return _serve(settings)
    return _console(settings, args.lang)


def _take_over(settings: Settings) -> bool:
    from server import pidfile

    try:
        owner = pidfile.take_over(settings.db_path)
    except TimeoutError as exc:
        print(f"danmaku: could not take over: {exc}", file=sys.stderr)
        return False
    if owner is not None:
        print(f"danmaku: stopped pid {owner.pid}; taking over.", file=sys.stderr)
    return True


def port_in_use_hint(settings: Settings) -> str:
    """Point at ``--takeover`` when the port is held by a danmaku serving the same database."""
    from server import pidfile

    owner = pidfile.read(settings.db_path)
    if owner is None or owner.port != settings.port:
        return ""
    return (
        f"\nDanmaku Deck pid {owner.pid} is still serving {settings.db_path} on that port "
        "(its terminal may have dropped; the wall is still up). Run the same command with "
        "--takeover to stop it and open a console here: the queue, bans and draws come back, "
        "phones and projectors reconnect by themselves."
    )


def _check(args: argparse.Namespace) -> int:
    from server.moderation import load_filter
    from server.moderation.check_command import run_check

    text_filter = load_filter(
        args.wordlist,
        use_defaults=not args.no_default_wordlists,
        allow_files=args.allow,
        alias_files=args.aliases,
        sense_files=args.senses,
    )
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)
    run_check(text_filter, stdin, stdout)
    return 0


def _export(args: argparse.Namespace) -> int:
    from server.export import export

    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)
    try:
        asyncio.run(export(args.db, args.format, stdout, include_rehearsal=args.include_rehearsal))
    except FileNotFoundError as exc:
        print(f"danmaku export: {exc}", file=sys.stderr)
        return 1
    finally:
        stdout.flush()
    return 0


def _draws(args: argparse.Namespace) -> int:
    from server.draw_record import list_draws

    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)
    try:
        matched = asyncio.run(list_draws(args.db, args.format, args.verify, stdout))
    except FileNotFoundError as exc:
        print(f"danmaku draws: {exc}", file=sys.stderr)
        return 1
    finally:
        stdout.flush()
    return 0 if matched else 1


def _report(args: argparse.Namespace) -> int:
    from server.report.command import make_report
    from server.store import NotOurDatabase

    lang = getattr(args, "lang", None) or language_from_environment()
    try:
        asyncio.run(make_report(args.db, args.out, lang))
    except NotOurDatabase as exc:
        print(f"danmaku report: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"danmaku report: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"danmaku report: wrote {args.out}")
    return 0


def _serve(settings: Settings) -> int:
    from server.web.headless import serve
    from server.web.service import PortInUse

    try:
        asyncio.run(serve(settings))
    except PortInUse as exc:
        print(f"danmaku serve: {exc}{port_in_use_hint(settings)}", file=sys.stderr)
        return 1
    return 0


def _worker(settings: Settings) -> int:
    from server.web.service import PortInUse
    from server.web.worker import work

    try:
        asyncio.run(work(settings))
    except PortInUse as exc:
        print(f"danmaku worker: {exc}", file=sys.stderr)
        return 1
    return 0


def _console(settings: Settings, language: str) -> int:
    from console.app import run_console

    code = run_console(settings, language)
    if code != 0:
        hint = port_in_use_hint(settings)
        if hint:
            print(hint.lstrip("\n"), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
