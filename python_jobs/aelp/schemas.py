"""Arrow schemas of the tables AELP writes: the raw contract and the Python job outputs.

These schemas are the single definition of every table a Python job creates. The
warehouse implementations translate them to DuckDB and BigQuery DDL, so nested
``actions`` become ``LIST<STRUCT>`` / ``ARRAY<STRUCT>`` and embeddings become
``LIST<DOUBLE>`` / ``ARRAY<FLOAT64>`` on both engines. The dbt sources YAML documents
the same columns for analysts; ``tests/python/test_schemas.py`` keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

MONEY = pa.decimal128(18, 4)

ACTION = pa.struct(
    [
        pa.field("action_type", pa.string(), nullable=False),
        pa.field("action_window", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),
    ]
)
"""One action count (or value) for one attribution window.

Meta returns ``{"action_type", "value", "1d_click", "7d_click", "1d_view", ...}`` per
action type; the loader writes one struct per (action type, window), with
``action_window = 'default'`` for the top-level ``value`` (the account's attribution
setting) and the window name (``1d_click``, ``7d_click``, ``28d_click``, ``1d_view``)
for each requested window.
"""

_LOADER_META = [
    pa.field("_loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("_batch_id", pa.string(), nullable=False),
]


@dataclass(frozen=True)
class TableSpec:
    """A table the Python jobs own: where it lives, its columns and its key."""

    dataset: str
    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    partition_by: str | None = None
    cluster_by: tuple[str, ...] = ()
    description: str = ""

    @property
    def qualified(self) -> str:
        """``dataset.name``, the engine-neutral identifier."""
        return f"{self.dataset}.{self.name}"


AD_ACCOUNTS = TableSpec(
    "raw_meta",
    "ad_accounts",
    pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("currency", pa.string(), nullable=False),
            pa.field("timezone_name", pa.string(), nullable=False),
            pa.field("account_status", pa.int64()),
            *_LOADER_META,
        ]
    ),
    key=("id",),
    description="Ad accounts (Graph API AdAccount), newest version of each.",
)

CAMPAIGNS = TableSpec(
    "raw_meta",
    "campaigns",
    pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("objective", pa.string()),
            pa.field("status", pa.string()),
            pa.field("effective_status", pa.string()),
            pa.field("buying_type", pa.string()),
            pa.field("created_time", pa.timestamp("us", tz="UTC")),
            pa.field("start_time", pa.timestamp("us", tz="UTC")),
            pa.field("stop_time", pa.timestamp("us", tz="UTC")),
            pa.field("updated_time", pa.timestamp("us", tz="UTC")),
            *_LOADER_META,
        ]
    ),
    key=("id",),
    description="Campaigns (Graph API Campaign), newest version of each.",
)

ADSETS = TableSpec(
    "raw_meta",
    "adsets",
    pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("campaign_id", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("status", pa.string()),
            pa.field("effective_status", pa.string()),
            pa.field("optimization_goal", pa.string()),
            pa.field("billing_event", pa.string()),
            pa.field("daily_budget", pa.int64()),
            pa.field("targeting", pa.string()),
            pa.field("created_time", pa.timestamp("us", tz="UTC")),
            pa.field("start_time", pa.timestamp("us", tz="UTC")),
            pa.field("end_time", pa.timestamp("us", tz="UTC")),
            pa.field("updated_time", pa.timestamp("us", tz="UTC")),
            *_LOADER_META,
        ]
    ),
    key=("id",),
    description=(
        "Ad sets (Graph API AdSet). daily_budget is in the currency's minor unit "
        "(cents) as Meta serves it; targeting is the targeting spec as JSON text."
    ),
)

ADS = TableSpec(
    "raw_meta",
    "ads",
    pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("campaign_id", pa.string(), nullable=False),
            pa.field("adset_id", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("status", pa.string()),
            pa.field("effective_status", pa.string()),
            pa.field("creative_id", pa.string(), nullable=False),
            pa.field("created_time", pa.timestamp("us", tz="UTC")),
            pa.field("updated_time", pa.timestamp("us", tz="UTC")),
            *_LOADER_META,
        ]
    ),
    key=("id",),
    description="Ads (Graph API Ad); creative_id is the ad's creative{id}.",
)

ADCREATIVES = TableSpec(
    "raw_meta",
    "adcreatives",
    pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("title", pa.string()),
            pa.field("body", pa.string()),
            pa.field("call_to_action_type", pa.string()),
            pa.field("object_type", pa.string()),
            pa.field("image_hash", pa.string()),
            pa.field("video_id", pa.string()),
            pa.field("thumbnail_url", pa.string()),
            *_LOADER_META,
        ]
    ),
    key=("id",),
    description="Ad creatives (Graph API AdCreative): copy, call to action and media.",
)

INSIGHTS = TableSpec(
    "raw_meta",
    "insights",
    pa.schema(
        [
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("campaign_id", pa.string(), nullable=False),
            pa.field("adset_id", pa.string(), nullable=False),
            pa.field("ad_id", pa.string(), nullable=False),
            pa.field("date_start", pa.date32(), nullable=False),
            pa.field("date_stop", pa.date32(), nullable=False),
            pa.field("account_currency", pa.string(), nullable=False),
            pa.field("impressions", pa.int64(), nullable=False),
            pa.field("reach", pa.int64()),
            pa.field("frequency", pa.float64()),
            pa.field("clicks", pa.int64(), nullable=False),
            pa.field("inline_link_clicks", pa.int64(), nullable=False),
            pa.field("unique_inline_link_clicks", pa.int64(), nullable=False),
            pa.field("spend", MONEY, nullable=False),
            pa.field("cpm", pa.float64()),
            pa.field("actions", pa.list_(ACTION)),
            pa.field("action_values", pa.list_(ACTION)),
            pa.field("attribution_setting", pa.string()),
            pa.field("_requested_action_windows", pa.string(), nullable=False),
            *_LOADER_META,
        ]
    ),
    key=("ad_id", "date_start"),
    partition_by="date_start",
    cluster_by=("account_id", "ad_id"),
    description=(
        "Daily ad-level insights (level=ad, time_increment=1), one row per ad and "
        "account-local day. Numbers are parsed from Meta's strings; actions and "
        "action_values are kept nested, one struct per (action type, window)."
    ),
)

SIM_TRUTH = TableSpec(
    "sim",
    "truth",
    pa.schema(
        [
            pa.field("ad_id", pa.string(), nullable=False),
            pa.field("date_day", pa.date32(), nullable=False),
            pa.field("true_ctr_u", pa.float64(), nullable=False),
            pa.field("true_link_ctr", pa.float64(), nullable=False),
            pa.field("true_ctr", pa.float64(), nullable=False),
            pa.field("true_c2s", pa.float64(), nullable=False),
            pa.field("true_cpm", pa.float64(), nullable=False),
        ]
    ),
    key=("ad_id", "date_day"),
    description=(
        "Sample world only: the true rates each observed day was drawn from. The "
        "yardstick for evaluation; never a feature."
    ),
)

RAW_META_TABLES: tuple[TableSpec, ...] = (
    AD_ACCOUNTS,
    CAMPAIGNS,
    ADSETS,
    ADS,
    ADCREATIVES,
    INSIGHTS,
)

CREATIVE_ASSETS = TableSpec(
    "raw_meta",
    "creative_assets",
    pa.schema(
        [
            pa.field("creative_id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("image_hash", pa.string()),
            pa.field("video_id", pa.string()),
            pa.field("media_type", pa.string(), nullable=False),
            pa.field("content_sha256", pa.string()),
            pa.field("uri", pa.string()),
            pa.field("bytes", pa.int64()),
            pa.field("fetch_status", pa.string(), nullable=False),
            pa.field("fetch_error", pa.string()),
            pa.field("fetched_at", pa.timestamp("us", tz="UTC")),
            *_LOADER_META,
        ]
    ),
    key=("creative_id",),
    description=(
        "Manifest of each creative's media file in the asset store: which file "
        "(content hash, URI) holds the image or video of a creative."
    ),
)

ASSET_FEATURES = TableSpec(
    "raw_creative",
    "asset_features",
    pa.schema(
        [
            pa.field("content_sha256", pa.string(), nullable=False),
            pa.field("extractor_version", pa.string(), nullable=False),
            pa.field("weights", pa.string(), nullable=False),
            pa.field("media_type", pa.string(), nullable=False),
            pa.field("file_name", pa.string()),
            pa.field("width", pa.int64()),
            pa.field("height", pa.int64()),
            pa.field("aspect_ratio", pa.float64()),
            pa.field("duration_s", pa.float64()),
            pa.field("fps", pa.float64()),
            pa.field("frame_count", pa.int64()),
            pa.field("brightness", pa.float64()),
            pa.field("contrast", pa.float64()),
            pa.field("colourfulness", pa.float64()),
            pa.field("warmth", pa.float64()),
            pa.field("saturation", pa.float64()),
            pa.field("edge_density", pa.float64()),
            pa.field("motion_energy", pa.float64()),
            pa.field("scene_cut_count", pa.int64()),
            pa.field("scene_cut_rate", pa.float64()),
            pa.field("time_to_first_cut_s", pa.float64()),
            pa.field("extracted_at", pa.timestamp("us", tz="UTC"), nullable=False),
            *_LOADER_META,
        ]
    ),
    key=("content_sha256", "extractor_version", "weights"),
    description=(
        "Content features per media file, keyed by the file's SHA-256 and the "
        "extractor version and weights that produced them."
    ),
)

MODEL_RUNS = TableSpec(
    "ml",
    "model_runs",
    pa.schema(
        [
            pa.field("model_run_id", pa.string(), nullable=False),
            pa.field("trained_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("model_kind", pa.string(), nullable=False),
            pa.field("target", pa.string(), nullable=False),
            pa.field("train_start", pa.date32(), nullable=False),
            pa.field("train_end", pa.date32(), nullable=False),
            pa.field("valid_end", pa.date32(), nullable=False),
            pa.field("test_end", pa.date32(), nullable=False),
            pa.field("train_rows", pa.int64(), nullable=False),
            pa.field("test_rows", pa.int64(), nullable=False),
            pa.field("feature_list", pa.list_(pa.string()), nullable=False),
            pa.field("params_json", pa.string(), nullable=False),
            pa.field("metrics_json", pa.string(), nullable=False),
            pa.field("test_logloss_model", pa.float64()),
            pa.field("test_logloss_baseline", pa.float64()),
            pa.field("test_logloss_truth", pa.float64()),
            pa.field("share_of_achievable_gain", pa.float64()),
            pa.field("best_iteration", pa.int64()),
            pa.field("artifact_uri", pa.string(), nullable=False),
            pa.field("code_version", pa.string(), nullable=False),
            pa.field("package_versions_json", pa.string(), nullable=False),
            pa.field("engine", pa.string(), nullable=False),
        ]
    ),
    key=("model_run_id",),
    description="One row per training run: data window, features, metrics and provenance.",
)

CTR_PREDICTIONS = TableSpec(
    "ml",
    "ctr_predictions",
    pa.schema(
        [
            pa.field("model_run_id", pa.string(), nullable=False),
            pa.field("prediction_date", pa.date32(), nullable=False),
            pa.field("ad_id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("predicted_ctr_u", pa.float64(), nullable=False),
            pa.field("p_click_ge1", pa.float64(), nullable=False),
            pa.field("p_click_impressions", pa.int64(), nullable=False),
            pa.field("scored_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("predicted_ctr_u_lower", pa.float64()),
            pa.field("predicted_ctr_u_upper", pa.float64()),
            pa.field("interval_level", pa.float64()),
            pa.field("p_link_click_gt0", pa.float64()),
        ]
    ),
    key=("model_run_id", "prediction_date", "ad_id"),
    partition_by="prediction_date",
    cluster_by=("account_id", "ad_id"),
    description="Predicted unique link CTR per ad and day, per model run.",
)

BUDGET_SLATES = TableSpec(
    "ml",
    "budget_slates",
    pa.schema(
        [
            pa.field("slate_id", pa.string(), nullable=False),
            pa.field("slate_date", pa.date32(), nullable=False),
            pa.field("ad_id", pa.string(), nullable=False),
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("model_run_id", pa.string(), nullable=False),
            pa.field("arm", pa.string(), nullable=False),
            pa.field("budget_share", pa.float64(), nullable=False),
            pa.field("planned_spend", MONEY, nullable=False),
            pa.field("currency", pa.string(), nullable=False),
            pa.field("predicted_ctr_u", pa.float64(), nullable=False),
            pa.field("posterior_ctr_u_mean", pa.float64(), nullable=False),
            pa.field("predicted_c2s", pa.float64(), nullable=False),
            pa.field("predicted_cpm", pa.float64(), nullable=False),
            pa.field("planned_impressions", pa.int64(), nullable=False),
            pa.field("expected_conversions", pa.float64(), nullable=False),
            pa.field("predicted_cac", pa.float64()),
            pa.field("p_click_ge1", pa.float64(), nullable=False),
            pa.field("reason", pa.string(), nullable=False),
            pa.field("seed", pa.int64(), nullable=False),
            pa.field("created_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("campaign_id", pa.string()),
            pa.field("adset_id", pa.string()),
            pa.field("is_learning", pa.bool_()),
            pa.field("planned_frequency", pa.float64()),
            pa.field("is_frequency_capped", pa.bool_()),
            pa.field("ctr_prior_strength", pa.float64()),
            pa.field("c2s_prior_mean", pa.float64()),
            pa.field("c2s_prior_strength", pa.float64()),
            pa.field("p_best", pa.float64()),
            pa.field("p_top_k", pa.float64()),
        ]
    ),
    key=("slate_date", "account_id", "ad_id"),
    partition_by="slate_date",
    cluster_by=("account_id", "ad_id"),
    description="Budget split per ad for a day: exploit/explore arm, share and why.",
)

ML_TABLES: tuple[TableSpec, ...] = (MODEL_RUNS, CTR_PREDICTIONS, BUDGET_SLATES)
ALL_TABLES: tuple[TableSpec, ...] = (
    *RAW_META_TABLES,
    CREATIVE_ASSETS,
    ASSET_FEATURES,
    SIM_TRUTH,
    *ML_TABLES,
)
