"""A cluster's hub judges in a filter process of its own: the outcomes stay the hub's.

The hub in this process (its filter process a child of it), a real `danmaku worker`, real
Redis. Whatever the filter process is doing (building, rebuilding after a live edit, dead),
every comment is judged by the filter the moderator has now.
"""

from __future__ import annotations

import os
import signal
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from server.settings import Settings
from tests.cluster_support import Cluster, cluster, eventually, redis_server
from tests.conftest import Clients, OpenVenue, send, with_changes

__all__ = ["cluster", "redis_server"]  # the fixtures these tests use

READY_SECONDS = 60.0  # a fresh interpreter, the filter and jieba on a loaded CI machine
READY = "the filter's process judges from now on (build {})"


def filter_processes() -> list[int]:
    """This test process's children running the filter (the in-process hub's)."""
    return [
        pid
        for pid in children_of(os.getpid())
        if b"server.filter_process" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


async def test_a_word_the_moderator_adds_is_held_from_the_next_comment_on(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="server.filter_process")
    venue = await open_venue(with_changes(settings, redis_url=cluster.redis.url))
    curator = venue.service.curator
    assert curator is not None
    worker = cluster.worker()
    await eventually(lambda: READY.format(0) in caplog.text, READY_SECONDS, "the filter process")
    async with AsyncExitStack() as stack:
        phone = await Clients(worker.base_url, stack).phone("a-guest")
        assert (await send(phone, {"text": "一只黑猫"}))["status"] == "held"
        assert (await send(phone, {"text": "一只白狗"}))["status"] == "shown"
        assert await curator.add_term("白狗", "testlist")
        # At once: the filter process still has the old list, so the hub judges itself.
        assert (await send(phone, {"text": "又一只白狗"}))["status"] == "held"
        await eventually(lambda: READY.format(1) in caplog.text, READY_SECONDS, "the rebuild")
        assert (await send(phone, {"text": "第三只白狗"}))["status"] == "held"
        assert (await send(phone, {"text": "一只小猪"}))["status"] == "shown"
    held = [m.text for m in venue.service.hub.held()]
    assert held == ["一只黑猫", "又一只白狗", "第三只白狗"]


async def test_comments_are_judged_while_the_filter_process_is_dead(
    open_venue: OpenVenue, settings: Settings, cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="server.filter_process")
    venue = await open_venue(with_changes(settings, redis_url=cluster.redis.url))
    worker = cluster.worker()
    await eventually(lambda: READY.format(0) in caplog.text, READY_SECONDS, "the filter process")
    [judge] = filter_processes()
    os.kill(judge, signal.SIGKILL)
    async with AsyncExitStack() as stack:
        phone = await Clients(worker.base_url, stack).phone("a-guest")
        for n in range(5):
            assert (await send(phone, {"text": f"第{n}只黑猫"}))["status"] == "held"
            assert (await send(phone, {"text": f"第{n}只小猪"}))["status"] == "shown"
    assert "the filter's process stopped" in caplog.text
    assert len(venue.service.hub.held()) == 5


async def test_the_filter_process_ends_with_a_hub_killed_minus_9(
    cluster: Cluster, tmp_path: Path
) -> None:
    hub = cluster.hub(tmp_path / "night.db")
    pid = hub.process.pid
    await eventually(lambda: children_of(pid), READY_SECONDS, "the hub's filter process")
    [judge] = children_of(pid)
    hub.kill()
    # Its input ends with its parent: it exits by itself, not left holding a filter's memory.
    await eventually(lambda: not alive(judge), READY_SECONDS, "the orphan to exit")


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for init to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status
