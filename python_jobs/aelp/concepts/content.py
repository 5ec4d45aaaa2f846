"""What a creative's content says about its ctr_u, learned from the creatives that have run.

The CTR model sees content features on every ad-day row, but on rows with history the ad's
own past rates explain nearly everything, so it learns little about content: a brand-new
creative is forecast mostly from its ad set. This module learns the content part directly,
one row per creative:

* **target**: how the creative's ads did against their ad sets,
  ``log((K + m) / (E + m))`` where ``K`` is its unique link clicks before the as-of day,
  ``E`` the clicks its impressions would have got at their ad sets' rates over the same
  rows and ``m`` a pseudo-count that shrinks thin creatives towards 0; weight ``E / (E + m)``.
* **features**: the creative's content and copy columns of the CTR model's feature set (file
  statistics, CLIP, YOLO, copy lengths, call to action), as the ad's rows carry them — the
  same values a concept gets from ``ml_concept_content_features`` and its copy sidecar.

A small LightGBM regression fits it; the cold-start calibration cross-fits it by creative
and stacks it with the CTR model's prediction (``aelp.concepts.calibration``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd

PSEUDO_CLICKS = 10.0
CONTENT_PARAMS: dict[str, Any] = {
    "objective": "regression",
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 0,
    "deterministic": True,
    "verbosity": -1,
}
CONTENT_ROUNDS = 300
BACKFIT_ITERATIONS = 3
ADSET_SHRINK_ADS = 2.0


@dataclass(frozen=True)
class ContentFit:
    """The content model and the ad sets' audience levels it was fitted with.

    ``adset_effects`` is each ad set's log rate ratio to the account-wide rate once its
    creatives' content predictions are taken out: the audience's own level.
    """

    model: lgb.Booster
    adset_effects: dict[str, float]
    creatives: int
    rate: float
    """The overall rate the ratios are taken against."""

    def predict(self, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
        """The content prediction (log rate ratio) of rows of content columns."""
        return np.asarray(self.model.predict(frame), dtype=np.float64)

    def adset_effect(self, adsets: list[Any]) -> npt.NDArray[np.float64]:
        """Each ad set's audience level (0 for an ad set the fit has not seen)."""
        return np.array([self.adset_effects.get(str(a), 0.0) for a in adsets], dtype=np.float64)


def adset_levels(
    ads: npt.ArrayLike,
    adsets: npt.ArrayLike,
    clicks: npt.NDArray[np.float64],
    expected: npt.NDArray[np.float64],
    *,
    pseudo_clicks: float = PSEUDO_CLICKS,
    adset_shrink_ads: float = ADSET_SHRINK_ADS,
) -> dict[str, float]:
    """Each ad set's level: the shrunk mean of its ads' log ratios of clicks to ``expected``.

    Per-row arrays; ``expected`` is what a row's impressions would get at the overall rate
    times its creative's content effect. Each ad counts once, with weight ``E / (E + m)``,
    and ``adset_shrink_ads`` ads' worth of 0 is added to every ad set.
    """
    m = pseudo_clicks
    ad_ids, ad_first, a_inv = np.unique(
        np.asarray(ads, dtype=str), return_index=True, return_inverse=True
    )
    set_ids, s_inv = np.unique(np.asarray(adsets, dtype=str)[ad_first], return_inverse=True)
    k_ad = np.bincount(a_inv, weights=clicks, minlength=ad_ids.size)
    e_ad = np.bincount(a_inv, weights=expected, minlength=ad_ids.size)
    w_ad = e_ad / (e_ad + m)
    r_ad = np.log((k_ad + m) / (e_ad + m))
    level = np.bincount(s_inv, weights=w_ad * r_ad, minlength=set_ids.size) / (
        np.bincount(s_inv, weights=w_ad, minlength=set_ids.size) + adset_shrink_ads
    )
    return {str(a): float(v) for a, v in zip(set_ids, level, strict=True)}


