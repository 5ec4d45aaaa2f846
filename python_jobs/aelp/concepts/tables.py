"""The table new-concept forecasts are written to."""

from __future__ import annotations

import pyarrow as pa

from aelp.schemas import TableSpec

CONCEPT_FORECASTS = TableSpec(
    "ml",
    "concept_forecasts",
    pa.schema(
        [
            pa.field("model_run_id", pa.string(), nullable=False),
            pa.field("content_sha256", pa.string(), nullable=False),
            pa.field("scenario_id", pa.string(), nullable=False),
            pa.field("concept_file", pa.string(), nullable=False),
            pa.field("media_type", pa.string()),
            pa.field("as_of_date", pa.date32(), nullable=False),
            pa.field("horizon_days", pa.int64(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("campaign_id", pa.string()),
            pa.field("adset_id", pa.string(), nullable=False),
            pa.field("account_currency", pa.string()),
            pa.field("planned_impressions_per_day", pa.int64(), nullable=False),
            pa.field("benchmark_rule", pa.string(), nullable=False),
            pa.field("benchmark_ctr_u", pa.float64(), nullable=False),
            pa.field("benchmark_ads", pa.int64()),
            pa.field("model_ctr_u", pa.float64(), nullable=False),
            pa.field("predicted_ctr_u", pa.float64(), nullable=False),
            pa.field("predicted_ctr_u_lower", pa.float64(), nullable=False),
            pa.field("predicted_ctr_u_upper", pa.float64(), nullable=False),
            pa.field("interval_level", pa.float64(), nullable=False),
            pa.field("p_click_ge1", pa.float64(), nullable=False),
            pa.field("p_ctr_u_ge_benchmark", pa.float64(), nullable=False),
            pa.field("planned_spend", pa.float64()),
            pa.field("expected_link_clicks", pa.float64(), nullable=False),
            pa.field("click_to_conversion_rate", pa.float64()),
            pa.field("expected_conversions", pa.float64()),
            pa.field("expected_cac", pa.float64()),
            pa.field("rank_in_scenario", pa.int64(), nullable=False),
            pa.field("calibration_ads", pa.int64(), nullable=False),
            pa.field("calibration_method", pa.string(), nullable=False),
            pa.field("creative_extractor_version", pa.string()),
            pa.field("creative_clip_weights", pa.string()),
            pa.field("creative_yolo_weights", pa.string()),
            pa.field("forecast_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    ),
    key=("model_run_id", "content_sha256", "scenario_id"),
    cluster_by=("model_run_id", "adset_id"),
    description=(
        "One row per concept (content hash), scenario (ad set, planned impressions per day, "
        "as-of day, horizon, benchmark) and model run: predicted ctr_u with its interval, "
        "P(>=1 link click), P(ctr_u >= benchmark), expected conversions and CAC, and a rank."
    ),
)
