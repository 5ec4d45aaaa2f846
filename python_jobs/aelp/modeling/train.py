"""Train the unique-link-CTR model: LightGBM cross-entropy on impression-weighted rates."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from aelp.config import Settings
from aelp.modeling.artifact import (
    code_version,
    make_model_run_id,
    models_dir,
    package_versions,
    save_artifact,
)
from aelp.modeling.evaluation import Evaluation, evaluate_test
from aelp.modeling.features import FeatureSpec, fit_feature_spec, model_frame
from aelp.modeling.intervals import (
    DEFAULT_LEVEL,
    coverage_of_rates,
    fit_kappa_for_coverage,
    predictive_coverage,
    rate_interval,
)
from aelp.modeling.marts import read_training_examples, read_truth, training_since
from aelp.modeling.metrics import auc, binary_logloss, binomial_logloss, pooled_rate
from aelp.schemas import MODEL_RUNS
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import MissingInputError

log = logging.getLogger(__name__)

MODEL_KIND = "ctr_lightgbm"
TARGET = "ctr_u"

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "cross_entropy",
    "metric": "cross_entropy",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "deterministic": True,
    "force_col_wise": True,
    "verbosity": -1,
}

CLASSIFIER_PARAMS: dict[str, Any] = {"objective": "binary", "metric": "binary_logloss"}
"""Overrides that turn the regressor's parameters into the 1{unique link click > 0} classifier."""