def fit_content(
    ads: list[Any],
    creatives: list[Any],
    adsets: list[Any],
    clicks: npt.NDArray[np.float64],
    impressions: npt.NDArray[np.float64],
    content: pd.DataFrame,
    *,
    pseudo_clicks: float = PSEUDO_CLICKS,
    adset_shrink_ads: float = ADSET_SHRINK_ADS,
    iterations: int = BACKFIT_ITERATIONS,
    num_threads: int = 1,
) -> ContentFit:
    """Split delivered clicks into an ad-set level and a creative level learned from content.

    Inputs are parallel per-row arrays (one row per ad and day with delivery) and the rows'
    content columns. Backfitting on log rate ratios to the overall rate, ``iterations``
    rounds:

    * each ad's ratio is its clicks over what its impressions would get at the overall rate
      times its creative's content effect; an ad set's level is the mean of its ads' ratios,
      each ad counted once (weight ``E / (E + m)``, at most 1) and ``adset_shrink_ads``
      ads' worth of 0 added. Counting ads rather than impressions matters: delivery favours an
      ad set's best ads, so an impression-weighted level would mostly measure those ads;
    * each creative's target is its clicks over what they would get at its ad sets' levels,
      and the content regression is fitted on those targets (one row per creative, weight
      ``E / (E + m)``).

    Ratios carry ``pseudo_clicks`` in numerator and denominator, so thin ads and creatives
    shrink to 0.
    """
    m = pseudo_clicks
    creative_ids, first_row, c_inv = np.unique(
        np.asarray(creatives, dtype=str), return_index=True, return_inverse=True
    )
    adset_ids, s_inv = np.unique(np.asarray(adsets, dtype=str), return_inverse=True)
    rate = float(clicks.sum() / impressions.sum()) if impressions.sum() > 0 else 0.0
    base = impressions * rate
    per_creative = content.iloc[first_row].reset_index(drop=True)
    k_creative = np.bincount(c_inv, weights=clicks, minlength=creative_ids.size)
    g = np.zeros(creative_ids.size)
    levels: dict[str, float] = {}
    model: lgb.Booster | None = None
    for _ in range(max(1, iterations)):
        levels = adset_levels(
            ads, adsets, clicks, base * np.exp(g[c_inv]),
            pseudo_clicks=m, adset_shrink_ads=adset_shrink_ads,
        )  # fmt: skip
        s = np.array([levels[a] for a in adset_ids])
        e_creative = np.bincount(
            c_inv, weights=base * np.exp(s[s_inv]), minlength=creative_ids.size
        )
        target = np.log((k_creative + m) / (e_creative + m))
        model = fit_content_model(per_creative, target, e_creative / (e_creative + m), num_threads)
        g = np.asarray(model.predict(per_creative), dtype=np.float64)
    assert model is not None
    levels = adset_levels(
        ads, adsets, clicks, base * np.exp(g[c_inv]),
        pseudo_clicks=m, adset_shrink_ads=adset_shrink_ads,
    )  # fmt: skip
    return ContentFit(
        model=model, adset_effects=levels, creatives=int(creative_ids.size), rate=rate
    )


def content_columns(columns: list[str], excluded: set[str]) -> list[str]:
    """The feature columns that describe the creative itself (not the scenario or history)."""
    return [c for c in columns if c not in excluded]


def fit_content_model(
    frame: pd.DataFrame,
    target: npt.NDArray[np.float64],
    weight: npt.NDArray[np.float64],
    num_threads: int = 1,
) -> lgb.Booster:
    """The content regression on one row per creative (``frame`` holds content columns only)."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    data = lgb.Dataset(
        frame, label=target, weight=weight, categorical_feature=categorical or "auto"
    )
    params = {**CONTENT_PARAMS, "num_threads": num_threads}
    return lgb.train(params, data, num_boost_round=CONTENT_ROUNDS)
