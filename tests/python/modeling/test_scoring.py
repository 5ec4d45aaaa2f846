"""Scoring the next day's ads: one prediction per scoring row, idempotent per run and date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest
from ctr_world import FAST, FORMAT_LIFT, World, load_mart, true_ctr_u
from scipy import stats

from aelp.config import Settings
from aelp.modeling import MissingInputError, score, train
from aelp.schemas import CTR_PREDICTIONS
from aelp.warehouse.duckdb import DuckDBWarehouse

TRAINED_AT = datetime(2024, 4, 12, 6, 0, tzinfo=UTC)


def predictions(warehouse: DuckDBWarehouse) -> pa.Table:
    return warehouse.query(
        f"select * from {warehouse.spec_ref(CTR_PREDICTIONS)} order by model_run_id, ad_id"
    )


def test_score_writes_one_prediction_per_scoring_row(
    settings: Settings, warehouse: DuckDBWarehouse, world: World
) -> None:
    run = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    written = score(settings, warehouse)
    table = predictions(warehouse)
    assert written == table.num_rows == world.scoring.num_rows
    assert table.schema.names == CTR_PREDICTIONS.schema.names
    assert table.schema.types == CTR_PREDICTIONS.schema.types
    assert set(table.column("model_run_id").to_pylist()) == {run.model_run_id}
    assert set(table.column("prediction_date").to_pylist()) == {world.scoring_date}
    assert sorted(table.column("ad_id").to_pylist()) == sorted(
        world.scoring.column("ad_id").to_pylist()
    )


def test_p_click_ge1_uses_the_configured_number_of_impressions(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    score(settings, warehouse)
    table = predictions(warehouse)
    ctr = np.asarray(table.column("predicted_ctr_u").to_pylist())
    assert set(table.column("p_click_impressions").to_pylist()) == {1000}
    np.testing.assert_allclose(table.column("p_click_ge1").to_pylist(), 1 - (1 - ctr) ** 1000)


def test_scoring_twice_changes_nothing(settings: Settings, warehouse: DuckDBWarehouse) -> None:
    train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    score(settings, warehouse)
    first = predictions(warehouse).drop_columns(["scored_at"])
    score(settings, warehouse)
    second = predictions(warehouse).drop_columns(["scored_at"])
    assert second.equals(first)


def test_rescoring_drops_ads_that_left_the_scoring_mart(
    settings: Settings, world: World, warehouse: DuckDBWarehouse
) -> None:
    run = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    score(settings, warehouse)
    warehouse.execute("delete from aelp.ml_ctr_scoring_features where ad_id = 'ad000'")
    assert score(settings, warehouse, model_run_id=run.model_run_id) == world.scoring.num_rows - 1
    assert "ad000" not in predictions(warehouse).column("ad_id").to_pylist()


def test_each_model_run_keeps_its_own_predictions(
    settings: Settings, warehouse: DuckDBWarehouse, world: World
) -> None:
    older = train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    newer = train(settings, warehouse, seed=1, trained_at=TRAINED_AT + timedelta(hours=1), **FAST)
    score(settings, warehouse, model_run_id=older.model_run_id)
    score(settings, warehouse)
    runs = predictions(warehouse).column("model_run_id").to_pylist()
    assert (
        runs.count(older.model_run_id) == runs.count(newer.model_run_id) == world.scoring.num_rows
    )


def test_predictions_rank_ads_like_their_true_rates(
    settings: Settings, warehouse: DuckDBWarehouse, world: World
) -> None:
    train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    score(settings, warehouse)
    scored = {
        r["ad_id"]: r["predicted_ctr_u"]
        for r in predictions(warehouse).select(["ad_id", "predicted_ctr_u"]).to_pylist()
    }
    s = world.scoring
    truth = true_ctr_u(
        np.asarray(s.column("f_signal").to_pylist()),
        np.asarray(s.column("fc_format").to_pylist()),
        np.asarray(s.column("f_ad_age_days").to_pylist()),
    )
    predicted = [scored[a] for a in s.column("ad_id").to_pylist()]
    assert stats.spearmanr(predicted, truth).statistic > 0.9


def test_a_category_unseen_in_training_is_scored_as_missing(
    settings: Settings, warehouse: DuckDBWarehouse, world: World
) -> None:
    assert "story" not in FORMAT_LIFT
    train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    formats = world.scoring.column("fc_format").to_pylist()
    changed = world.scoring.set_column(
        world.scoring.schema.get_field_index("fc_format"),
        "fc_format",
        pa.array(["story", *formats[1:]]),
    )
    warehouse.execute("drop table aelp.ml_ctr_scoring_features")
    load_mart(warehouse, "ml_ctr_scoring_features", changed)
    assert score(settings, warehouse) == world.scoring.num_rows
    values = predictions(warehouse).column("predicted_ctr_u").to_pylist()
    assert all(0 < v < 1 for v in values)


def test_scoring_without_a_trained_model_says_to_train_first(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    with pytest.raises(MissingInputError, match="aelp train"):
        score(settings, warehouse)


def test_score_writes_the_interval_around_the_prediction_and_the_classifier_probability(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    train(settings, warehouse, seed=0, trained_at=TRAINED_AT, **FAST)
    score(settings, warehouse)
    rows = predictions(warehouse).to_pylist()
    assert rows
    for row in rows:
        assert 0 <= row["predicted_ctr_u_lower"] < row["predicted_ctr_u"]
        assert row["predicted_ctr_u"] < row["predicted_ctr_u_upper"] <= 1
        assert row["interval_level"] == 0.8
        assert 0 < row["p_link_click_gt0"] < 1