@dataclass(frozen=True)
class Split:
    """One split's rows: ids, label counts and the model frame."""

    ad_id: npt.NDArray[np.object_]
    date_day: npt.NDArray[np.object_]
    clicks: npt.NDArray[np.float64]
    impressions: npt.NDArray[np.float64]
    frame: pd.DataFrame
    adset_id: npt.NDArray[np.object_] | None = None
    campaign_id: npt.NDArray[np.object_] | None = None

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def label(self) -> npt.NDArray[np.float64]:
        """Unique link CTR per row, recomputed from the counts and kept inside [0, 1]."""
        return np.clip(self.clicks / self.impressions, 0.0, 1.0)

    @property
    def clicked(self) -> npt.NDArray[np.float64]:
        """The classifier's label: 1 where the day had at least one unique link click."""
        return (self.clicks > 0).astype(np.float64)

    def window(self) -> tuple[date, date] | None:
        """First and last day, or None when empty."""
        if not self.rows:
            return None
        return min(self.date_day), max(self.date_day)


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced: its id, artifact folder, features, metrics, model_runs row."""

    model_run_id: str
    artifact_dir: Path
    feature_list: list[str]
    best_iteration: int
    evaluation: Evaluation
    row: dict[str, Any]

    def __str__(self) -> str:
        e = self.evaluation
        return (
            f"{self.model_run_id}: {len(self.feature_list)} features, best iteration "
            f"{self.best_iteration}; test log-loss model {_fmt(e.logloss_model)}, "
            f"baseline {_fmt(e.logloss_baseline)}, truth {_fmt(e.logloss_truth)}; "
            f"share of achievable gain {_fmt(e.share_of_achievable_gain, 3)}; "
            f"artifact {self.artifact_dir}"
        )


def lightgbm_params(
    seed: int, num_threads: int, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """LightGBM parameters: the defaults, then ``overrides``, then seed and threads (fixed)."""
    params = {**DEFAULT_PARAMS, **(overrides or {})}
    params.update({"seed": seed, "num_threads": num_threads, "deterministic": True})
    return params


def split_examples(table: pa.Table, spec: FeatureSpec) -> dict[str, Split]:
    """The train, valid and test splits of the training examples, as model-ready parts."""
    names = np.asarray(table.column("split").to_pylist(), dtype=object)
    parts = {}
    for split in ("train", "valid", "test"):
        part = table.filter(pa.array(names == split))
        parts[split] = Split(
            ad_id=np.asarray(part.column("ad_id").to_pylist(), dtype=object),
            date_day=np.asarray(part.column("date_day").to_pylist(), dtype=object),
            clicks=_floats(part.column("unique_inline_link_clicks")),
            impressions=_floats(part.column("impressions")),
            frame=model_frame(part, spec),
            adset_id=_ids(part, "adset_id"),
            campaign_id=_ids(part, "campaign_id"),
        )
    return parts


def fit_booster(
    train: Split,
    valid: Split,
    spec: FeatureSpec,
    params: Mapping[str, Any],
    num_boost_round: int,
    early_stopping_rounds: int,
) -> lgb.Booster:
    """Fit on ``train`` with label = ctr_u and weight = impressions; stop early on ``valid``."""
    train_set = lgb.Dataset(
        train.frame,
        label=train.label,
        weight=train.impressions,
        categorical_feature=list(spec.categorical) or "auto",
        free_raw_data=False,
    )
    valid_set = lgb.Dataset(
        valid.frame, label=valid.label, weight=valid.impressions, reference=train_set
    )
    with tqdm(
        total=num_boost_round, desc="boosting", unit=" rounds", disable=None, leave=False
    ) as bar:
        booster = lgb.train(
            dict(params),
            train_set,
            num_boost_round=num_boost_round,
            valid_sets=[valid_set],
            valid_names=["valid"],
            callbacks=[
                lgb.early_stopping(early_stopping_rounds, verbose=False),
                _progress(bar),
            ],
        )
    return booster


def fit_classifier(
    train: Split,
    valid: Split,
    spec: FeatureSpec,
    params: Mapping[str, Any],
    num_boost_round: int,
    early_stopping_rounds: int,
) -> lgb.Booster:
    """Fit P(at least one unique link click on the day) on ``train``; stop early on ``valid``.

    Same features as the regressor (all pre-serve), one row per ad and day, unweighted:
    the event is the day's, whatever its delivery turns out to be.
    """
    train_set = lgb.Dataset(
        train.frame,
        label=train.clicked,
        categorical_feature=list(spec.categorical) or "auto",
        free_raw_data=False,
    )
    valid_set = lgb.Dataset(valid.frame, label=valid.clicked, reference=train_set)
    return lgb.train(
        {**params, **CLASSIFIER_PARAMS},
        train_set,
        num_boost_round=num_boost_round,
        valid_sets=[valid_set],
        valid_names=["valid"],
        callbacks=[lgb.early_stopping(early_stopping_rounds, verbose=False)],
    )


@dataclass(frozen=True)
class FittedModels:
    """What one run fits: the ctr_u regressor, the any-click classifier, the interval width."""

    booster: lgb.Booster
    best_iteration: int
    classifier: lgb.Booster
    classifier_iteration: int
    kappa: float
    """Beta pseudo-count of the 80 % intervals, fitted on the valid window."""
    baseline: float
    """The train window's pooled ctr_u (the global-mean baseline)."""

    def predict(self, part: Split) -> npt.NDArray[np.float64]:
        """Predicted ctr_u of a split's rows."""
        if not part.rows:
            return np.array([])
        return np.asarray(
            self.booster.predict(part.frame, num_iteration=self.best_iteration), dtype=np.float64
        )

    def p_clicked(self, part: Split) -> npt.NDArray[np.float64]:
        """P(at least one unique link click) of a split's rows."""
        return np.asarray(
            self.classifier.predict(part.frame, num_iteration=self.classifier_iteration),
            dtype=np.float64,
        )


