"""``aelp evaluate``: a trained run on the forward test window, against baselines and the truth.

Scorers: the model (regressor), its classifier, the global mean of the training window,
hierarchical empirical-Bayes shrinkage (ad → ad set → campaign, strengths chosen on the
validation window) and, in the sample world, the true rates. Segments: every test row,
cold-start rows (the ad had fewer than ``cold_start_impressions`` impressions before the
day) and the rest. Results go to ``ml.model_evaluations`` in long format, element effects
to ``ml.creative_element_effects``, plots next to the model artifact.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from aelp.config import Settings
from aelp.modeling import baselines, explain, plots
from aelp.modeling.artifact import ModelArtifact, load_artifact, models_dir
from aelp.modeling.intervals import (
    DEFAULT_LEVEL,
    coverage_of_rates,
    predictive_coverage,
    rate_interval,
)
from aelp.modeling.marts import read_training_examples, read_truth
from aelp.modeling.metrics import (
    auc,
    binary_logloss,
    binomial_logloss,
    expected_calibration_error,
    ndcg_at_k,
    pooled_rate,
    reliability_table,
    share_of_achievable_gain,
    spearman,
)
from aelp.modeling.score import artifact_uri_of, latest_model_run
from aelp.modeling.tables import CREATIVE_ELEMENT_EFFECTS, MODEL_EVALUATIONS
from aelp.modeling.train import Split, split_examples
from aelp.schemas import TableSpec
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import MissingInputError

log = logging.getLogger(__name__)

DEFAULT_COLD_START_IMPRESSIONS = 1000
DEFAULT_RANKING_MIN_IMPRESSIONS = 1000
DEFAULT_NDCG_K = 10
RELIABILITY_BINS = 10

MODEL = "model"
CLASSIFIER = "classifier"
GLOBAL_MEAN = "baseline_global_mean"
SHRINKAGE = "baseline_eb_shrinkage"
TRUTH = "truth"


@dataclass(frozen=True)
class EvaluationReport:
    """What ``aelp evaluate`` measured: long-format rows, headline figures and plot paths."""

    model_run_id: str
    rows: pa.Table
    effects: pa.Table
    headline: dict[str, float | None]
    plots: list[Path] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{name} {_fmt(value)}" for name, value in self.headline.items()]
        return f"{self.model_run_id}: " + ", ".join(parts)


@dataclass(frozen=True)
class TestFrame:
    """Test rows with every scorer's prediction and the segment flags."""

    frame: pd.DataFrame
    kappa: float | None
    level: float


def build_test_frame(
    artifact: ModelArtifact,
    parts: Mapping[str, Split],
    history: pd.DataFrame,
    cold_start_impressions: float,
) -> TestFrame:
    """Test rows with model, classifier, global-mean and shrinkage predictions.

    ``history`` holds every delivered row (ids, ad set, campaign, day, ``k``, ``n``): the
    shrinkage baseline and the cold-start flag use the days before each row's day only.
    """
    test, valid, train = parts["test"], parts["valid"], parts["train"]
    if not test.rows:
        raise MissingInputError("the 'test' split of the training examples is empty")
    frame = pd.DataFrame(
        {
            "ad_id": test.ad_id,
            "date_day": test.date_day,
            "k": test.clicks,
            "n": test.impressions,
            MODEL: np.asarray(artifact.booster.predict(test.frame), dtype=np.float64),
            GLOBAL_MEAN: pooled_rate(train.clicks, train.impressions),
        }
    )
    if artifact.classifier is not None:
        frame[CLASSIFIER] = np.asarray(artifact.classifier.predict(test.frame), dtype=np.float64)

    def ids(part: Split) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "ad_id": part.ad_id,
                "adset_id": part.adset_id if part.adset_id is not None else part.ad_id,
                "campaign_id": part.campaign_id if part.campaign_id is not None else part.ad_id,
                "date_day": part.date_day,
            }
        )

    valid_counts = baselines.prior_counts(history, ids(valid))
    strengths = baselines.fit_shrinkage(valid_counts, valid.clicks, valid.impressions)
    test_counts = baselines.prior_counts(history, ids(test))
    frame[SHRINKAGE] = baselines.shrunk_rate(test_counts, strengths)
    frame["ad_prior_impressions"] = test_counts.impressions["ad_id"]
    frame["is_cold_start"] = frame["ad_prior_impressions"] < cold_start_impressions
    log.info(
        "shrinkage strengths (impressions): campaign %.0f, ad set %.0f, ad %.0f",
        strengths.campaign,
        strengths.adset,
        strengths.ad,
    )
    return TestFrame(frame, artifact.interval_kappa, artifact.interval_level or DEFAULT_LEVEL)


