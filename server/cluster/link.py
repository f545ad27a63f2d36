"""Connections to Redis that fail fast, and the errors that mean "Redis is not there".

A worker must answer ``unavailable`` within 2 s when Redis is gone, so commands time out
after a second and are never retried behind our back (redis-py retries by default); the
loops that follow a stream reconnect on their own, with a short pause.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

CONNECT_TIMEOUT_SECONDS = 1.0
COMMAND_TIMEOUT_SECONDS = 1.0
BLOCK_MILLISECONDS = 1_000  # a stream reader waits this long for news, then asks again
# A reader in XREAD BLOCK hears nothing for the block's length: it gives up a little later.
READER_TIMEOUT_SECONDS = BLOCK_MILLISECONDS / 1000 + 3.0
RECONNECT_PAUSE_SECONDS = 0.2  # between attempts while Redis is away

# What a command raises when Redis is away or answers with an error: a connection refused
# or reset, a timeout, an out-of-memory refusal under `maxmemory-policy noeviction`.
REDIS_DOWN = (RedisError, OSError)
REDIS_DOWN_OR_LATE = (RedisError, OSError, TimeoutError)  # ... or did not answer in time


def connect(url: str, *, blocking: bool = False) -> Redis:
    """A client for ``url`` (``redis://host:port/db``), strings in and out.

    ``blocking`` is for a reader that waits in ``XREAD BLOCK``: its socket may stay quiet
    for the block's length, so it times out only a few seconds after that.
    """
    timeout = READER_TIMEOUT_SECONDS if blocking else COMMAND_TIMEOUT_SECONDS
    client: Redis = Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )
    return client


Entry = tuple[str, dict[str, str]]  # a stream entry: its id and its fields


def read_entries(reply: Any) -> list[tuple[str, list[Entry]]]:
    """XREAD's answer (RESP2: ``[[stream, [(id, fields), …]], …]``) as (stream, entries)."""
    return [(str(stream), list(entries)) for stream, entries in reply or ()]


async def read_range(redis: Redis, stream: str, low: str, count: int) -> list[Entry]:
    """``XRANGE stream low + COUNT count``: the entries from ``low`` on, oldest first."""
    return cast(list[Entry], await redis.xrange(stream, low, "+", count=count))


def where(url: str) -> str:
    """``host:port`` of a Redis URL, for messages (never its password)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 6379}"
