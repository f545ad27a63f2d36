"""The compiled filter: built where the machine can build it, and never run stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import server.moderation.engine
from server.native import StaleBuild, in_checkout, refuse_stale_build, stale_modules

ROOT = Path(__file__).resolve().parents[1]


def test_the_filter_runs_compiled_unless_asked_not_to() -> None:
    # setup.py compiles server/moderation with mypyc on a machine with a C compiler and
    # Python's headers (scripts/test.sh installs both); DANMAKU_PURE_PYTHON=1 opts out.
    compiled = Path(server.moderation.engine.__file__).suffix == ".so"
    assert compiled != bool(os.environ.get("DANMAKU_PURE_PYTHON")), (
        "install gcc and Python's headers and run `pip install -e .` again"
    )


def _module(package: Path, name: str, *, source_newer: bool) -> None:
    source = package / f"{name}.py"
    built = package / f"{name}.cpython-311-x86_64-linux-gnu.so"
    source.write_text("x = 1\n")
    built.write_bytes(b"")
    older, newer = (built, source) if source_newer else (source, built)
    os.utime(older, (1_000_000, 1_000_000))
    os.utime(newer, (2_000_000, 2_000_000))


def test_a_source_edited_after_its_build_is_refused(tmp_path: Path) -> None:
    _module(tmp_path, "engine", source_newer=True)
    _module(tmp_path, "screen", source_newer=False)
    (tmp_path / "plain.py").write_text("y = 2\n")  # never compiled: nothing to compare
    assert stale_modules(tmp_path) == ["engine.py"]
    with pytest.raises(StaleBuild, match=r"engine\.py .* pip install -e \."):
        refuse_stale_build(tmp_path)


def test_an_up_to_date_build_is_taken(tmp_path: Path) -> None:
    _module(tmp_path, "engine", source_newer=False)
    refuse_stale_build(tmp_path)  # raises nothing
    assert stale_modules(tmp_path) == []


def test_only_a_checkout_is_checked(tmp_path: Path) -> None:
    # An installed wheel writes its sources after its extensions (they would all look
    # stale) and cannot change them after its build: only a source tree is checked.
    assert in_checkout()  # these tests run from the repository
    package = tmp_path / "site-packages" / "server" / "moderation"
    package.mkdir(parents=True)
    assert not in_checkout(package)
    (tmp_path / "site-packages" / "pyproject.toml").write_text("")
    assert in_checkout(package)


def test_importing_the_server_refuses_a_stale_filter() -> None:
    # What a developer who edited a filter module without reinstalling sees: the command
    # stops with what to do, instead of running the old compiled copy.
    compiled = sorted((ROOT / "server" / "moderation").glob("*.so"))
    if not compiled:  # a pure build (DANMAKU_PURE_PYTHON=1): nothing can be stale
        assert os.environ.get("DANMAKU_PURE_PYTHON")
        return
    source = compiled[0].with_name(compiled[0].name.split(".")[0] + ".py")
    built_at = compiled[0].stat().st_mtime
    stat = source.stat()
    os.utime(source, (stat.st_atime, built_at + 10))
    try:
        run = subprocess.run(
            [sys.executable, "-c", "import server"], capture_output=True, text=True, check=False
        )
    finally:
        os.utime(source, (stat.st_atime, stat.st_mtime))
    assert run.returncode != 0
    assert f"{source.name} in " in run.stderr and "pip install -e ." in run.stderr