def join_truth(frame: pd.DataFrame, truth: pa.Table | None) -> pd.DataFrame:
    """The frame with a ``truth`` column (NaN where the sample world's truth is absent)."""
    if truth is None or not truth.num_rows:
        return frame.assign(**{TRUTH: np.nan})
    true = pd.DataFrame(
        {
            "ad_id": truth.column("ad_id").to_pylist(),
            "date_day": truth.column("date_day").to_pylist(),
            TRUTH: np.asarray(truth.column("true_ctr_u").to_pylist(), dtype=np.float64),
        }
    )
    return frame.merge(true, on=["ad_id", "date_day"], how="left", validate="many_to_one")


def segment_metrics(rows: pd.DataFrame, kappa: float | None, level: float) -> list[dict[str, Any]]:
    """Metrics of one segment's rows for every scorer present (see the module docstring)."""
    out: list[dict[str, Any]] = []
    k, n = rows["k"].to_numpy(), rows["n"].to_numpy()

    def add(scorer: str, metric: str, value: float | None) -> None:
        out.append({"scorer": scorer, "metric": metric, "value": value})

    rate_scorers = [MODEL, GLOBAL_MEAN, SHRINKAGE]
    for scorer in rate_scorers:
        p = rows[scorer].to_numpy()
        add(scorer, "logloss", binomial_logloss(k, n, p))
        table = reliability_table(k, n, p, RELIABILITY_BINS)
        add(scorer, "ece", expected_calibration_error(table))
        add(scorer, "calibration_ratio", float((n * p).sum() / k.sum()) if k.sum() else None)
    has_truth = rows[TRUTH].notna()
    if has_truth.any():
        covered = rows[has_truth]
        kc, nc = covered["k"].to_numpy(), covered["n"].to_numpy()
        ll_base = binomial_logloss(kc, nc, covered[GLOBAL_MEAN])
        ll_truth = binomial_logloss(kc, nc, covered[TRUTH])
        add(TRUTH, "logloss", ll_truth)
        add(TRUTH, "truth_coverage", float(has_truth.mean()))
        for scorer in (MODEL, SHRINKAGE):
            ll = binomial_logloss(kc, nc, covered[scorer])
            add(scorer, "share_of_achievable_gain", share_of_achievable_gain(ll_base, ll, ll_truth))
            add(
                scorer,
                "ece_vs_truth",
                float((nc * (covered[scorer] - covered[TRUTH]).abs()).sum() / nc.sum()),
            )
    if kappa is not None:
        p = rows[MODEL].to_numpy()
        add(MODEL, "interval_coverage_observed", predictive_coverage(k, n, p, kappa, level))
        if has_truth.any():
            lower, upper = rate_interval(rows.loc[has_truth, MODEL], kappa, level)
            add(
                MODEL,
                "interval_coverage_truth",
                coverage_of_rates(rows.loc[has_truth, TRUTH], lower, upper),
            )
        add(MODEL, "interval_level", level)
    if CLASSIFIER in rows:
        clicked = (rows["k"] > 0).to_numpy(dtype=np.float64)
        add(CLASSIFIER, "auc", auc(clicked, rows[CLASSIFIER]))
        add(CLASSIFIER, "logloss", binary_logloss(clicked, rows[CLASSIFIER]))
        add(CLASSIFIER, "mean_predicted", float(rows[CLASSIFIER].mean()))
        add(CLASSIFIER, "observed_rate", float(clicked.mean()))
    return out


