"""Rates and scores on binomial counts: log-loss, P(≥1 click), weighted errors, rank agreement."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import stats

ArrayLike = npt.ArrayLike

DEFAULT_CLIP = 1e-6


def binomial_logloss(
    clicks: ArrayLike, impressions: ArrayLike, p: ArrayLike, clip: float = DEFAULT_CLIP
) -> float:
    """Impression-weighted binomial log-loss ``-Σ[k log p + (n−k) log(1−p)] / Σn``.

    ``p`` is clipped to ``[clip, 1 − clip]`` so a confident wrong rate costs a large but
    finite amount. Equals LightGBM's weighted ``cross_entropy`` with label ``k/n`` and
    weight ``n``.
    """
    k = np.asarray(clicks, dtype=np.float64)
    n = np.asarray(impressions, dtype=np.float64)
    q = np.clip(np.asarray(p, dtype=np.float64), clip, 1.0 - clip)
    total = n.sum()
    if total <= 0:
        raise ValueError("log-loss needs at least one impression")
    return float(-(k * np.log(q) + (n - k) * np.log1p(-q)).sum() / total)


def pooled_rate(clicks: ArrayLike, impressions: ArrayLike) -> float:
    """``Σk / Σn``: the rate recomputed from sums (never a mean of daily rates)."""
    n = float(np.asarray(impressions, dtype=np.float64).sum())
    if n <= 0:
        raise ValueError("a pooled rate needs at least one impression")
    return float(np.asarray(clicks, dtype=np.float64).sum() / n)


def p_click_at_least_one(ctr_u: ArrayLike, impressions: ArrayLike) -> npt.NDArray[np.float64]:
    """``P(≥1 link click in N impressions) = 1 − (1 − ctr_u)^N``."""
    rate = np.clip(np.asarray(ctr_u, dtype=np.float64), 0.0, 1.0)
    n = np.asarray(impressions, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-rate)
    return np.asarray(-np.expm1(n * log_miss), dtype=np.float64)


def weighted_mae(predicted: ArrayLike, actual: ArrayLike, weights: ArrayLike) -> float:
    """``Σ w |p − a| / Σ w``."""
    w = np.asarray(weights, dtype=np.float64)
    error = np.abs(np.asarray(predicted, dtype=np.float64) - np.asarray(actual, dtype=np.float64))
    return float((w * error).sum() / w.sum())


def share_of_achievable_gain(
    logloss_baseline: float, logloss_model: float, logloss_truth: float
) -> float | None:
    """``(LL_base − LL_model) / (LL_base − LL_truth)``: 1 is as good as the true rates.

    None when the truth is no better than the baseline (there is no gain to achieve).
    """
    achievable = logloss_baseline - logloss_truth
    if not np.isfinite(achievable) or achievable <= 0:
        return None
    return float((logloss_baseline - logloss_model) / achievable)


def spearman(x: ArrayLike, y: ArrayLike) -> float | None:
    """Spearman rank correlation, or None with fewer than three points or no variation."""
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if a.size < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    result = stats.spearmanr(a, b)
    value = float(result.statistic)
    return value if np.isfinite(value) else None
