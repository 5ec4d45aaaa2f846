"""A tiny synthetic ad world: CTR marts with a known signal, and the truth behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from aelp.schemas import TableSpec
from aelp.warehouse.base import Warehouse

MARTS = "aelp"
FIRST_DAY = date(2024, 3, 1)
TRAIN_DAYS, VALID_DAYS, TEST_DAYS = 28, 7, 7
FAST: dict[str, Any] = {"early_stopping_rounds": 20, "num_boost_round": 400, "num_threads": 1}
"""Training options that keep tests quick; the default schedule is tested once."""
FORMAT_LIFT = {"image": 1.0, "video": 1.5, "carousel": 0.7}


@dataclass(frozen=True)
class World:
    """The synthetic marts' frames and the dates that matter."""

    examples: pa.Table
    scoring: pa.Table
    truth: pa.Table
    scoring_date: date


def true_ctr_u(signal: np.ndarray, fmt: np.ndarray, age_days: np.ndarray) -> np.ndarray:
    """The world's rule: ctr_u grows with f_signal, depends on format, fades with age."""
    lift = np.array([FORMAT_LIFT[f] for f in fmt])
    return 0.004 + 0.03 * signal * lift * np.exp(-0.01 * age_days)


def make_world(n_ads: int = 80, seed: int = 7) -> World:
    """Ads × days of delivery drawn from :func:`true_ctr_u`, split forward in time."""
    rng = np.random.default_rng(seed)
    days = TRAIN_DAYS + VALID_DAYS + TEST_DAYS
    ad_ids = np.array([f"ad{i:03d}" for i in range(n_ads)])
    accounts = np.array(["act_1" if i % 2 == 0 else "act_2" for i in range(n_ads)])
    signal = rng.uniform(0, 1, n_ads)
    noise = rng.normal(0, 1, n_ads)
    fmt = rng.choice(list(FORMAT_LIFT), n_ads)
    volume = rng.uniform(300, 3000, n_ads)
    start = rng.integers(0, 10, n_ads)

    rows: dict[str, list[object]] = {k: [] for k in _EXAMPLE_COLUMNS}
    truth: dict[str, list[object]] = {k: [] for k in ("ad_id", "date_day", "true_ctr_u")}
    for d in range(days):
        live = start <= d
        age = (d - start)[live].astype(float)
        rate = true_ctr_u(signal[live], fmt[live], age)
        n = rng.poisson(volume[live]) + 1
        k = rng.binomial(n, rate)
        split = "train" if d < TRAIN_DAYS else "valid" if d < TRAIN_DAYS + VALID_DAYS else "test"
        day = FIRST_DAY + timedelta(days=d)
        idx = np.flatnonzero(live)
        for j, i in enumerate(idx):
            rows["ad_id"].append(ad_ids[i])
            rows["date_day"].append(day)
            rows["account_id"].append(accounts[i])
            rows["campaign_id"].append(f"c_{accounts[i]}")
            rows["adset_id"].append(f"as_{i % 5}")
            rows["creative_id"].append(f"cr_{i}")
            rows["impressions"].append(int(n[j]))
            rows["unique_inline_link_clicks"].append(int(k[j]))
            rows["ctr_u"].append(float(k[j] / n[j]))
            rows["spend"].append(float(n[j]) * 0.008)
            rows["split"].append(split)
            rows["f_signal"].append(float(signal[i]))
            rows["f_noise"].append(float(noise[i]))
            rows["f_ad_age_days"].append(float(age[j]))
            rows["fc_format"].append(str(fmt[i]))
            truth["ad_id"].append(ad_ids[i])
            truth["date_day"].append(day)
            truth["true_ctr_u"].append(float(rate[j]))
    examples = pa.table(rows, schema=EXAMPLES_SCHEMA)

    scoring_date = FIRST_DAY + timedelta(days=days)
    scoring = pa.table(
        {
            "ad_id": ad_ids.tolist(),
            "date_day": [scoring_date] * n_ads,
            "account_id": accounts.tolist(),
            "campaign_id": [f"c_{a}" for a in accounts],
            "adset_id": [f"as_{i % 5}" for i in range(n_ads)],
            "creative_id": [f"cr_{i}" for i in range(n_ads)],
            "f_signal": signal.tolist(),
            "f_noise": noise.tolist(),
            "f_ad_age_days": (days - start).astype(float).tolist(),
            "fc_format": fmt.tolist(),
        },
        schema=SCORING_SCHEMA,
    )
    truth_table = pa.table(
        {
            **truth,
            "true_link_ctr": truth["true_ctr_u"],
            "true_ctr": truth["true_ctr_u"],
            "true_c2s": [0.05] * len(truth["ad_id"]),
            "true_cpm": [8.0] * len(truth["ad_id"]),
        }
    )
    return World(examples, scoring, truth_table, scoring_date)


