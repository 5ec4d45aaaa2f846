"""The report's sections: each turns rows of the views into text, tables and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from aelp.report import charts
from aelp.report.data import VIEWS, ReportData
from aelp.report.formatting import count, money, number, pct, signed_pct

ML_OUTPUTS = "dbt build --selector ml_outputs"


@dataclass
class Section:
    """One block of the report: a title, HTML fragments and charts, or why it is missing."""

    key: str
    title: str
    intro: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    charts: list[tuple[str, go.Figure]] = field(default_factory=list)
    unavailable: str | None = None
    """Why the section has no data and which command fills it (None when it has data)."""


def _missing(view: str, commands: str) -> str:
    return f"Not available: the view {view} is missing or empty — run {commands}."


def headline(data: ReportData) -> Section:
    """Today's account: spend, impressions, ctr_u against the 7 days before, conversions, CAC."""
    section = Section("headline", "Today's account")
    days = data.account_days
    if not days:
        section.unavailable = _missing(VIEWS["account_days"], "dbt build")
        return section
    for account_id in sorted({r["account_id"] for r in days}):
        rows = [r for r in days if r["account_id"] == account_id]
        today = next((r for r in rows if r["is_latest_day"]), rows[-1])
        currency = today["account_currency"]
        cards = [
            {"label": "Spend", "value": money(today["spend"], currency)},
            {"label": "Impressions", "value": count(today["impressions"])},
            {
                "label": "ctr_u",
                "value": pct(today["ctr_u_from_ad_sums"], 3),
                "note": f"7 days before: {pct(today['ctr_u_prior_7d_from_daily_sums'], 3)}",
                "change": signed_pct(today["ctr_u_change_vs_prior_7d"]),
                "direction": _direction(today["ctr_u_change_vs_prior_7d"]),
            },
            {"label": "Conversions", "value": number(today["conversions"], 1)},
            {
                "label": "CAC",
                "value": money(today["cac"], currency),
                "note": f"7 days before: {money(today['cac_prior_7d'], currency)}",
            },
            {"label": "Ads delivering", "value": count(today["ads_delivered"])},
        ]
        section.blocks.append(
            {
                "kind": "cards",
                "title": f"Account {account_id} on {today['date_day']}",
                "cards": cards,
                "footnote": (
                    "ctr_u = unique link clicks / impressions, with the ads' daily unique "
                    "clicks summed (an upper bound of the account's unique clickers)."
                ),
            }
        )
        section.charts.append((f"account-trend-{account_id}", charts.account_trend(rows, currency)))
    return section


def _direction(change: Any) -> str:
    if change is None:
        return "flat"
    return "up" if change > 0 else "down" if change < 0 else "flat"


def running_ads(data: ReportData, thumbs: dict[str, str], max_rows: int = 40) -> Section:
    """Running ads ranked by 7-day ctr_u, with the prediction, its interval and the flags."""
    section = Section(
        "running",
        "Running ads: observed vs predicted ctr_u",
        intro=(
            "Every ad that delivered on the latest day, ranked by its 7-day ctr_u (daily unique "
            "link clicks summed over 7 days / impressions). Under-delivering: the day's ctr_u "
            "fell below the prediction interval; fatiguing: the 7-day ctr_u dropped against the "
            "7 days before."
        ),
    )
    if not data.running:
        section.unavailable = _missing(VIEWS["running"], f"aelp train, aelp score and {ML_OUTPUTS}")
        return section
    catalog = {r["ad_id"]: r for r in data.catalog or []}
    names = {ad: r.get("ad_name") or ad for ad, r in catalog.items()}
    ranked = sorted(
        data.running,
        key=lambda r: (-(r["ctr_u_7d_from_daily_sums"] or 0), r["ad_id"]),
    )
    section.charts.append(("running-ads", charts.running_ads(ranked, names)))
    rows = []
    for rank, r in enumerate(ranked[:max_rows], start=1):
        flags = [
            f
            for f, on in (
                ("fatiguing", r["is_fatiguing"]),
                ("under-delivering", r["is_under_delivering"]),
            )
            if on
        ]
        interval = (
            f"{pct(r['predicted_ctr_u_lower'])} – {pct(r['predicted_ctr_u_upper'])}"
            if r["predicted_ctr_u"] is not None
            else "not scored"
        )
        rows.append(
            {
                "rank": rank,
                "thumbnail": thumbs.get(r["ad_id"]),
                "name": names.get(r["ad_id"], r["ad_id"]),
                "ad_id": r["ad_id"],
                "campaign": (catalog.get(r["ad_id"]) or {}).get("campaign_name") or "",
                "impressions_7d": count(r["impressions_7d"]),
                "ctr_u_today": pct(r["ctr_u"]),
                "ctr_u_7d": pct(r["ctr_u_7d_from_daily_sums"]),
                "predicted": pct(r["predicted_ctr_u"]),
                "interval": interval,
                "difference": signed_pct(r["ctr_u_7d_minus_predicted"], 2),
                "flags": flags,
            }
        )
    flagged = sum(1 for r in data.running if r["is_fatiguing"] or r["is_under_delivering"])
    section.blocks.append(
        {
            "kind": "running_table",
            "rows": rows,
            "footnote": (
                f"{len(data.running)} running ads, {flagged} flagged; "
                f"the table shows the first {len(rows)}."
            ),
        }
    )
    return section


