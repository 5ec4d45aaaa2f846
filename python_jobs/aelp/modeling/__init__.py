"""The unique-link-CTR model: features by prefix, LightGBM training, evaluation and scoring.

Entry points for the command line: :func:`train` (``aelp train``), :func:`score`
(``aelp score``), :func:`aelp.modeling.evaluate.evaluate` (``aelp evaluate``, kept out of
this namespace so that scoring does not import matplotlib) and
:func:`aelp.modeling.bench.run_model_bench` (``aelp bench model``).
"""

from __future__ import annotations

from aelp.modeling.artifact import ModelArtifact, load_artifact
from aelp.modeling.features import (
    FeatureSpec,
    fit_feature_spec,
    model_frame,
    select_feature_columns,
)
from aelp.modeling.metrics import binomial_logloss, p_click_at_least_one
from aelp.modeling.score import latest_model_run, score
from aelp.modeling.train import TrainResult, train
from aelp.warehouse.marts import MissingInputError

__all__ = [
    "FeatureSpec",
    "MissingInputError",
    "ModelArtifact",
    "TrainResult",
    "binomial_logloss",
    "fit_feature_spec",
    "latest_model_run",
    "load_artifact",
    "model_frame",
    "p_click_at_least_one",
    "score",
    "select_feature_columns",
    "train",
]