def train(
    settings: Settings,
    warehouse: Warehouse,
    *,
    seed: int = 0,
    num_boost_round: int = 2000,
    early_stopping_rounds: int = 100,
    num_threads: int = 2,
    params: Mapping[str, Any] | None = None,
    since: date | None = None,
    trained_at: datetime | None = None,
) -> TrainResult:
    """Train on ``ml_ctr_training_examples``, evaluate on its test split, save and record the run.

    Reads the delivered rows (from ``since`` when given; otherwise the newest whole days
    that fit in the ``training_max_rows`` var, see :func:`training_since`), fits on 'train',
    early-stops on 'valid', scores 'test' against the train-window pooled rate and, in the
    sample world, the true rates. Writes the artifact under
    ``<artifacts>/models/<model_run_id>/`` and upserts one row into ``ml.model_runs``.
    Deterministic for a seed and thread count.
    """
    trained_at = trained_at or datetime.now(UTC)
    if since is None:
        since = training_since(settings, warehouse)
    spec, parts = read_splits(settings, warehouse, since)
    lgb_params = lightgbm_params(seed, num_threads, params)
    window = _window(parts)
    model_run_id = make_model_run_id(
        trained_at,
        {
            "window": window,
            "features": spec.columns,
            "seed": seed,
            "params": lgb_params,
            "num_boost_round": num_boost_round,
            "rows": _rows(parts),
        },
    )
    log.info(
        "training %s on %d rows (%s to %s), %d features",
        model_run_id,
        parts["train"].rows,
        window["train_start"],
        window["train_end"],
        len(spec.columns),
    )
    models = fit_models(parts, spec, lgb_params, num_boost_round, early_stopping_rounds)
    test_window = parts["test"].window()
    truth = read_truth(warehouse, *test_window) if test_window else None
    evaluation, metrics = run_metrics(models, parts, truth)
    _log_metrics(model_run_id, metrics)
    run_params = {
        "lightgbm": lgb_params,
        "num_boost_round": num_boost_round,
        "early_stopping_rounds": early_stopping_rounds,
        "since": since,
    }
    folder, row = record_run(
        settings,
        warehouse,
        RunRecord(model_run_id, trained_at, spec, parts, window, run_params, metrics, evaluation),
        models,
    )
    return TrainResult(model_run_id, folder, spec.columns, models.best_iteration, evaluation, row)


def read_splits(
    settings: Settings, warehouse: Warehouse, since: date | None
) -> tuple[FeatureSpec, dict[str, Split]]:
    """The feature spec (fitted on the train rows) and the three splits, train and valid
    required (a run without test rows is recorded without test metrics)."""
    table = read_training_examples(settings, warehouse, since=since)
    names = np.asarray(table.column("split").to_pylist(), dtype=object)
    spec = fit_feature_spec(table.filter(pa.array(names == "train")))
    parts = split_examples(table, spec)
    for name in ("train", "valid"):
        if not parts[name].rows:
            raise MissingInputError(f"the {name!r} split of the training examples is empty")
    if not parts["test"].rows:
        log.warning("the 'test' split is empty: the run is recorded without test metrics")
    return spec, parts


def fit_models(
    parts: Mapping[str, Split],
    spec: FeatureSpec,
    lgb_params: Mapping[str, Any],
    num_boost_round: int,
    early_stopping_rounds: int,
) -> FittedModels:
    """Fit the regressor and the classifier on train (early stopping on valid), then the
    interval pseudo-count that gives the valid window's observed counts 80 % coverage."""
    train_part, valid_part = parts["train"], parts["valid"]
    booster = fit_booster(
        train_part, valid_part, spec, lgb_params, num_boost_round, early_stopping_rounds
    )
    classifier = fit_classifier(
        train_part, valid_part, spec, lgb_params, num_boost_round, early_stopping_rounds
    )
    models = FittedModels(
        booster=booster,
        best_iteration=int(booster.best_iteration or booster.current_iteration()),
        classifier=classifier,
        classifier_iteration=int(classifier.best_iteration or classifier.current_iteration()),
        kappa=0.0,
        baseline=pooled_rate(train_part.clicks, train_part.impressions),
    )
    kappa = fit_kappa_for_coverage(
        valid_part.clicks, valid_part.impressions, models.predict(valid_part), DEFAULT_LEVEL
    )
    log.info("interval pseudo-count fitted on the valid window: %.1f", kappa)
    return replace(models, kappa=kappa)


