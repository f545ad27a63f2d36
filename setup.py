"""Compiles the moderation filter with mypyc when this machine can; pyproject.toml says the rest.

``server/moderation`` is plain, fully typed Python. mypyc (part of mypy, a build
requirement) turns each of its modules into a C extension that runs the same code faster:
every comment passes the filter, and a held one takes its slowest path
(``python benchmarks/moderation_bench.py``). With no C compiler or no Python headers,
or with ``DANMAKU_PURE_PYTHON=1`` in the environment, nothing is compiled and the same
modules run as Python. An editable install leaves the compiled modules beside their
sources: after editing one, install again (``server/native.py`` refuses a stale build).
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path

from setuptools import Extension, setup

COMPILED_PACKAGE = Path("server") / "moderation"
GROUP = "danmaku_filter_native"  # the shared library mypyc builds for the whole package


def can_compile() -> bool:
    """A C compiler and Python's headers: what building a C extension takes."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which(compiler) is not None and headers.exists()


def remove_compiled() -> None:
    """Take an earlier build's modules out of the source tree, or they would still run."""
    for built in [*COMPILED_PACKAGE.glob("*.so"), *Path().glob(f"{GROUP}__mypyc*.so")]:
        built.unlink()


def native_modules() -> list[Extension]:
    """The filter's modules as mypyc extensions, or none (then they run as Python)."""
    pure = bool(os.environ.get("DANMAKU_PURE_PYTHON"))
    if pure or not can_compile():
        if not pure:
            print("danmaku-deck: no C compiler or Python headers: the filter runs as Python")
        remove_compiled()
        return []
    from mypyc.build import mypycify

    sources = sorted(str(path) for path in COMPILED_PACKAGE.glob("*.py"))
    return list(mypycify(sources, opt_level="3", group_name=GROUP))


setup(ext_modules=native_modules())
