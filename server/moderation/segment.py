"""jieba, only where a Chinese hit needs a word-boundary decision (路口交通 holds 口交).

jieba is imported lazily (it costs a fifth of a second) and initialised once per process
(most of a second), quietly: the console is a full-screen terminal app, so jieba's own
stderr handler is replaced by a NullHandler and its records go through the app's logging.
The filter's terms are added to jieba's dictionary so that a term beside a character it
could pair with ("真傻逼") is still cut as a word of its own.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable
from typing import Any

_lock = threading.Lock()
_jieba: Any = None
_added: set[str] = set()


def _quiet_jieba() -> Any:
    """Import jieba with its console logging switched off."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                logger = logging.getLogger("jieba")
                for handler in list(logger.handlers):
                    stream = getattr(handler, "stream", None)
                    if stream in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__):
                        logger.removeHandler(handler)
                logger.addHandler(logging.NullHandler())
                _jieba = jieba
    return _jieba


def prepare(words: Iterable[str]) -> None:
    """Initialise jieba and teach it the filter's Chinese terms (idempotent, thread-safe).

    Args:
        words: normalized CJK terms, each added once per process with the frequency jieba
            suggests for keeping it whole.
    """
    jieba = _quiet_jieba()
    jieba.initialize()
    with _lock:
        for word in words:
            if word not in _added:
                jieba.add_word(word)
                _added.add(word)


def token_edges(text: str) -> set[int]:
    """The offsets in ``text`` where jieba puts a word boundary (0 and ``len(text)`` too).

    Uses the dictionary only (``HMM=False``): a word the HMM invents from unknown
    characters is no evidence of an innocent longer word.

    Args:
        text: a short run of CJK characters.

    Returns:
        The set of boundary offsets.
    """
    jieba = _quiet_jieba()
    edges = {0}
    at = 0
    for token in jieba.lcut(text, HMM=False):
        at += len(token)
        edges.add(at)
    return edges
