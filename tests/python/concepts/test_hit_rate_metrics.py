"""Hit-rate metrics on hand-made outcomes, with values worked out by hand."""

from __future__ import annotations

import pytest

from aelp.concepts.metrics import (
    brier_score,
    brier_skill_score,
    expected_calibration_error,
    reliability,
    summarise,
    top_k_precision,
    top_quartile_lift,
)

P = [0.9, 0.8, 0.3, 0.2, 0.1, 0.05, 0.6, 0.4]
HIT = [1, 1, 0, 0, 0, 0, 1, 0]


def test_brier_score_is_the_mean_squared_gap() -> None:
    expected = (0.01 + 0.04 + 0.09 + 0.04 + 0.01 + 0.0025 + 0.16 + 0.16) / 8
    assert brier_score(P, HIT) == pytest.approx(expected)


def test_brier_skill_compares_with_forecasting_the_base_rate_for_everyone() -> None:
    base = 3 / 8
    reference = base * (1 - base)
    assert brier_skill_score(P, HIT) == pytest.approx(1 - brier_score(P, HIT) / reference)
    assert brier_skill_score([base] * 8, HIT) == pytest.approx(0.0)
    assert brier_skill_score([1 - h for h in HIT], HIT) < 0


def test_reliability_groups_forecasts_into_tenths() -> None:
    bins = {b.bin: b for b in reliability(P, HIT)}
    assert sorted(bins) == [0, 1, 2, 3, 4, 6, 8, 9]
    assert bins[0].count == 1 and bins[0].mean_forecast == pytest.approx(0.05)
    assert bins[8].hit_rate == 1.0
    assert reliability([1.0], [1])[0].bin == 9  # p = 1 falls in the last bin


def test_expected_calibration_error_weights_each_bin_by_its_forecasts() -> None:
    p = [0.15, 0.15, 0.15, 0.15, 0.85, 0.85]
    hit = [0, 0, 0, 1, 1, 1]
    # bin 1: mean 0.15, hits 0.25 (4 forecasts); bin 8: mean 0.85, hits 1.0 (2 forecasts)
    assert expected_calibration_error(p, hit) == pytest.approx((4 * 0.10 + 2 * 0.15) / 6)
    assert expected_calibration_error([0.5] * 4, [1, 0, 1, 0]) == pytest.approx(0.0)


def test_top_k_precision_and_quartile_lift_pick_the_highest_forecasts() -> None:
    assert top_k_precision(P, HIT, 2) == 1.0
    assert top_k_precision(P, HIT, 4) == pytest.approx(0.75)  # 0.9, 0.8, 0.6 hit; 0.4 missed
    assert top_quartile_lift(P, HIT) == pytest.approx(1.0 / (3 / 8))
    with pytest.raises(ValueError):
        top_k_precision(P, HIT, 0)


def test_summary_holds_every_headline_figure() -> None:
    s = summarise(P, HIT)
    assert s.concepts == 8
    assert s.hit_rate == pytest.approx(3 / 8)
    assert s.top_quartile_hit_rate == 1.0
    assert s.brier_skill > 0
    assert set(s.as_dict()) >= {"ece", "brier", "brier_skill", "top_quartile_lift"}