def run_metrics(
    models: FittedModels, parts: Mapping[str, Split], truth: pa.Table | None
) -> tuple[Evaluation, dict[str, Any]]:
    """The test evaluation against the baseline (and the truth in the sample world), with the
    train/valid losses, iterations, importances and interval settings recorded beside it."""
    train_part, valid_part, test_part = parts["train"], parts["valid"], parts["test"]
    evaluation = evaluate_test(
        test_part.ad_id,
        test_part.date_day,
        test_part.clicks,
        test_part.impressions,
        models.predict(test_part),
        models.baseline,
        truth,
    )
    metrics = {
        **evaluation.metrics,
        "train_logloss_model": binomial_logloss(
            train_part.clicks, train_part.impressions, models.predict(train_part)
        ),
        "valid_logloss_model": binomial_logloss(
            valid_part.clicks, valid_part.impressions, models.predict(valid_part)
        ),
        "valid_logloss_baseline": binomial_logloss(
            valid_part.clicks, valid_part.impressions, np.full(valid_part.rows, models.baseline)
        ),
        "best_iteration": models.best_iteration,
        "feature_importance_gain": _importance(models.booster, models.best_iteration),
        "classifier_best_iteration": models.classifier_iteration,
        "interval_kappa": models.kappa,
        "interval_level": DEFAULT_LEVEL,
    }
    if test_part.rows:
        metrics.update(
            _test_extras(
                test_part,
                models.predict(test_part),
                models.p_clicked(test_part),
                models.kappa,
                truth,
            )
        )
    return evaluation, metrics


@dataclass(frozen=True)
class RunRecord:
    """What is recorded of a run besides its models: ids, data, parameters and metrics."""

    model_run_id: str
    trained_at: datetime
    spec: FeatureSpec
    parts: Mapping[str, Split]
    window: dict[str, date]
    run_params: dict[str, Any]
    metrics: dict[str, Any]
    evaluation: Evaluation


def record_run(
    settings: Settings, warehouse: Warehouse, run: RunRecord, models: FittedModels
) -> tuple[Path, dict[str, Any]]:
    """Save the artifact under ``<artifacts>/models/<run>/`` and upsert its ``ml.model_runs``
    row; returns the folder and the row."""
    versions = package_versions()
    version = code_version(settings.project_dir)
    folder = models_dir(settings) / run.model_run_id
    save_artifact(
        folder,
        models.booster,
        models.best_iteration,
        {
            "classifier_best_iteration": models.classifier_iteration,
            "interval": {"kappa": models.kappa, "level": DEFAULT_LEVEL},
            "model_run_id": run.model_run_id,
            "model_kind": MODEL_KIND,
            "target": TARGET,
            "trained_at": run.trained_at.isoformat(),
            "features": run.spec.to_dict(),
            "best_iteration": models.best_iteration,
            "window": run.window,
            "rows": _rows(run.parts),
            "params": run.run_params,
            "metrics": run.metrics,
            "package_versions": versions,
            "code_version": version,
        },
        classifier=models.classifier,
    )
    evaluation = run.evaluation
    row = {
        "model_run_id": run.model_run_id,
        "trained_at": run.trained_at,
        "model_kind": MODEL_KIND,
        "target": TARGET,
        "train_start": run.window["train_start"],
        "train_end": run.window["train_end"],
        "valid_end": run.window["valid_end"],
        "test_end": run.window["test_end"],
        "train_rows": run.parts["train"].rows,
        "test_rows": run.parts["test"].rows,
        "feature_list": run.spec.columns,
        "params_json": _json(run.run_params),
        "metrics_json": _json(run.metrics),
        "test_logloss_model": evaluation.logloss_model,
        "test_logloss_baseline": evaluation.logloss_baseline,
        "test_logloss_truth": evaluation.logloss_truth,
        "share_of_achievable_gain": evaluation.share_of_achievable_gain,
        "best_iteration": models.best_iteration,
        "artifact_uri": folder.resolve().as_uri(),
        "code_version": version,
        "package_versions_json": _json(versions),
        "engine": warehouse.engine,
    }
    warehouse.upsert(MODEL_RUNS, pa.Table.from_pylist([row], schema=MODEL_RUNS.schema))
    return folder, row


