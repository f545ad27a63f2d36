"""The contract's command line: real processes, real files."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import signal
import socket
import subprocess
from pathlib import Path

import socketio

from console.cli import build_parser, settings_from_args
from server.settings import RateLimit, Settings
from tests.process_support import DANMAKU, ENV, free_port, run_danmaku


def test_defaults_and_options_parse_as_the_contract_says() -> None:
    for argv in ([], ["serve"]):
        settings = settings_from_args(build_parser().parse_args(argv))
        assert (settings.host, settings.port, str(settings.db_path)) == (
            "0.0.0.0",
            8080,
            "danmaku.db",
        )
        assert settings.rate == RateLimit(1, 3.0) and settings.use_default_wordlists
    args = build_parser().parse_args(
        ["serve", "--host", "127.0.0.1", "--port", "9", "--db", "x.db", "--rate", "off",
         "--wordlist", "a.txt", "--wordlist", "b.txt", "--no-default-wordlists"]
    )  # fmt: skip
    settings = settings_from_args(args)
    assert settings.rate is None and settings.port == 9 and not settings.use_default_wordlists
    assert [p.name for p in settings.wordlists] == ["a.txt", "b.txt"]
    assert settings_from_args(build_parser().parse_args(["--rate", "5/10"])).rate == RateLimit(
        5, 10.0
    )


def test_defaults_are_the_settings_defaults_and_help_shows_them() -> None:
    defaults = Settings()
    for argv in ([], ["serve"]):
        assert settings_from_args(build_parser().parse_args(argv)) == defaults
    assert build_parser().parse_args(["export"]).db == defaults.db_path
    shown = " ".join(run_danmaku("--help").stdout.split())  # argparse wraps lines
    assert f"({defaults.port})" in shown and f"({defaults.host})" in shown
    assert f"({defaults.db_path})" in shown and f"({defaults.replay_idle_seconds:g})" in shown
    assert defaults.rate is not None
    assert f"({defaults.rate.count}/{defaults.rate.seconds:g})" in shown


def test_options_before_the_subcommand_are_kept() -> None:
    args = build_parser().parse_args(["--port", "9000", "--rate", "off", "serve", "--db", "x.db"])
    settings = settings_from_args(args)
    assert (settings.port, settings.rate, str(settings.db_path)) == (9000, None, "x.db")


def test_bad_rate_is_a_clear_error() -> None:
    result = run_danmaku("serve", "--rate", "fast")
    assert result.returncode == 2 and "--rate expects N/S" in result.stderr


def test_python_m_console_is_the_danmaku_command() -> None:
    result = run_danmaku("--help")
    assert result.returncode == 0
    for command in ("serve", "check", "export"):
        assert command in result.stdout


def test_check_writes_one_json_object_per_line(tmp_path: Path, wordlist: Path) -> None:
    lines = ["大家好", "一只黑猫", "what the darn"]
    result = run_danmaku(
        "check", "--wordlist", str(wordlist), "--no-default-wordlists", stdin="\n".join(lines)
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out == [
        {"text": "大家好", "verdict": "pass", "reasons": []},
        {
            "text": "一只黑猫",
            "verdict": "hold",
            "reasons": [{"term": "黑猫", "category": "testlist", "span": [2, 4]}],
        },
        {
            "text": "what the darn",
            "verdict": "hold",
            "reasons": [{"term": "darn", "category": "testlist", "span": [9, 13]}],
        },
    ]


def test_check_uses_default_wordlists_unless_told_not_to(wordlist: Path) -> None:
    with_defaults = run_danmaku("check", stdin="fuck\n")
    assert json.loads(with_defaults.stdout)["verdict"] == "hold"
    without = run_danmaku(
        "check", "--wordlist", str(wordlist), "--no-default-wordlists", stdin="fuck\n"
    )
    assert json.loads(without.stdout)["verdict"] == "pass"


def test_missing_wordlist_is_a_clear_error(tmp_path: Path) -> None:
    result = run_danmaku("check", "--wordlist", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "no such wordlist" in result.stderr


def test_export_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    result = run_danmaku("export", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "No database" in result.stderr
    assert not (tmp_path / "none.db").exists()


async def _send_all(port: int, payloads: list[dict[str, str]]) -> list[dict[str, object]]:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(f"http://127.0.0.1:{port}", namespaces=["/send"],
                         auth={"client_id": "cli-phone"})  # fmt: skip
    try:
        return [await client.call("danmaku", p, namespace="/send", timeout=10) for p in payloads]
    finally:
        await client.disconnect()


def _start_serve(db: Path, port: int, wordlist: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*DANMAKU, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db),
         "--wordlist", str(wordlist), "--no-default-wordlists", "--rate", "off"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()  # printed once it listens
    assert "serving" in line, line + process.stderr.read()
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_serve_holds_flagged_persisted_then_export(tmp_path: Path, wordlist: Path) -> None:
    db, port = tmp_path / "night.db", free_port()
    process = _start_serve(db, port, wordlist)
    try:
        acks = asyncio.run(
            _send_all(port, [{"text": "开场!", "nick": "Ann"}, {"text": "黑猫警长", "nick": "Ann"}])
        )
    finally:
        _stop(process)
    assert [a["status"] for a in acks] == ["shown", "held"]

    # Restarted on the same file, the held comment still waits.
    process = _start_serve(db, port, wordlist)
    _stop(process)

    exported = run_danmaku("export", "--db", str(db), "--format", "json")
    assert exported.returncode == 0, exported.stderr
    records = json.loads(exported.stdout)
    required = {"id", "text", "nick", "sender", "status", "verdict", "reasons", "shown_count",
                "created_at"}  # fmt: skip
    assert all(required <= set(r) for r in records)
    assert [(r["text"], r["status"], r["verdict"]) for r in records] == [
        ("开场!", "shown", "pass"),
        ("黑猫警长", "held", "hold"),
    ]
    assert records[1]["reasons"] == [{"term": "黑猫", "category": "testlist", "span": [0, 2]}]
    assert records[0]["shown_count"] == 1 and records[0]["sender"] == "client:cli-phone"

    as_csv = run_danmaku("export", "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["text"] for r in rows] == ["开场!", "黑猫警长"]
    assert required <= set(rows[0])
    assert json.loads(rows[1]["reasons"])[0]["term"] == "黑猫"


def test_serve_on_a_taken_port_says_so(tmp_path: Path, wordlist: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_danmaku("serve", "--host", "127.0.0.1", "--port", str(port), "--db",
                     str(tmp_path / "d.db"), "--wordlist", str(wordlist))  # fmt: skip
    assert result.returncode == 1 and "already in use" in result.stderr


def test_allow_file_and_reject_category_options(tmp_path: Path, wordlist: Path) -> None:
    allow = tmp_path / "party-allow.txt"
    allow.write_text("黑猫警长\n", encoding="utf-8")
    result = run_danmaku("check", "--wordlist", str(wordlist), "--no-default-wordlists",
                 "--allow", str(allow), stdin="黑猫警长来了\n一只黑猫\n")  # fmt: skip
    verdicts = [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    assert verdicts == ["pass", "hold"]
    settings = settings_from_args(build_parser().parse_args(["serve", "--reject", "ads"]))
    assert settings.reject_categories == {"ads"}
