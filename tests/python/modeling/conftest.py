"""Fixtures: settings for an in-memory DuckDB target and a warehouse holding the world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ctr_world import MARTS, World, load_mart, make_world

from aelp.config import Settings, Target
from aelp.schemas import SIM_TRUTH
from aelp.warehouse.duckdb import DuckDBWarehouse


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for an in-memory DuckDB target with artifacts under ``tmp_path``."""
    monkeypatch.setenv("AELP_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    return Settings(
        project_dir=tmp_path,
        profiles_dir=tmp_path,
        target=Target(name="test", type="duckdb", settings={"path": ":memory:"}, schema=MARTS),
        vars={"p_click_impressions": 1000},
    )


@pytest.fixture(scope="session")
def world() -> World:
    """The synthetic world, built once."""
    return make_world()


@pytest.fixture
def warehouse(world: World) -> Iterator[DuckDBWarehouse]:
    """An in-memory warehouse holding the training and scoring marts and sim.truth."""
    wh = DuckDBWarehouse(":memory:")
    load_mart(wh, "ml_ctr_training_examples", world.examples)
    load_mart(wh, "ml_ctr_scoring_features", world.scoring)
    wh.upsert(SIM_TRUTH, world.truth)
    yield wh
    wh.close()
