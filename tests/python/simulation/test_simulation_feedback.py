"""Delayed feedback: delivery is seen next day, conversions over the following week."""

from __future__ import annotations

import numpy as np
import pytest

from aelp.simulation.config import LAG_SHARES
from aelp.simulation.feedback import Ledger


def _ledger() -> Ledger:
    ledger = Ledger(n_ads=2, n_days=10)
    ledger.counts["impressions"][:, 2] = [1000, 500]
    ledger.counts["spend"][:, 2] = [10.0, 5.0]
    ledger.conversions[0, 2, :] = [4, 2, 1, 0, 0, 0, 1]  # reported 1, 2, 3 and 7 days later
    ledger.conversions[1, 2, :] = [0, 0, 0, 0, 0, 0, 0]
    return ledger


def test_a_day_is_invisible_on_its_own_day_and_its_conversions_arrive_by_lag() -> None:
    ledger = _ledger()
    assert ledger.sums(2, 7).impressions.tolist() == [0, 0]
    assert ledger.sums(3, 7).impressions.tolist() == [1000, 500]
    assert [ledger.sums(day, 7).conversions[0] for day in (3, 4, 5, 8, 9)] == [4, 6, 7, 7, 8]
    assert ledger.matured_conversions(2).tolist() == [8, 0]


def test_window_sums_drop_days_older_than_the_window() -> None:
    ledger = _ledger()
    assert ledger.sums(9, 7).spend.tolist() == [10.0, 5.0]
    assert ledger.sums(10, 7).spend.tolist() == [0.0, 0.0]
    assert ledger.sums(9, 7).days_delivered.tolist() == [1, 1]
    assert ledger.sums(9, 7).days_since_first_delivery.tolist() == [7, 7]
    assert np.isnan(ledger.sums(2, 7).days_since_first_delivery).all()


def test_record_splits_conversions_over_the_lags_without_losing_any() -> None:
    ledger = Ledger(n_ads=1, n_days=3)
    counts = {
        "impressions": np.array([1e5]),
        "reach": np.array([8e4]),
        "unique_link_clicks": np.array([2000.0]),
        "link_clicks": np.array([2200.0]),
        "spend": np.array([900.0]),
        "conversions": np.array([10_000.0]),
    }
    ledger.record(1, counts, np.random.default_rng(0))
    by_lag = ledger.conversions[0, 1]
    assert by_lag.sum() == 10_000
    assert by_lag / 10_000 == pytest.approx(np.array(LAG_SHARES), abs=0.02)


def test_clicks_by_age_lists_each_recent_day_newest_first() -> None:
    ledger = Ledger(n_ads=2, n_days=10)
    ledger.counts["link_clicks"][:, 2] = [30, 5]
    ledger.counts["link_clicks"][:, 3] = [40, 6]
    by_age = ledger.clicks_by_age(4, 3)
    # age 1 = day 3, age 2 = day 2, age 3 = day 1
    np.testing.assert_array_equal(by_age, [[40, 30, 0], [6, 5, 0]])
    assert ledger.clicks_by_age(1, 3).tolist() == [[0, 0, 0], [0, 0, 0]]
