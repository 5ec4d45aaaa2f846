"""The short end-of-run summary: table sizes, best and worst ads, model quality."""

from __future__ import annotations

from aelp import schemas
from aelp.config import Settings
from aelp.warehouse import Warehouse

MART_TABLES = (
    "fct_ad_daily_link_ctr",
    "dim_ads",
    "dim_creatives",
    "ml_ctr_training_examples",
    "ml_ctr_scoring_features",
)
MIN_IMPRESSIONS_FOR_RANKING = 5_000
FACT = "fct_ad_daily_link_ctr"
ALL_DAYS = "date_day >= date '1970-01-01'"
"""An explicit filter on the fact's partition column that keeps every day: on BigQuery the fact
requires a partition filter, and the summary reads its whole history on purpose."""


def _table_rows(settings: Settings, warehouse: Warehouse) -> list[tuple[str, int]]:
    specs = [
        *schemas.RAW_META_TABLES,
        schemas.CREATIVE_ASSETS,
        schemas.ASSET_FEATURES,
        schemas.SIM_TRUTH,
        *schemas.ML_TABLES,
    ]
    rows = [(spec.qualified, warehouse.count(spec.dataset, spec.name)) for spec in specs]
    rows += [
        (f"{settings.marts_schema}.{name}", _mart_rows(settings, warehouse, name))
        for name in MART_TABLES
    ]
    return rows


def _mart_rows(settings: Settings, warehouse: Warehouse, name: str) -> int:
    if name != FACT or not warehouse.table_exists(settings.marts_schema, name):
        return warehouse.count(settings.marts_schema, name)
    fct = warehouse.table_ref(settings.marts_schema, name)
    result = warehouse.query(f"select count(*) as n from {fct} where {ALL_DAYS}")
    return int(result.column("n")[0].as_py())


def _ranked_ads(settings: Settings, warehouse: Warehouse, descending: bool, n: int) -> list[str]:
    fct = warehouse.table_ref(settings.marts_schema, FACT)
    order = "desc" if descending else "asc"
    table = warehouse.query(
        f"""
        select
            ad_id,
            sum(impressions) as impressions,
            sum(unique_inline_link_clicks) as unique_link_clicks,
            sum(unique_inline_link_clicks) / sum(impressions) as ctr_u
        from {fct}
        where {ALL_DAYS}
        group by ad_id
        having sum(impressions) >= {MIN_IMPRESSIONS_FOR_RANKING}
        order by ctr_u {order}, ad_id
        limit {n}
        """
    )
    return [
        f"  ad {r['ad_id']:<16} ctr_u {r['ctr_u']:.3%}  ({r['unique_link_clicks']:,} unique "
        f"link clicks / {r['impressions']:,} impressions; daily uniques summed)"
        for r in table.to_pylist()
    ]


def _model_quality(warehouse: Warehouse) -> list[str]:
    spec = schemas.MODEL_RUNS
    if not warehouse.table_exists(spec.dataset, spec.name):
        return ["  no model run yet"]
    table = warehouse.query(
        f"""
        select model_run_id, train_end, test_end, test_rows, test_logloss_model,
               test_logloss_baseline, test_logloss_truth, share_of_achievable_gain
        from {warehouse.spec_ref(spec)}
        order by trained_at desc
        limit 1
        """
    )
    if table.num_rows == 0:
        return ["  no model run yet"]
    run = table.to_pylist()[0]
    lines = [
        f"  run {run['model_run_id']} (train to {run['train_end']}, test to {run['test_end']}, "
        f"{run['test_rows']:,} test rows)",
        "  impression-weighted log-loss on the forward test window:",
        f"    model    {run['test_logloss_model']:.6f}",
        f"    baseline {run['test_logloss_baseline']:.6f}  (global mean ctr_u)",
    ]
    if run["test_logloss_truth"] is not None:
        lines.append(f"    truth    {run['test_logloss_truth']:.6f}  (the world's true rates)")
    if run["share_of_achievable_gain"] is not None:
        lines.append(f"  share of achievable gain captured: {run['share_of_achievable_gain']:.1%}")
    return lines


def _latest_slate(warehouse: Warehouse, n: int) -> list[str]:
    spec = schemas.BUDGET_SLATES
    if not warehouse.table_exists(spec.dataset, spec.name):
        return ["  no slate yet"]
    ref = warehouse.spec_ref(spec)
    table = warehouse.query(
        f"""
        select slate_date, ad_id, arm, budget_share, planned_spend, currency,
               predicted_cac, reason
        from {ref}
        where slate_date = (select max(slate_date) from {ref})
        order by budget_share desc, ad_id
        limit {n}
        """
    )
    if table.num_rows == 0:
        return ["  no slate yet"]
    rows = table.to_pylist()
    lines = [f"  for {rows[0]['slate_date']} (largest {len(rows)} lines):"]
    for r in rows:
        cac = f"CAC {r['predicted_cac']:.2f}" if r["predicted_cac"] is not None else "CAC n/a"
        lines.append(
            f"  ad {r['ad_id']:<20} {r['arm']:<8} {r['budget_share']:6.1%} "
            f"{r['planned_spend']:>9.2f} {r['currency']}  {cac}  {r['reason']}"
        )
    return lines


def render_summary(settings: Settings, warehouse: Warehouse, n_ads: int = 5) -> str:
    """A plain-text report of the pipeline's state."""
    lines = [
        f"AELP summary (target {settings.target.name}, {settings.target.type})",
        "",
        "rows per table:",
    ]
    lines += [f"  {name:<40} {n:>10,}" for name, n in _table_rows(settings, warehouse)]
    if warehouse.table_exists(settings.marts_schema, "fct_ad_daily_link_ctr"):
        lines += ["", f"best ads by ctr_u (>= {MIN_IMPRESSIONS_FOR_RANKING:,} impressions):"]
        lines += _ranked_ads(settings, warehouse, descending=True, n=n_ads)
        lines += ["", "worst ads by ctr_u:"]
        lines += _ranked_ads(settings, warehouse, descending=False, n=n_ads)
    lines += ["", "model quality:", *_model_quality(warehouse)]
    lines += ["", "budget slate:", *_latest_slate(warehouse, n_ads)]
    return "\n".join(lines)
