"""The loop end to end on the synthetic world: train, score, then slate tomorrow's budget."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from ctr_world import FAST, MARTS, World, daily_link_ctr, dim_ads, true_ctr_u

from aelp.config import Settings
from aelp.modeling import score, train
from aelp.schemas import BUDGET_SLATES, TableSpec
from aelp.slate import make_slate, write_slate
from aelp.warehouse.duckdb import DuckDBWarehouse


def test_train_score_slate_puts_most_budget_on_truly_better_ads(
    settings: Settings, warehouse: DuckDBWarehouse, world: World
) -> None:
    fct = daily_link_ctr(world.examples)
    warehouse.upsert(
        TableSpec(MARTS, "fct_ad_daily_link_ctr", fct.schema, ("ad_id", "date_day")), fct
    )
    ads = dim_ads(world.examples)
    warehouse.upsert(TableSpec(MARTS, "dim_ads", ads.schema, ("ad_id",)), ads)
    run = train(settings, warehouse, seed=0, trained_at=datetime(2024, 4, 12, tzinfo=UTC), **FAST)
    score(settings, warehouse)
    slate = make_slate(settings, warehouse, budget=500.0, seed=0)
    assert write_slate(warehouse, slate) == slate.num_rows > 0
    assert warehouse.count(BUDGET_SLATES.dataset, BUDGET_SLATES.name) == slate.num_rows
    assert set(slate.column("model_run_id").to_pylist()) == {run.model_run_id}
    assert set(slate.column("slate_date").to_pylist()) == {world.scoring_date}

    s = world.scoring
    truth = dict(
        zip(
            s.column("ad_id").to_pylist(),
            true_ctr_u(
                np.asarray(s.column("f_signal").to_pylist()),
                np.asarray(s.column("fc_format").to_pylist()),
                np.asarray(s.column("f_ad_age_days").to_pylist()),
            ),
            strict=True,
        )
    )
    median_rate = float(np.median(list(truth.values())))
    for account in ("act_1", "act_2"):
        lines = [r for r in slate.to_pylist() if r["account_id"] == account]
        assert (
            sum(r["budget_share"] for r in lines) == np.float64(1.0)
            or abs(sum(r["budget_share"] for r in lines) - 1) < 1e-9
        )
        exploit = [r for r in lines if r["arm"] == "exploit"]
        assert all(truth[r["ad_id"]] > median_rate for r in exploit)
