"""Per-ad beliefs about the rates that turn spend into conversions.

Unique link CTR: Beta with the model's prediction as prior mean and a pseudo-count
calibrated on the day's ads, updated with the ad's recent unique link clicks and
impressions. Click-to-conversion (per inline link click): hierarchical empirical-Bayes
Beta priors (account → campaign → ad set → ad, see :mod:`aelp.slate.hierarchy`), updated
with the ad's conversions over the longer account window (conversions are sparse and
attributed days late: each recent day's clicks count by the share of their conversions
reported at that age). CPM and the inline/unique link-click ratio: the ad's recent values
shrunk to the account's. Frequency: the most impressions under the cap
(:mod:`aelp.slate.frequency`). Learning: new ads with few conversions.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from aelp.slate.config import SlateConfig
from aelp.slate.frequency import frequency_slope, max_impressions
from aelp.slate.hierarchy import HierarchicalPrior, hierarchical_prior, moment_strength

HIERARCHY = ("account_id", "campaign_id", "adset_id")
"""Grouping levels of the click-to-conversion prior, broadest first (absent ones skipped)."""

RATE_FLOOR = 1e-6
FloatArray = npt.NDArray[np.float64]


def calibrated_ctr_strength(ads: pd.DataFrame, config: SlateConfig) -> float:
    """Pseudo-impressions of the ctr_u prior: fixed by the config, or estimated from how far
    the ads' recent ctr_u spread around their predictions beyond binomial noise."""
    if config.prior_strength is not None:
        return config.prior_strength
    return moment_strength(
        ads["unique_link_clicks"], ads["impressions"], ads["predicted_ctr_u"], config.ctr_bounds()
    )