def _rows(parts: Mapping[str, Split]) -> dict[str, int]:
    return {name: part.rows for name, part in parts.items()}


def _window(parts: Mapping[str, Split]) -> dict[str, date]:
    """The run's data window; with no test rows the test window ends where valid ends."""
    train_start, train_end = parts["train"].window() or (None, None)
    valid_window = parts["valid"].window()
    assert train_start is not None and train_end is not None and valid_window is not None
    test_window = parts["test"].window()
    return {
        "train_start": train_start,
        "train_end": train_end,
        "valid_end": valid_window[1],
        "test_end": test_window[1] if test_window else valid_window[1],
    }


def _test_extras(
    test: Split,
    predicted: npt.NDArray[np.float64],
    p_clicked: npt.NDArray[np.float64],
    kappa: float,
    truth: pa.Table | None,
) -> dict[str, Any]:
    """Classifier and interval metrics on the test rows (truth coverage in the sample world)."""
    extras: dict[str, Any] = {
        "test_classifier_auc": auc(test.clicked, p_clicked),
        "test_classifier_logloss": binary_logloss(test.clicked, p_clicked),
        "test_interval_coverage_observed": predictive_coverage(
            test.clicks, test.impressions, predicted, kappa, DEFAULT_LEVEL
        ),
    }
    if truth is not None and truth.num_rows:
        true = pd.DataFrame(
            {
                "ad_id": truth.column("ad_id").to_pylist(),
                "date_day": truth.column("date_day").to_pylist(),
                "true": truth.column("true_ctr_u").to_pylist(),
            }
        )
        rows = pd.DataFrame({"ad_id": test.ad_id, "date_day": test.date_day, "p": predicted})
        covered = rows.merge(true, on=["ad_id", "date_day"], how="inner")
        if len(covered):
            lower, upper = rate_interval(covered["p"], kappa, DEFAULT_LEVEL)
            extras["test_interval_coverage_truth"] = coverage_of_rates(
                covered["true"], lower, upper
            )
    return extras


def _ids(part: pa.Table, name: str) -> npt.NDArray[np.object_] | None:
    if name not in part.column_names:
        return None
    return np.asarray(part.column(name).cast(pa.string()).to_pylist(), dtype=object)


def _floats(column: pa.ChunkedArray) -> npt.NDArray[np.float64]:
    return np.asarray(
        pc.fill_null(column.cast(pa.float64()), 0.0).to_numpy(zero_copy_only=False),
        dtype=np.float64,
    )


def _importance(booster: lgb.Booster, best_iteration: int) -> dict[str, float]:
    gains = booster.feature_importance(importance_type="gain", iteration=best_iteration)
    return {
        name: round(float(gain), 6)
        for name, gain in zip(booster.feature_name(), gains, strict=True)
    }


def _progress(bar: tqdm) -> Any:
    """A LightGBM callback that advances a progress bar and logs the valid loss now and then."""

    def callback(env: lgb.callback.CallbackEnv) -> None:
        bar.update(1)
        if env.iteration % 100 == 0 and env.evaluation_result_list:
            _, metric, value, _ = env.evaluation_result_list[0][:4]
            log.debug("round %d: valid %s %.6f", env.iteration, metric, value)

    callback.order = 30  # type: ignore[attr-defined]
    return callback


def _fmt(value: float | None, digits: int = 6) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _log_metrics(model_run_id: str, metrics: Mapping[str, Any]) -> None:
    log.info(
        "%s test log-loss: model %s, baseline %s, truth %s; share of achievable gain %s",
        model_run_id,
        _fmt(metrics.get("test_logloss_model")),
        _fmt(metrics.get("test_logloss_baseline")),
        _fmt(metrics.get("test_logloss_truth")),
        _fmt(metrics.get("share_of_achievable_gain"), 3),
    )


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
