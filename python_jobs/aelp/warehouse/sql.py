"""Literals for engine-neutral SQL text (the same statement runs on DuckDB and BigQuery)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

_SAFE_TEXT = re.compile(r"^[A-Za-z0-9_.:\- ]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def text(value: str) -> str:
    """A quoted string literal for ids and labels (letters, digits, ``_.:- `` only).

    The allowed characters need no escaping in either dialect, so an id can never break
    out of its literal.
    """
    if not _SAFE_TEXT.match(value):
        raise ValueError(f"refusing to inline {value!r} into SQL: unexpected characters")
    return f"'{value}'"


def day(value: date) -> str:
    """A ``date 'YYYY-MM-DD'`` literal."""
    return f"date '{value.isoformat()}'"


def timestamp(value: datetime) -> str:
    """A UTC ``timestamp '...'`` literal (microsecond precision)."""
    utc = value.astimezone(UTC).replace(tzinfo=None)
    return f"timestamp '{utc.isoformat(sep=' ', timespec='microseconds')}+00:00'"


def columns(names: Iterable[str]) -> str:
    """A comma-separated select list of plain column names."""
    checked = []
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"refusing to inline column name {name!r} into SQL")
        checked.append(name)
    return ", ".join(checked)