def budget_slate(data: ReportData) -> Section:
    """The newest budget slate as a chart and its largest lines."""
    section = Section(
        "slate",
        "Tomorrow's budget slate",
        intro=(
            "Planned spend per ad: most of the budget on proven winners (exploit), a share on "
            "ads the model is still unsure about (explore)."
        ),
    )
    if not data.slate:
        section.unavailable = _missing(
            VIEWS["slate"], f"aelp slate --budget AMOUNT and {ML_OUTPUTS}"
        )
        return section
    for account_id in sorted({r["account_id"] for r in data.slate}):
        rows = [r for r in data.slate if r["account_id"] == account_id]
        currency = rows[0]["currency"] or ""
        section.charts.append((f"slate-{account_id}", charts.slate(rows, currency)))
        total = sum(r["planned_spend"] or 0 for r in rows)
        conversions = sum(r["expected_conversions"] or 0 for r in rows)
        section.blocks.append(
            {
                "kind": "table",
                "title": (
                    f"Account {account_id}: {len(rows)} ads, {money(total, currency)} planned, "
                    f"{number(conversions, 1)} conversions expected"
                ),
                "columns": ["#", "ad", "arm", "share", "planned spend", "predicted CAC", "why"],
                "rows": [
                    [
                        r["slate_rank"],
                        r.get("ad_name") or r["ad_id"],
                        r["arm"],
                        pct(r["budget_share"], 1),
                        money(r["planned_spend"], currency),
                        money(r["predicted_cac"], currency),
                        r.get("reason") or "",
                    ]
                    for r in rows[:15]
                ],
            }
        )
    return section


QUALITY_METRICS = (
    ("logloss", "log-loss (lower is better)"),
    ("share_of_achievable_gain", "share of achievable gain"),
    ("ece", "expected calibration error"),
    ("calibration_ratio", "predicted / observed clicks"),
    ("interval_coverage_observed", "interval coverage (observed)"),
    ("spearman_vs_observed", "rank correlation with observed"),
    ("auc", "AUC of any click (classifier)"),
)


def model_quality(data: ReportData) -> Section:
    """Reliability diagram, lift chart and the headline metrics of the newest evaluation."""
    section = Section(
        "model",
        "Model calibration and lift",
        intro=(
            "How far the predictions can be trusted, on the forward test window: bins of equal "
            "impressions by predicted ctr_u. A calibrated model sits on the diagonal; a useful "
            "one starts well above 1 on the lift chart."
        ),
    )
    if not data.reliability:
        section.unavailable = _missing(
            VIEWS["reliability"], f"aelp train, aelp evaluate and {ML_OUTPUTS}"
        )
        return section
    first = data.reliability[0]
    section.intro += (
        f" Model run {first['model_run_id']}, test days {first['test_start']} to "
        f"{first['test_end']}."
    )
    section.charts.append(("reliability", charts.reliability(data.reliability)))
    section.charts.append(("lift", charts.lift(data.reliability)))
    overall = [r for r in data.quality or [] if r["segment"] == "overall"]
    scorers = sorted({r["scorer"] for r in overall})
    found = {(r["metric"], r["scorer"]): r["metric_value"] for r in overall}
    rows = [
        [label, *(number(found.get((metric, s)), 4) for s in scorers)]
        for metric, label in QUALITY_METRICS
        if any((metric, s) in found for s in scorers)
    ]
    if rows:
        section.blocks.append(
            {
                "kind": "table",
                "title": "Test-window metrics",
                "columns": ["metric", *scorers],
                "rows": rows,
            }
        )
    return section


def element_effects(data: ReportData) -> Section:
    """Which creative elements move predicted ctr_u, and how much."""
    section = Section(
        "effects",
        "Creative element effects",
        intro=(
            "Average change in predicted ctr_u that each creative element makes (SHAP "
            "contributions on the test window); green raises it, red lowers it."
        ),
    )
    if not data.effects:
        section.unavailable = _missing(VIEWS["effects"], f"aelp evaluate and {ML_OUTPUTS}")
        return section
    section.charts.append(("element-effects", charts.element_effects(data.effects)))
    return section


def _concept_label(row: dict[str, Any]) -> str:
    name = Path(str(row.get("concept_file") or "")).name
    return name or str(row["content_sha256"])[:12]


