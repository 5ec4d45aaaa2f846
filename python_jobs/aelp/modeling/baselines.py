"""Baselines a CTR model must beat: the global mean and hierarchical empirical-Bayes shrinkage.

The shrinkage baseline forecasts an ad's rate on a day from its own history before that
day, pulled towards its ad set's history, which is pulled towards its campaign's, which
is pulled towards everything seen before that day:

    campaign = (K_c + m_c · global) / (N_c + m_c)
    ad set   = (K_s + m_s · campaign) / (N_s + m_s)
    ad       = (K_a + m_a · ad set) / (N_a + m_a)

``K`` and ``N`` are unique link clicks and impressions strictly before the row's day (the
same pre-serve rule as the features), ``m`` the prior strengths in impressions, chosen
on the validation window.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from aelp.modeling.metrics import binomial_logloss

STRENGTH_GRID: tuple[float, ...] = (100.0, 300.0, 1_000.0, 3_000.0, 10_000.0, 30_000.0, 100_000.0)
LEVELS = ("campaign_id", "adset_id", "ad_id")


@dataclass(frozen=True)
class Shrinkage:
    """Prior strengths (impressions) of the campaign, ad set and ad levels."""

    campaign: float
    adset: float
    ad: float


@dataclass(frozen=True)
class PriorCounts:
    """Clicks and impressions before each row's day, per level (rows aligned with the input)."""

    clicks: dict[str, npt.NDArray[np.float64]]
    impressions: dict[str, npt.NDArray[np.float64]]


def prior_counts(history: pd.DataFrame, rows: pd.DataFrame) -> PriorCounts:
    """Sums of ``k`` and ``n`` in ``history`` strictly before each row's ``date_day``.

    ``history`` and ``rows`` hold ``ad_id, adset_id, campaign_id, date_day`` (and
    ``history`` the counts ``k``, ``n``); the level ``global`` sums every entity.
    """
    clicks: dict[str, npt.NDArray[np.float64]] = {}
    impressions: dict[str, npt.NDArray[np.float64]] = {}
    history = history.assign(_all="all", date_day=pd.to_datetime(history["date_day"]))
    left = rows.assign(
        _all="all", date_day=pd.to_datetime(rows["date_day"]), _order=np.arange(len(rows))
    ).sort_values("date_day", kind="stable")
    for level, key in (("global", "_all"), *((name, name) for name in LEVELS)):
        daily = history.groupby([key, "date_day"], sort=True)[["k", "n"]].sum()
        through = daily.groupby(level=0).cumsum().reset_index().sort_values("date_day")
        merged = pd.merge_asof(
            left[[key, "date_day", "_order"]],
            through,
            on="date_day",
            by=key,
            allow_exact_matches=False,
            direction="backward",
        ).sort_values("_order", kind="stable")
        clicks[level] = merged["k"].fillna(0.0).to_numpy(dtype=np.float64)
        impressions[level] = merged["n"].fillna(0.0).to_numpy(dtype=np.float64)
    return PriorCounts(clicks, impressions)


def shrunk_rate(counts: PriorCounts, strengths: Shrinkage) -> npt.NDArray[np.float64]:
    """The hierarchical posterior mean rate of each row (see the module docstring)."""
    n_global = counts.impressions["global"]
    rate = np.where(n_global > 0, counts.clicks["global"] / np.maximum(n_global, 1.0), 0.0)
    for level, strength in (
        ("campaign_id", strengths.campaign),
        ("adset_id", strengths.adset),
        ("ad_id", strengths.ad),
    ):
        rate = (counts.clicks[level] + strength * rate) / (counts.impressions[level] + strength)
    return np.asarray(rate, dtype=np.float64)


def fit_shrinkage(
    counts: PriorCounts,
    clicks: npt.ArrayLike,
    impressions: npt.ArrayLike,
    grid: Sequence[float] = STRENGTH_GRID,
) -> Shrinkage:
    """The grid strengths with the lowest log-loss on the given rows (the validation window)."""
    best: tuple[float, Shrinkage] | None = None
    for campaign, adset, ad in itertools.product(grid, repeat=3):
        strengths = Shrinkage(campaign, adset, ad)
        loss = binomial_logloss(clicks, impressions, shrunk_rate(counts, strengths))
        if best is None or loss < best[0]:
            best = (loss, strengths)
    assert best is not None
    return best[1]


def take(counts: PriorCounts, mask: npt.NDArray[np.bool_]) -> PriorCounts:
    """The prior counts of the rows selected by ``mask``."""
    return PriorCounts(
        {k: v[mask] for k, v in counts.clicks.items()},
        {k: v[mask] for k, v in counts.impressions.items()},
    )
