"""A worker cut off from Redis for longer than the hub keeps its events gets the state again.

The hub trims the event stream by age. A worker whose own link to Redis is down (the hub's
is not) meanwhile misses a pause published and trimmed in its absence; back, it must not
leave its projectors showing a running wall. Real redis-server; the worker's link is cut
with an ACL (its user switched off and its connections killed), the hub's part is played
by this test writing the stream and the standing state as the publisher does.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from server.cluster.edge import ClusterEdge, Followed
from server.cluster.link import connect
from server.cluster.wire import EVENTS, STANDING, WallEvent, encode_events
from server.settings import Settings
from server.web.namespaces import SHOW
from tests.cluster_support import RedisServer, redis_server

__all__ = ["redis_server"]  # the fixture

WORKER_PASSWORD = "edge-pw"


async def publish(redis_url: str, *events: WallEvent, standing: bool = False) -> str:
    """XADD one batch of events as the hub does; with ``standing``, store them as the state."""
    hub = connect(redis_url)
    try:
        entry_id = str(await hub.xadd(EVENTS, {"e": encode_events(events)}))
        if standing:
            state = {"asof": entry_id, "events": [event.encode() for event in events]}
            await hub.set(STANDING, json.dumps(state))
        return entry_id
    finally:
        await hub.aclose()


async def next_live(batches: asyncio.Queue[list[Followed]], name: str) -> Followed:
    """The next live event called ``name`` the worker hands its pages (bounded wait)."""
    async with asyncio.timeout(15):
        while True:
            for followed in await batches.get():
                if followed.live and followed.event.name == name:
                    return followed


async def test_a_pause_trimmed_while_the_worker_was_cut_off_reaches_its_pages(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    admin = connect(redis_server.url)
    await admin.acl_setuser(
        "edge",
        enabled=True,
        passwords=[f"+{WORKER_PASSWORD}"],
        keys=["*"],
        channels=["*"],
        commands=["+@all"],
    )
    edge_url = f"redis://edge:{WORKER_PASSWORD}@127.0.0.1:{redis_server.port}/0"
    edge = ClusterEdge(Settings(db_path=tmp_path / "unused.db"), edge_url)
    batches: asyncio.Queue[list[Followed]] = asyncio.Queue()

    async def pages() -> None:
        async for batch in edge.wall_events():
            batches.put_nowait(batch)

    tasks = [asyncio.create_task(edge.follow()), asyncio.create_task(pages())]
    try:
        async with asyncio.timeout(15):
            await batches.get()  # the catch-up at start: from here on, events come live
        await publish(redis_server.url, WallEvent(SHOW, "state", {"paused": False}))
        assert (await next_live(batches, "state")).event.data == {"paused": False}

        # Cut the worker off; the hub pauses the wall and later trims that event away.
        await admin.acl_setuser("edge", enabled=False)
        await admin.client_kill_filter(user="edge")
        await asyncio.sleep(1.0)
        paused = await publish(
            redis_server.url, WallEvent(SHOW, "state", {"paused": True}), standing=True
        )
        await admin.xtrim(EVENTS, minid=f"{int(paused.split('-')[0]) + 1}-0")
        assert await admin.xlen(EVENTS) == 0

        await admin.acl_setuser("edge", enabled=True)
        resent = await next_live(batches, "state")
        assert resent.event.data == {"paused": True}  # the projectors pause too

        # And it follows the live stream on from there.
        await publish(redis_server.url, WallEvent(SHOW, "state", {"paused": False}))
        assert (await next_live(batches, "state")).event.data == {"paused": False}
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await edge.close()
        await admin.aclose()