def ranking_metrics(
    rows: pd.DataFrame, min_impressions: float, ndcg_k: int
) -> list[dict[str, Any]]:
    """Spearman and NDCG@k of ads ranked by each scorer, against observed (and true) ctr_u.

    Per ad over the test window: impression-weighted mean prediction and pooled observed
    rate, among ads with at least ``min_impressions`` test impressions.
    """
    scorers = [MODEL, SHRINKAGE]
    weighted = rows.assign(**{f"w_{s}": rows["n"] * rows[s] for s in [*scorers, TRUTH]})
    by_ad = weighted.groupby("ad_id").sum(numeric_only=True)
    by_ad = by_ad[by_ad["n"] >= min_impressions]
    out: list[dict[str, Any]] = [
        {"scorer": MODEL, "metric": "ranking_ads", "value": float(len(by_ad))}
    ]
    observed = by_ad["k"] / by_ad["n"]
    true = by_ad[f"w_{TRUTH}"] / by_ad["n"] if rows[TRUTH].notna().all() else None
    for scorer in scorers:
        predicted = by_ad[f"w_{scorer}"] / by_ad["n"]
        out.append(
            {
                "scorer": scorer,
                "metric": "spearman_vs_observed",
                "value": spearman(predicted, observed),
            }
        )
        out.append(
            {
                "scorer": scorer,
                "metric": f"ndcg_at_{ndcg_k}_vs_observed",
                "value": ndcg_at_k(predicted, observed, ndcg_k),
            }
        )
        if true is not None:
            out.append(
                {
                    "scorer": scorer,
                    "metric": "spearman_vs_truth",
                    "value": spearman(predicted, true),
                }
            )
    return out


def evaluation_rows(
    model_run_id: str,
    test: TestFrame,
    evaluated_at: datetime,
    min_impressions: float = DEFAULT_RANKING_MIN_IMPRESSIONS,
    ndcg_k: int = DEFAULT_NDCG_K,
) -> pa.Table:
    """The ``ml.model_evaluations`` rows of one run: segments × scorers × metrics, and bins."""
    frame = test.frame
    segments = {
        "overall": frame,
        "cold_start": frame[frame["is_cold_start"]],
        "warm": frame[~frame["is_cold_start"]],
    }
    records: list[dict[str, Any]] = []
    for segment, rows in segments.items():
        if rows.empty or rows["n"].sum() <= 0:
            continue
        found = segment_metrics(rows, test.kappa, test.level)
        if segment == "overall":
            found += ranking_metrics(rows, min_impressions, ndcg_k)
        for record in found:
            records.append(
                {**record, "segment": segment, "rows": len(rows), "impressions": rows["n"].sum()}
            )
    for scorer in (MODEL, SHRINKAGE):
        table = reliability_table(frame["k"], frame["n"], frame[scorer], RELIABILITY_BINS)
        for row in table:
            for metric in ("predicted", "observed"):
                records.append(
                    {
                        "scorer": scorer,
                        "metric": f"reliability_{metric}",
                        "value": row[metric],
                        "segment": f"reliability_bin_{int(row['bin']):02d}",
                        "rows": int(row["rows"]),
                        "impressions": row["impressions"],
                    }
                )
    days = pd.to_datetime(pd.Series(frame["date_day"]))
    start, end = days.min().date(), days.max().date()
    clean = [
        {
            "model_run_id": model_run_id,
            "segment": r["segment"],
            "scorer": r["scorer"],
            "metric": r["metric"],
            "metric_value": _finite(r["value"]),
            "row_count": int(r["rows"]),
            "impressions": float(r["impressions"]),
            "test_start": start,
            "test_end": end,
            "evaluated_at": evaluated_at,
        }
        for r in records
    ]
    return pa.Table.from_pylist(clean, schema=MODEL_EVALUATIONS.schema)


def headline(rows: pa.Table) -> dict[str, float | None]:
    """The figures a person reads first, keyed ``<segment>.<scorer>.<metric>``."""
    wanted = [
        ("overall", MODEL, "share_of_achievable_gain"),
        ("cold_start", MODEL, "share_of_achievable_gain"),
        ("overall", SHRINKAGE, "share_of_achievable_gain"),
        ("overall", MODEL, "logloss"),
        ("overall", SHRINKAGE, "logloss"),
        ("overall", GLOBAL_MEAN, "logloss"),
        ("overall", MODEL, "ece"),
        ("overall", MODEL, "interval_coverage_observed"),
        ("overall", MODEL, "interval_coverage_truth"),
        ("overall", CLASSIFIER, "auc"),
        ("overall", MODEL, f"ndcg_at_{DEFAULT_NDCG_K}_vs_observed"),
        ("overall", MODEL, "spearman_vs_observed"),
    ]
    found = {(r["segment"], r["scorer"], r["metric"]): r["metric_value"] for r in rows.to_pylist()}
    return {".".join(key): found.get(key) for key in wanted if key in found}


