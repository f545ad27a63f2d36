"""Where the shipped pages and default wordlists are, editable install or wheel alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def web_root() -> Path:
    """The directory holding ``send/``, ``show/`` and ``lib/``."""
    return Path(str(resources.files("danmaku_web")))


def default_wordlist_dir() -> Path:
    """The directory of the default wordlists (``*.txt``, the stem is the category)."""
    return Path(str(resources.files("danmaku_wordlists")))
