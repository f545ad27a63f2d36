"""The one door to python-socketio's and python-engineio's internals.

Everything here leans on names those libraries do not document: private methods we
override or call, attributes we read, and one ``__class__`` swap. Each name is listed in
:data:`~.private_names.PRIVATE_NAMES`, ``tests/test_socketio_door.py`` checks them
against the installed libraries, and pyproject.toml pins both libraries to the minor
versions that were tested. Nothing outside this package imports its modules, except
the tests; the rest of the server gets a plain ``socketio.AsyncServer`` from
:func:`make_socketio_server`.

- :mod:`.guard`: ``GuardedServer``, answering malformed client events ``bad_request``;
- :mod:`.engine`: ``VenueEngineServer`` (Engine.IO: no compression, no 500s) and
  ``UncompressedWebSocket``;
- :mod:`.idle_socket`: ``IdleSocket`` (no task of its own while idle) and ``PingWheel``;
- :mod:`.queue`: ``QuietQueue``; :mod:`.manager`: ``VenueManager``.
"""

from __future__ import annotations

import logging

import socketio

from server.web import packet_json
from server.web._socketio.guard import GuardedServer
from server.web._socketio.manager import VenueManager
from server.web._socketio.private_names import problems

__all__ = ["make_socketio_server"]

log = logging.getLogger(__name__)


def make_socketio_server(*, max_packet_bytes: int) -> socketio.AsyncServer:
    """The Socket.IO server for aiohttp, with every venue tuning of this package.

    Args:
        max_packet_bytes: the largest Engine.IO packet (or long-polling body) taken.

    Register the namespaces and ``attach()`` it to the aiohttp application as usual.
    """
    for problem in problems():  # an unpinned install: say what will misbehave
        log.error("python-socketio / python-engineio changed: %s", problem)
    return GuardedServer(
        async_mode="aiohttp",
        client_manager=VenueManager(),
        json=packet_json,  # the stock module's integer guard, its decoder built once
        # A phone's events are handled in turn, on its own connection, not in a task
        # each: one task fewer per comment, and a phone flooding the wall waits for its
        # own acks instead of piling up work for everyone else.
        async_handlers=False,
        max_http_buffer_size=max_packet_bytes,
        logger=False,
        engineio_logger=False,
    )
