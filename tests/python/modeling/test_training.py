"""Training on a synthetic world whose ctr_u depends on f_signal and fc_format."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from ctr_world import FAST, World, load_mart

from aelp.config import Settings
from aelp.modeling import MissingInputError, train
from aelp.modeling.artifact import METADATA_FILE, MODEL_FILE
from aelp.schemas import MODEL_RUNS, SIM_TRUTH
from aelp.warehouse.base import Warehouse
from aelp.warehouse.duckdb import DuckDBWarehouse

TRAINED_AT = datetime(2024, 4, 12, 6, 0, tzinfo=UTC)
FEATURES = ["f_signal", "f_noise", "f_ad_age_days", "fc_format"]


def model_runs(warehouse: Warehouse) -> list[dict[str, Any]]:
    return warehouse.query(f"select * from {warehouse.spec_ref(MODEL_RUNS)}").to_pylist()


def test_model_beats_global_mean_and_gets_most_of_the_achievable_gain(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    result = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, num_threads=1)
    evaluation = result.evaluation
    assert evaluation.logloss_model is not None and evaluation.logloss_baseline is not None
    assert evaluation.logloss_truth is not None
    assert evaluation.logloss_truth <= evaluation.logloss_model < evaluation.logloss_baseline
    assert evaluation.share_of_achievable_gain is not None
    assert evaluation.share_of_achievable_gain > 0.7
    metrics = evaluation.metrics
    assert metrics["weighted_mae_model_vs_truth"] < metrics["weighted_mae_baseline_vs_truth"] / 2
    assert metrics["spearman_by_ad_vs_truth"] > 0.9
    assert metrics["truth_coverage"] == 1.0
    assert f"{result.model_run_id}: 4 features" in str(result)


def test_run_is_recorded_in_model_runs_with_the_real_feature_list(
    settings: Settings, warehouse: DuckDBWarehouse, world: World
) -> None:
    result = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    (row,) = model_runs(warehouse)
    assert row["model_run_id"] == result.model_run_id
    assert row["model_run_id"].startswith("ctr-20240412T060000-")
    assert row["feature_list"] == FEATURES
    assert row["model_kind"] == "ctr_lightgbm" and row["target"] == "ctr_u"
    assert row["engine"] == "duckdb"
    assert str(row["train_start"]) == "2024-03-01" and str(row["train_end"]) == "2024-03-28"
    assert str(row["valid_end"]) == "2024-04-04" and str(row["test_end"]) == "2024-04-11"
    splits = world.examples.column("split").to_pylist()
    assert row["train_rows"] == splits.count("train")
    assert row["test_rows"] == splits.count("test")
    assert row["best_iteration"] == result.best_iteration > 0
    assert row["test_logloss_model"] == pytest.approx(result.evaluation.logloss_model)
    metrics = json.loads(str(row["metrics_json"]))
    assert set(metrics["feature_importance_gain"]) == set(FEATURES)
    params = json.loads(str(row["params_json"]))
    assert params["lightgbm"]["objective"] == "cross_entropy"
    assert params["lightgbm"]["deterministic"] is True
    assert "lightgbm" in json.loads(str(row["package_versions_json"]))


def test_artifact_holds_model_text_and_the_category_list_for_scoring(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    result = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    folder = settings.artifacts_dir / "models" / result.model_run_id
    assert result.artifact_dir == folder
    assert (folder / MODEL_FILE).read_text().startswith("tree")
    meta = json.loads((folder / METADATA_FILE).read_text())
    assert meta["features"] == {
        "numeric": ["f_signal", "f_noise", "f_ad_age_days"],
        "categorical": ["fc_format"],
        "categories": {"fc_format": ["carousel", "image", "video"]},
    }
    assert meta["window"]["train_start"] == "2024-03-01"
    assert meta["code_version"]
    assert Path(str(model_runs(warehouse)[0]["artifact_uri"]).removeprefix("file://")) == folder


def test_columns_without_a_feature_prefix_never_enter_the_model(
    settings: Settings, world: World
) -> None:
    clicks = world.examples.column("unique_inline_link_clicks")
    leaky = world.examples.append_column("unique_clicks_copy", clicks).append_column(
        "signal_without_prefix", world.examples.column("f_signal")
    )
    with DuckDBWarehouse(":memory:") as wh:
        load_mart(wh, "ml_ctr_training_examples", leaky)
        result = train(settings, wh, seed=0, trained_at=TRAINED_AT, **FAST)
    assert result.feature_list == FEATURES
    assert result.artifact_dir.joinpath(MODEL_FILE).exists()


def test_same_seed_gives_the_same_model_and_run_id(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    first = train(settings, warehouse, seed=3, trained_at=TRAINED_AT, **FAST)
    first_model = (first.artifact_dir / MODEL_FILE).read_text()
    second = train(settings, warehouse, seed=3, trained_at=TRAINED_AT, **FAST)
    assert second.model_run_id == first.model_run_id
    assert (second.artifact_dir / MODEL_FILE).read_text() == first_model
    assert second.evaluation.metrics == first.evaluation.metrics
    other = train(settings, warehouse, seed=4, trained_at=TRAINED_AT, **FAST)
    assert other.model_run_id != first.model_run_id
    assert len(model_runs(warehouse)) == 2


def test_without_sim_truth_the_truth_metrics_stay_empty(settings: Settings, world: World) -> None:
    with DuckDBWarehouse(":memory:") as wh:
        load_mart(wh, "ml_ctr_training_examples", world.examples)
        result = train(settings, wh, seed=0, trained_at=TRAINED_AT, **FAST)
        (row,) = model_runs(wh)
        assert not wh.table_exists(SIM_TRUTH.dataset, SIM_TRUTH.name)
    assert row["test_logloss_truth"] is None and row["share_of_achievable_gain"] is None
    assert row["test_logloss_model"] < row["test_logloss_baseline"]
    assert "weighted_mae_model_vs_truth" not in result.evaluation.metrics


def test_training_stops_clearly_without_a_validation_split(
    settings: Settings, world: World
) -> None:
    is_train = pa.array([s == "train" for s in world.examples.column("split").to_pylist()])
    with DuckDBWarehouse(":memory:") as wh:
        load_mart(wh, "ml_ctr_training_examples", world.examples.filter(is_train))
        with pytest.raises(MissingInputError, match="'valid' split"):
            train(settings, wh, trained_at=TRAINED_AT, **FAST)


def test_training_stops_clearly_when_the_mart_is_missing(settings: Settings) -> None:
    with DuckDBWarehouse(":memory:") as wh, pytest.raises(MissingInputError, match="dbt build"):
        train(settings, wh)
