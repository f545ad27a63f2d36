"""A lean Redis connection for a worker's busiest commands: several per write, hiredis replies.

A worker makes a round trip for each batch of submissions and each wake-up of its XREAD,
hundreds a second. redis-py spends ~200-240 µs of CPU on each (a pipeline object, a task
per send to time it out, reply callbacks); here about half that: pack the commands, one
write, one read parsed by hiredis (the two system calls are most of it). It speaks RESP2 and
nothing else: no pool, no retries, one caller at a time. Anything going wrong mid-way
(Redis away, a timeout, a cancel while a reply is on its way) closes the connection, whose
next call connects again.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from typing import Any

import hiredis
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection, parse_url
from redis.exceptions import ResponseError

from server.cluster.link import CONNECT_TIMEOUT_SECONDS, Entry

Command = Sequence[str]


def pack(commands: Sequence[Command]) -> bytes:
    """Commands as RESP2 arrays of bulk strings, back to back."""
    parts: list[bytes] = []
    for command in commands:
        parts.append(b"*%d\r\n" % len(command))
        for argument in command:
            raw = argument.encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(parts)


def stream_entries(reply: Any) -> list[tuple[str, list[Entry]]]:
    """XREAD's RESP2 answer (``[[stream, [[id, [field, value, …]], …]], …]`` or nil)."""
    return [
        (stream, [(entry_id, _fields(flat)) for entry_id, flat in entries])
        for stream, entries in reply or ()
    ]


def _fields(flat: list[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _hung_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    return reader.at_eof() or writer.is_closing()


class LeanConnection:
    """One connection to the Redis at ``url``, as redis-py reads one.

    ``redis://[[user]:password@]host[:port][/db]``, ``rediss://`` the same over TLS, or
    ``unix://[[user]:password@]/path/to/socket[?db=db]``.
    """

    def __init__(self, url: str, *, timeout: float) -> None:
        options = parse_url(url)  # redis-py's own reading, so both connections agree
        kind = options.get("connection_class")
        self._path: str | None = options["path"] if kind is UnixDomainSocketConnection else None
        self._tls = kind is SSLConnection
        self._host: str = options.get("host", "localhost")
        self._port: int = options.get("port", 6379)
        self._hello: list[Command] = []  # sent first on each new connection
        if options.get("password") is not None:
            user = [options["username"]] if options.get("username") else []
            self._hello.append(["AUTH", *user, options["password"]])
        if options.get("db"):
            self._hello.append(["SELECT", str(options["db"])])
        self._timeout = timeout
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._parser = hiredis.Reader(encoding="utf-8")
        self._busy = False

    async def call(self, commands: Sequence[Command]) -> list[Any]:
        """Send ``commands`` in one write; their replies in order, within the timeout.

        A command Redis refused has its error as its reply (a ``hiredis.ReplyError``).

        Raises:
            OSError: Redis is away or hung up (ConnectionError), or did not answer within
                the timeout (TimeoutError).
        """
        assert not self._busy, "one caller at a time"
        self._busy = True
        try:
            async with asyncio.timeout(self._timeout):
                if self._streams is not None and _hung_up(*self._streams):
                    self._drop()  # Redis hung up while it was idle (it restarted): connect again
                reader, writer = self._streams or await self._connect()
                writer.write(pack(commands))
                return [await self._reply(reader) for _ in commands]
        except BaseException:
            self._drop()
            raise
        finally:
            self._busy = False

    async def command(self, *command: str) -> Any:
        """One command's reply.

        Raises:
            OSError: as :meth:`call`.
            ResponseError: Redis refused it.
        """
        (reply,) = await self.call([command])
        if isinstance(reply, hiredis.ReplyError):
            raise ResponseError(str(reply))
        return reply

    async def close(self) -> None:
        """Hang up (a later call connects again)."""
        streams, self._streams = self._streams, None
        if streams is not None:
            streams[1].close()
            try:
                await streams[1].wait_closed()
            except OSError:
                pass

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
            if self._path is not None:
                reader, writer = await asyncio.open_unix_connection(self._path)
            else:
                tls = ssl.create_default_context() if self._tls else None
                reader, writer = await asyncio.open_connection(self._host, self._port, ssl=tls)
        self._parser = hiredis.Reader(encoding="utf-8")
        self._streams = reader, writer
        if self._hello:
            writer.write(pack(self._hello))
            for _ in self._hello:
                reply = await self._reply(reader)
                if isinstance(reply, hiredis.ReplyError):
                    raise ConnectionError(f"Redis refused the connection: {reply}")
        return reader, writer

    async def _reply(self, reader: asyncio.StreamReader) -> Any:
        reply = self._parser.gets()
        while reply is False:  # hiredis: not whole yet
            data = await reader.read(1 << 16)
            if not data:
                raise ConnectionError("Redis closed the connection")
            self._parser.feed(data)
            reply = self._parser.gets()
        return reply

    def _drop(self) -> None:
        """Forget the connection: a reply may be half read, so it cannot be used again."""
        streams, self._streams = self._streams, None
        if streams is not None:
            streams[1].close()
