"""``danmaku report --db night.db --out recap.html``: read the night, write the page."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from server.report.night import read_night
from server.report.page import RecapPage


async def make_report(db_path: Path, out: Path, lang: str) -> None:
    """Write the recap of the night recorded at ``db_path`` to ``out`` in ``lang``.

    The page is written beside ``out`` and then renamed onto it, so an earlier recap is
    never left half overwritten.

    Raises:
        server.store.NotOurDatabase: no database there, or not ours.
        OSError: ``out`` cannot be written.
    """
    night = await read_night(db_path)
    html = RecapPage(night, lang, datetime.now()).render()
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_text(html, encoding="utf-8")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
