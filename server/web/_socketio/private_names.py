"""Every name of python-socketio and python-engineio this package leans on past their docs.

Private methods we override or call, undocumented attributes we read or set, and the
parameters of each method we override or call. Either library may rename or drop any of
them in a minor release without notice, and an override of a name that is gone is never
called: nothing fails, the server just quietly stops doing what we meant. pyproject.toml
pins both libraries to the minor versions tested; on a bump, run
``tests/test_socketio_door.py``: it checks every entry here against the installed
libraries and names each one that moved.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import engineio
import socketio
from engineio import async_server as engineio_async_server
from engineio import async_socket, exceptions
from engineio.async_drivers import aiohttp as engineio_aiohttp


@dataclass(frozen=True, slots=True)
class PrivateName:
    """One name we rely on: where it lives, what of ours uses it, and what it must look like."""

    owner: Any  # a module or a class of the library
    name: str
    used_by: str  # which of our code relies on it, and how
    parameters: tuple[str, ...] | None = None  # a method's parameters, without ``self``
    on_instance: bool = False  # an attribute the library sets in ``__init__``, not on the class
    members: tuple[str, ...] = ()  # names (or keys) the attribute's value must have

    @property
    def label(self) -> str:
        """``package.module.Class.name``."""
        owner = getattr(self.owner, "__qualname__", None)
        module = self.owner.__module__ if owner else self.owner.__name__
        return ".".join(part for part in (module, owner, self.name) if part)


_SIO = socketio.AsyncServer
_EIO = engineio.AsyncServer
_SOCKET = async_socket.AsyncSocket
_WS = engineio_aiohttp.WebSocket
_MANAGER = socketio.AsyncManager
_GUARD = "GuardedServer (guard.py)"
_ENGINE = "VenueEngineServer (engine.py)"
_IDLE = "IdleSocket (idle_socket.py)"
_UNCOMPRESSED = "UncompressedWebSocket (engine.py)"
_VENUE_MANAGER = "VenueManager (manager.py)"


def _method(owner: Any, name: str, parameters: str, used_by: str) -> PrivateName:
    """A method, with its parameters (space-separated, without ``self``)."""
    return PrivateName(owner, name, used_by, tuple(parameters.split()))


def _name(owner: Any, name: str, used_by: str, *members: str) -> PrivateName:
    """A class or module attribute, and what its value must have."""
    return PrivateName(owner, name, used_by, members=members)


def _attr(owner: Any, name: str, used_by: str, *members: str) -> PrivateName:
    """An attribute each instance gets in ``__init__``, and what its value must have."""
    return PrivateName(owner, name, used_by, on_instance=True, members=members)


PRIVATE_NAMES: tuple[PrivateName, ...] = (
    # python-socketio's server, which GuardedServer subclasses
    _method(_SIO, "_handle_event", "eio_sid namespace id data",
            f"{_GUARD} overrides it: every client event passes there"),
    _method(_SIO, "_send_packet", "eio_sid pkt",
            f"{_GUARD} sends a malformed event's bad_request ack with it"),
    _method(_SIO, "_engineio_server_class", "", f"{_GUARD} overrides it to run on {_ENGINE}"),
    _attr(_SIO, "handlers", f"{_GUARD} looks an event's on() handler up in it"),
    _attr(_SIO, "namespace_handlers", f"{_GUARD} looks an event's namespace class up in it"),
    _attr(_SIO, "packet_class", f"{_GUARD} and {_VENUE_MANAGER} build packets with it"),
    _attr(_SIO, "manager", f"{_GUARD} asks it whether a client joined a namespace",
          "sid_from_eio_sid", "is_connected"),
    _attr(_SIO, "eio", f"{_VENUE_MANAGER} and server/web/service.py reach Engine.IO by it"),
    _method(socketio.AsyncNamespace, "trigger_event", "event args",
            f"{_GUARD} assumes it calls on_<event>(sid, *args)"),
    # python-engineio's server, which VenueEngineServer subclasses
    _method(_EIO, "_trigger_event", "event args kwargs",
            f"{_ENGINE} overrides it to turn each new socket into {_IDLE}"),
    _attr(_EIO, "_async", f"{_ENGINE} swaps its 'websocket' driver for {_UNCOMPRESSED}",
          "websocket"),
    _attr(_EIO, "sockets", f"{_ENGINE} finds new and closed sockets in it; service.py too"),
    _method(_EIO, "create_queue", "args kwargs",
            f"{_ENGINE} overrides it: each socket takes its queue from it"),
    _method(_EIO, "handle_request", "args kwargs",
            f"{_ENGINE} overrides it (no 500s); aiohttp's route calls it"),
    _method(_EIO, "disconnect", "sid", f"{_ENGINE} overrides it: a failed POST does not wait"),
    _method(_EIO, "shutdown", "", f"{_ENGINE} overrides it to stop its PingWheel first"),
    _method(_EIO, "send_packet", "sid pkt",
            f"{_VENUE_MANAGER} queues each encoded broadcast with it"),
    _name(_EIO, "reason", f"{_ENGINE} and {_IDLE} give close reasons from it",
          "SERVER_DISCONNECT", "TRANSPORT_CLOSE"),
    _attr(_EIO, "ping_interval", f"{_IDLE} and its PingWheel ping at this pace"),
    _attr(_EIO, "ping_timeout", f"{_IDLE} waits this long past a ping for a read"),
    _attr(_EIO, "max_http_buffer_size", f"{_UNCOMPRESSED} limits each message to it"),
    _name(engineio_async_server, "async_socket",
          f"{_ENGINE} swaps exactly async_socket.AsyncSocket, which python-engineio makes",
          "AsyncSocket"),
    # python-engineio's socket, which IdleSocket subclasses
    _method(_SOCKET, "_websocket_handler", "ws",
            f"{_IDLE} overrides it (and calls it on an upgrade)"),
    _method(_SOCKET, "schedule_ping", "", f"{_IDLE} overrides it to ping from the PingWheel"),
    _method(_SOCKET, "send", "pkt", f"{_IDLE} overrides it to write without a writer task"),
    _method(_SOCKET, "receive", "pkt", f"{_IDLE} hands each packet it reads to it"),
    _method(_SOCKET, "close", "wait abort reason", f"{_IDLE} and {_ENGINE} close sockets so"),
    _method(_SOCKET, "check_ping_timeout", "", f"{_IDLE} calls it before each send"),
    *(
        _attr(_SOCKET, name, f"{_IDLE} reads or sets it, as python-engineio's socket does")
        for name in "server sid queue last_ping connected upgraded upgrading closing closed".split()
    ),
    _name(exceptions, "UnknownPacketError", f"{_IDLE} skips packets that raise it"),
    _name(exceptions, "SocketIsClosedError", f"{_IDLE} stops reading on it"),
    # python-engineio's aiohttp WebSocket, which UncompressedWebSocket subclasses
    _method(_WS, "__init__", "handler server", f"python-engineio makes {_UNCOMPRESSED} so"),
    _method(_WS, "__call__", "environ", f"{_UNCOMPRESSED} overrides it: no compression"),
    _method(_WS, "close", "", f"{_UNCOMPRESSED} overrides it to close without draining"),
    _method(_WS, "send", "message", f"{_UNCOMPRESSED} inherits it: it writes to _sock"),
    _method(_WS, "wait", "", f"{_UNCOMPRESSED} inherits it for python-engineio's upgrades"),
    *(
        _attr(_WS, name, f"{_UNCOMPRESSED} sets or reads it as the base class does")
        for name in ("handler", "server", "_sock")
    ),
    _name(engineio_aiohttp, "_async", f"{_ENGINE} copies this driver table for each server",
          "websocket"),
    # python-socketio's client manager, which VenueManager subclasses
    _method(_MANAGER, "basic_enter_room", "sid namespace room eio_sid",
            f"{_VENUE_MANAGER} overrides it to index each client's rooms"),
    _method(_MANAGER, "basic_leave_room", "sid namespace room",
            f"{_VENUE_MANAGER} overrides it to index each client's rooms"),
    _method(_MANAGER, "basic_disconnect", "sid namespace kwargs",
            f"{_VENUE_MANAGER} overrides it (no scan of every room)"),
    _method(_MANAGER, "get_participants", "namespace room",
            f"{_VENUE_MANAGER} overrides it (sid rooms are not stored)"),
    _method(_MANAGER, "get_rooms", "sid namespace",
            f"{_VENUE_MANAGER} overrides it (sid rooms are not stored)"),
    _method(_MANAGER, "emit", "event data namespace room skip_sid callback to kwargs",
            f"{_VENUE_MANAGER} overrides it (one encode, no task per phone)"),
    *(
        _attr(_MANAGER, name, f"{_VENUE_MANAGER} reads or clears it as the base class does")
        for name in ("rooms", "callbacks", "pending_connect", "pending_disconnect", "server")
    ),
)  # fmt: skip


def samples() -> dict[type[Any], Any]:
    """One fresh instance of each class whose instance attributes we rely on."""
    sio = socketio.AsyncServer(async_mode="aiohttp")
    return {
        _SIO: sio,
        _EIO: sio.eio,
        _SOCKET: async_socket.AsyncSocket(sio.eio, "sample"),
        _WS: engineio_aiohttp.WebSocket(None, sio.eio),
        _MANAGER: socketio.AsyncManager(),
    }


def problem(entry: PrivateName, instances: dict[type[Any], Any] | None = None) -> str | None:
    """What is wrong with ``entry`` in the installed libraries, or None when it is as we use it.

    Args:
        entry: the name to check.
        instances: from :func:`samples`, to check many entries with one set.
    """
    holder = (instances or samples())[entry.owner] if entry.on_instance else entry.owner
    versions = _versions()
    if not hasattr(holder, entry.name):
        return (
            f"{entry.label} no longer exists in {versions}. {entry.used_by}: re-check that code "
            "against the library's source before moving the pin in pyproject.toml."
        )
    value = getattr(holder, entry.name)
    missing = [m for m in entry.members if not _has(value, m)]
    if missing:
        return f"{entry.label} has no {', '.join(missing)} in {versions}. {entry.used_by}."
    if entry.parameters is not None:
        actual = _parameters(value)
        if actual != entry.parameters:
            return (
                f"{entry.label} now takes ({', '.join(actual)}) in {versions}, where we expect "
                f"({', '.join(entry.parameters)}). {entry.used_by}: re-check it."
            )
    return None


def problems() -> list[str]:
    """Every entry of :data:`PRIVATE_NAMES` that is not as we use it."""
    instances = samples()
    return [found for entry in PRIVATE_NAMES if (found := problem(entry, instances)) is not None]


def _has(value: Any, member: str) -> bool:
    return member in value if isinstance(value, dict) else hasattr(value, member)


def _parameters(value: Callable[..., Any] | Any) -> tuple[str, ...]:
    if not callable(value):
        return ()
    try:
        names = tuple(inspect.signature(value).parameters)
    except (TypeError, ValueError):  # a builtin without a signature
        return ()
    return names[1:] if names[:1] == ("self",) else names


def _versions() -> str:
    return ", ".join(
        f"{dist} {metadata.version(dist)}" for dist in ("python-socketio", "python-engineio")
    )
