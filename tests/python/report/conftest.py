"""Fixtures: settings for an in-memory DuckDB target and a warehouse holding the report's views."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from report_world import load_report_views

from aelp.config import Settings, Target
from aelp.warehouse.duckdb import DuckDBWarehouse


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an in-memory DuckDB target whose marts schema is ``main``."""
    return Settings(
        project_dir=tmp_path,
        profiles_dir=tmp_path,
        target=Target(name="test", type="duckdb", settings={"path": ":memory:"}, schema="main"),
        vars={},
    )


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[DuckDBWarehouse]:
    """An in-memory warehouse with every view the report reads but the concept ones."""
    wh = DuckDBWarehouse(":memory:")
    load_report_views(wh, tmp_path / "assets")
    yield wh
    wh.close()
