"""Fixtures: settings for an in-memory DuckDB target and a warehouse with one scored run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slate_world import MARTS, account_ads, delivery, dim_ads, dim_spec, fct_spec, predictions

from aelp.config import Settings, Target
from aelp.schemas import CTR_PREDICTIONS
from aelp.warehouse.duckdb import DuckDBWarehouse


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for an in-memory DuckDB target."""
    monkeypatch.setenv("AELP_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    return Settings(
        project_dir=tmp_path,
        profiles_dir=tmp_path,
        target=Target(name="test", type="duckdb", settings={"path": ":memory:"}, schema=MARTS),
        vars={"p_click_impressions": 1000},
    )


@pytest.fixture
def warehouse() -> Iterator[DuckDBWarehouse]:
    """A warehouse holding fct_ad_daily_link_ctr, dim_ads and one run's predictions."""
    ads = account_ads()
    wh = DuckDBWarehouse(":memory:")
    wh.upsert(fct_spec(), delivery(ads))
    wh.upsert(dim_spec(), dim_ads(ads))
    wh.upsert(CTR_PREDICTIONS, predictions(ads))
    yield wh
    wh.close()
