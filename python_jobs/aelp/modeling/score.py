"""Score the next day's active ads with a trained model and store the predictions."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa

from aelp.config import Settings
from aelp.modeling.artifact import ModelArtifact, load_artifact
from aelp.modeling.features import model_frame
from aelp.modeling.intervals import rate_interval
from aelp.modeling.marts import read_scoring_features
from aelp.modeling.metrics import p_click_at_least_one
from aelp.modeling.train import MODEL_KIND
from aelp.schemas import CTR_PREDICTIONS, MODEL_RUNS
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import MissingInputError

log = logging.getLogger(__name__)

DEFAULT_P_CLICK_IMPRESSIONS = 1000


def latest_model_run(warehouse: Warehouse) -> tuple[str, str | None]:
    """The newest CTR model run in ``ml.model_runs``: its id and artifact URI."""
    if not warehouse.table_exists(MODEL_RUNS.dataset, MODEL_RUNS.name):
        raise MissingInputError("ml.model_runs does not exist: run `aelp train` first")
    found = warehouse.query(
        f"select model_run_id, artifact_uri from {warehouse.spec_ref(MODEL_RUNS)} "
        f"where model_kind = {sql.text(MODEL_KIND)} "
        "order by trained_at desc, model_run_id desc limit 1"
    )
    if not found.num_rows:
        raise MissingInputError("ml.model_runs holds no CTR model run: run `aelp train` first")
    return str(found.column("model_run_id")[0].as_py()), found.column("artifact_uri")[0].as_py()


def artifact_uri_of(warehouse: Warehouse, model_run_id: str) -> str | None:
    """The recorded artifact URI of a run, or None when the run is not recorded."""
    if not warehouse.table_exists(MODEL_RUNS.dataset, MODEL_RUNS.name):
        return None
    found = warehouse.query(
        f"select artifact_uri from {warehouse.spec_ref(MODEL_RUNS)} "
        f"where model_run_id = {sql.text(model_run_id)}"
    )
    return found.column("artifact_uri")[0].as_py() if found.num_rows else None


def predict_ctr_u(artifact: ModelArtifact, features: pa.Table) -> np.ndarray:
    """Predicted unique link CTR for each row of a table holding the model's features."""
    if not features.num_rows:
        return np.array([], dtype=np.float64)
    frame = model_frame(features, artifact.features)
    return np.asarray(artifact.booster.predict(frame), dtype=np.float64)


def predict_p_clicked(artifact: ModelArtifact, features: pa.Table) -> np.ndarray | None:
    """The classifier's P(at least one unique link click on the day), when the run has one."""
    if artifact.classifier is None:
        return None
    if not features.num_rows:
        return np.array([], dtype=np.float64)
    frame = model_frame(features, artifact.features)
    return np.asarray(artifact.classifier.predict(frame), dtype=np.float64)


def prediction_rows(
    model_run_id: str,
    prediction_date: date,
    scoring: pa.Table,
    predicted: np.ndarray,
    p_click_impressions: int,
    scored_at: datetime,
    *,
    interval: tuple[float, float] | None = None,
    p_clicked: np.ndarray | None = None,
) -> pa.Table:
    """The ``ml.ctr_predictions`` rows for one run, date and set of scored ads.

    ``interval`` is the run's (pseudo-count κ, level): with it each row carries the
    Beta interval of its ctr_u; ``p_clicked`` is the classifier's probability.
    """
    n = scoring.num_rows
    lower = upper = level = None
    if interval is not None:
        kappa, level_value = interval
        low, high = rate_interval(predicted, kappa, level_value)
        lower, upper = pa.array(low, pa.float64()), pa.array(high, pa.float64())
        level = pa.array([level_value] * n, pa.float64())
    return pa.table(
        {
            "model_run_id": pa.array([model_run_id] * n, pa.string()),
            "prediction_date": pa.array([prediction_date] * n, pa.date32()),
            "ad_id": scoring.column("ad_id").cast(pa.string()),
            "account_id": scoring.column("account_id").cast(pa.string()),
            "predicted_ctr_u": pa.array(predicted, pa.float64()),
            "p_click_ge1": pa.array(p_click_at_least_one(predicted, p_click_impressions)),
            "p_click_impressions": pa.array([p_click_impressions] * n, pa.int64()),
            "scored_at": pa.array([scored_at] * n, pa.timestamp("us", tz="UTC")),
            "predicted_ctr_u_lower": lower if lower is not None else pa.nulls(n, pa.float64()),
            "predicted_ctr_u_upper": upper if upper is not None else pa.nulls(n, pa.float64()),
            "interval_level": level if level is not None else pa.nulls(n, pa.float64()),
            "p_link_click_gt0": (
                pa.array(p_clicked, pa.float64())
                if p_clicked is not None
                else pa.nulls(n, pa.float64())
            ),
        },
        schema=CTR_PREDICTIONS.schema,
    )


def score(
    settings: Settings,
    warehouse: Warehouse,
    *,
    model_run_id: str | None = None,
    prediction_date: date | None = None,
) -> int:
    """Predict ctr_u for the scoring mart's ads on one date and write ``ml.ctr_predictions``.

    Uses the newest run in ``ml.model_runs`` unless ``model_run_id`` is given, and the
    scoring mart's latest date unless ``prediction_date`` is. Re-running replaces the
    (run, date) predictions, including dropping ads no longer in the mart. Returns the
    number of rows written.
    """
    if model_run_id is None:
        model_run_id, uri = latest_model_run(warehouse)
    else:
        uri = artifact_uri_of(warehouse, model_run_id)
    artifact = load_artifact(settings, model_run_id, uri)
    prediction_date, scoring = read_scoring_features(
        settings, warehouse, artifact.features.columns, prediction_date
    )
    n_impressions = int(settings.var("p_click_impressions", DEFAULT_P_CLICK_IMPRESSIONS))
    predicted = predict_ctr_u(artifact, scoring)
    scored_at = datetime.now(UTC)
    kappa, level = artifact.interval_kappa, artifact.interval_level
    rows = prediction_rows(
        model_run_id,
        prediction_date,
        scoring,
        predicted,
        n_impressions,
        scored_at,
        interval=(kappa, level) if kappa is not None and level is not None else None,
        p_clicked=predict_p_clicked(artifact, scoring),
    )
    written = warehouse.upsert(CTR_PREDICTIONS, rows)
    _drop_stale(warehouse, model_run_id, prediction_date, scored_at)
    if written:
        log.info(
            "scored %d ads for %s with %s (mean predicted ctr_u %.5f)",
            written,
            prediction_date,
            model_run_id,
            float(predicted.mean()),
        )
    else:
        log.warning("no ads to score on %s", prediction_date)
    return written


def _drop_stale(
    warehouse: Warehouse, model_run_id: str, prediction_date: date, scored_at: datetime
) -> None:
    """Delete this (run, date)'s rows that the latest scoring did not rewrite."""
    warehouse.execute(
        f"delete from {warehouse.spec_ref(CTR_PREDICTIONS)} "
        f"where model_run_id = {sql.text(model_run_id)} "
        f"and prediction_date = {sql.day(prediction_date)} "
        f"and scored_at <> {sql.timestamp(scored_at)}"
    )
