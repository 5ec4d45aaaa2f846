"""Per-ad beliefs about the rates that turn spend into conversions.

Unique link CTR: Beta with the model's prediction as prior mean, updated with the ad's
recent unique link clicks and impressions. Click-to-conversion (per inline link click):
Beta with the account's pooled rate as prior mean, updated with the ad's conversions
over the longer account window (conversions are sparse and attributed days late).
CPM and the inline/unique link-click ratio: the ad's recent values shrunk to the
account's. Each step is its own function so richer priors can replace one at a time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aelp.slate.config import SlateConfig

RATE_FLOOR = 1e-6


def ctr_posterior(ads: pd.DataFrame, prior_strength: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta(α, β) for ctr_u: prior mean = prediction, weight = ``prior_strength`` impressions.

    The update sums daily unique link clicks over the window, i.e. it treats each day's
    ctr_u as the rate being learned (a 7-day unique count would be smaller).
    """
    mean = np.clip(ads["predicted_ctr_u"].to_numpy(float), RATE_FLOOR, 1 - RATE_FLOOR)
    n = np.clip(ads["impressions"].to_numpy(float), 0, None)
    k = np.clip(ads["unique_link_clicks"].to_numpy(float), 0, n)
    return mean * prior_strength + k, (1 - mean) * prior_strength + (n - k)


def account_c2s(accounts: pd.DataFrame) -> pd.Series:
    """Pooled conversions per inline link click per account (Jeffreys-smoothed, never 0 or 1)."""
    clicks = accounts["link_clicks"].clip(lower=0)
    conversions = accounts["conversions"].clip(lower=0).clip(upper=clicks)
    return (conversions + 0.5) / (clicks + 1.0)


def c2s_posterior(
    ads: pd.DataFrame, pooled: pd.Series, prior_strength: float
) -> tuple[np.ndarray, np.ndarray]:
    """Beta(α, β) for conversions per inline link click, prior = the account's pooled rate.

    Updated with the ad's ``link_clicks_long`` and ``conversions_long`` (the account
    window); conversions above link clicks (view-through) are capped at the clicks.
    """
    mean = ads["account_id"].map(pooled).to_numpy(float)
    clicks = np.clip(ads["link_clicks_long"].to_numpy(float), 0, None)
    conversions = np.clip(ads["conversions_long"].to_numpy(float), 0, clicks)
    return mean * prior_strength + conversions, (1 - mean) * prior_strength + clicks - conversions


def shrunk_cpm(ads: pd.DataFrame, accounts: pd.DataFrame, prior_impressions: float) -> np.ndarray:
    """CPM per ad: its recent spend per 1,000 impressions, shrunk to the account's CPM."""
    account_cpm = 1000 * accounts["spend"] / accounts["impressions"]
    prior = ads["account_id"].map(account_cpm).to_numpy(float)
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


def ad_posteriors(ads: pd.DataFrame, accounts: pd.DataFrame, config: SlateConfig) -> pd.DataFrame:
    """``ads`` with the posterior parameters and point estimates the slate samples from.

    ``accounts`` is indexed by account_id and must cover every ad's account with
    positive impressions (its CPM is the prior).
    """
    ctr_a, ctr_b = ctr_posterior(ads, config.prior_strength)
    c2s_a, c2s_b = c2s_posterior(ads, account_c2s(accounts), config.c2s_prior_strength)
    out = ads.copy()
    out["ctr_alpha"], out["ctr_beta"] = ctr_a, ctr_b
    out["posterior_ctr_u_mean"] = ctr_a / (ctr_a + ctr_b)
    out["c2s_alpha"], out["c2s_beta"] = c2s_a, c2s_b
    out["c2s_mean"] = c2s_a / (c2s_a + c2s_b)
    out["cpm"] = shrunk_cpm(ads, accounts, config.cpm_prior_impressions)
    out["link_per_unique"] = link_per_unique(ads, accounts, config.ratio_prior_clicks)
    return out
