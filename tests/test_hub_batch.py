"""A cluster's intake hands the hub a batch at once: each judged as alone, one commit."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace

from server.errors import ErrorCode, Refused
from server.hub import Hub
from server.models import Accepted, IntakeMark, Status, Submission
from server.moderation import TextFilter
from server.settings import RateLimit, Settings

SOURCE = "test:submissions"


def read_at(*submissions: Submission, first: int = 1) -> tuple[list[Submission], IntakeMark]:
    """The submissions as an intake reads them: stream ids from ``first`` on, and the last."""
    return list(submissions), IntakeMark(SOURCE, f"{first + len(submissions) - 1}-0")


def said(outcome: Accepted | Exception) -> Status | ErrorCode | str:
    """What the phone hears: the ack's status, the refusal's code, or that the store failed."""
    if isinstance(outcome, Accepted):
        return outcome.status
    return outcome.code if isinstance(outcome, Refused) else "failed"


def stored(settings: Settings) -> list[tuple[str, str, str | None]]:
    """(sender, text, cid) of every row, in id order; and nothing else is committed."""
    with sqlite3.connect(settings.db_path) as db:
        rows = db.execute("SELECT sender, text, cid FROM messages ORDER BY id").fetchall()
    return [(str(sender), str(text), cid) for sender, text, cid in rows]


async def test_a_batch_is_stored_in_its_order_with_the_position_of_its_last_comment(
    hub: Hub, settings: Settings
) -> None:
    texts = ["one", "two", "   ", "a black 黑猫", "three"]  # an empty one, a held one
    submissions = [Submission(sender=f"client:{n}", text=text) for n, text in enumerate(texts)]
    outcomes = await hub.submit_batch(*read_at(*submissions))
    assert [said(o) for o in outcomes] == [
        Status.SHOWN,
        Status.SHOWN,
        ErrorCode.EMPTY,
        Status.HELD,
        Status.SHOWN,
    ]
    assert [text for _, text, _ in stored(settings)] == ["one", "two", "a black 黑猫", "three"]
    assert await hub.intake_position(SOURCE) == "5-0"
    assert [m.text for m in hub.held()] == ["a black 黑猫"]


async def test_a_retry_in_the_same_batch_is_stored_once_and_gets_the_first_ack(
    hub: Hub, settings: Settings
) -> None:
    first = Submission(sender="client:a", text="hello", cid="c1")
    other = Submission(sender="client:b", text="hello too", cid="c1")  # its own comment
    outcomes = await hub.submit_batch(*read_at(first, other, first))
    assert isinstance(outcomes[0], Accepted) and isinstance(outcomes[1], Accepted)
    assert outcomes[2] == outcomes[0] and outcomes[1].id != outcomes[0].id
    # A later batch's retry gets it too, and the wall shows each comment once.
    assert await hub.submit_batch(*read_at(first, first=4)) == [outcomes[0]]
    assert stored(settings) == [("client:a", "hello", "c1"), ("client:b", "hello too", "c1")]
    assert [m.id for m in hub.recent_shown()] == [outcomes[1].id, outcomes[0].id]


async def test_a_retry_racing_a_single_submit_gets_its_ack(hub: Hub, settings: Settings) -> None:
    """A phone's send through the hub's own server and its retry through a worker."""
    comment = Submission(sender="client:a", text="hello", cid="c1")
    alone = asyncio.create_task(hub.submit(comment))
    await asyncio.sleep(0)  # stored, waiting for its commit
    [from_batch] = await hub.submit_batch(*read_at(comment))
    assert from_batch == await alone
    assert stored(settings) == [("client:a", "hello", "c1")]


async def test_a_retry_of_a_refused_comment_is_judged_afresh(hub: Hub, settings: Settings) -> None:
    comment = Submission(sender="client:a", text="hello", cid="c1")
    hub.set_paused(True)
    [refused] = await hub.submit_batch(*read_at(comment))
    assert isinstance(refused, Refused) and refused.code is ErrorCode.PAUSED
    hub.set_paused(False)
    [accepted] = await hub.submit_batch(*read_at(comment, first=2))
    assert isinstance(accepted, Accepted) and accepted.status is Status.SHOWN
    assert stored(settings) == [("client:a", "hello", "c1")]


async def test_refusals_in_a_batch_ban_a_script_before_its_next_comment(
    settings: Settings, checker: TextFilter
) -> None:
    hub = await Hub.open(replace(settings, rate=RateLimit(1, 60), auto_ban_refusals=5), checker)
    try:
        spam = [Submission(sender="script", text=f"spam {n}") for n in range(7)]
        person = Submission(sender="person", text="hello")
        outcomes = await hub.submit_batch(*read_at(*spam, person))
        assert [said(o) for o in outcomes] == [
            Status.SHOWN,
            *[ErrorCode.RATE_LIMITED] * 5,
            ErrorCode.BANNED,
            Status.SHOWN,
        ]
        assert hub.is_banned("script")
        assert [text for _, text, _ in stored(settings)] == ["spam 0", "hello"]
    finally:
        await hub.close()


async def test_a_failed_commit_fails_the_batchs_comments_and_keeps_its_refusals(
    hub: Hub, settings: Settings
) -> None:
    # A row the hub does not know of takes the id it hands out next: the commit fails.
    with sqlite3.connect(settings.db_path) as db:
        db.execute(
            "INSERT INTO messages (id, sender, nick, text, color, mode, status, reasons,"
            " created_at, cid) VALUES (1, 'client:a', '', 'sneaked in', '#ffffff', 'scroll',"
            " 'shown', '[]', 0, 'c1')"
        )
    batch = read_at(
        Submission(sender="client:b", text="fine"),
        Submission(sender="client:a", text="clash", cid="c1"),
        Submission(sender="client:c", text=""),
    )
    assert [said(o) for o in await hub.submit_batch(*batch)] == [
        "failed",
        "failed",
        ErrorCode.EMPTY,
    ]
    assert [text for _, text, _ in stored(settings)] == ["sneaked in"]
    assert hub.recent_shown() == [] and await hub.intake_position(SOURCE) is None
    # The store takes the next batch; a resend of what failed is no repeat and not too fast.
    [later, again] = await hub.submit_batch(
        *read_at(
            Submission(sender="client:d", text="later"),
            Submission(sender="client:b", text="fine"),
            first=4,
        )
    )
    assert said(later) is Status.SHOWN and said(again) is Status.SHOWN


async def test_a_submit_cancelled_while_its_commit_runs_is_still_known_to_a_retry(
    hub: Hub, settings: Settings
) -> None:
    # A phone hangs up while its comment waits for the commit: the comment was already
    # written for that commit. Its retry (same cid) must get the first ack, not a second row.
    first = asyncio.create_task(hub.submit(Submission(sender="client:a", text="hi", cid="c1")))
    await asyncio.sleep(0)  # judged and written; now awaiting the commit
    first.cancel()
    bystander = asyncio.create_task(hub.submit(Submission(sender="client:b", text="me too")))
    retry = await hub.submit(Submission(sender="client:a", text="hi", cid="c1"))
    assert retry.status is Status.SHOWN
    assert (await bystander).status is Status.SHOWN
    assert stored(settings) == [("client:a", "hi", "c1"), ("client:b", "me too", None)]
    assert sorted(m.text for m in hub.recent_shown()) == ["hi", "me too"]