def concept_forecasts(data: ReportData, thumbs: dict[str, str]) -> Section:
    """Forecasts of new concepts with their intervals, against the benchmark."""
    section = Section(
        "concepts",
        "New-concept forecasts",
        intro=(
            "Concepts scored from their content alone before they run: predicted ctr_u with its "
            "interval and the chance to beat the benchmark."
        ),
    )
    rows = data.concept_forecasts
    needed = {"content_sha256", "predicted_ctr_u", "predicted_ctr_u_lower", "predicted_ctr_u_upper"}
    if not rows or not needed <= set(rows[0]):
        section.unavailable = _missing(
            VIEWS["concept_forecasts"], f"aelp concepts forecast and {ML_OUTPUTS}"
        )
        return section
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        kept = best.get(r["content_sha256"])
        if kept is None or (r.get("rank_in_scenario") or 0) < (kept.get("rank_in_scenario") or 0):
            best[r["content_sha256"]] = r
    labels = {sha: _concept_label(r) for sha, r in best.items()}
    section.charts.append(
        ("concept-forecasts", charts.concept_forecasts(list(best.values()), labels))
    )
    ordered = sorted(best.values(), key=lambda r: -(r["predicted_ctr_u"] or 0))
    section.blocks.append(
        {
            "kind": "gallery",
            "entries": [
                {
                    "thumbnail": thumbs.get(r["content_sha256"]),
                    "label": labels[r["content_sha256"]],
                    "value": f"{pct(r['predicted_ctr_u'])} "
                    f"({pct(r['predicted_ctr_u_lower'])} – {pct(r['predicted_ctr_u_upper'])})",
                    "note": (
                        f"P(≥ benchmark) {pct(r.get('p_ctr_u_ge_benchmark'), 0)}"
                        if r.get("p_ctr_u_ge_benchmark") is not None
                        else ""
                    ),
                }
                for r in ordered[:24]
            ],
        }
    )
    return section


def concept_hit_rate(data: ReportData) -> Section:
    """How often past forecasts came true: calibration of P(hit) and the run's scores."""
    section = Section(
        "hit-rate",
        "Hit rate of past forecasts",
        intro=(
            "Forecasts of concepts that have since run their horizon: did the realised ctr_u "
            "reach the benchmark (a hit), and were the forecast probabilities honest?"
        ),
    )
    rows = data.concept_hit_rate
    if not rows:
        section.unavailable = _missing(
            VIEWS["concept_hit_rate"],
            f"aelp concepts forecast, let the concepts deliver their horizon, then {ML_OUTPUTS}",
        )
        return section
    run_id = max(r["model_run_id"] for r in rows)
    run = [r for r in rows if r["model_run_id"] == run_id]
    first = run[0]
    section.blocks.append(
        {
            "kind": "cards",
            "title": f"Model run {run_id}",
            "cards": [
                {"label": "Resolved forecasts", "value": count(first["run_concepts"])},
                {"label": "Hit rate", "value": pct(first["run_hit_rate"], 0)},
                {"label": "Mean P(hit)", "value": pct(first["run_mean_p_hit"], 0)},
                {
                    "label": "Brier skill",
                    "value": number(first["run_brier_skill_score"], 2),
                    "note": "above 0 beats the base rate",
                },
                {
                    "label": "Top-quarter hit rate",
                    "value": pct(first["run_top_quartile_hit_rate"], 0),
                    "note": "the forecasts ranked most likely to hit",
                },
            ],
            "footnote": "A hit: the launched ad's ctr_u over the horizon reached the benchmark.",
        }
    )
    bins: dict[int, dict[str, Any]] = {}
    for r in run:
        bins.setdefault(int(r["reliability_bin"]), r)
    section.charts.append(("hit-rate", charts.hit_rate([bins[b] for b in sorted(bins)])))
    ordered = sorted(run, key=lambda r: r["forecast_rank"])
    section.blocks.append(
        {
            "kind": "table",
            "title": "Resolved forecasts, most likely hits first",
            "columns": [
                "#",
                "concept",
                "predicted ctr_u",
                "P(hit)",
                "benchmark",
                "realised ctr_u",
                "hit",
                "inside interval",
            ],
            "rows": [
                [
                    r["forecast_rank"],
                    _concept_label(r),
                    f"{pct(r['predicted_ctr_u'])} ({pct(r['predicted_ctr_u_lower'])} – "
                    f"{pct(r['predicted_ctr_u_upper'])})",
                    pct(r["p_ctr_u_ge_benchmark"], 0),
                    pct(r["benchmark_ctr_u"]),
                    pct(r["ctr_u_from_daily_sums"]),
                    "yes" if r["is_hit"] else "no",
                    "yes" if r["is_inside_interval"] else "no",
                ]
                for r in ordered[:20]
            ],
        }
    )
    return section
