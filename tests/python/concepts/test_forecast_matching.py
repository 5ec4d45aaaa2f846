"""Matching launched ads to the forecasts of their concept, and the cold-start distribution."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pytest

from aelp.concepts.calibration import ColdStartCalibration, creative_folds, find_launches
from aelp.concepts.hitrate import Launch, match_outcomes

D0 = date(2026, 3, 1)


def _forecast(sha: str, adset: str, as_of: date, benchmark: float = 0.01) -> dict[str, object]:
    return {
        "content_sha256": sha,
        "adset_id": adset,
        "as_of_date": as_of,
        "horizon_days": 3,
        "benchmark_ctr_u": benchmark,
        "p_ctr_u_ge_benchmark": 0.5,
    }


def _launch(ad: str, sha: str, adset: str, first: date, clicks: list[int]) -> Launch:
    days = {first + timedelta(days=i): (1000.0, float(k)) for i, k in enumerate(clicks)}
    return Launch(ad, sha, adset, first, days)


def test_a_forecast_is_resolved_by_the_first_launch_of_its_concept_in_its_ad_set() -> None:
    forecasts = [_forecast("c1", "s1", D0)]
    launches = [
        _launch("early", "c1", "s1", D0 - timedelta(days=1), [50, 50, 50]),  # before the as-of day
        _launch("other_set", "c1", "s2", D0, [50, 50, 50]),  # another ad set
        _launch("other_concept", "c2", "s1", D0, [50, 50, 50]),
        _launch("second", "c1", "s1", D0 + timedelta(days=2), [0, 0, 0]),
        _launch("first", "c1", "s1", D0 + timedelta(days=1), [5, 10, 15, 90]),
    ]
    (outcome,) = match_outcomes(forecasts, launches, last_day=D0 + timedelta(days=10))
    assert outcome.ad_id == "first"
    # only the first 3 days count: 30 clicks in 3000 impressions; the 4th day is outside
    assert outcome.impressions == 3000 and outcome.unique_link_clicks == 30
    assert outcome.realised_ctr_u == pytest.approx(0.01)
    assert outcome.is_hit  # at the benchmark counts as a hit
    assert outcome.is_complete


def test_a_launch_inside_its_horizon_is_incomplete_and_an_unlaunched_concept_unresolved() -> None:
    forecasts = [_forecast("c1", "s1", D0, 0.02), _forecast("never", "s1", D0)]
    launches = [_launch("ad", "c1", "s1", D0, [10, 10])]
    (outcome,) = match_outcomes(forecasts, launches, last_day=D0 + timedelta(days=1))
    assert not outcome.is_complete
    assert not outcome.is_hit


def test_cold_start_probabilities_count_residuals_that_reach_the_benchmark() -> None:
    calibration = ColdStartCalibration(
        residuals=np.array([-1.0, 0.0, 0.5, 1.0]),
        horizon_days=7,
        launch_age_days=1.0,
        folds=5,
    )
    p = np.array([0.01])
    logit = np.log(0.01 / 0.99)
    bench = 1 / (1 + np.exp(-(logit + 0.25)))  # reached by residuals 0.5 and 1.0
    assert calibration.p_at_least(p, [bench])[0] == pytest.approx((2 + 0.5) / 5)
    lower, upper = calibration.interval(p, 0.5)
    assert lower[0] < 0.01 < upper[0]
    assert calibration.launches == 4


def test_launches_are_first_days_of_new_creatives_with_a_whole_horizon_before_the_as_of_day() -> (
    None
):
    opening = D0 - timedelta(days=1)
    rows = {
        "ad_id": ["old", "a", "a", "a", "b", "c", "c", "old"],
        "date_day": [
            opening,
            D0,
            D0 + timedelta(days=1),
            D0 + timedelta(days=2),
            D0,
            D0 + timedelta(days=5),
            D0,
            D0,
        ],
        "unique_inline_link_clicks": [9, 1, 2, 3, 4, 5, 6, 9],
        "impressions": [100, 100, 100, 100, 100, 100, 100, 100],
        "f_ad_prior_impressions": [0, 0, 100, 200, 0, 0, 50, 100],
        "f_creative_ctr_u_prior_28d": [None, None, 0.01, 0.01, 0.02, None, None, 0.09],
    }
    table = pa.table(rows)
    found = find_launches(table, D0 + timedelta(days=4), horizon_days=2)
    # a: launch with a new creative (days 0-1 count); b: creative had history; c: too late;
    # old: first seen on the history's first day, when every running ad looks new
    assert found["index"].tolist() == [1]
    assert found["clicks"].tolist() == [3.0] and found["impressions"].tolist() == [200.0]


def test_creative_folds_are_stable_and_keep_a_creative_in_one_fold() -> None:
    folds = creative_folds(["cr1", "cr2", "cr1", "cr3"], 5)
    assert folds[0] == folds[2]
    assert folds.tolist() == creative_folds(["cr1", "cr2", "cr1", "cr3"], 5).tolist()
    assert set(folds.tolist()) <= set(range(5))
