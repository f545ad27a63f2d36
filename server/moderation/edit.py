"""Live list editing: append a term to a wordlist (or an allow list) file.

The console adds a word from a held comment with a keystroke; the hub then rebuilds the
filter with :func:`~server.moderation.engine.load_filter` (same arguments) and swaps it in.
Only this function writes wordlist files, and it only ever appends one line, so comments and
hand formatting in the file are kept.
"""

from __future__ import annotations

import threading
from pathlib import Path

from server.moderation.wordlists import parse_terms

_lock = threading.Lock()


def check_term(term: str) -> str:
    """The term as it would be written to a list, or an error when it cannot be written.

    Args:
        term: the word to add.

    Returns:
        The term without surrounding whitespace.

    Raises:
        ValueError: when it is empty, spans lines, or would read back differently
            (a leading ``#`` or a `` #`` inside start a comment in a wordlist file).
    """
    text = term.strip()
    if not text:
        raise ValueError("an empty term cannot be added")
    if any(ch in text for ch in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValueError("a term must fit on one line")
    if parse_terms([text]) != (text,):
        raise ValueError(f"{text!r} would read back as a comment: drop the '#'")
    return text


def add_term(path: Path, term: str) -> bool:
    """Append ``term`` as a line of the wordlist file ``path`` unless it is there already.

    The file (and its folder) is created when missing. A file that does not end with a
    newline gets one first. Safe to call from several threads of one process.

    Args:
        path: the wordlist or allow file.
        term: the word to add (surrounding whitespace is dropped).

    Returns:
        True when the line was added, False when the file already lists the term.

    Raises:
        ValueError: when the term cannot be written as a wordlist line (see
            :func:`check_term`).
        OSError: when the file cannot be read or written.
    """
    text = check_term(term)
    path = Path(path)
    with _lock:
        existing = path.read_text(encoding="utf-8-sig") if path.exists() else ""
        if text in parse_terms(existing.splitlines()):
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        with path.open("a", encoding="utf-8", newline="\n") as out:
            out.write(f"{prefix}{text}\n")
    return True
