"""Reads of the reporting views: portable SQL, one function per view, None when it is missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aelp.config import Settings
from aelp.warehouse import Warehouse

Rows = list[dict[str, Any]]


def reporting_schema(settings: Settings) -> str:
    """The schema (dataset) dbt gives the rpt_ views: ``<target schema>_reporting``."""
    return f"{settings.target.schema}_reporting"


@dataclass(frozen=True)
class ReportData:
    """What every section reads; None where the view does not exist yet."""

    account_days: Rows | None
    running: Rows | None
    catalog: Rows | None
    slate: Rows | None
    reliability: Rows | None
    quality: Rows | None
    effects: Rows | None
    concept_forecasts: Rows | None
    concept_hit_rate: Rows | None


class ViewReader:
    """Selects from the rpt_ views of one schema."""

    def __init__(self, warehouse: Warehouse, schema: str) -> None:
        self.warehouse = warehouse
        self.schema = schema

    def exists(self, view: str) -> bool:
        """Whether the view has been built."""
        return self.warehouse.table_exists(self.schema, view)

    def columns(self, view: str) -> list[str]:
        """The view's column names (an empty select)."""
        ref = self.warehouse.table_ref(self.schema, view)
        return list(self.warehouse.query(f"select * from {ref} where 1 = 0").column_names)

    def select(
        self,
        view: str,
        columns: Sequence[str] | None = None,
        where: str | None = None,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> Rows | None:
        """Rows of a view (None when the view is missing); ``columns`` None takes all."""
        if not self.exists(view):
            return None
        ref = self.warehouse.table_ref(self.schema, view)
        sql = f"select {', '.join(columns) if columns else '*'} from {ref}"
        if where:
            sql += f" where {where}"
        if order_by:
            sql += f" order by {order_by}"
        if limit:
            sql += f" limit {int(limit)}"
        rows: Rows = self.warehouse.query(sql).to_pylist()
        return rows


ACCOUNT_DAYS_COLUMNS = (
    "account_id",
    "date_day",
    "account_currency",
    "ads_delivered",
    "impressions",
    "unique_inline_link_clicks_from_ad_sums",
    "spend",
    "conversions",
    "ctr_u_from_ad_sums",
    "cac",
    "impressions_prior_7d",
    "ctr_u_prior_7d_from_daily_sums",
    "cac_prior_7d",
    "ctr_u_change_vs_prior_7d",
    "is_latest_day",
)
RUNNING_COLUMNS = (
    "ad_id",
    "date_day",
    "account_id",
    "creative_id",
    "impressions",
    "ctr_u",
    "impressions_7d",
    "ctr_u_7d_from_daily_sums",
    "ctr_u_prior_7d_from_daily_sums",
    "predicted_ctr_u",
    "predicted_ctr_u_lower",
    "predicted_ctr_u_upper",
    "interval_level",
    "ctr_u_7d_minus_predicted",
    "is_under_delivering",
    "is_fatiguing",
)
CATALOG_COLUMNS = (
    "ad_id",
    "ad_name",
    "campaign_name",
    "adset_name",
    "creative_id",
    "title",
    "media_type",
    "content_sha256",
    "asset_uri",
)
SLATE_COLUMNS = (
    "slate_date",
    "account_id",
    "ad_id",
    "ad_name",
    "arm",
    "slate_rank",
    "budget_share",
    "planned_spend",
    "currency",
    "posterior_ctr_u_mean",
    "expected_conversions",
    "predicted_cac",
    "reason",
)
RELIABILITY_COLUMNS = (
    "model_run_id",
    "scorer",
    "bin_number",
    "rank_from_top",
    "predicted_ctr_u",
    "observed_ctr_u",
    "impressions",
    "lift",
    "cumulative_impression_share_from_top",
    "test_start",
    "test_end",
)
QUALITY_COLUMNS = ("model_run_id", "segment", "scorer", "metric", "metric_value", "row_count")
EFFECTS_COLUMNS = (
    "element",
    "element_value",
    "model_run_id",
    "average_effect_ctr_u",
    "support_rows",
    "support_ads",
    "effect_rank",
)
HIT_RATE_COLUMNS = (
    "model_run_id",
    "content_sha256",
    "concept_file",
    "benchmark_ctr_u",
    "predicted_ctr_u",
    "predicted_ctr_u_lower",
    "predicted_ctr_u_upper",
    "p_ctr_u_ge_benchmark",
    "ctr_u_from_daily_sums",
    "is_hit",
    "is_inside_interval",
    "forecast_rank",
    "reliability_bin",
    "bin_forecasts",
    "bin_mean_p_hit",
    "bin_hit_rate",
    "run_concepts",
    "run_hit_rate",
    "run_mean_p_hit",
    "run_brier_skill_score",
    "run_top_quartile_hit_rate",
)
CONCEPT_FORECAST_COLUMNS = (
    "content_sha256",
    "scenario_id",
    "model_run_id",
    "concept_file",
    "benchmark_ctr_u",
    "predicted_ctr_u",
    "predicted_ctr_u_lower",
    "predicted_ctr_u_upper",
    "p_ctr_u_ge_benchmark",
    "rank_in_scenario",
)
VIEWS = {
    "account_days": "rpt_account_daily",
    "running": "rpt_current_running_scored",
    "catalog": "rpt_ad_catalog",
    "slate": "rpt_slate_latest",
    "reliability": "rpt_model_reliability",
    "quality": "rpt_model_quality",
    "effects": "rpt_creative_element_effects",
    "concept_forecasts": "rpt_concept_forecasts",
    "concept_hit_rate": "rpt_concept_hit_rate",
}
"""Section input → the view it reads."""


def read_report_data(warehouse: Warehouse, schema: str, max_running: int = 500) -> ReportData:
    """Every view the report shows, read with the columns its sections use."""
    reader = ViewReader(warehouse, schema)
    return ReportData(
        account_days=reader.select(
            VIEWS["account_days"], ACCOUNT_DAYS_COLUMNS, order_by="account_id, date_day"
        ),
        running=reader.select(
            VIEWS["running"],
            RUNNING_COLUMNS,
            order_by="impressions_7d desc, ad_id",
            limit=max_running,
        ),
        catalog=reader.select(VIEWS["catalog"], CATALOG_COLUMNS),
        slate=reader.select(VIEWS["slate"], SLATE_COLUMNS, order_by="account_id, slate_rank"),
        reliability=reader.select(
            VIEWS["reliability"], RELIABILITY_COLUMNS, order_by="scorer, bin_number"
        ),
        quality=reader.select(
            VIEWS["quality"], QUALITY_COLUMNS, order_by="segment, scorer, metric"
        ),
        effects=reader.select(
            VIEWS["effects"], EFFECTS_COLUMNS, order_by="effect_rank, element, element_value"
        ),
        concept_forecasts=reader.select(
            VIEWS["concept_forecasts"],
            CONCEPT_FORECAST_COLUMNS,
            order_by="content_sha256, rank_in_scenario, scenario_id",
        ),
        concept_hit_rate=reader.select(
            VIEWS["concept_hit_rate"], HIT_RATE_COLUMNS, order_by="model_run_id, forecast_rank"
        ),
    )
