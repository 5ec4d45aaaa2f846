"""The content model, the ad sets' audience levels and the stack that combines them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from aelp.concepts.calibration import ColdStartCalibration, fit_stack
from aelp.concepts.content import adset_levels, fit_content


def test_an_ad_set_level_counts_each_ad_once_not_each_impression() -> None:
    # s1: a heavily delivered ad at ratio e^0.5 and a thin one at e^-0.5; s2: both at e^0.4
    ads = ["big", "thin", "x", "y"]
    adsets = ["s1", "s1", "s2", "s2"]
    expected = np.array([2000.0, 20.0, 100.0, 100.0])
    clicks = expected * np.exp([0.5, -0.5, 0.4, 0.4])
    levels = adset_levels(ads, adsets, clicks, expected, pseudo_clicks=1e-9, adset_shrink_ads=0)
    assert levels["s1"] == pytest.approx(0.0, abs=1e-6)  # impression-weighted: about +0.49
    assert levels["s2"] == pytest.approx(0.4, abs=1e-6)
    shrunk = adset_levels(ads, adsets, clicks, expected, pseudo_clicks=1e-9, adset_shrink_ads=2)
    assert shrunk["s2"] == pytest.approx(0.2, abs=1e-6)  # two ads and two ads' worth of 0


def _synthetic(seed: int = 0) -> tuple[dict[str, object], np.ndarray, dict[str, float]]:
    """200 creatives, one ad each, in 20 ad sets; rate = 2% × e^(content + audience)."""
    rng = np.random.default_rng(seed)
    n, days = 200, 3
    x = rng.uniform(0, 1, n)
    noise = rng.uniform(0, 1, n)  # a content column that means nothing
    effect = 1.0 * (x - 0.5)
    audience = {f"s{j}": (0.3 if j % 2 else -0.3) for j in range(20)}
    adset = [f"s{j}" for j in rng.integers(0, 20, n)]
    rows: dict[str, list[object]] = {"ad": [], "creative": [], "adset": [], "x": [], "z": []}
    clicks, imps = [], []
    for i in range(n):
        for _ in range(days):
            rows["ad"].append(f"ad{i}")
            rows["creative"].append(f"cr{i}")
            rows["adset"].append(adset[i])
            rows["x"].append(x[i])
            rows["z"].append(noise[i])
            imps.append(20_000.0)
            clicks.append(20_000.0 * 0.02 * np.exp(effect[i] + audience[adset[i]]))
    rows["clicks"] = clicks  # type: ignore[assignment]
    rows["imps"] = imps  # type: ignore[assignment]
    return rows, effect, audience


def test_the_content_fit_recovers_creative_effects_and_audience_levels() -> None:
    rows, effect, audience = _synthetic()
    content = pd.DataFrame({"x": rows["x"], "z": rows["z"]})
    fit = fit_content(
        rows["ad"], rows["creative"], rows["adset"],  # type: ignore[arg-type]
        np.asarray(rows["clicks"]), np.asarray(rows["imps"]), content,
    )  # fmt: skip
    per_creative = pd.DataFrame({"x": np.linspace(0.05, 0.95, 10), "z": 0.5})
    predicted = fit.predict(per_creative)
    assert np.all(np.diff(predicted) >= -1e-9)  # rises with the column that drives the rate
    assert np.corrcoef(predicted, np.linspace(0.05, 0.95, 10) - 0.5)[0, 1] > 0.95
    levels = fit.adset_effect(sorted(audience))
    truth = np.array([audience[k] for k in sorted(audience)])
    assert np.corrcoef(levels, truth)[0, 1] > 0.95
    assert fit.adset_effect(["never_seen"]).tolist() == [0.0]
    assert fit.creatives == effect.size


def test_the_stack_weights_come_from_launches_of_the_same_day() -> None:
    # within a day y = 2·x; between days x rises and the day's level falls, so pooled
    # least squares would get the slope wrong
    day = np.repeat(np.arange(5), 4)
    x = np.tile(np.array([0.0, 1.0, 2.0, 3.0]), 5) + 3.0 * day
    y = 2.0 * x - 10.0 * day
    a, w = fit_stack(x[:, None], y, list(day))
    assert w == pytest.approx(2.0)
    assert a == pytest.approx(float(np.mean(y - 2.0 * x)))
    pooled = np.polyfit(x, y, 1)[0]
    assert pooled < 0.5  # what ignoring the day would give


def test_the_cold_start_rate_applies_the_stack_to_model_content_and_ad_set() -> None:
    rows, _, _ = _synthetic()
    content = pd.DataFrame({"x": rows["x"], "z": rows["z"]})
    fit = fit_content(
        rows["ad"], rows["creative"], rows["adset"],  # type: ignore[arg-type]
        np.asarray(rows["clicks"]), np.asarray(rows["imps"]), content,
    )  # fmt: skip
    calibration = ColdStartCalibration(
        residuals=np.array([-0.5, 0.0, 0.5]),
        horizon_days=7,
        launch_age_days=1.0,
        folds=5,
        content=fit,
        content_columns=("x", "z"),
        stack=(-0.2, 0.5, 0.8, 1.2),
    )
    frame = pd.DataFrame({"x": [0.2, 0.9], "z": [0.5, 0.5], "other": [1.0, 2.0]})
    p = np.array([0.01, 0.02])
    got = calibration.cold_start_rate(p, frame, ["s1", "s2"])
    want = special.expit(
        -0.2
        + 0.5 * special.logit(p)
        + 0.8 * fit.predict(frame[["x", "z"]])
        + 1.2 * fit.adset_effect(["s1", "s2"])
    )
    assert got == pytest.approx(want)
    assert got[1] > got[0]
    assert "content-stacked" in calibration.method
    # without a content fit only the model term applies
    bare = ColdStartCalibration(np.array([0.0]), 7, 1.0, 5, stack=(0.1, 1.0, 0.8, 1.2))
    assert bare.cold_start_rate(p)[0] == pytest.approx(special.expit(0.1 + special.logit(0.01)))
