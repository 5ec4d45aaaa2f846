"""AUC, reliability table, calibration error and NDCG on hand-checked numbers."""

from __future__ import annotations

import pytest

from aelp.modeling.metrics import (
    auc,
    binary_logloss,
    expected_calibration_error,
    ndcg_at_k,
    reliability_table,
)


def test_auc_is_one_for_a_perfect_order_and_a_half_for_ties() -> None:
    assert auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert auc([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1]) == 0.75
    assert auc([1, 1], [0.2, 0.3]) is None


def test_binary_logloss_of_a_fair_coin_is_log_two() -> None:
    assert binary_logloss([0, 1], [0.5, 0.5]) == pytest.approx(0.693147, abs=1e-6)


def test_reliability_table_bins_by_prediction_with_equal_impressions() -> None:
    table = reliability_table(
        clicks=[1, 3, 20, 30], impressions=[100, 100, 100, 100], p=[0.01, 0.02, 0.2, 0.3], n_bins=2
    )
    assert [row["impressions"] for row in table] == [200.0, 200.0]
    assert table[0]["predicted"] == pytest.approx(0.015)
    assert table[0]["observed"] == pytest.approx(0.02)
    assert table[1]["predicted"] == pytest.approx(0.25)
    assert table[1]["observed"] == pytest.approx(0.25)
    assert expected_calibration_error(table) == pytest.approx(0.0025)


def test_ndcg_is_one_for_the_ideal_order_and_lower_for_the_reverse() -> None:
    gains = [0.03, 0.02, 0.01, 0.0]
    assert ndcg_at_k([4, 3, 2, 1], gains, k=2) == pytest.approx(1.0)
    reverse = ndcg_at_k([1, 2, 3, 4], gains, k=2)
    assert reverse is not None and reverse == pytest.approx(
        (0.0 + 0.01 / 1.5849625) / (0.03 + 0.02 / 1.5849625), rel=1e-6
    )
    assert ndcg_at_k([1, 2], [0.0, 0.0], k=2) is None
