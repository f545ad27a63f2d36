"""Refuses a compiled filter older than its sources: an editable install's trap.

``setup.py`` compiles ``server/moderation`` with mypyc when the machine can. In an
editable install each module's C extension sits beside its ``.py`` file, and Python
imports the extension: a source edited (or pulled) since the last install would silently
not run. Importing ``server`` from a checkout says so instead, with what to do. (An
installed wheel writes its files all at once, in no order of time, and its sources cannot
change after their build: no check there.)
"""

from __future__ import annotations

from pathlib import Path

COMPILED_PACKAGE = Path(__file__).resolve().parent / "moderation"


class StaleBuild(ImportError):
    """A compiled module is older than its source."""


def in_checkout(package: Path = COMPILED_PACKAGE) -> bool:
    """Whether ``package`` lies in a source checkout (an editable install), not a wheel's."""
    return (package.parents[1] / "pyproject.toml").exists()


def stale_modules(package: Path = COMPILED_PACKAGE) -> list[str]:
    """The sources in ``package`` changed after their C extension was built (sorted names)."""
    stale = set()
    for extension in package.glob("*.so"):
        source = extension.with_name(extension.name.split(".")[0] + ".py")
        if source.exists() and source.stat().st_mtime > extension.stat().st_mtime:
            stale.add(source.name)
    return sorted(stale)


def refuse_stale_build(package: Path = COMPILED_PACKAGE) -> None:
    """Raise :class:`StaleBuild` when a compiled module in ``package`` is older than its source."""
    stale = stale_modules(package)
    if stale:
        raise StaleBuild(
            f"{', '.join(stale)} in {package} changed after being compiled, so the "
            "compiled copy would run instead: run `pip install -e .` again to recompile "
            "(or `DANMAKU_PURE_PYTHON=1 pip install -e .` to run the sources as Python)"
        )
