"""Reading every page of an SDK cursor, each page under the retry policy."""

from __future__ import annotations

from typing import Any

from facebook_business.api import Cursor

from aelp.meta.retry import Caller


def drain(cursor: Cursor, caller: Caller, account_id: str, what: str) -> list[dict[str, Any]]:
    """All objects of a cursor whose first page is loaded, following ``paging.cursors.after``.

    A failed page is retried on its own: the cursor only moves on after a page succeeds.
    """
    out: list[dict[str, Any]] = []
    while True:
        out.extend(cursor[i].export_all_data() for i in range(len(cursor)))
        caller.throttle(cursor.headers(), account_id)
        if not caller(cursor.load_next_page, account_id, f"{what} (next page)"):
            return out
