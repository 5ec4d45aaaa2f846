"""The rates and scores the model is judged by, checked against hand-computed numbers."""

from __future__ import annotations

import math

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from aelp.modeling.metrics import (
    binomial_logloss,
    p_click_at_least_one,
    pooled_rate,
    share_of_achievable_gain,
    spearman,
    weighted_mae,
)


def test_binomial_logloss_matches_hand_computed_value() -> None:
    # -(1·ln 0.1 + 9·ln 0.9 + 0·ln 0.2 + 5·ln 0.8) / 15
    expected = -(math.log(0.1) + 9 * math.log(0.9) + 5 * math.log(0.8)) / 15
    assert binomial_logloss([1, 0], [10, 5], [0.1, 0.2]) == pytest.approx(expected)
    assert expected == pytest.approx(0.2911032, abs=1e-7)


def test_binomial_logloss_weights_rows_by_impressions_not_by_row() -> None:
    # one row of 1,000 impressions counts a hundred times a row of 10
    big = binomial_logloss([10], [1000], [0.01])
    small = binomial_logloss([5], [10], [0.01])
    both = binomial_logloss([10, 5], [1000, 10], [0.01, 0.01])
    assert both == pytest.approx((1000 * big + 10 * small) / 1010)


def test_binomial_logloss_clips_certain_predictions_to_a_finite_cost() -> None:
    loss = binomial_logloss([2], [4], [0.0], clip=1e-6)
    assert loss == pytest.approx(-(2 * math.log(1e-6) + 2 * math.log1p(-1e-6)) / 4)
    assert math.isfinite(binomial_logloss([0], [4], [1.0]))


def test_binomial_logloss_equals_lightgbm_weighted_cross_entropy() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(size=500)
    n = rng.integers(100, 2000, size=500)
    k = rng.binomial(n, 0.01 + 0.02 * x)
    data = lgb.Dataset(pd.DataFrame({"f_x": x}), label=k / n, weight=n)
    params = {"objective": "cross_entropy", "verbosity": -1, "num_threads": 1, "seed": 0}
    recorded: dict[str, dict[str, list[float]]] = {}
    booster = lgb.train(
        {**params, "metric": "cross_entropy"},
        data,
        num_boost_round=20,
        valid_sets=[data],
        valid_names=["fit"],
        callbacks=[lgb.record_evaluation(recorded)],
    )
    lightgbm_loss = recorded["fit"]["cross_entropy"][-1]
    ours = binomial_logloss(k, n, booster.predict(pd.DataFrame({"f_x": x})))
    assert ours == pytest.approx(lightgbm_loss, rel=1e-6)


def test_p_click_at_least_one_follows_one_minus_miss_probability() -> None:
    assert p_click_at_least_one(0.01, 1000) == pytest.approx(1 - 0.99**1000)
    assert p_click_at_least_one(0.01, 1000) == pytest.approx(0.99995683, abs=1e-8)
    assert p_click_at_least_one(0.02, 1) == pytest.approx(0.02)
    assert p_click_at_least_one(0.0, 10_000) == 0.0
    assert p_click_at_least_one(1.0, 3) == 1.0
    np.testing.assert_allclose(
        p_click_at_least_one([0.001, 0.005], [100, 200]), [1 - 0.999**100, 1 - 0.995**200]
    )


def test_pooled_rate_recomputes_from_sums_not_mean_of_rates() -> None:
    # daily rates 0.5 and 0.01 average to 0.255; the pooled rate is 11 / 1002
    assert pooled_rate([1, 10], [2, 1000]) == pytest.approx(11 / 1002)


def test_share_of_achievable_gain_is_one_at_truth_and_none_without_headroom() -> None:
    assert share_of_achievable_gain(0.080, 0.077, 0.0767) == pytest.approx(0.003 / 0.0033)
    assert share_of_achievable_gain(0.080, 0.0767, 0.0767) == pytest.approx(1.0)
    assert share_of_achievable_gain(0.080, 0.079, 0.081) is None


def test_weighted_mae_and_spearman_on_small_examples() -> None:
    assert weighted_mae([0.01, 0.03], [0.02, 0.02], [3, 1]) == pytest.approx(0.01)
    assert spearman([1, 2, 3, 4], [10, 20, 30, 25]) == pytest.approx(0.8)
    assert spearman([1, 2], [1, 2]) is None
    assert spearman([1, 1, 1], [1, 2, 3]) is None
