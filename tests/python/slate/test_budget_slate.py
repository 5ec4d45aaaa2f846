"""Budget slates built from stored predictions and delivery, and written idempotently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from slate_world import BEST_AD, NEW_AD, RUN_ID, SLATE_DATE

from aelp.config import Settings
from aelp.schemas import BUDGET_SLATES
from aelp.slate import SlateConfig, make_slate, write_slate
from aelp.slate.inputs import read_slate_inputs
from aelp.warehouse.duckdb import DuckDBWarehouse

CREATED_AT = datetime(2024, 5, 15, 5, 0, tzinfo=UTC)


def lines(slate: pa.Table, account: str) -> list[dict[str, Any]]:
    return [r for r in slate.to_pylist() if r["account_id"] == account]


def stored(warehouse: DuckDBWarehouse) -> pa.Table:
    return warehouse.query(
        f"select * from {warehouse.spec_ref(BUDGET_SLATES)} order by account_id, ad_id"
    )


def test_slate_matches_the_budget_slates_contract(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    slate = make_slate(settings, warehouse, budget=1000.0, created_at=CREATED_AT)
    assert slate.schema == BUDGET_SLATES.schema
    assert set(slate.column("slate_date").to_pylist()) == {SLATE_DATE}
    assert set(slate.column("model_run_id").to_pylist()) == {RUN_ID}
    assert set(slate.column("arm").to_pylist()) == {"exploit", "explore"}
    assert set(slate.column("slate_id").to_pylist()) == {
        "slate-20240515-act_1",
        "slate-20240515-act_2",
    }


def test_shares_sum_to_one_and_spend_to_the_budget_per_account(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    slate = make_slate(settings, warehouse, budget={"act_1": 1000.0, "act_2": 250.5})
    for account, budget, currency in (("act_1", "1000", "USD"), ("act_2", "250.5", "EUR")):
        rows = lines(slate, account)
        assert sum(r["budget_share"] for r in rows) == pytest.approx(1.0)
        assert sum(r["planned_spend"] for r in rows) == Decimal(budget)
        assert {r["currency"] for r in rows} == {currency}


def test_exploit_takes_eighty_percent_and_shares_stay_within_bounds(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    config = SlateConfig(min_share=0.05, max_share=0.3)
    slate = make_slate(settings, warehouse, budget=1000.0, config=config)
    for account in ("act_1", "act_2"):
        rows = lines(slate, account)
        shares = np.array([r["budget_share"] for r in rows], dtype=float)
        exploit = sum(r["budget_share"] for r in rows if r["arm"] == "exploit")
        assert exploit == pytest.approx(0.8)
        assert shares.min() >= 0.05 - 1e-12
        assert shares.max() <= 0.3 + 1e-12


def test_exploit_share_is_configurable(settings: Settings, warehouse: DuckDBWarehouse) -> None:
    slate = make_slate(settings, warehouse, budget=1000.0, exploit_share=0.6)
    rows = lines(slate, "act_1")
    exploit = sum(r["budget_share"] for r in rows if r["arm"] == "exploit")
    assert exploit == pytest.approx(0.6)


def test_same_seed_gives_the_same_slate(settings: Settings, warehouse: DuckDBWarehouse) -> None:
    first = make_slate(settings, warehouse, budget=1000.0, seed=11, created_at=CREATED_AT)
    second = make_slate(settings, warehouse, budget=1000.0, seed=11, created_at=CREATED_AT)
    assert first.equals(second)
    assert set(first.column("seed").to_pylist()) == {11}


def test_clearly_best_ad_gets_the_largest_exploit_share(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    rows = lines(make_slate(settings, warehouse, budget=1000.0), "act_1")
    exploit = {r["ad_id"]: r["budget_share"] for r in rows if r["arm"] == "exploit"}
    best = max(exploit, key=exploit.__getitem__)
    assert best == BEST_AD
    ranked = sorted(exploit.values(), reverse=True)
    assert ranked[0] > ranked[1]
    reason = next(r["reason"] for r in rows if r["ad_id"] == BEST_AD)
    assert str(reason).startswith("exploit: in the top 3 by sampled conversions per USD in 100%")


def test_a_new_ad_without_delivery_is_explored_and_says_why(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    rows = {r["ad_id"]: r for r in lines(make_slate(settings, warehouse, budget=1000.0), "act_1")}
    new = rows[NEW_AD]
    assert new["arm"] == "explore"
    assert str(new["reason"]).startswith("explore: only 0 impressions in the last 7 days")
    assert new["posterior_ctr_u_mean"] == pytest.approx(new["predicted_ctr_u"])


def test_forecasts_follow_the_kpi_definitions(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    for r in make_slate(settings, warehouse, budget=1000.0).to_pylist():
        spend = float(r["planned_spend"])
        impressions = r["planned_impressions"]
        assert impressions == int(spend / r["predicted_cpm"] * 1000)
        assert r["predicted_cpm"] == pytest.approx(8.0, rel=0.02)
        assert r["predicted_cac"] == pytest.approx(spend / r["expected_conversions"])
        assert r["p_click_ge1"] == pytest.approx(1 - (1 - r["posterior_ctr_u_mean"]) ** impressions)
        # conversions = impressions × ctr_u × (link / unique clicks ≈ 1.2) × c2s (≈ 5%)
        per_impression = r["expected_conversions"] / impressions
        ratio = per_impression / (r["posterior_ctr_u_mean"] * r["predicted_c2s"])
        assert 1.1 < ratio < 1.3


def test_writing_a_slate_twice_keeps_one_slate_per_account_and_day(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    slate = make_slate(settings, warehouse, budget=1000.0, created_at=CREATED_AT)
    assert write_slate(warehouse, slate) == slate.num_rows
    first = stored(warehouse)
    write_slate(warehouse, slate)
    assert stored(warehouse).equals(first)

    smaller = make_slate(
        settings, warehouse, budget=10.0, seed=5, config=SlateConfig(explore_ads=1)
    )
    write_slate(warehouse, smaller)
    after = stored(warehouse)
    assert after.num_rows == smaller.num_rows
    assert set(after.column("seed").to_pylist()) == {5}


def test_a_slate_for_one_account_leaves_the_others_alone(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    write_slate(warehouse, make_slate(settings, warehouse, budget=1000.0))
    act_2_before = [r for r in stored(warehouse).to_pylist() if r["account_id"] == "act_2"]
    only_act_1 = make_slate(settings, warehouse, budget=5.0, account_id="act_1", seed=2)
    assert set(only_act_1.column("account_id").to_pylist()) == {"act_1"}
    write_slate(warehouse, only_act_1)
    rows = stored(warehouse).to_pylist()
    assert [r for r in rows if r["account_id"] == "act_2"] == act_2_before
    assert {r["seed"] for r in rows if r["account_id"] == "act_1"} == {2}


def test_inputs_carry_each_recent_days_link_clicks_for_the_reporting_lag(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    inputs = read_slate_inputs(settings, warehouse, SLATE_DATE, RUN_ID, 7, 28, reporting_days=3)
    fct = warehouse.query(
        "select ad_id, date_day, inline_link_clicks from aelp.fct_ad_daily_link_ctr"
    ).to_pandas()
    best = inputs.ads.set_index("ad_id").loc[BEST_AD]
    for age in (1, 2, 3):
        day = SLATE_DATE - timedelta(days=age)
        clicks = fct[(fct["ad_id"] == BEST_AD) & (fct["date_day"] == day)]["inline_link_clicks"]
        assert best[f"link_clicks_age_{age}"] == float(clicks.iloc[0]) > 0
    assert "link_clicks_age_4" not in inputs.ads.columns
    new = inputs.ads.set_index("ad_id").loc[NEW_AD]
    assert new["link_clicks_age_1"] == 0.0
