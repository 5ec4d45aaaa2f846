"""Fixtures: an in-memory DuckDB holding the tiny concept world, and a model trained on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from concept_world import MARTS, ConceptWorld, build

from aelp.config import Settings, Target
from aelp.modeling import train
from aelp.warehouse.duckdb import DuckDBWarehouse


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings for an in-memory DuckDB target with artifacts under a module temp folder."""
    root = tmp_path_factory.mktemp("concepts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AELP_ARTIFACTS_DIR", str(root / "artifacts"))
        yield Settings(
            project_dir=root,
            profiles_dir=root,
            target=Target(name="test", type="duckdb", settings={"path": ":memory:"}, schema=MARTS),
            vars={"p_click_impressions": 1000},
        )


@pytest.fixture(scope="module")
def trained_world(
    settings: Settings,
) -> Iterator[tuple[DuckDBWarehouse, ConceptWorld]]:
    """The warehouse with every mart a forecast reads and a model trained on it (built once)."""
    warehouse = DuckDBWarehouse(":memory:")
    world = build(warehouse, settings.project_dir / "concepts")
    train(settings, warehouse, seed=0, num_boost_round=150, early_stopping_rounds=20, num_threads=1)
    yield warehouse, world
    warehouse.close()
