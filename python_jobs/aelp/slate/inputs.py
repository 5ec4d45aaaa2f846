"""What a slate reads: one run's predictions for a date and the ads' recent delivery."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from aelp.config import Settings
from aelp.schemas import CTR_PREDICTIONS
from aelp.slate.posteriors import age_columns
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import AD_DAILY_LINK_CTR, DIM_ADS, MissingInputError, mart_ref

log = logging.getLogger(__name__)

SUMS = ("impressions", "unique_link_clicks", "link_clicks", "conversions", "spend", "reach")
LONG_WINDOW_AD_SUMS = ("link_clicks_long", "conversions_long", "impressions_long", "spend_long")
"""Per-ad sums kept over the account window: conversions are sparse and attributed late."""
_SOURCE = {
    "impressions": "impressions",
    "unique_link_clicks": "unique_inline_link_clicks",
    "link_clicks": "inline_link_clicks",
    "conversions": "conversions",
    "spend": "spend",
    "reach": "reach",
}
FUNDABLE_STATUSES = ("ACTIVE", "IN_PROCESS", "WITH_ISSUES", "PENDING_REVIEW", "PREAPPROVED")
"""Effective statuses that can take budget; paused, archived, deleted, disapproved or
billing-blocked ads (or ad sets and campaigns) are left out of the slate."""


@dataclass(frozen=True)
class SlateInputs:
    """Scored ads with their recent sums, and per-account sums over the longer window."""

    slate_date: date
    model_run_id: str
    ads: pd.DataFrame
    accounts: pd.DataFrame


def resolve_run_and_date(
    warehouse: Warehouse, slate_date: date | None, model_run_id: str | None
) -> tuple[date, str]:
    """The slate date (latest prediction date) and run (most recently scored for that date)."""
    if not warehouse.table_exists(CTR_PREDICTIONS.dataset, CTR_PREDICTIONS.name):
        raise MissingInputError("ml.ctr_predictions does not exist: run `aelp score` first")
    ref = warehouse.spec_ref(CTR_PREDICTIONS)
    run_filter = f"where model_run_id = {sql.text(model_run_id)}" if model_run_id else ""
    if slate_date is None:
        found = warehouse.query(f"select max(prediction_date) as d from {ref} {run_filter}")
        slate_date = found.column("d")[0].as_py()
        if slate_date is None:
            raise MissingInputError("ml.ctr_predictions holds no predictions to build a slate from")
    assert slate_date is not None
    if model_run_id is None:
        found = warehouse.query(
            f"select model_run_id, max(scored_at) as scored_at from {ref} "
            f"where prediction_date = {sql.day(slate_date)} "
            "group by model_run_id order by scored_at desc, model_run_id desc limit 1"
        )
        if not found.num_rows:
            raise MissingInputError(f"no predictions for {slate_date}: run `aelp score` first")
        model_run_id = str(found.column("model_run_id")[0].as_py())
    return slate_date, model_run_id


def read_slate_inputs(
    settings: Settings,
    warehouse: Warehouse,
    slate_date: date,
    model_run_id: str,
    lookback_days: int,
    account_lookback_days: int,
    account_id: str | None = None,
    reporting_days: int = 0,
) -> SlateInputs:
    """Predictions of one run and date, joined to delivery before that date.

    Ad sums cover the ``lookback_days`` days before the slate date; account sums (the
    priors for click-to-conversion, CPM and the click ratio) pool the scored ads over
    ``account_lookback_days``. Each of the last ``reporting_days`` days' link clicks come
    per ad as ``link_clicks_age_<a>`` (their conversions are still being reported).
    """
    predictions = warehouse.spec_ref(CTR_PREDICTIONS)

    def scored_where(alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        where = (
            f"{prefix}model_run_id = {sql.text(model_run_id)} "
            f"and {prefix}prediction_date = {sql.day(slate_date)}"
        )
        if account_id is not None:
            where += f" and {prefix}account_id = {sql.text(account_id)}"
        return where

    dim = mart_ref(settings, warehouse, DIM_ADS)
    scored = warehouse.query(
        "select p.ad_id, p.account_id, p.predicted_ctr_u, d.campaign_id, d.adset_id, "
        "d.ad_effective_status "
        f"from {predictions} as p left join {dim} as d on p.ad_id = d.ad_id "
        f"where {scored_where('p')} order by p.ad_id"
    )
    if not scored.num_rows:
        raise MissingInputError(f"no predictions of {model_run_id} for {slate_date}")
    scored = fundable(scored)

    fct = mart_ref(settings, warehouse, AD_DAILY_LINK_CTR)
    recent = sql.day(slate_date - timedelta(days=lookback_days))
    recent_sums = ",\n  ".join(
        f"sum(case when f.date_day >= {recent} then coalesce(f.{src}, 0) else 0 end) as {name}"
        for name, src in _SOURCE.items()
    )
    pooled_sums = ",\n  ".join(
        f"sum(coalesce(f.{src}, 0)) as {name}_long" for name, src in _SOURCE.items()
    )
    by_age = "".join(
        f"  sum(case when f.date_day = {sql.day(slate_date - timedelta(days=age))} "
        f"then coalesce(f.inline_link_clicks, 0) else 0 end) as {column},\n"
        for age, column in enumerate(age_columns("link_clicks", reporting_days), start=1)
    )
    delivered = f"case when f.date_day >= {recent} and f.impressions > 0 then 1 else 0 end"
    delivery = warehouse.query(
        f"with scored as (select ad_id from {predictions} where {scored_where()})\n"
        f"select f.ad_id,\n  {recent_sums},\n  {pooled_sums},\n"
        f"{by_age}"
        f"  sum({delivered}) as days_delivered,\n"
        "  min(case when f.impressions > 0 then f.date_day end) as first_delivery_day,\n"
        "  max(f.account_currency) as currency\n"
        f"from {fct} as f inner join scored as s on f.ad_id = s.ad_id\n"
        f"where f.date_day >= {sql.day(slate_date - timedelta(days=account_lookback_days))}\n"
        f"  and f.date_day < {sql.day(slate_date)}\n"
        "group by f.ad_id"
    )
    ads, accounts = combine(scored, delivery, slate_date)
    log.info(
        "slate inputs for %s: %d scored ads in %d accounts, %d with recent delivery",
        slate_date,
        len(ads),
        ads["account_id"].nunique(),
        int((ads["impressions"] > 0).sum()),
    )
    return SlateInputs(slate_date, model_run_id, ads, accounts)


def fundable(scored: pa.Table) -> pa.Table:
    """The scored ads whose effective status can take budget (unknown status is kept)."""
    status = scored.column("ad_effective_status").to_pylist()
    keep = [s is None or str(s).upper() in FUNDABLE_STATUSES for s in status]
    left_out = len(keep) - sum(keep)
    if left_out:
        log.info(
            "left %d scored ads out of the slate: paused, archived or not deliverable", left_out
        )
    return scored.filter(pa.array(keep, type=pa.bool_()))


def combine(
    scored: pa.Table, delivery: pa.Table, slate_date: date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-ad frame (prediction + recent sums, zeros when no delivery) and per-account sums.

    With ``slate_date``, ``days_since_first_delivery`` counts the days from the ad's first
    delivery in the account window to the slate date (NaN: no delivery).
    """
    ads = pd.DataFrame(
        {
            name: scored.column(name).to_pylist()
            for name in ("ad_id", "account_id", "predicted_ctr_u", "campaign_id", "adset_id")
            if name in scored.column_names
        }
    )
    sums = pd.DataFrame({"ad_id": delivery.column("ad_id").to_pylist()})
    for name in delivery.column_names[1:]:
        column = delivery.column(name)
        if name in ("currency", "first_delivery_day"):
            sums[name] = column.to_pylist()
        else:
            sums[name] = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
    ads = ads.merge(sums, on="ad_id", how="left", validate="one_to_one")
    long = [f"{name}_long" for name in SUMS]
    optional = [c for c in ads.columns if c == "days_delivered" or c.startswith("link_clicks_age_")]
    numeric = [*SUMS, *long, *optional]
    ads[numeric] = ads[numeric].fillna(0.0)
    if slate_date is not None and "first_delivery_day" in ads.columns:
        ads["days_since_first_delivery"] = [
            float((slate_date - d).days) if d is not None and not pd.isna(d) else np.nan
            for d in ads["first_delivery_day"]
        ]
        ads = ads.drop(columns=["first_delivery_day"])
    grouped = ads.groupby("account_id", sort=True)
    accounts = grouped[long].sum()
    accounts.columns = list(SUMS)
    currency: dict[str, str | None] = {str(a): None for a in accounts.index}
    for account, code in zip(ads["account_id"], ads["currency"], strict=True):
        if isinstance(code, str):
            currency[str(account)] = max(code, currency[str(account)] or code)
    accounts["currency"] = pd.Series(currency, dtype=object).reindex(accounts.index)
    ads = ads.drop(columns=[c for c in long if c not in LONG_WINDOW_AD_SUMS])
    ads["currency"] = ads["account_id"].map(currency)
    return ads, accounts
