"""The ``danmaku`` command: the console by default, plus ``serve``, ``check`` and ``export``.

Only the console itself imports Textual, so ``serve``, ``check`` and ``export`` start
fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from server.settings import RateLimit, Settings


def _rate(spec: str) -> RateLimit | None:
    try:
        return RateLimit.parse(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _wordlist_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wordlist",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="an extra list, one term a line, '#' starts a comment; the file's stem is the "
        "category (repeatable)",
    )
    parser.add_argument(
        "--no-default-wordlists",
        action="store_true",
        help="use only the lists given with --wordlist",
    )
    parser.add_argument(
        "--allow",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="an extra allow list: innocent words that contain a term (repeatable)",
    )


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (0.0.0.0)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (8080)")
    parser.add_argument(
        "--db", type=Path, default=Path("danmaku.db"), help="SQLite file (./danmaku.db)"
    )
    _wordlist_options(parser)
    parser.add_argument(
        "--rate",
        type=_rate,
        default=RateLimit(1, 3.0),
        metavar="N/S",
        help="per-sender limit, N messages per S seconds (1/3); 'off' disables it",
    )
    parser.add_argument(
        "--reject",
        action="append",
        default=[],
        metavar="CATEGORY",
        help="refuse comments in this category outright instead of holding them (repeatable)",
    )
    parser.add_argument(
        "--replay-after",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="replay earlier comments when nothing new was shown for this long (10)",
    )
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the URL phones should open, when it differs from this machine's LAN address",
    )


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
    _server_options(serve)
    check = commands.add_parser(
        "check", help="read lines on stdin, write one JSON verdict per line on stdout"
    )
    _wordlist_options(check)
    export = commands.add_parser("export", help="write every message as JSON or CSV")
    export.add_argument("--db", type=Path, default=Path("danmaku.db"), help="SQLite file")
    export.add_argument("--format", choices=("csv", "json"), default="json")
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
        reject_categories=frozenset(args.reject),
        rate=args.rate,
        replay_idle_seconds=args.replay_after,
        public_url=args.public_url,
    )


def _missing_wordlists(paths: Sequence[Path]) -> list[Path]:
    return [p for p in paths if not p.is_file()]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``danmaku`` console script."""
    args = build_parser().parse_args(argv)
    given = [*args.wordlist, *args.allow] if hasattr(args, "wordlist") else []
    missing = _missing_wordlists(given)
    if missing:
        print(f"danmaku: no such wordlist: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if args.command == "check":
        return _check(args)
    if args.command == "export":
        return _export(args)
    if args.command == "serve":
        return _serve(settings_from_args(args))
    return _console(settings_from_args(args))


def _check(args: argparse.Namespace) -> int:
    from server.moderation import load_filter
    from server.moderation.check_command import run_check

    text_filter = load_filter(
        args.wordlist, use_defaults=not args.no_default_wordlists, allow_files=args.allow
    )
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)
    run_check(text_filter, stdin, stdout)
    return 0


def _export(args: argparse.Namespace) -> int:
    from server.export import export

    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)
    try:
        asyncio.run(export(args.db, args.format, stdout))
    except FileNotFoundError as exc:
        print(f"danmaku export: {exc}", file=sys.stderr)
        return 1
    finally:
        stdout.flush()
    return 0


def _serve(settings: Settings) -> int:
    from server.web.headless import serve
    from server.web.service import PortInUse

    try:
        asyncio.run(serve(settings))
    except PortInUse as exc:
        print(f"danmaku serve: {exc}", file=sys.stderr)
        return 1
    return 0


def _console(settings: Settings) -> int:
    from console.app import run_console

    return run_console(settings)


if __name__ == "__main__":
    sys.exit(main())
