"""Empirical-Bayes shrinkage baseline: history strictly before the day, pooled up the hierarchy."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from aelp.modeling.baselines import Shrinkage, fit_shrinkage, prior_counts, shrunk_rate, take

D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)


def history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ad_id": ["a", "a", "a", "b", "b"],
            "adset_id": ["s", "s", "s", "s", "s"],
            "campaign_id": ["c", "c", "c", "c", "c"],
            "date_day": [D1, D2, D3, D1, D3],
            "k": [10.0, 20.0, 99.0, 1.0, 5.0],
            "n": [1000.0, 1000.0, 1000.0, 500.0, 500.0],
        }
    )


def test_prior_counts_exclude_the_row_day_and_include_every_earlier_day() -> None:
    h = history()
    counts = prior_counts(h, h)
    # ad a on D3 sees D1 + D2 only; ad b on D3 sees D1 only (no row on D2)
    assert counts.clicks["ad_id"].tolist() == [0.0, 10.0, 30.0, 0.0, 1.0]
    assert counts.impressions["ad_id"].tolist() == [0.0, 1000.0, 2000.0, 0.0, 500.0]
    # the ad set on D3 pools a (D1, D2) and b (D1)
    assert counts.impressions["adset_id"][2] == 2500.0
    assert counts.clicks["global"][2] == 31.0


def test_shrunk_rate_pulls_the_ad_towards_its_adset_campaign_and_global_rate() -> None:
    h = history()
    counts = prior_counts(h, h)
    rate = shrunk_rate(counts, Shrinkage(campaign=1000.0, adset=1000.0, ad=1000.0))
    global_rate = 31 / 2500
    campaign = (31 + 1000 * global_rate) / (2500 + 1000)
    adset = (31 + 1000 * campaign) / (2500 + 1000)
    ad = (30 + 1000 * adset) / (2000 + 1000)
    assert rate[2] == pytest.approx(ad)
    # with no history at all the rate is 0 (nothing before the first day)
    assert rate[0] == 0.0


def test_fit_shrinkage_trusts_the_ad_when_ads_differ_and_history_is_long() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for ad in range(40):
        rate = 0.005 if ad % 2 else 0.03
        for day in range(20):
            n = 2000
            rows.append(
                {
                    "ad_id": f"ad{ad}",
                    "adset_id": "s",
                    "campaign_id": "c",
                    "date_day": date(2024, 3, 1 + day),
                    "k": float(rng.binomial(n, rate)),
                    "n": float(n),
                }
            )
    frame = pd.DataFrame(rows)
    counts = prior_counts(frame, frame)
    late = (frame["date_day"] >= date(2024, 3, 15)).to_numpy()
    fitted = fit_shrinkage(take(counts, late), frame["k"][late], frame["n"][late])
    assert fitted.ad <= 1_000.0
