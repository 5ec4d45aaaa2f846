"""Build and store the daily budget slate: posteriors → Thompson draws → bounded shares."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from aelp.config import Settings
from aelp.modeling.metrics import p_click_at_least_one
from aelp.schemas import BUDGET_SLATES
from aelp.slate.allocation import (
    Allocation,
    DrawSummary,
    allocate,
    expected_fill,
    exploit_plan,
    summarize_draws,
)
from aelp.slate.config import SlateConfig
from aelp.slate.frequency import planned_frequency
from aelp.slate.inputs import read_slate_inputs, resolve_run_and_date
from aelp.slate.posteriors import ad_posteriors
from aelp.slate.reasons import exploit_reason, explore_reason, frequency_note, learning_note
from aelp.warehouse.base import Warehouse

log = logging.getLogger(__name__)


def slate_id(slate_date: date, account_id: str) -> str:
    """The id of one account's slate for one day (a rebuild replaces it)."""
    return f"slate-{slate_date:%Y%m%d}-{account_id}"


def account_rng(seed: int, account_id: str) -> np.random.Generator:
    """A generator fixed by the seed and the account, independent of other accounts."""
    return np.random.default_rng([seed, zlib.crc32(account_id.encode())])


def account_slate(
    ads: pd.DataFrame,
    accounts: pd.DataFrame,
    budget: float,
    config: SlateConfig,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One account's funded ads with share, arm, spend plan, forecasts and reason.

    ``ads`` holds the account's scored ads (prediction and recent sums) and
    ``accounts`` the account's pooled sums, indexed by account_id.
    """
    ads = ads.sort_values("ad_id", kind="stable").reset_index(drop=True)
    posteriors = ad_posteriors(ads, accounts, config)
    summary = summarize_draws(posteriors, config.n_samples, config.top_k, rng)
    impressions = posteriors["impressions"].to_numpy(float)
    learning = posteriors["is_learning"].to_numpy(bool)
    caps = np.minimum(config.max_share, frequency_max_shares(posteriors, budget))
    weights = None
    if config.exploit_weighting == "fill":
        exploitable, total = exploit_plan(summary, impressions, config, learning)
        weights = expected_fill(posteriors, exploitable, caps, total, config.n_samples, rng)
    allocation = allocate(
        summary, impressions, config, max_shares=caps, learning=learning, exploit_weights=weights
    )
    return plan(posteriors, summary, allocation, budget, config)


def frequency_max_shares(posteriors: pd.DataFrame, budget: float) -> np.ndarray:
    """The largest share of ``budget`` each ad can spend under its frequency limit."""
    limit = posteriors["max_daily_impressions"].to_numpy(float)
    spend = limit * posteriors["cpm"].to_numpy(float) / 1000
    return np.where(np.isfinite(spend), spend / budget, np.inf)


def plan(
    posteriors: pd.DataFrame,
    summary: DrawSummary,
    allocation: Allocation,
    budget: float,
    config: SlateConfig,
) -> pd.DataFrame:
    """Turn shares into spend, impressions, expected conversions, CAC and reasons."""
    out = posteriors.assign(
        budget_share=allocation.shares,
        arm=np.where(allocation.explore > 0, "explore", "exploit"),
        p_best=summary.p_best,
        p_top_k=summary.p_top_k,
        value_cv=summary.value_cv,
    )
    out["planned_spend"] = pd.Series(
        split_money(budget, allocation.shares), index=out.index, dtype=object
    )
    spend = out["planned_spend"].map(float).to_numpy()
    impressions = np.floor(spend / out["cpm"].to_numpy(float) * 1000).astype(np.int64)
    out["planned_impressions"] = impressions
    clicks_per_impression = out["posterior_ctr_u_mean"] * out["link_per_unique"]
    out["expected_conversions"] = impressions * clicks_per_impression * out["c2s_mean"]
    out["predicted_cac"] = [
        s / c if c > 0 else None for s, c in zip(spend, out["expected_conversions"], strict=True)
    ]
    out["p_click_ge1"] = p_click_at_least_one(out["posterior_ctr_u_mean"], impressions)
    out["planned_frequency"] = planned_frequency(out["frequency_slope"], impressions)
    out["is_frequency_capped"] = impressions >= 0.999 * out["max_daily_impressions"].to_numpy(float)
    out["reason"] = reasons(out, summary.top_k, config)
    funded = out[out["budget_share"] > 0]
    return funded.sort_values(["budget_share", "ad_id"], ascending=[False, True])


def reasons(lines: pd.DataFrame, top_k: int, config: SlateConfig) -> list[str]:
    """The reason of each line, by its arm, with learning and frequency-cap notes."""
    days = config.lookback_days
    out = []
    for arm, p_top, p_best, cv, seen, currency, learning, capped, frequency in zip(
        lines["arm"],
        lines["p_top_k"].to_numpy(float),
        lines["p_best"].to_numpy(float),
        lines["value_cv"].to_numpy(float),
        lines["impressions"].to_numpy(float),
        lines["currency"].astype(str),
        lines["is_learning"].to_numpy(bool),
        lines["is_frequency_capped"].to_numpy(bool),
        lines["planned_frequency"].to_numpy(float),
        strict=True,
    ):
        if arm == "explore":
            text = explore_reason(top_k, p_top, cv, seen, currency, days)
        else:
            text = exploit_reason(top_k, p_top, p_best, seen, currency, days)
        if learning:
            text += f"; {learning_note(config.learning_days, config.learning_conversions)}"
        if capped and config.frequency_cap is not None:
            text += f"; {frequency_note(frequency, config.frequency_cap)}"
        out.append(text)
    return out


def split_money(budget: float, shares: np.ndarray) -> list[Decimal]:
    """Budget × share in cents, the rounding remainder given to the largest fractions."""
    total_cents = round(Decimal(str(budget)) * 100)
    exact = np.asarray(shares, dtype=float) * float(total_cents)
    cents = np.floor(exact).astype(np.int64)
    left = int(total_cents) - int(cents.sum())
    if left > 0:
        order = np.argsort(-(exact - cents), kind="stable")
        cents[order[:left]] += 1
    return [Decimal(int(c)) / 100 for c in cents]


def make_slate(
    settings: Settings,
    warehouse: Warehouse,
    *,
    budget: float | Mapping[str, float],
    slate_date: date | None = None,
    seed: int = 0,
    exploit_share: float | None = None,
    prior_strength: float | None = None,
    model_run_id: str | None = None,
    account_id: str | None = None,
    config: SlateConfig | None = None,
    created_at: datetime | None = None,
) -> pa.Table:
    """The budget slate of every scored account on ``slate_date`` (``ml.budget_slates`` rows).

    ``budget`` is each account's daily budget in its own currency (one number for all,
    or a mapping by account_id). The date defaults to the latest prediction date and the
    run to the one scored most recently for that date. ``exploit_share`` and
    ``prior_strength`` (pseudo-impressions of the ctr_u prior; None calibrates it) override
    the same fields of ``config`` when given. Deterministic for a seed.
    """
    cfg = config or SlateConfig()
    if exploit_share is not None:
        cfg = replace(cfg, exploit_share=exploit_share)
    if prior_strength is not None:
        cfg = replace(cfg, prior_strength=prior_strength)
    slate_date, model_run_id = resolve_run_and_date(warehouse, slate_date, model_run_id)
    inputs = read_slate_inputs(
        settings,
        warehouse,
        slate_date,
        model_run_id,
        cfg.lookback_days,
        cfg.account_lookback_days,
        account_id,
        reporting_days=len(cfg.reporting_curve),
    )
    created_at = created_at or datetime.now(UTC)
    parts = []
    for account, ads in inputs.ads.groupby("account_id", sort=True):
        account = str(account)
        pooled = inputs.accounts.loc[[account]]
        if not pooled["impressions"].iloc[0] > 0 or not isinstance(pooled["currency"].iloc[0], str):
            log.warning(
                "skipping %s: no delivery in the %d days before %s to price its ads",
                account,
                cfg.account_lookback_days,
                slate_date,
            )
            continue
        account_budget = budget[account] if isinstance(budget, Mapping) else budget
        if account_budget <= 0:
            raise ValueError(f"budget for {account} must be positive, got {account_budget}")
        lines = account_slate(ads, pooled, float(account_budget), cfg, account_rng(seed, account))
        lines = lines.assign(
            slate_id=slate_id(slate_date, account),
            slate_date=slate_date,
            model_run_id=model_run_id,
            seed=seed,
            created_at=created_at,
        )
        _log_account(account, lines)
        parts.append(lines)
    if not parts:
        return BUDGET_SLATES.schema.empty_table()
    return to_table(pd.concat(parts, ignore_index=True))


def to_table(lines: pd.DataFrame) -> pa.Table:
    """Slate lines as an Arrow table with the exact ``ml.budget_slates`` schema."""
    columns: dict[str, Any] = {
        "slate_id": lines["slate_id"],
        "slate_date": lines["slate_date"],
        "ad_id": lines["ad_id"],
        "account_id": lines["account_id"],
        "model_run_id": lines["model_run_id"],
        "arm": lines["arm"],
        "budget_share": lines["budget_share"],
        "planned_spend": lines["planned_spend"],
        "currency": lines["currency"],
        "predicted_ctr_u": lines["predicted_ctr_u"],
        "posterior_ctr_u_mean": lines["posterior_ctr_u_mean"],
        "predicted_c2s": lines["c2s_mean"],
        "predicted_cpm": lines["cpm"],
        "planned_impressions": lines["planned_impressions"],
        "expected_conversions": lines["expected_conversions"],
        "predicted_cac": lines["predicted_cac"],
        "p_click_ge1": lines["p_click_ge1"],
        "reason": lines["reason"],
        "seed": lines["seed"],
        "created_at": lines["created_at"],
        "campaign_id": _optional(lines, "campaign_id"),
        "adset_id": _optional(lines, "adset_id"),
        "is_learning": lines["is_learning"].astype(bool),
        "planned_frequency": _finite(lines["planned_frequency"]),
        "is_frequency_capped": lines["is_frequency_capped"].astype(bool),
        "ctr_prior_strength": lines["ctr_prior_strength"],
        "c2s_prior_mean": lines["c2s_prior_mean"],
        "c2s_prior_strength": lines["c2s_prior_strength"],
        "p_best": lines["p_best"],
        "p_top_k": lines["p_top_k"],
    }
    return pa.table(
        {
            field.name: pa.array(list(columns[field.name]), type=field.type)
            for field in BUDGET_SLATES.schema
        },
        schema=BUDGET_SLATES.schema,
    )


def _optional(lines: pd.DataFrame, column: str) -> list[object]:
    if column not in lines.columns:
        return [None] * len(lines)
    return [None if pd.isna(v) else v for v in lines[column]]


def _finite(values: pd.Series) -> list[float | None]:
    return [float(v) if np.isfinite(v) else None for v in values.to_numpy(float)]


def write_slate(warehouse: Warehouse, slate: pa.Table) -> int:
    """Store a slate, replacing each (slate_date, account) slate it contains; returns rows."""
    if not slate.num_rows:
        log.warning("empty slate: nothing written")
        return 0
    ids = sorted(set(slate.column("slate_id").to_pylist()))
    written = warehouse.replace_where(BUDGET_SLATES, slate, "slate_id", ids)
    log.info("wrote %d slate lines for %d account slates", written, len(ids))
    return written


def _log_account(account: str, lines: pd.DataFrame) -> None:
    exploit = lines.loc[lines["arm"] == "exploit", "budget_share"].sum()
    log.info(
        "%s: %d funded ads (%.0f%% exploit), %.1f expected conversions, top ad %s at %.0f%%",
        account,
        len(lines),
        100 * exploit,
        float(lines["expected_conversions"].sum()),
        lines["ad_id"].iloc[0] if len(lines) else "-",
        100 * float(lines["budget_share"].iloc[0]) if len(lines) else 0.0,
    )
