"""The filter in a process of its own: a cluster hub's judging on another core.

A real child process (``python -m server.filter_process``) with the real filter: it must
say exactly what the hub's own filter says, follow a wordlist edited live, and, whenever
it cannot answer, leave the judging to the hub rather than let a comment through unjudged.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from server import text
from server.curation import build_filter
from server.filter_process import FilterProcess
from server.models import Verdict
from server.moderation import TextFilter
from server.moderation.edit import add_term
from server.settings import Settings

TEXTS = [
    "大家好",
    "一只黑猫",  # the test wordlist's term
    "黑 猫 来了",  # spaced out
    "DARN it",
    "新年快乐\u200b！",  # a zero-width space that cleaning drops
    "加微信 abc12345",  # a contact, whatever the lists
    "",
]
READY_SECONDS = 60.0  # a fresh interpreter, the filter and jieba on a loaded CI machine


@pytest.fixture
def text_filter(settings: Settings) -> TextFilter:
    return build_filter(settings)


@pytest.fixture
async def judge(settings: Settings, text_filter: TextFilter) -> AsyncIterator[FilterProcess]:
    judge = FilterProcess(settings, text_filter, restart_pause=0.5)
    await judge.start()
    yield judge
    await judge.close()


async def ready_verdicts(
    judge: FilterProcess, texts: Sequence[str], checker: TextFilter
) -> list[Verdict]:
    """The child's verdicts, once it has built ``checker``'s filter (bounded)."""
    deadline = asyncio.get_running_loop().time() + READY_SECONDS
    while (verdicts := await judge.verdicts(texts, checker)) is None:
        assert asyncio.get_running_loop().time() < deadline, "the filter's process never answered"
        await asyncio.sleep(0.05)
    return verdicts


async def test_its_verdicts_are_the_hubs_own(judge: FilterProcess, text_filter: TextFilter) -> None:
    verdicts = await ready_verdicts(judge, TEXTS, text_filter)
    assert verdicts == [text_filter.check(text.clean(t)) for t in TEXTS]
    held = [t for t, verdict in zip(TEXTS, verdicts, strict=True) if verdict.held]
    assert held == ["一只黑猫", "黑 猫 来了", "DARN it", "加微信 abc12345"]


async def test_a_word_added_live_is_judged_with_only_once_the_process_has_it(
    judge: FilterProcess, settings: Settings, text_filter: TextFilter, wordlist: Path
) -> None:
    await ready_verdicts(judge, TEXTS, text_filter)
    assert add_term(wordlist, "白狗")
    rebuilt = build_filter(settings)  # as the console's curator does, then hands the hub
    # The child's filter is the old one: asked for the new one's verdicts, it has none.
    assert await judge.verdicts(["一只白狗"], rebuilt) is None
    [verdict] = await ready_verdicts(judge, ["一只白狗"], rebuilt)
    assert [reason.term for reason in verdict.reasons] == ["白狗"]


async def test_a_killed_process_leaves_judging_to_the_hub_and_is_started_again(
    judge: FilterProcess, text_filter: TextFilter
) -> None:
    await ready_verdicts(judge, TEXTS, text_filter)
    child = judge.pid
    assert child is not None
    os.kill(child, signal.SIGKILL)
    # From now until a new process has built its filter, asking gets None at once: the
    # hub judges. (A batch already on its way when it died is answered None too.)
    for _ in range(3):
        assert await asyncio.wait_for(judge.verdicts(TEXTS, text_filter), 1.0) is None
    verdicts = await ready_verdicts(judge, TEXTS, text_filter)
    assert judge.pid not in (None, child)
    assert verdicts == [text_filter.check(text.clean(t)) for t in TEXTS]
