"""Test-window metrics of a CTR model against the global mean and, when known, the truth."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from aelp.modeling.metrics import (
    binomial_logloss,
    share_of_achievable_gain,
    spearman,
    weighted_mae,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """Headline log-losses (the ml.model_runs columns) and the full metrics dictionary."""

    logloss_model: float | None
    logloss_baseline: float | None
    logloss_truth: float | None
    share_of_achievable_gain: float | None
    metrics: dict[str, Any]


def evaluate_test(
    ad_id: npt.ArrayLike,
    date_day: npt.ArrayLike,
    clicks: npt.ArrayLike,
    impressions: npt.ArrayLike,
    predicted: npt.ArrayLike,
    baseline_rate: float,
    truth: pa.Table | None = None,
) -> Evaluation:
    """Score predictions on the test rows.

    The model and baseline log-losses use every test row. When ``truth`` (ad_id,
    date_day, true_ctr_u) is given, the truth's log-loss and the share of achievable
    gain are computed on the rows the truth covers, with the model and baseline scored
    on those same rows, so the three numbers are comparable.
    """
    frame = pd.DataFrame(
        {
            "ad_id": np.asarray(ad_id, dtype=object),
            "date_day": np.asarray(date_day, dtype=object),
            "k": np.asarray(clicks, dtype=np.float64),
            "n": np.asarray(impressions, dtype=np.float64),
            "p": np.asarray(predicted, dtype=np.float64),
        }
    )
    if frame.empty:
        return Evaluation(None, None, None, None, {"test_rows": 0})
    frame["base"] = baseline_rate
    ll_model = binomial_logloss(frame["k"], frame["n"], frame["p"])
    ll_base = binomial_logloss(frame["k"], frame["n"], frame["base"])
    by_ad = _by_ad(frame)
    metrics: dict[str, Any] = {
        "test_rows": len(frame),
        "test_impressions": float(frame["n"].sum()),
        "test_unique_link_clicks": float(frame["k"].sum()),
        "test_logloss_model": ll_model,
        "test_logloss_baseline": ll_base,
        "baseline_rate": baseline_rate,
        "calibration_ratio": _ratio((frame["n"] * frame["p"]).sum(), frame["k"].sum()),
        "spearman_by_ad_vs_observed": spearman(by_ad["p"], by_ad["observed"]),
        "test_ads": len(by_ad),
    }
    ll_truth = gain = None
    if truth is not None and truth.num_rows:
        covered = _join_truth(frame, truth)
        metrics["truth_coverage"] = len(covered) / len(frame)
        if len(covered):
            ll_truth = binomial_logloss(covered["k"], covered["n"], covered["true"])
            ll_model_c = binomial_logloss(covered["k"], covered["n"], covered["p"])
            ll_base_c = binomial_logloss(covered["k"], covered["n"], covered["base"])
            gain = share_of_achievable_gain(ll_base_c, ll_model_c, ll_truth)
            truth_by_ad = _by_ad(covered)
            metrics.update(
                {
                    "test_logloss_truth": ll_truth,
                    "share_of_achievable_gain": gain,
                    "weighted_mae_model_vs_truth": weighted_mae(
                        covered["p"], covered["true"], covered["n"]
                    ),
                    "weighted_mae_baseline_vs_truth": weighted_mae(
                        covered["base"], covered["true"], covered["n"]
                    ),
                    "spearman_by_ad_vs_truth": spearman(truth_by_ad["p"], truth_by_ad["true"]),
                }
            )
            if metrics["truth_coverage"] < 1:
                log.warning(
                    "sim.truth covers %.1f%% of test rows; truth metrics use those rows only",
                    100 * metrics["truth_coverage"],
                )
    return Evaluation(ll_model, ll_base, ll_truth, gain, metrics)


def _join_truth(frame: pd.DataFrame, truth: pa.Table) -> pd.DataFrame:
    """Test rows with their true rate; rows the truth does not cover are dropped."""
    true = pd.DataFrame(
        {
            "ad_id": np.asarray(truth.column("ad_id").to_pylist(), dtype=object),
            "date_day": np.asarray(truth.column("date_day").to_pylist(), dtype=object),
            "true": truth.column("true_ctr_u").to_numpy(zero_copy_only=False).astype(np.float64),
        }
    )
    return frame.merge(true, on=["ad_id", "date_day"], how="inner", validate="one_to_one")


def _by_ad(frame: pd.DataFrame) -> pd.DataFrame:
    """Impression-weighted mean prediction (and truth) and pooled observed rate per ad."""
    weighted = frame.assign(
        np_=frame["n"] * frame["p"],
        **({"nt": frame["n"] * frame["true"]} if "true" in frame else {}),
    )
    sums = weighted.groupby("ad_id", sort=True).sum(numeric_only=True)
    out = pd.DataFrame(
        {"p": sums["np_"] / sums["n"], "observed": sums["k"] / sums["n"]}, index=sums.index
    )
    if "nt" in sums:
        out["true"] = sums["nt"] / sums["n"]
    return out


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator / denominator) if denominator > 0 else None