def effects_table(model_run_id: str, effects: pd.DataFrame, computed_at: datetime) -> pa.Table:
    """The ``ml.creative_element_effects`` rows of one run."""
    records = [
        {
            "model_run_id": model_run_id,
            "element": str(r["element"]),
            "element_value": str(r["element_value"]),
            "element_group": str(r["element_group"]),
            "average_effect_ctr_u": float(r["average_effect_ctr_u"]),
            "average_contribution_logit": float(r["average_contribution_logit"]),
            "support_rows": int(r["support_rows"]),
            "support_ads": int(r["support_ads"]),
            "computed_at": computed_at,
        }
        for r in effects.to_dict("records")
    ]
    return pa.Table.from_pylist(records, schema=CREATIVE_ELEMENT_EFFECTS.schema)


def evaluate(
    settings: Settings,
    warehouse: Warehouse,
    *,
    model_run_id: str | None = None,
    cold_start_impressions: float = DEFAULT_COLD_START_IMPRESSIONS,
    evaluated_at: datetime | None = None,
) -> EvaluationReport:
    """Evaluate a run (the newest by default) and write its rows, effects and plots.

    Re-running replaces the run's rows in ``ml.model_evaluations`` and
    ``ml.creative_element_effects``.
    """
    evaluated_at = evaluated_at or datetime.now(UTC)
    if model_run_id is None:
        model_run_id, uri = latest_model_run(warehouse)
    else:
        uri = artifact_uri_of(warehouse, model_run_id)
    artifact = load_artifact(settings, model_run_id, uri)
    window = artifact.metadata.get("window", {})
    since = _as_date(window.get("train_start"))
    table = read_training_examples(settings, warehouse, since=since)
    parts = split_examples(table, artifact.features)
    history = pd.DataFrame(
        {
            "ad_id": np.concatenate([p.ad_id for p in parts.values()]),
            "adset_id": np.concatenate([_or_ads(p.adset_id, p) for p in parts.values()]),
            "campaign_id": np.concatenate([_or_ads(p.campaign_id, p) for p in parts.values()]),
            "date_day": np.concatenate([p.date_day for p in parts.values()]),
            "k": np.concatenate([p.clicks for p in parts.values()]),
            "n": np.concatenate([p.impressions for p in parts.values()]),
        }
    )
    test = build_test_frame(artifact, parts, history, cold_start_impressions)
    start, end = min(test.frame["date_day"]), max(test.frame["date_day"])
    frame = join_truth(test.frame, read_truth(warehouse, start, end))
    test = TestFrame(frame, test.kappa, test.level)
    rows = evaluation_rows(model_run_id, test, evaluated_at)
    effects = effects_table(
        model_run_id,
        explain.element_effects(artifact, parts["test"].frame, parts["test"].ad_id),
        evaluated_at,
    )
    _replace(warehouse, rows, model_run_id, MODEL_EVALUATIONS)
    _replace(warehouse, effects, model_run_id, CREATIVE_ELEMENT_EFFECTS)
    paths = _plots(settings, model_run_id, frame)
    report = EvaluationReport(model_run_id, rows, effects, headline(rows), paths)
    log.info("%s", report)
    return report


def _plots(settings: Settings, model_run_id: str, frame: pd.DataFrame) -> list[Path]:
    folder = models_dir(settings) / model_run_id
    k, n = frame["k"], frame["n"]
    tables = {s: reliability_table(k, n, frame[s], RELIABILITY_BINS) for s in (MODEL, SHRINKAGE)}
    lifts = {s: plots.lift_table(k, n, frame[s]) for s in (MODEL, SHRINKAGE)}
    return [
        plots.reliability_plot(tables, folder / "reliability.png"),
        plots.lift_plot(lifts, folder / "lift.png"),
    ]


def _replace(warehouse: Warehouse, rows: pa.Table, model_run_id: str, spec: TableSpec) -> None:
    """Write a run's rows, dropping the rows an earlier evaluation of the run left."""
    warehouse.replace_where(spec, rows, "model_run_id", [model_run_id])


def _or_ads(ids: npt.NDArray[np.object_] | None, part: Split) -> npt.NDArray[np.object_]:
    return ids if ids is not None else part.ad_id


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"
