"""``check_line``/``run_check`` keep the contract's JSON shape; the package stays UI-free."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from server.moderation import TextFilter, load_filter
from server.moderation.check_command import check_line, run_check

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def f(tmp_path_factory: pytest.TempPathFactory) -> TextFilter:
    path = tmp_path_factory.mktemp("lists") / "testlist.txt"
    path.write_text("黑猫\ndarn\n", encoding="utf-8")
    return load_filter([path], use_defaults=False)


def test_check_line_shape(f: TextFilter) -> None:
    assert check_line(f, "大家好") == {"text": "大家好", "verdict": "pass", "reasons": []}
    assert check_line(f, "一只黑猫 d-a-r-n") == {
        "text": "一只黑猫 d-a-r-n",
        "verdict": "hold",
        "reasons": [
            {"term": "黑猫", "category": "testlist", "span": [2, 4]},
            {
                "term": "darn",
                "category": "testlist",
                "span": [5, 12],
                "how": "d-a-r-n → darn (leet)",
            },
        ],
    }
    contact = check_line(f, "13812345678")["reasons"]
    assert contact == [{"term": "phone", "category": "contact", "span": [0, 11]}]


class CountingIO(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def test_run_check_writes_one_json_object_per_line(f: TextFilter) -> None:
    stdin = io.StringIO("大家好\n  what the darn  \n\n黑猫")
    stdout = CountingIO()
    run_check(f, stdin, stdout)
    lines = stdout.getvalue().split("\n")
    assert lines[-1] == ""  # every object ends with a newline
    out = [json.loads(line) for line in lines[:-1]]
    assert [o["text"] for o in out] == ["大家好", "  what the darn  ", "", "黑猫"]
    assert [o["verdict"] for o in out] == ["pass", "hold", "pass", "hold"]
    assert out[1]["reasons"] == [{"term": "darn", "category": "testlist", "span": [11, 15]}]
    assert "黑猫" in stdout.getvalue()  # ensure_ascii=False
    assert stdout.flushes >= 4


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_importing_the_package_pulls_in_no_ui_or_web_code() -> None:
    result = run_python(
        "import server.moderation, server.moderation.check_command, sys; "
        "assert not any(m.split('.')[0] in {'textual','socketio','aiohttp','console'} "
        "for m in sys.modules), sorted(sys.modules)"
    )
    assert result.returncode == 0, result.stderr


def test_no_module_mentions_ui_or_web_packages() -> None:
    for path in (ROOT / "server" / "moderation").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in ("textual", "socketio", "aiohttp", "console"):
            assert f"import {name}" not in text and f"from {name}" not in text, path


def test_load_filter_leaves_jieba_alone() -> None:
    # jieba's first use takes most of a second: warm_up does it, in a thread at start-up.
    # (How long load_filter takes is printed by benchmarks/moderation_bench.py.)
    result = run_python(
        "import sys; from server.moderation import load_filter; f = load_filter(); "
        "assert 'jieba' not in sys.modules"
    )
    assert result.returncode == 0, result.stderr


def test_jieba_prints_nothing(tmp_path: Path) -> None:
    path = tmp_path / "body.txt"
    path.write_text("口交\n", encoding="utf-8")
    result = run_python(
        "import sys; from pathlib import Path; from server.moderation import load_filter; "
        f"f = load_filter([Path({str(path)!r})], use_defaults=False); "
        "assert not f.check('路口交通不是特别好').held; "
        "assert f.check('真口交啊').held; f.warm_up()"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
