"""Keep the wall running when the moderator's terminal goes away (SSH dropped: SIGHUP).

On SIGHUP the console detaches: its input thread stops and the terminal's file descriptors
point at /dev/null, so Textual renders into nothing while the server inside keeps serving
phones and projectors. ``danmaku --takeover`` on the same database later stops this
process (SIGTERM, a clean exit) and opens a fresh console: the queue, bans and draws come
back from the database and the clients reconnect by themselves.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Protocol

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
