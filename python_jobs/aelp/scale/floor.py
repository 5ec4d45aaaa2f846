"""The floor the dbt build is compared with: its core work as plain SQL straight in DuckDB.

Per ad and day: the insights' sums and rates, the configured conversion and landing page views
summed from each row's action arrays (list functions, as the fact does), and a 7-day rolling
window per ad; written as tables into a separate DuckDB file that reads the raw tables of the
warehouse file (attached read-only). No tests, no staging views, no as-of features: what any
hand-written pipeline has to do.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

CONVERSION_ACTION = "offsite_conversion.fb_pixel_purchase"
CONVERSION_WINDOW = "7d_click"


def floor_statements(
    conversion_action: str = CONVERSION_ACTION, conversion_window: str = CONVERSION_WINDOW
) -> list[str]:
    """The floor's statements, in order (DuckDB SQL; the raw catalog is attached as ``raw``)."""

    def matching(array: str, action_type: str, action_window: str) -> str:
        return (
            f"list_sum(list_transform(list_filter(i.{array}, lambda a: a.action_type = "
            f"'{action_type}' and a.action_window = '{action_window}'), lambda a: a.value))"
        )

    return [
        f"""
        create or replace table ad_day as
        select
            i.ad_id,
            i.date_start as date_day,
            i.account_id,
            i.campaign_id,
            i.adset_id,
            ads.creative_id,
            sum(i.impressions) as impressions,
            sum(i.clicks) as clicks,
            sum(i.inline_link_clicks) as inline_link_clicks,
            sum(i.unique_inline_link_clicks) as unique_inline_link_clicks,
            sum(i.spend) as spend,
            coalesce(sum({matching("actions", conversion_action, conversion_window)}), 0)
                as conversions,
            coalesce(sum({matching("action_values", conversion_action, conversion_window)}), 0)
                as conversion_value,
            coalesce(sum({matching("actions", "landing_page_view", "default")}), 0)
                as landing_page_views,
            sum(i.clicks) / nullif(sum(i.impressions), 0) as ctr,
            sum(i.inline_link_clicks) / nullif(sum(i.impressions), 0) as link_ctr,
            sum(i.unique_inline_link_clicks) / nullif(sum(i.impressions), 0) as ctr_u,
            sum(i.spend) * 1000 / nullif(sum(i.impressions), 0) as cpm
        from raw.raw_meta.insights as i
        left join raw.raw_meta.ads as ads on i.ad_id = ads.id
        group by all
        """,
        """
        create or replace table ad_rolling_7d as
        select
            ad_id,
            date_day,
            sum(impressions) over w as impressions_7d,
            sum(unique_inline_link_clicks) over w as unique_inline_link_clicks_7d,
            sum(unique_inline_link_clicks) over w / nullif(sum(impressions) over w, 0)
                as ctr_u_7d_from_daily_sums
        from ad_day
        window w as (
            partition by ad_id order by date_day
            range between interval 6 days preceding and current row
        )
        """,
    ]


def run_floor(warehouse_path: Path, out_path: Path, threads: int | None = None) -> dict[str, int]:
    """Run the floor on the raw tables of ``warehouse_path``; rows per table written."""
    out_path.unlink(missing_ok=True)
    with duckdb.connect(str(out_path)) as con:
        if threads:
            con.execute(f"set threads = {int(threads)}")
        con.execute(f"attach '{warehouse_path}' as raw (read_only)")
        for statement in floor_statements():
            con.execute(statement)
        tables = ("ad_day", "ad_rolling_7d")
        counts = {}
        for table in tables:
            found = con.execute(f"select count(*) from {table}").fetchone()
            counts[table] = int(found[0]) if found else 0
    return counts