EXAMPLES_SCHEMA = pa.schema(
    [
        ("ad_id", pa.string()),
        ("date_day", pa.date32()),
        ("account_id", pa.string()),
        ("campaign_id", pa.string()),
        ("adset_id", pa.string()),
        ("creative_id", pa.string()),
        ("impressions", pa.int64()),
        ("unique_inline_link_clicks", pa.int64()),
        ("ctr_u", pa.float64()),
        ("spend", pa.float64()),
        ("split", pa.string()),
        ("f_signal", pa.float64()),
        ("f_noise", pa.float64()),
        ("f_ad_age_days", pa.float64()),
        ("fc_format", pa.string()),
    ]
)
_EXAMPLE_COLUMNS = EXAMPLES_SCHEMA.names
SCORING_SCHEMA = pa.schema(
    [
        EXAMPLES_SCHEMA.field(name)
        for name in (
            "ad_id",
            "date_day",
            "account_id",
            "campaign_id",
            "adset_id",
            "creative_id",
            "f_signal",
            "f_noise",
            "f_ad_age_days",
            "fc_format",
        )
    ]
)


def daily_link_ctr(examples: pa.Table) -> pa.Table:
    """``fct_ad_daily_link_ctr`` rows for the delivered days: CPM 8, 5% of link clicks convert."""
    n = np.asarray(examples.column("impressions").to_pylist(), dtype=float)
    unique = np.asarray(examples.column("unique_inline_link_clicks").to_pylist(), dtype=float)
    link = np.round(unique * 1.2)
    conversions = np.round(link * 0.05)
    return pa.table(
        {
            "ad_id": examples.column("ad_id"),
            "date_day": examples.column("date_day"),
            "impressions": pa.array(n.astype(np.int64)),
            "reach": pa.array(np.maximum(np.round(n / 1.1), 1).astype(np.int64)),
            "inline_link_clicks": pa.array(link.astype(np.int64)),
            "unique_inline_link_clicks": pa.array(unique.astype(np.int64)),
            "spend": pa.array(n * 0.008),
            "cpm": pa.array(np.full(len(n), 8.0)),
            "conversions": pa.array(conversions),
            "account_currency": pa.array(["USD"] * len(n)),
            "ctr_u": pa.array(unique / n),
            "click_to_conversion": pa.array(
                np.where(link > 0, conversions / np.maximum(link, 1), np.nan)
            ),
        }
    )


def dim_ads(examples: pa.Table) -> pa.Table:
    """``dim_ads`` rows: each ad once with its account, ad set and campaign, all active."""
    columns = [
        c for c in ("ad_id", "account_id", "campaign_id", "adset_id") if c in examples.column_names
    ]
    rows = examples.select(columns).group_by(columns).aggregate([])
    return rows.append_column("ad_effective_status", pa.array(["ACTIVE"] * rows.num_rows))


def load_mart(warehouse: Warehouse, name: str, table: pa.Table) -> None:
    """Create ``aelp.<name>`` from an Arrow table (as dbt would have built it)."""
    spec = TableSpec(MARTS, name, table.schema, key=("ad_id", "date_day"))
    warehouse.upsert(spec, table)
