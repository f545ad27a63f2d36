"""The hub of a cluster: its intake, its publisher and the audience count, run together.

``danmaku --redis URL`` and ``danmaku hub --redis URL`` run the ordinary server with
this beside it (:func:`server.web.service.running_service`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from server.cluster.audience import follow_audience
from server.cluster.intake import Intake
from server.cluster.link import COMMAND_TIMEOUT_SECONDS, READER_TIMEOUT_SECONDS, connect
from server.cluster.publisher import Publisher
from server.cluster.resp import LeanConnection
from server.cluster.wire import WallEvent
from server.events import Event
from server.filter_process import FilterProcess
from server.hub import Hub
from server.settings import Settings

log = logging.getLogger(__name__)

# Events stay in the stream a little longer than a projector is caught up for, so that a
# worker starting now can catch its projectors up from them.
RETENTION_MARGIN_SECONDS = 60.0


@asynccontextmanager
async def running_hub_bridge(
    hub: Hub,
    url: str,
    *,
    shape: Callable[[Event], list[WallEvent]],
    standing: Callable[[], list[WallEvent]],
    pages: Callable[[], dict[str, str]],
    filter_from: Settings | None = None,
) -> AsyncIterator[None]:
    """Serve the workers on Redis at ``url`` until the block exits.

    ``shape`` turns a core event into what the pages receive, ``standing`` gives the
    wall's state now, ``pages`` the pages workers serve as rendered here (all three the
    web adapter's). ``filter_from``: the settings the hub's filter was built from, for a
    copy of it in a process of its own (:mod:`server.filter_process`); None: the hub has
    a filter of its own making, and judges every comment in its loop. Redis need not be
    up: each loop waits for it and carries on where it stood.
    """
    async with AsyncExitStack() as stack:
        commands = connect(url)
        reader = LeanConnection(url, timeout=READER_TIMEOUT_SECONDS)
        stack.push_async_callback(reader.close)
        stack.push_async_callback(commands.aclose)
        # Subscribed before the block runs: nothing the hub does from now on is missed.
        events = await stack.enter_async_context(hub.subscribe())
        retention = hub.settings.catch_up_seconds + RETENTION_MARGIN_SECONDS
        # The wall's events and the acks, a MULTI/EXEC per batch: on a lean connection too.
        writer = LeanConnection(url, timeout=COMMAND_TIMEOUT_SECONDS)
        stack.push_async_callback(writer.close)
        publisher = Publisher(writer, shape, standing, pages, retention_seconds=retention)
        judge = None
        if filter_from is not None and (os.cpu_count() or 1) > 1:  # one core: no gain
            judge = FilterProcess(filter_from, hub.checker)
            await judge.start()
            stack.push_async_callback(judge.close)
        intake = Intake(hub, reader, commands, publisher.reply, judge)
        tasks = [
            asyncio.create_task(intake.run(), name="intake"),
            asyncio.create_task(publisher.run(events), name="publisher"),
            asyncio.create_task(follow_audience(commands, hub), name="audience"),
        ]
        for task in tasks:
            task.add_done_callback(_report_failure)
        stack.push_async_callback(_stop, tasks)
        log.info("hub of a cluster on %s", url)
        yield


def _report_failure(task: asyncio.Task[None]) -> None:
    """Each loop waits out Redis on its own; anything else stopping one is a bug: say so."""
    if not task.cancelled() and task.exception() is not None:
        log.error("the hub's %s stopped", task.get_name(), exc_info=task.exception())


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
