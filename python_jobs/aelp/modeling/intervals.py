"""Prediction intervals for ctr_u: a Beta distribution around the model's prediction.

The day's true rate of an ad is taken as ``Beta(κ·p, κ·(1 − p))`` around the predicted
rate ``p``; the pseudo-count ``κ`` says how many impressions' worth of evidence the
prediction is. ``κ`` is fitted on the validation window by maximum likelihood of the
observed counts under the implied Beta-binomial, so the interval's width comes from how
far the model has actually been off, not from an assumption.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

DEFAULT_LEVEL = 0.8
KAPPA_BOUNDS = (1.0, 1e7)
COVERAGE_MAX_ROWS = 5_000
_EPS = 1e-9


def _beta_params(
    p: npt.ArrayLike, kappa: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    q = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1.0 - _EPS)
    return kappa * q, kappa * (1.0 - q)


def beta_binomial_loglik(
    clicks: npt.ArrayLike, impressions: npt.ArrayLike, p: npt.ArrayLike, kappa: float
) -> float:
    """Total log-likelihood of the counts under ``BetaBinomial(n, κp, κ(1 − p))``.

    The binomial coefficient is left out: it does not depend on ``p`` or ``κ``.
    """
    k = np.asarray(clicks, dtype=np.float64)
    n = np.asarray(impressions, dtype=np.float64)
    a, b = _beta_params(p, kappa)
    return float((special.betaln(k + a, n - k + b) - special.betaln(a, b)).sum())


def fit_kappa(clicks: npt.ArrayLike, impressions: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """The pseudo-count ``κ`` that maximises the Beta-binomial likelihood of the counts."""
    k = np.asarray(clicks, dtype=np.float64)
    if k.size == 0:
        raise ValueError("fitting the interval pseudo-count needs at least one row")
    lo, hi = np.log(KAPPA_BOUNDS[0]), np.log(KAPPA_BOUNDS[1])
    result = optimize.minimize_scalar(
        lambda log_kappa: -beta_binomial_loglik(k, impressions, p, float(np.exp(log_kappa))),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(np.exp(result.x))


def rate_interval(
    p: npt.ArrayLike, kappa: float, level: float = DEFAULT_LEVEL
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Central ``level`` interval of the day's ctr_u: quantiles of ``Beta(κp, κ(1 − p))``."""
    a, b = _beta_params(p, kappa)
    tail = (1.0 - level) / 2.0
    lower = np.asarray(stats.beta.ppf(tail, a, b), dtype=np.float64)
    upper = np.asarray(stats.beta.ppf(1.0 - tail, a, b), dtype=np.float64)
    return lower, upper


def coverage_of_rates(
    true_rate: npt.ArrayLike, lower: npt.ArrayLike, upper: npt.ArrayLike
) -> float:
    """Share of rows whose (true) rate lies inside ``[lower, upper]``."""
    t = np.asarray(true_rate, dtype=np.float64)
    if t.size == 0:
        raise ValueError("coverage needs at least one row")
    inside = (t >= np.asarray(lower)) & (t <= np.asarray(upper))
    return float(inside.mean())


def predictive_coverage(
    clicks: npt.ArrayLike,
    impressions: npt.ArrayLike,
    p: npt.ArrayLike,
    kappa: float,
    level: float = DEFAULT_LEVEL,
    max_rows: int = COVERAGE_MAX_ROWS,
) -> float:
    """Expected share of observed counts inside the central ``level`` predictive interval.

    Counts are discrete, so each row contributes the share of its randomised PIT value
    ``U ~ Uniform(F(k − 1), F(k))`` that falls inside ``[(1 − level)/2, (1 + level)/2]``
    under ``BetaBinomial(n, κp, κ(1 − p))``. Calibrated intervals give ``level``
    whatever the impressions, which is what makes this checkable on real data (no truth).
    More than ``max_rows`` rows are thinned to an evenly spaced subset (the Beta-binomial
    CDF is costly at large impressions).
    """
    k = np.asarray(clicks, dtype=np.float64)
    n = np.asarray(impressions, dtype=np.float64)
    q = np.asarray(p, dtype=np.float64)
    if k.size == 0:
        raise ValueError("coverage needs at least one row")
    if k.size > max_rows:
        keep = np.linspace(0, k.size - 1, max_rows).astype(np.int64)
        k, n, q = k[keep], n[keep], q[keep]
    a, b = _beta_params(q, kappa)
    upper_cdf = stats.betabinom.cdf(k, n, a, b)
    lower_cdf = np.where(k > 0, stats.betabinom.cdf(k - 1, n, a, b), 0.0)
    tail = (1.0 - level) / 2.0
    width = np.maximum(upper_cdf - lower_cdf, _EPS)
    overlap = np.clip(np.minimum(upper_cdf, 1 - tail) - np.maximum(lower_cdf, tail), 0.0, None)
    return float((overlap / width).mean())


def fit_kappa_for_coverage(
    clicks: npt.ArrayLike,
    impressions: npt.ArrayLike,
    p: npt.ArrayLike,
    level: float = DEFAULT_LEVEL,
) -> float:
    """The largest pseudo-count ``κ`` (narrowest intervals) whose intervals hold ``level``.

    Coverage falls as ``κ`` grows, except at tiny ``κ`` where the Beta piles its mass on
    zero; so a log grid over :data:`KAPPA_BOUNDS` finds the last ``κ`` that still covers
    ``level`` and a root search refines it towards the next grid point.
    """
    k = np.asarray(clicks, dtype=np.float64)
    if k.size == 0:
        raise ValueError("fitting the interval pseudo-count needs at least one row")

    def gap(log_kappa: float) -> float:
        return predictive_coverage(k, impressions, p, float(np.exp(log_kappa)), level) - level

    grid = np.linspace(np.log(KAPPA_BOUNDS[0]), np.log(KAPPA_BOUNDS[1]), 15)
    gaps = np.array([gap(g) for g in grid])
    covering = np.flatnonzero(gaps >= 0)
    if covering.size == 0:
        return KAPPA_BOUNDS[0]
    last = int(covering[-1])
    if last == grid.size - 1:
        return KAPPA_BOUNDS[1]
    return float(np.exp(optimize.brentq(gap, grid[last], grid[last + 1], xtol=1e-3)))
