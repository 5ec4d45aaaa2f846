"""Two small scored accounts: one run's predictions plus two weeks of delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pyarrow as pa

from aelp.schemas import CTR_PREDICTIONS, TableSpec

MARTS = "aelp"
SLATE_DATE = date(2024, 5, 15)
RUN_ID = "ctr-20240514T060000-abcdef12"
BEST_AD = "ad_best"
NEW_AD = "ad_new"


@dataclass(frozen=True)
class Ad:
    """One ad of the synthetic account and the rates its delivery is drawn from."""

    ad_id: str
    account_id: str
    true_ctr_u: float
    daily_impressions: int


def account_ads() -> list[Ad]:
    """Ten ads in act_1: one clearly best, one brand new, the rest close to each other."""
    ads = [Ad(BEST_AD, "act_1", 0.030, 4000), Ad(NEW_AD, "act_1", 0.012, 0)]
    ads += [Ad(f"ad_{i}", "act_1", 0.010 + 0.0008 * i, 4000) for i in range(8)]
    ads += [Ad(f"ad_x{i}", "act_2", 0.011 + 0.002 * i, 3000) for i in range(4)]
    return ads


FCT_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("date_day", pa.date32()),
        ("impressions", pa.int64()),
        ("inline_link_clicks", pa.int64()),
        ("unique_inline_link_clicks", pa.int64()),
        ("spend", pa.decimal128(18, 4)),
        ("reach", pa.int64()),
        ("cpm", pa.float64()),
        ("conversions", pa.float64()),
        ("account_currency", pa.string()),
        ("ctr_u", pa.float64()),
        ("click_to_conversion", pa.float64()),
    ]
)


def delivery(ads: list[Ad], days: int = 14, seed: int = 3) -> pa.Table:
    """Daily delivery before the slate date: unique clicks ~ Binomial, link clicks ≈ 1.2×,
    conversions 5% of link clicks, CPM 8."""
    rng = np.random.default_rng(seed)
    rows: dict[str, list[object]] = {name: [] for name in FCT_SCHEMA.names}
    for d in range(days, 0, -1):
        day = SLATE_DATE - timedelta(days=d)
        for ad in ads:
            if ad.daily_impressions == 0:
                continue
            n = int(rng.poisson(ad.daily_impressions))
            unique = int(rng.binomial(n, ad.true_ctr_u))
            link = unique + int(rng.binomial(unique, 0.2))
            conversions = float(rng.binomial(link, 0.05))
            spend = Decimal(n * 8) / 1000
            rows["ad_id"].append(ad.ad_id)
            rows["date_day"].append(day)
            rows["impressions"].append(n)
            rows["inline_link_clicks"].append(link)
            rows["unique_inline_link_clicks"].append(unique)
            rows["spend"].append(spend)
            rows["reach"].append(max(1, round(n / (1.0 + 0.004 * np.sqrt(n)))))
            rows["cpm"].append(8.0)
            rows["conversions"].append(conversions)
            rows["account_currency"].append("USD" if ad.account_id == "act_1" else "EUR")
            rows["ctr_u"].append(unique / n)
            rows["click_to_conversion"].append(conversions / link if link else None)
    return pa.table(rows, schema=FCT_SCHEMA)


def predictions(ads: list[Ad], run_id: str = RUN_ID) -> pa.Table:
    """The model's predictions: each ad's true rate pulled a third of the way to 1.5%."""
    n = len(ads)
    predicted = [a.true_ctr_u + (0.015 - a.true_ctr_u) / 3 for a in ads]
    return pa.table(
        {
            "model_run_id": [run_id] * n,
            "prediction_date": [SLATE_DATE] * n,
            "ad_id": [a.ad_id for a in ads],
            "account_id": [a.account_id for a in ads],
            "predicted_ctr_u": predicted,
            "p_click_ge1": [1 - (1 - p) ** 1000 for p in predicted],
            "p_click_impressions": [1000] * n,
            "scored_at": [datetime(2024, 5, 14, 6, 30, tzinfo=UTC)] * n,
            "predicted_ctr_u_lower": [None] * n,
            "predicted_ctr_u_upper": [None] * n,
            "interval_level": [None] * n,
            "p_link_click_gt0": [None] * n,
        },
        schema=CTR_PREDICTIONS.schema,
    )


def fct_spec() -> TableSpec:
    """Where dbt would have built fct_ad_daily_link_ctr."""
    return TableSpec(MARTS, "fct_ad_daily_link_ctr", FCT_SCHEMA, ("ad_id", "date_day"))


DIM_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("account_id", pa.string()),
        ("campaign_id", pa.string()),
        ("adset_id", pa.string()),
        ("ad_effective_status", pa.string()),
    ]
)


def dim_ads(ads: list[Ad]) -> pa.Table:
    """dim_ads rows: act_1's ads in two ad sets of one campaign, act_2's in one; all active."""
    adset = {
        a.ad_id: f"{a.account_id}_set{i % 2 if a.account_id == 'act_1' else 0}"
        for i, a in enumerate(ads)
    }
    return pa.table(
        {
            "ad_id": [a.ad_id for a in ads],
            "account_id": [a.account_id for a in ads],
            "campaign_id": [f"{a.account_id}_campaign" for a in ads],
            "adset_id": [adset[a.ad_id] for a in ads],
            "ad_effective_status": ["ACTIVE"] * len(ads),
        },
        schema=DIM_SCHEMA,
    )


def dim_spec() -> TableSpec:
    """Where dbt would have built dim_ads."""
    return TableSpec(MARTS, "dim_ads", DIM_SCHEMA, ("ad_id",))
