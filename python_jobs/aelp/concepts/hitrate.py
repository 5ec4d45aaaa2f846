"""Match launched ads to the forecasts made for their concept and score the forecasts.

A forecast row (content hash, ad set, as-of day) is resolved by the first ad whose creative
has that content hash, that runs in that ad set and that first delivered on or after the
as-of day. Its realised ctr_u sums the ad's first ``horizon_days`` days (a from-daily-sums
rate); the forecast is complete once the insights reach the last of those days, and a hit
when that rate is at least the forecast's benchmark. ``rpt_concept_hit_rate`` applies the
same rules in dbt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from aelp.concepts.tables import CONCEPT_FORECASTS
from aelp.config import Settings
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import AD_DAILY_LINK_CTR, MissingInputError, mart_ref


@dataclass(frozen=True)
class Launch:
    """An ad as launched: its concept (content hash), ad set, first day and daily counts."""

    ad_id: str
    content_sha256: str
    adset_id: str
    first_day: date
    days: dict[date, tuple[float, float]]
    """Per day: (impressions, unique link clicks)."""


@dataclass(frozen=True)
class Outcome:
    """A forecast row with the ad that resolved it and what happened."""

    forecast: dict[str, Any]
    ad_id: str
    first_day: date
    impressions: float
    unique_link_clicks: float
    is_complete: bool
    is_hit: bool

    @property
    def realised_ctr_u(self) -> float:
        """Unique link CTR over the horizon, from daily sums."""
        return self.unique_link_clicks / self.impressions if self.impressions else 0.0


def match_outcomes(
    forecasts: list[dict[str, Any]], launches: list[Launch], last_day: date
) -> list[Outcome]:
    """Resolve each forecast row by the earliest matching launch (none: left out)."""
    by_key: dict[tuple[str, str], list[Launch]] = {}
    for launch in sorted(launches, key=lambda x: (x.first_day, x.ad_id)):
        by_key.setdefault((launch.content_sha256, launch.adset_id), []).append(launch)
    out = []
    for row in forecasts:
        candidates = [
            x for x in by_key.get((row["content_sha256"], row["adset_id"]), [])
            if x.first_day >= row["as_of_date"]
        ]  # fmt: skip
        if not candidates:
            continue
        launch = candidates[0]
        horizon = int(row["horizon_days"])
        end = launch.first_day + timedelta(days=horizon - 1)
        imps = clicks = 0.0
        for day, (m, k) in launch.days.items():
            if launch.first_day <= day <= end:
                imps += m
                clicks += k
        complete = last_day >= end
        rate = clicks / imps if imps else 0.0
        out.append(
            Outcome(
                forecast=row,
                ad_id=launch.ad_id,
                first_day=launch.first_day,
                impressions=imps,
                unique_link_clicks=clicks,
                is_complete=complete,
                is_hit=rate >= float(row["benchmark_ctr_u"]),
            )
        )
    return out


def read_launches(
    settings: Settings, warehouse: Warehouse, hashes: list[str], since: date
) -> tuple[list[Launch], date]:
    """Ads whose creative's content hash is among ``hashes``, with their delivery.

    The fact is read from the day before ``since`` (the earliest as-of day; BigQuery requires
    a partition filter): an ad already running then shows that day as its first and so never
    matches a forecast made as of ``since`` or later, as it should not.
    """
    fct = mart_ref(settings, warehouse, AD_DAILY_LINK_CTR)
    ads = mart_ref(settings, warehouse, "dim_ads")
    creatives = mart_ref(settings, warehouse, "dim_creatives")
    window = f"date_day >= {sql.day(since - timedelta(days=1))}"
    found = warehouse.query(f"select max(date_day) as d from {fct} where {window}")
    last = found.column("d")[0].as_py()
    if last is None or not hashes:
        return [], last
    listed = ", ".join(sql.text(h) for h in hashes)
    rows = warehouse.query(
        "select fct.ad_id, creatives.content_sha256, fct.adset_id, fct.date_day, "
        "fct.impressions, fct.unique_inline_link_clicks "
        f"from {fct} as fct inner join {ads} as ads on fct.ad_id = ads.ad_id "
        f"inner join {creatives} as creatives on ads.creative_id = creatives.creative_id "
        f"where fct.{window} and fct.impressions > 0 "
        f"and creatives.content_sha256 in ({listed}) "
        "order by fct.ad_id, fct.date_day"
    ).to_pylist()
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(row["ad_id"]), []).append(row)
    launches = [
        Launch(
            ad_id=ad,
            content_sha256=days[0]["content_sha256"],
            adset_id=str(days[0]["adset_id"]),
            first_day=days[0]["date_day"],
            days={
                d["date_day"]: (float(d["impressions"]), float(d["unique_inline_link_clicks"]))
                for d in days
            },
        )
        for ad, days in grouped.items()
    ]
    return launches, last


def read_forecasts(warehouse: Warehouse, model_run_id: str | None = None) -> list[dict[str, Any]]:
    """Rows of ``ml.concept_forecasts`` (one model run's when given)."""
    if not warehouse.table_exists(CONCEPT_FORECASTS.dataset, CONCEPT_FORECASTS.name):
        raise MissingInputError(
            "ml.concept_forecasts does not exist: run `aelp concepts forecast` first"
        )
    where = f" where model_run_id = {sql.text(model_run_id)}" if model_run_id else ""
    return warehouse.query(
        f"select * from {warehouse.spec_ref(CONCEPT_FORECASTS)}{where}"
    ).to_pylist()


def resolve(
    settings: Settings, warehouse: Warehouse, model_run_id: str | None = None
) -> list[Outcome]:
    """Every forecast row that a launched ad resolves, complete or not."""
    forecasts = read_forecasts(warehouse, model_run_id)
    hashes = sorted({row["content_sha256"] for row in forecasts})
    if not forecasts:
        return []
    since = min(row["as_of_date"] for row in forecasts)
    launches, last = read_launches(settings, warehouse, hashes, since)
    if last is None:
        return []
    return match_outcomes(forecasts, launches, last)
