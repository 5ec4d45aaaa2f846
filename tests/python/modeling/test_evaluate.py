"""aelp evaluate on the synthetic world: metrics per scorer and segment, element effects, plots."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from ctr_world import FAST

from aelp.config import Settings
from aelp.modeling import train
from aelp.modeling.evaluate import evaluate
from aelp.modeling.tables import CREATIVE_ELEMENT_EFFECTS, MODEL_EVALUATIONS
from aelp.warehouse.duckdb import DuckDBWarehouse

TRAINED_AT = datetime(2024, 4, 12, 6, 0, tzinfo=UTC)
EVALUATED_AT = datetime(2024, 4, 12, 7, 0, tzinfo=UTC)


def metric_values(warehouse: DuckDBWarehouse) -> dict[tuple[str, str, str], Any]:
    rows = warehouse.query(f"select * from {warehouse.spec_ref(MODEL_EVALUATIONS)}").to_pylist()
    return {(r["segment"], r["scorer"], r["metric"]): r["metric_value"] for r in rows}


@pytest.fixture
def evaluated(settings: Settings, warehouse: DuckDBWarehouse) -> dict[str, Any]:
    run = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    report = evaluate(settings, warehouse, evaluated_at=EVALUATED_AT)
    return {"run": run, "report": report}


def test_model_beats_global_mean_and_shrinkage_and_is_calibrated(
    evaluated: dict[str, Any], warehouse: DuckDBWarehouse
) -> None:
    values = metric_values(warehouse)
    model = values[("overall", "model", "logloss")]
    assert values[("overall", "truth", "logloss")] <= model
    assert model < values[("overall", "baseline_eb_shrinkage", "logloss")]
    assert model < values[("overall", "baseline_global_mean", "logloss")]
    assert values[("overall", "model", "share_of_achievable_gain")] > 0.7
    assert values[("overall", "model", "ece")] < 0.01
    assert 0.7 <= values[("overall", "model", "interval_coverage_observed")] <= 0.9
    assert 0.6 <= values[("overall", "model", "interval_coverage_truth")] <= 0.95
    # nearly every synthetic ad-day has a click: the classifier must say so
    observed = values[("overall", "classifier", "observed_rate")]
    assert observed > 0.9
    assert values[("overall", "classifier", "mean_predicted")] == pytest.approx(observed, abs=0.05)
    assert values[("overall", "model", "spearman_vs_truth")] > 0.8
    assert values[("overall", "model", "ndcg_at_10_vs_observed")] > 0.8


def test_evaluation_rows_are_long_format_with_reliability_bins(
    evaluated: dict[str, Any], warehouse: DuckDBWarehouse
) -> None:
    values = metric_values(warehouse)
    segments = {segment for segment, _, _ in values}
    assert "overall" in segments and "warm" in segments
    bins = sorted(s for s in segments if s.startswith("reliability_bin_"))
    assert bins == [f"reliability_bin_{b:02d}" for b in range(10)]
    predicted = [values[(b, "model", "reliability_predicted")] for b in bins]
    assert predicted == sorted(predicted)
    run_ids = warehouse.query(
        f"select distinct model_run_id from {warehouse.spec_ref(MODEL_EVALUATIONS)}"
    ).column("model_run_id")
    assert run_ids.to_pylist() == [evaluated["run"].model_run_id]


def test_evaluating_twice_replaces_the_run_rows(
    settings: Settings, evaluated: dict[str, Any], warehouse: DuckDBWarehouse
) -> None:
    before = warehouse.count(MODEL_EVALUATIONS.dataset, MODEL_EVALUATIONS.name)
    effects_before = warehouse.count(
        CREATIVE_ELEMENT_EFFECTS.dataset, CREATIVE_ELEMENT_EFFECTS.name
    )
    evaluate(settings, warehouse, evaluated_at=EVALUATED_AT)
    assert warehouse.count(MODEL_EVALUATIONS.dataset, MODEL_EVALUATIONS.name) == before
    assert (
        warehouse.count(CREATIVE_ELEMENT_EFFECTS.dataset, CREATIVE_ELEMENT_EFFECTS.name)
        == effects_before
    )


def test_element_effects_find_the_signal_and_the_format(
    evaluated: dict[str, Any], warehouse: DuckDBWarehouse
) -> None:
    rows = warehouse.query(
        f"select * from {warehouse.spec_ref(CREATIVE_ELEMENT_EFFECTS)}"
    ).to_pylist()
    effect = {(r["element"], r["element_value"]): r for r in rows}
    assert effect[("f_signal", "high")]["average_effect_ctr_u"] > 0
    assert effect[("f_signal", "low")]["average_effect_ctr_u"] < 0
    assert (
        effect[("fc_format", "video")]["average_effect_ctr_u"]
        > (effect[("fc_format", "carousel")]["average_effect_ctr_u"])
    )
    signal = abs(effect[("f_signal", "high")]["average_effect_ctr_u"])
    noise = max(abs(effect[("f_noise", v)]["average_effect_ctr_u"]) for v in ("high", "low"))
    assert signal > 5 * noise
    assert effect[("f_signal", "high")]["element_group"] == "creative"
    assert effect[("f_ad_age_days", "high")]["element_group"] == "history"
    test_rows = metric_values_rows(warehouse)
    assert sum(effect[("f_signal", v)]["support_rows"] for v in ("high", "low")) == test_rows


def metric_values_rows(warehouse: DuckDBWarehouse) -> int:
    found = warehouse.query(
        f"select row_count from {warehouse.spec_ref(MODEL_EVALUATIONS)} "
        "where segment = 'overall' and scorer = 'model' and metric = 'logloss'"
    )
    return int(found.column("row_count")[0].as_py())


def test_evaluate_saves_reliability_and_lift_plots(evaluated: dict[str, Any]) -> None:
    paths = evaluated["report"].plots
    assert [p.name for p in paths] == ["reliability.png", "lift.png"]
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.parent == evaluated["run"].artifact_dir
