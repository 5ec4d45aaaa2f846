"""Helpers for tests on the local BigQuery emulator that `make pytest` starts."""

from __future__ import annotations

import os
from typing import Any

import pytest

EMULATOR_ENV = "AELP_BQ_EMULATOR"
PROJECT = "test-project"


def emulator_url() -> str:
    """The emulator's REST endpoint, or a skip saying how to start one."""
    url = os.environ.get(EMULATOR_ENV)
    if not url:
        pytest.skip(f"{EMULATOR_ENV} is not set (make pytest starts the local BigQuery)")
    return url


def rows(client: Any, sql: str) -> list[dict[str, Any]]:
    """A query's rows as dicts (plain REST results: the emulator has no Storage Read API)."""
    return [dict(row) for row in client.query(sql).result()]
