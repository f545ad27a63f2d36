"""Keep the wall running when the moderator's terminal goes away (SSH dropped: SIGHUP).

On SIGHUP the console detaches: its input thread stops and the terminal's file descriptors
point at /dev/null, so Textual renders into nothing while the server inside keeps serving
phones and projectors. Before that, and if no SIGHUP ever comes (the terminal was not the
console's controlling one), :class:`OutlivingTerminalDriver` keeps Textual's output thread
alive through writes the vanished terminal refuses: otherwise the loop, and with it the
wall, blocks on the next screen update. ``danmaku --takeover`` on the same database later stops this
process (SIGTERM, a clean exit) and opens a fresh console: the queue, bans and draws come
back from the database and the clients reconnect by themselves.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
from typing import Any, Protocol, TextIO, cast

from textual.drivers.linux_driver import LinuxDriver

log = logging.getLogger(__name__)


class Detachable(Protocol):
    """What this module needs of the console app."""

    @property
    def _driver(self) -> object:
        """Textual's driver (read only: the app's own attribute may be None or a Driver)."""

    def exit(self) -> None:
        """Quit normally (restores the terminal)."""

    async def stop_server(self) -> None:
        """Stop the server inside: clients disconnected, database closed, port freed."""


class TerminalOutput:
    """The terminal's stream for Textual's output thread, dropping what a gone terminal refuses.

    Once the far end of the terminal is gone (tmux killed, SSH dropped), each write fails
    (EIO). Raised, that ends Textual's output thread; its queue of 30 writes then fills and
    the event loop — the server inside with it — blocks for good on the next screen update,
    deaf even to SIGTERM (found killing tmux under load; tests/test_hangup.py).
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        """Write to the terminal while it takes it; after that, drop ``text``."""
        if not self.gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._lost(exc)
        return len(text)

    def flush(self) -> None:
        """Flush while the terminal takes it."""
        if not self.gone:
            try:
                self._stream.flush()
            except OSError as exc:
                self._lost(exc)

    def _lost(self, exc: OSError) -> None:
        self.gone = True
        log.warning("the terminal refuses output (%s): the console renders into nothing", exc)

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding…: the stream's own
        return getattr(self._stream, name)


class OutlivingTerminalDriver(LinuxDriver):
    """Textual's Linux driver, whose output outlives the terminal (see :class:`TerminalOutput`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual's internals, pinned in pyproject.toml (textual 8.2): LinuxDriver keeps the
        # stream its WriterThread writes in `_file`. tests/test_hangup.py fails if it moves.
        if self._file is not None:
            self._file = cast(io.TextIOWrapper, TerminalOutput(self._file))


_detached: set[int] = set()
_stopping: set[asyncio.Future[None]] = set()  # the loop keeps only weak references to tasks


def detach(app: Detachable) -> None:
    """Let go of the terminal but keep the app (and the server in its loop) running."""
    log.warning("terminal hung up: the console detaches, the server keeps serving")
    _detached.add(id(app))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    driver = app._driver  # the only handle on Textual's input thread
    disable_input = getattr(driver, "disable_input", None)
    if disable_input is not None:
        disable_input()


async def _stop_detached(app: Detachable) -> None:
    # Textual's own exit would try to restore a terminal that is gone and can block on
    # its writer thread: stop the server cleanly, then leave without the terminal dance.
    await app.stop_server()
    log.info("detached console stopped")
    logging.shutdown()
    os._exit(0)


def terminate(app: Detachable) -> None:
    """SIGTERM: a clean exit, attached or not (``danmaku --takeover`` sends it)."""
    if id(app) in _detached:
        stopping = asyncio.ensure_future(_stop_detached(app))
        _stopping.add(stopping)
        stopping.add_done_callback(_stopping.discard)
    else:
        app.exit()


def keep_serving_on_hangup(app: Detachable) -> None:
    """Detach on SIGHUP; exit cleanly (server stopped, port freed) on SIGTERM."""
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGHUP, detach, app)
    loop.add_signal_handler(signal.SIGTERM, terminate, app)


def over_ssh_without_multiplexer() -> bool:
    """True over SSH outside tmux/screen, where a dropped connection ends the console."""
    return bool(os.environ.get("SSH_CONNECTION")) and not (
        os.environ.get("TMUX") or os.environ.get("STY")
    )
