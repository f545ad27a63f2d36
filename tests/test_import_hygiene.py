"""The core is reachable without the UI or the web stack (style guide, item 1).

Import-linter (`lint-imports`, run by scripts/test.sh) checks the same layers statically;
this checks what a fresh interpreter really loads, dynamic imports included.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import server

# Every module of the core: server/ minus its adapters (web, cluster), found by walking the
# package so that a module added later is covered without editing this list.
ADAPTERS = ("server.web", "server.cluster")
CORE = sorted(
    info.name
    for info in pkgutil.walk_packages(server.__path__, "server.")
    if not info.name.startswith(ADAPTERS)
)
FORBIDDEN = ("textual", "socketio", "engineio", "aiohttp", "redis", "console", *ADAPTERS)


def _loaded_after_importing(*modules: str) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def _forbidden(loaded: set[str]) -> set[str]:
    """Loaded modules that are, or live inside, a forbidden package."""
    return {m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)}


def test_the_core_is_every_server_module_but_the_web_adapter() -> None:
    assert {"server.hub", "server.admission", "server.wall", "server.moderation"} <= set(CORE)
    assert not [name for name in CORE if {"web", "cluster"} & set(name.split("."))]


def test_core_imports_neither_textual_nor_the_web_stack_nor_the_adapter() -> None:
    loaded = _loaded_after_importing(*CORE)
    assert "server.hub" in loaded
    assert not _forbidden(loaded), _forbidden(loaded)


def test_a_core_module_importing_the_adapter_would_be_caught() -> None:
    # The comparison is by full module name: `server.web` is forbidden though `server` is not.
    assert _forbidden({"server.hub", "server.web.payloads"}) == {"server.web.payloads"}


def test_web_adapter_does_not_import_textual() -> None:
    loaded = _loaded_after_importing("server.web.service")
    assert "aiohttp" in loaded and not {m for m in loaded if m.split(".")[0] == "textual"}


def test_a_single_box_server_does_not_load_redis() -> None:
    # Redis is the cluster's alone: `danmaku` and `danmaku serve` without --redis never load it.
    loaded = _loaded_after_importing("console.cli", "server.web.service", "server.web.app")
    assert "server.web.service" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "redis"}


def test_check_and_export_commands_do_not_load_textual() -> None:
    loaded = _loaded_after_importing("console.cli")
    assert not {m for m in loaded if m.split(".")[0] == "textual"}
