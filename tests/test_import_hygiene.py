"""The core is reachable without the UI or the web stack (style guide, item 1)."""

from __future__ import annotations

import subprocess
import sys

CORE = ("server.hub", "server.store", "server.lottery", "server.replay", "server.moderation",
        "server.export", "server.events", "server.qr")  # fmt: skip
FORBIDDEN = ("textual", "socketio", "engineio", "aiohttp", "console")


def _loaded_after_importing(*modules: str) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    return set(result.stdout.split())


def test_core_imports_neither_textual_nor_the_web_stack() -> None:
    loaded = _loaded_after_importing(*CORE)
    assert "server" in loaded
    assert not loaded & set(FORBIDDEN), loaded & set(FORBIDDEN)


def test_web_adapter_does_not_import_textual() -> None:
    loaded = _loaded_after_importing("server.web.service")
    assert "aiohttp" in loaded and "textual" not in loaded


def test_check_and_export_commands_do_not_load_textual() -> None:
    loaded = _loaded_after_importing("console.cli")
    assert "textual" not in loaded
