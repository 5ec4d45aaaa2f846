"""Tables the model evaluation writes: long-format metrics and creative element effects."""

from __future__ import annotations

import pyarrow as pa

from aelp.schemas import TableSpec

MODEL_EVALUATIONS = TableSpec(
    "ml",
    "model_evaluations",
    pa.schema(
        [
            pa.field("model_run_id", pa.string(), nullable=False),
            pa.field("segment", pa.string(), nullable=False),
            pa.field("scorer", pa.string(), nullable=False),
            pa.field("metric", pa.string(), nullable=False),
            pa.field("metric_value", pa.float64()),
            pa.field("row_count", pa.int64(), nullable=False),
            pa.field("impressions", pa.float64(), nullable=False),
            pa.field("test_start", pa.date32(), nullable=False),
            pa.field("test_end", pa.date32(), nullable=False),
            pa.field("evaluated_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    ),
    key=("model_run_id", "segment", "scorer", "metric"),
    cluster_by=("model_run_id",),
    description=(
        "One row per model run, segment (overall, cold_start, warm, reliability bins), "
        "scorer (model, classifier, baselines, truth) and metric on the forward test window."
    ),
)

CREATIVE_ELEMENT_EFFECTS = TableSpec(
    "ml",
    "creative_element_effects",
    pa.schema(
        [
            pa.field("model_run_id", pa.string(), nullable=False),
            pa.field("element", pa.string(), nullable=False),
            pa.field("element_value", pa.string(), nullable=False),
            pa.field("element_group", pa.string(), nullable=False),
            pa.field("average_effect_ctr_u", pa.float64(), nullable=False),
            pa.field("average_contribution_logit", pa.float64(), nullable=False),
            pa.field("support_rows", pa.int64(), nullable=False),
            pa.field("support_ads", pa.int64(), nullable=False),
            pa.field("computed_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    ),
    key=("model_run_id", "element", "element_value"),
    cluster_by=("model_run_id",),
    description=(
        "Per model run, feature and value (present/absent, high/low, category): the "
        "average change in predicted ctr_u that the feature's contribution makes, and support."
    ),
)

EVALUATION_TABLES: tuple[TableSpec, ...] = (MODEL_EVALUATIONS, CREATIVE_ELEMENT_EFFECTS)
