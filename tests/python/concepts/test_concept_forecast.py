"""Forecasting a folder of never-run concepts, end to end on an in-memory warehouse."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from concept_world import LAUNCH_DAY, SCORING_DAY, ConceptWorld

from aelp.concepts.forecast import Scenario, forecast_concepts
from aelp.concepts.hitrate import resolve
from aelp.concepts.tables import CONCEPT_FORECASTS
from aelp.config import Settings
from aelp.warehouse.duckdb import DuckDBWarehouse


def test_forecasting_a_folder_writes_one_row_per_concept_and_ad_set(
    settings: Settings, trained_world: tuple[DuckDBWarehouse, ConceptWorld]
) -> None:
    warehouse, world = trained_world
    at = datetime(2026, 3, 1, tzinfo=UTC)
    scenario = Scenario(impressions_per_day=2000, adset_ids=("as_1", "as_4"), benchmark="p50")
    result = forecast_concepts(settings, warehouse, world.folder, scenario, forecast_at=at)
    rows = result.rows.to_pylist()

    assert result.as_of == SCORING_DAY
    assert len(rows) == 3 * 2  # three concept images (notes.txt ignored) x two ad sets
    assert {r["content_sha256"] for r in rows} == set(world.hashes.values())
    by_name = {(r["concept_file"], r["adset_id"]): r for r in rows}
    dark, bright = by_name[("dark.png", "as_4")], by_name[("bright.png", "as_4")]
    # brightness drives the world's rate: the model ranks the bright concept first
    assert bright["model_ctr_u"] > dark["model_ctr_u"]
    assert bright["p_ctr_u_ge_benchmark"] > dark["p_ctr_u_ge_benchmark"]
    assert bright["rank_in_scenario"] == 1 and dark["rank_in_scenario"] == 3
    for r in rows:
        assert r["predicted_ctr_u_lower"] < r["predicted_ctr_u"] < r["predicted_ctr_u_upper"]
        assert 0.0 < r["p_ctr_u_ge_benchmark"] < 1.0
        assert r["p_click_ge1"] == pytest.approx(1 - (1 - r["predicted_ctr_u"]) ** 2000)
        assert r["planned_spend"] == pytest.approx(2000 * 7 * 8.0 / 1000)  # CPM 8
        assert r["expected_cac"] == pytest.approx(r["planned_spend"] / r["expected_conversions"])
        assert r["calibration_ads"] >= 20
        assert "content-stacked" in r["calibration_method"]
        assert r["scenario_id"] == f"{r['adset_id']}:2000:{SCORING_DAY.isoformat()}:7d:p50"
    # the cold-start interval is wider than the model's own error on warm ads would be
    assert bright["predicted_ctr_u_upper"] / bright["predicted_ctr_u_lower"] > 1.5

    again = forecast_concepts(settings, warehouse, world.folder, scenario, forecast_at=at)
    written = warehouse.query(
        f"select count(*) as n from {warehouse.spec_ref(CONCEPT_FORECASTS)} "
        f"where as_of_date = date '{SCORING_DAY.isoformat()}' and benchmark_rule = 'p50'"
    )
    assert written.column("n")[0].as_py() == 6
    assert again.rows.to_pylist() == rows  # idempotent per concept, scenario and model run


def test_a_forecast_before_launch_is_resolved_by_the_launched_ad(
    settings: Settings, trained_world: tuple[DuckDBWarehouse, ConceptWorld]
) -> None:
    warehouse, world = trained_world
    scenario = Scenario(impressions_per_day=900, benchmark="0.01", as_of=LAUNCH_DAY, horizon_days=5)
    result = forecast_concepts(settings, warehouse, world.folder, scenario)
    assert result.as_of == LAUNCH_DAY
    outcomes = [o for o in resolve(settings, warehouse) if o.forecast["as_of_date"] == LAUNCH_DAY]

    # only the bright concept ran, in as_2, from the launch day: one forecast row resolves
    assert len(outcomes) == 1
    outcome = outcomes[0]
    assert outcome.ad_id == "ad_concept"
    assert outcome.forecast["concept_file"] == "bright.png"
    assert outcome.forecast["adset_id"] == "as_2"
    assert outcome.is_complete
    assert outcome.is_hit == (outcome.realised_ctr_u >= 0.01)
