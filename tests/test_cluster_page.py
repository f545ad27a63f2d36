"""The phone page in a cluster: sending again after `unavailable` is the same comment.

A worker answers `unavailable` when the hub does not commit in time, yet the submission
waits in Redis and the hub commits it once it is back. The page must then resend with the
same cid, or the organiser's wall shows the comment twice.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from server.settings import Settings
from tests.browser_support import PHONE, chromium, open_page
from tests.cluster_support import Cluster, cluster, eventually, redis_server
from tests.conftest import OpenVenue, with_changes

__all__ = ["cluster", "redis_server"]  # fixtures, imported to be found

pytestmark = pytest.mark.browser

TEXT = "sent while the hub was away"


def copies(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM messages WHERE text = ?", (TEXT,)
        ).fetchone()
    return int(count)


async def test_sending_again_after_unavailable_puts_the_comment_up_once(
    cluster: Cluster, open_venue: OpenVenue, settings: Settings
) -> None:
    worker = cluster.worker()  # no hub yet: nothing commits, so the worker says unavailable
    async with chromium() as browser:
        phone = await open_page(browser, f"{worker.base_url}/", viewport=PHONE)
        await phone.wait_connected()
        await phone.page.fill("input[name=text]", TEXT)
        await phone.page.click("button[type=submit]")
        status = phone.page.locator("[role=status]")
        await phone.page.wait_for_function(
            "() => !document.querySelector('button[type=submit]').disabled", timeout=10_000
        )
        assert not (await status.text_content() or "").startswith("Sent")

        await open_venue(with_changes(settings, redis_url=cluster.redis.url))
        await eventually(lambda: copies(settings.db_path) == 1, what="the hub's commit")

        await phone.page.click("button[type=submit]")  # the text is still in the box
        # The first copy's own ack: "Sent: …", not a refusal of a second copy.
        await status.filter(has_text=re.compile(r"^Sent: ")).wait_for(timeout=10_000)
        assert not phone.errors, phone.errors
        assert copies(settings.db_path) == 1
