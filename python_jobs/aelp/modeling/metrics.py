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


def binary_logloss(label: ArrayLike, p: ArrayLike, clip: float = DEFAULT_CLIP) -> float:
    """Mean log-loss of 0/1 labels against probabilities ``p``."""
    y = np.asarray(label, dtype=np.float64)
    q = np.clip(np.asarray(p, dtype=np.float64), clip, 1.0 - clip)
    if y.size == 0:
        raise ValueError("log-loss needs at least one row")
    return float(-(y * np.log(q) + (1 - y) * np.log1p(-q)).mean())


def auc(label: ArrayLike, score: ArrayLike) -> float | None:
    """Area under the ROC curve (ties count one half), or None when one class is absent."""
    y = np.asarray(label, dtype=np.float64) > 0
    s = np.asarray(score, dtype=np.float64)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return None
    ranks = stats.rankdata(s)
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def reliability_table(
    clicks: ArrayLike, impressions: ArrayLike, p: ArrayLike, n_bins: int = 10
) -> list[dict[str, float]]:
    """Rows binned by predicted rate into ``n_bins`` groups of equal impressions.

    Each bin gives its impression-weighted mean prediction, its observed rate (pooled
    from sums) and its impressions; bins are ordered by prediction.
    """
    k = np.asarray(clicks, dtype=np.float64)
    n = np.asarray(impressions, dtype=np.float64)
    q = np.asarray(p, dtype=np.float64)
    if n.sum() <= 0:
        raise ValueError("a reliability table needs at least one impression")
    order = np.argsort(q, kind="stable")
    cumulative = np.cumsum(n[order]) / n.sum()
    bin_of = np.minimum((cumulative * n_bins - 1e-12).astype(int), n_bins - 1)
    table = []
    for b in range(n_bins):
        rows = order[bin_of == b]
        weight = n[rows].sum()
        if weight <= 0:
            continue
        table.append(
            {
                "bin": float(b),
                "predicted": float((n[rows] * q[rows]).sum() / weight),
                "observed": float(k[rows].sum() / weight),
                "impressions": float(weight),
                "rows": float(rows.size),
            }
        )
    return table


def expected_calibration_error(table: list[dict[str, float]]) -> float:
    """``Σ_b (n_b / N) |predicted_b − observed_b|`` over a :func:`reliability_table`."""
    total = sum(row["impressions"] for row in table)
    if total <= 0:
        raise ValueError("calibration error needs at least one impression")
    return float(
        sum(row["impressions"] * abs(row["predicted"] - row["observed"]) for row in table) / total
    )


def ndcg_at_k(predicted: ArrayLike, relevance: ArrayLike, k: int) -> float | None:
    """NDCG@k of the order given by ``predicted``, with gains = ``relevance`` (e.g. ctr_u).

    Linear gains and ``log2(rank + 1)`` discounts; 1 is the ideal order. None with no
    items or no positive relevance.
    """
    score = np.asarray(predicted, dtype=np.float64)
    gain = np.asarray(relevance, dtype=np.float64)
    if score.size == 0 or gain.max(initial=0.0) <= 0:
        return None
    top = min(k, score.size)
    discount = 1.0 / np.log2(np.arange(2, top + 2))
    chosen = gain[np.argsort(-score, kind="stable")[:top]]
    ideal = np.sort(gain)[::-1][:top]
    return float((chosen * discount).sum() / (ideal * discount).sum())
