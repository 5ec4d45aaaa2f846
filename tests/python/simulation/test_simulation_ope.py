"""Off-policy estimators on hand-made logged batches whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from aelp.simulation.ope import LoggedDay, day_estimates, total_estimates

RATES = np.array([0.1, 0.2, 0.3])  # conversions per unit of spend


def test_uniform_log_with_linear_outcomes_recovers_the_candidate_exactly() -> None:
    logged = LoggedDay(
        spend=np.array([100.0, 100.0, 100.0]),
        conversions=np.array([10.0, 20.0, 30.0]),
        propensity=np.full(3, 1 / 3),
        direct=np.array([0.5, 0.5, 0.5]),  # a poor direct model: DR's correction fixes it
    )
    estimates = day_estimates(logged, np.array([0.5, 0.5, 0.0]), budget=300.0)
    truth = 300.0 * (0.5 * 0.1 + 0.5 * 0.2)
    assert estimates == pytest.approx({"ipw": truth, "snipw": truth, "dr": truth})


def test_random_subset_logging_ipw_and_dr_are_unbiased_snipw_nearly() -> None:
    """The logging policy funds 2 of 3 ads at random (propensity 1/3 each).

    SNIPW normalises within each day (two funded ads), a ratio with a small bias."""
    rng = np.random.default_rng(0)
    candidate = np.array([0.2, 0.3, 0.5])
    days = []
    for _ in range(2000):
        funded = rng.choice(3, size=2, replace=False)
        spend = np.zeros(3)
        spend[funded] = 150.0
        days.append(
            LoggedDay(
                spend=spend,
                conversions=rng.poisson(spend * RATES).astype(float),
                propensity=np.full(3, 1 / 3),
                direct=RATES * 0.8,
            )
        )
    totals = total_estimates(days, [candidate] * len(days), budget=300.0)
    truth = len(days) * 300.0 * float(candidate @ RATES)
    assert totals["ipw"] == pytest.approx(truth, rel=0.02)
    assert totals["dr"] == pytest.approx(truth, rel=0.02)
    assert totals["snipw"] == pytest.approx(truth, rel=0.06)


def test_ads_outside_the_logs_support_are_valued_by_the_direct_model_only_in_dr() -> None:
    logged = LoggedDay(
        spend=np.array([200.0, 0.0]),
        conversions=np.array([20.0, 0.0]),
        propensity=np.array([1.0, 0.0]),
        direct=np.array([0.1, 0.4]),
    )
    estimates = day_estimates(logged, np.array([0.5, 0.5]), budget=200.0)
    assert estimates["ipw"] == pytest.approx(10.0)  # half the budget on ad 0 at 0.1
    assert estimates["snipw"] == pytest.approx(20.0)  # renormalised to the supported ad
    assert estimates["dr"] == pytest.approx(10.0 + 40.0)  # ad 1 from the direct model


def test_dr_on_clicks_ignores_conversion_luck_that_the_click_rate_model_pools_away() -> None:
    # true conversions per unit: 0.1 / 0.2 / 0.3 = clicks per unit 1.0 × c2s 0.1 / 0.2 / 0.3;
    # the logged day's conversions on ad 1 ran 50 % lucky (30 instead of 20)
    logged = LoggedDay(
        spend=np.array([100.0, 100.0, 100.0]),
        conversions=np.array([10.0, 30.0, 30.0]),
        propensity=np.full(3, 1 / 3),
        direct=np.array([0.5, 0.5, 0.5]),
        clicks=np.array([100.0, 100.0, 100.0]),
        click_to_conversion=RATES,
    )
    estimates = day_estimates(logged, np.array([0.5, 0.5, 0.0]), budget=300.0)
    truth = 300.0 * (0.5 * 0.1 + 0.5 * 0.2)
    assert estimates["dr_clicks"] == pytest.approx(truth)
    assert estimates["dr"] == pytest.approx(truth + 300.0 * 0.5 * 0.1)


def test_dr_on_clicks_is_left_out_unless_every_day_carries_clicks() -> None:
    with_clicks = LoggedDay(
        spend=np.array([100.0, 100.0]),
        conversions=np.array([10.0, 20.0]),
        propensity=np.array([0.5, 0.5]),
        direct=np.array([0.1, 0.2]),
        clicks=np.array([100.0, 100.0]),
        click_to_conversion=np.array([0.1, 0.2]),
    )
    without = LoggedDay(
        spend=with_clicks.spend,
        conversions=with_clicks.conversions,
        propensity=with_clicks.propensity,
        direct=with_clicks.direct,
    )
    candidate = np.array([1.0, 0.0])
    both = total_estimates([with_clicks, with_clicks], [candidate, candidate], 200.0)
    assert both["dr_clicks"] == pytest.approx(both["dr"]) == pytest.approx(40.0)
    mixed = total_estimates([with_clicks, without], [candidate, candidate], 200.0)
    assert set(mixed) == {"ipw", "snipw", "dr"}
