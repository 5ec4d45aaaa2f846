"""Beta prediction intervals: the pseudo-count fitted on one window covers the level on another."""

from __future__ import annotations

import numpy as np
import pytest

from aelp.modeling.intervals import (
    coverage_of_rates,
    fit_kappa,
    fit_kappa_for_coverage,
    predictive_coverage,
    rate_interval,
)

TRUE_KAPPA = 2_000.0


def draw(seed: int, rows: int = 3_000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Predictions p, true rates ~ Beta(κp, κ(1 − p)) around them, and binomial counts."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.005, 0.03, rows)
    true = rng.beta(TRUE_KAPPA * p, TRUE_KAPPA * (1 - p))
    n = rng.integers(200, 5_000, rows).astype(float)
    k = rng.binomial(n.astype(int), true).astype(float)
    return p, true, n, k


def test_kappa_fitted_for_coverage_gives_80_percent_intervals_on_fresh_rows() -> None:
    p, _, n, k = draw(seed=1)
    kappa = fit_kappa_for_coverage(k, n, p, level=0.8)
    assert kappa == pytest.approx(TRUE_KAPPA, rel=0.35)
    p2, true2, n2, k2 = draw(seed=2)
    lower, upper = rate_interval(p2, kappa, 0.8)
    assert 0.75 <= coverage_of_rates(true2, lower, upper) <= 0.85
    assert 0.75 <= predictive_coverage(k2, n2, p2, kappa, 0.8) <= 0.85


def test_maximum_likelihood_kappa_recovers_the_dispersion_of_true_rates() -> None:
    p, _, n, k = draw(seed=3)
    assert fit_kappa(k, n, p) == pytest.approx(TRUE_KAPPA, rel=0.35)


def test_interval_holds_the_prediction_and_narrows_as_kappa_grows() -> None:
    p = np.array([0.01, 0.02])
    wide_lower, wide_upper = rate_interval(p, 500.0, 0.8)
    narrow_lower, narrow_upper = rate_interval(p, 50_000.0, 0.8)
    assert np.all(wide_lower < p) and np.all(p < wide_upper)
    assert np.all(wide_lower < narrow_lower) and np.all(narrow_upper < wide_upper)


def test_predictive_coverage_counts_a_zero_click_row_by_its_share_of_the_central_band() -> None:
    # one row, p tiny: P(k = 0) ≈ 1, so the randomised PIT of k = 0 spans ~[0, 1]
    coverage = predictive_coverage([0.0], [10.0], [1e-6], 1e6, level=0.8)
    assert coverage == pytest.approx(0.8, abs=1e-3)
