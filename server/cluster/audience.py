"""Who is connected where: each worker reports its phones and projectors; the hub adds them up.

The hub needs the total: idle replay runs only while some projector watches, and the
moderator's status line counts the whole hall. A worker killed without a word drops out
of the sum once its last report is :data:`STALE_SECONDS` old.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import cast

from redis.asyncio import Redis

from server.cluster.link import REDIS_DOWN
from server.cluster.wire import AUDIENCE
from server.hub import Hub

log = logging.getLogger(__name__)

REPORT_EVERY_SECONDS = 1.0
STALE_SECONDS = 5.0
CLUSTER_SOURCE = "cluster"  # the hub's name for its workers' audience (Hub.set_audience)


async def report_audience(redis: Redis, worker: str, counts: Callable[[], tuple[int, int]]) -> None:
    """A worker's side: ``(phones, show pages)`` every second, until cancelled."""
    try:
        while True:
            phones, show_pages = counts()
            report = json.dumps([phones, show_pages, time.time()])
            try:
                await redis.hset(AUDIENCE, worker, report)
            except REDIS_DOWN:  # the health check says so; the next report will do
                pass
            await asyncio.sleep(REPORT_EVERY_SECONDS)
    finally:
        try:
            await asyncio.shield(redis.hdel(AUDIENCE, worker))  # a clean stop: gone at once
        except REDIS_DOWN:
            pass


async def follow_audience(redis: Redis, hub: Hub) -> None:
    """The hub's side: every second, the workers' fresh reports summed into the hub."""
    while True:
        try:
            reports = cast(dict[str, str], await redis.hgetall(AUDIENCE))
        except REDIS_DOWN as exc:
            log.debug("reading the audience failed: %s", exc)
        else:
            phones = show_pages = 0
            stale = []
            for worker, raw in reports.items():
                worker_phones, worker_pages, at = json.loads(raw)
                if time.time() - at > STALE_SECONDS:
                    stale.append(worker)
                else:
                    phones, show_pages = phones + worker_phones, show_pages + worker_pages
            hub.set_audience(phones, show_pages, source=CLUSTER_SOURCE)
            if stale:
                await _forget(redis, stale)
        await asyncio.sleep(REPORT_EVERY_SECONDS)


async def _forget(redis: Redis, workers: list[str]) -> None:
    try:
        await redis.hdel(AUDIENCE, *workers)
    except REDIS_DOWN:
        pass