def ctr_posterior(ads: pd.DataFrame, prior_strength: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta(α, β) for ctr_u: prior mean = prediction, weight = ``prior_strength`` impressions.

    The update sums daily unique link clicks over the window, i.e. it treats each day's
    ctr_u as the rate being learned (a 7-day unique count would be smaller).
    """
    mean = np.clip(ads["predicted_ctr_u"].to_numpy(float), RATE_FLOOR, 1 - RATE_FLOOR)
    n = np.clip(ads["impressions"].to_numpy(float), 0, None)
    k = np.clip(ads["unique_link_clicks"].to_numpy(float), 0, n)
    return mean * prior_strength + k, (1 - mean) * prior_strength + (n - k)


def age_columns(name: str, days: int) -> list[str]:
    """``<name>_age_1 … <name>_age_<days>``: an ad's sums of the day 1 … ``days`` days
    before the slate date."""
    return [f"{name}_age_{age}" for age in range(1, days + 1)]


def matured_clicks(ads: pd.DataFrame, config: SlateConfig) -> FloatArray:
    """Link clicks over the account window, the clicks of the day ``a`` days ago weighted by
    ``config.reporting_curve[a - 1]``, the share of its conversions reported by then, so
    that conversions not yet reported do not read as a lower click-to-conversion rate.

    Unweighted without the per-age columns (:func:`age_columns` of ``link_clicks``) or
    with an empty curve.
    """
    clicks = np.clip(ads["link_clicks_long"].to_numpy(float), 0, None)
    curve = np.asarray(config.reporting_curve, dtype=np.float64)
    by_age = age_columns("link_clicks", len(curve))
    if not len(curve) or any(c not in ads.columns for c in by_age):
        return np.asarray(clicks, dtype=np.float64)
    recent = np.clip(ads[by_age].to_numpy(float), 0, None)
    weighted = clicks - (recent * (1.0 - curve)).sum(axis=1)
    return np.asarray(np.maximum(weighted, 0.0), dtype=np.float64)


def _c2s_counts(ads: pd.DataFrame, config: SlateConfig | None) -> pd.DataFrame:
    """``ads`` with the clicks and capped conversions click-to-conversion learns from."""
    clicks = (
        matured_clicks(ads, config)
        if config is not None
        else np.clip(ads["link_clicks_long"].to_numpy(float), 0, None)
    )
    conversions = np.clip(ads["conversions_long"].to_numpy(float), 0, None)
    return ads.assign(c2s_clicks=clicks, c2s_conversions=np.minimum(conversions, clicks))


def c2s_prior(ads: pd.DataFrame, config: SlateConfig) -> HierarchicalPrior:
    """Hierarchical prior of conversions per inline link click over the account window.

    Levels are the columns of ``HIERARCHY`` that ``ads`` carries; the account level is the
    pooled rate of the account's ads (Jeffreys-smoothed). Clicks are matured
    (:func:`matured_clicks`); conversions above them (view-through) are capped at them.
    """
    levels = [level for level in HIERARCHY if level in ads.columns]
    counts = _c2s_counts(ads, config)
    return hierarchical_prior(counts, levels, "c2s_conversions", "c2s_clicks", config.c2s_bounds())


def c2s_posterior(
    ads: pd.DataFrame, prior: HierarchicalPrior, config: SlateConfig | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Beta(α, β) for conversions per inline link click: ``prior`` updated with the ad's
    ``conversions_long`` over its ``link_clicks_long`` (matured when ``config`` is given,
    see :func:`matured_clicks`; conversions capped at the clicks)."""
    counts = _c2s_counts(ads, config)
    clicks = counts["c2s_clicks"].to_numpy(float)
    conversions = counts["c2s_conversions"].to_numpy(float)
    return (
        prior.mean * prior.strength + conversions,
        (1 - prior.mean) * prior.strength + clicks - conversions,
    )


def shrunk_cpm(ads: pd.DataFrame, accounts: pd.DataFrame, prior_impressions: float) -> np.ndarray:
    """CPM per ad: its recent spend per 1,000 impressions, shrunk to its ad set's CPM.

    The ad set's CPM (all its ads over the account window, ``spend_long`` and
    ``impressions_long``) is itself shrunk to the account's; each level carries
    ``prior_impressions`` of weight. Prices are set per ad set (audience, placement,
    bid), so an ad without delivery is priced like its siblings, not like the ads the
    account's spend happens to favour. Without ad set ids or long-window sums the ad
    shrinks to the account's CPM directly.
    """
    account_cpm = 1000 * accounts["spend"] / accounts["impressions"]
    prior = ads["account_id"].map(account_cpm).to_numpy(float)
    if {"adset_id", "spend_long", "impressions_long"} <= set(ads.columns):
        sets = ads["adset_id"].astype(object).where(ads["adset_id"].notna(), ads["ad_id"])
        sums = (
            ads.assign(
                _s=np.clip(ads["spend_long"].to_numpy(float), 0, None),
                _i=np.clip(ads["impressions_long"].to_numpy(float), 0, None),
            )
            .groupby(sets.to_numpy())[["_s", "_i"]]
            .transform("sum")
        )
        set_spend, set_impressions = sums["_s"].to_numpy(float), sums["_i"].to_numpy(float)
        prior = (
            1000
            * (set_spend + prior / 1000 * prior_impressions)
            / (set_impressions + prior_impressions)
        )
    spend = np.clip(ads["spend"].to_numpy(float), 0, None)
    impressions = np.clip(ads["impressions"].to_numpy(float), 0, None)
    return 1000 * (spend + prior / 1000 * prior_impressions) / (impressions + prior_impressions)


def link_per_unique(ads: pd.DataFrame, accounts: pd.DataFrame, prior_clicks: float) -> np.ndarray:
    """Inline link clicks per unique link click, shrunk to the account's ratio (at least 1)."""
    account_ratio = (accounts["link_clicks"] / accounts["unique_link_clicks"]).where(
        accounts["unique_link_clicks"] > 0, 1.0
    )
    prior = ads["account_id"].map(account_ratio).clip(lower=1.0).to_numpy(float)
    unique = np.clip(ads["unique_link_clicks"].to_numpy(float), 0, None)
    link = np.clip(ads["link_clicks"].to_numpy(float), unique, None)
    return np.maximum((link + prior * prior_clicks) / (unique + prior_clicks), 1.0)


def in_learning(ads: pd.DataFrame, config: SlateConfig) -> np.ndarray:
    """Whether each ad is still learning: first delivery under ``learning_days`` ago (or
    none yet) and fewer than ``learning_conversions`` conversions since.

    Reads ``days_since_first_delivery`` (NaN: no delivery in the account window); without
    that column no ad is treated as learning.
    """
    if "days_since_first_delivery" not in ads.columns:
        return np.zeros(len(ads), dtype=bool)
    age = ads["days_since_first_delivery"].to_numpy(float)
    young = np.isnan(age) | (age < config.learning_days)
    few = ads["conversions_long"].to_numpy(float) < config.learning_conversions
    return np.asarray(young & few, dtype=bool)


def frequency_limits(ads: pd.DataFrame, config: SlateConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per ad: the frequency slope and the most daily impressions under the cap (inf: none).

    Reads ``reach`` (summed daily reach) and ``days_delivered`` over the ad's window; without
    them, or without a cap, nothing is capped.
    """
    n = len(ads)
    if "reach" not in ads.columns or "days_delivered" not in ads.columns:
        return np.full(n, np.nan), np.full(n, np.inf)
    slope = frequency_slope(ads["impressions"], ads["reach"], ads["days_delivered"])
    if config.frequency_cap is None:
        return slope, np.full(n, np.inf)
    limit = max_impressions(slope, ads["impressions"], ads["days_delivered"], config.frequency_cap)
    return slope, limit


def ad_posteriors(ads: pd.DataFrame, accounts: pd.DataFrame, config: SlateConfig) -> pd.DataFrame:
    """``ads`` with the posterior parameters and point estimates the slate samples from.

    ``accounts`` is indexed by account_id and must cover every ad's account with
    positive impressions (its CPM is the prior). Also adds the priors' strengths, the
    frequency limit (``max_daily_impressions``) and ``is_learning``.
    """
    ctr_strength = calibrated_ctr_strength(ads, config)
    ctr_a, ctr_b = ctr_posterior(ads, ctr_strength)
    prior = c2s_prior(ads, config)
    c2s_a, c2s_b = c2s_posterior(ads, prior, config)
    out = ads.copy()
    out["ctr_prior_strength"] = ctr_strength
    out["ctr_alpha"], out["ctr_beta"] = ctr_a, ctr_b
    out["posterior_ctr_u_mean"] = ctr_a / (ctr_a + ctr_b)
    out["c2s_prior_mean"], out["c2s_prior_strength"] = prior.mean, prior.strength
    out["c2s_alpha"], out["c2s_beta"] = c2s_a, c2s_b
    out["c2s_mean"] = c2s_a / (c2s_a + c2s_b)
    out["cpm"] = shrunk_cpm(ads, accounts, config.cpm_prior_impressions)
    out["link_per_unique"] = link_per_unique(ads, accounts, config.ratio_prior_clicks)
    out["frequency_slope"], out["max_daily_impressions"] = frequency_limits(ads, config)
    out["is_learning"] = in_learning(ads, config)
    return out
