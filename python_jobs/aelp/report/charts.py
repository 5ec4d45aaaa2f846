"""Plotly figures of the report's sections: pure functions from rows to figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

Rows = Sequence[dict[str, Any]]

COLOURS = {
    "ok": "#4c78a8",
    "fatiguing": "#e45756",
    "under_delivering": "#f58518",
    "exploit": "#4c78a8",
    "explore": "#72b7b2",
    "model": "#4c78a8",
    "baseline_eb_shrinkage": "#9d755d",
    "positive": "#54a24b",
    "negative": "#e45756",
    "benchmark": "#bab0ac",
}
AXES: dict[str, Any] = {
    "showgrid": True,
    "gridcolor": "#eef0f3",
    "zerolinecolor": "#d0d5dd",
    "linecolor": "#d0d5dd",
}
"""Light grid lines; a named template such as plotly_white costs a deep copy per figure."""
LAYOUT: dict[str, Any] = {
    "template": "none",
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    "height": 380,
    "legend": {"orientation": "h", "y": -0.2},
    "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
}


def _fig(title: str, **layout: Any) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(**{**LAYOUT, "title": {"text": title, "x": 0}, **layout})
    fig.update_xaxes(**AXES)
    fig.update_yaxes(**AXES)
    return fig


def account_trend(days: Rows, currency: str) -> go.Figure:
    """Daily spend (bars) and ctr_u (line, right axis) of one account."""
    x = [r["date_day"] for r in days]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=x, y=[r["spend"] for r in days], name=f"spend ({currency})", marker_color="#c6dbef"
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[r["ctr_u_from_ad_sums"] for r in days],
            name="ctr_u (ads' uniques summed)",
            mode="lines+markers",
            line={"color": COLOURS["model"]},
        ),
        secondary_y=True,
    )
    fig.update_layout(**{**LAYOUT, "title": {"text": "Spend and ctr_u per day", "x": 0}})
    fig.update_xaxes(**AXES)
    fig.update_yaxes(**AXES)
    fig.update_yaxes(title_text=f"spend ({currency})", secondary_y=False)
    fig.update_yaxes(title_text="ctr_u", tickformat=".2%", secondary_y=True)
    return fig


def _flag(row: dict[str, Any]) -> str:
    if row.get("is_fatiguing"):
        return "fatiguing"
    if row.get("is_under_delivering"):
        return "under_delivering"
    return "ok"


def running_ads(rows: Rows, names: dict[str, str]) -> go.Figure:
    """Observed 7-day ctr_u against the prediction with its interval, one point per running ad."""
    fig = _fig(
        "Running ads: observed 7-day ctr_u vs predicted",
        xaxis={"title": "predicted ctr_u (interval)", "tickformat": ".2%"},
        yaxis={"title": "observed ctr_u, last 7 days", "tickformat": ".2%"},
        height=460,
    )
    scored = [r for r in rows if r.get("predicted_ctr_u") is not None]
    top = max(
        [r["predicted_ctr_u_upper"] or 0 for r in scored]
        + [r["ctr_u_7d_from_daily_sums"] or 0 for r in scored]
        + [0.01]
    )
    for flag, label in (
        ("ok", "as expected"),
        ("under_delivering", "under-delivering"),
        ("fatiguing", "fatiguing"),
    ):
        chosen = [r for r in scored if _flag(r) == flag]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r["predicted_ctr_u"] for r in chosen],
                y=[r["ctr_u_7d_from_daily_sums"] for r in chosen],
                mode="markers",
                name=label,
                marker={"color": COLOURS[flag], "size": 8, "opacity": 0.8},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [r["predicted_ctr_u_upper"] - r["predicted_ctr_u"] for r in chosen],
                    "arrayminus": [
                        r["predicted_ctr_u"] - r["predicted_ctr_u_lower"] for r in chosen
                    ],
                    "thickness": 1,
                    "width": 0,
                    "color": COLOURS[flag],
                },
                text=[names.get(r["ad_id"], r["ad_id"]) for r in chosen],
                customdata=[[r["ad_id"], r["impressions_7d"]] for r in chosen],
                hovertemplate=(
                    "%{text}<br>ad %{customdata[0]}<br>predicted %{x:.3%}<br>"
                    "observed 7d %{y:.3%}<br>impressions 7d %{customdata[1]:,}<extra></extra>"
                ),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0, top],
            y=[0, top],
            mode="lines",
            name="observed = predicted",
            line={"color": "grey", "dash": "dash", "width": 1},
            hoverinfo="skip",
        )
    )
    return fig


def slate(rows: Rows, currency: str, max_ads: int = 30) -> go.Figure:
    """Planned spend per ad of the newest slate, exploit and explore arms coloured apart."""
    chosen = sorted(rows, key=lambda r: -(r["planned_spend"] or 0))[:max_ads][::-1]
    fig = _fig(
        f"Budget slate for {chosen[-1]['slate_date'] if chosen else ''}: planned spend per ad",
        xaxis={"title": f"planned spend ({currency})"},
        height=max(320, 22 * len(chosen) + 120),
        margin={"l": 220, "r": 20, "t": 40, "b": 50},
    )
    for arm in ("exploit", "explore"):
        part = [r for r in chosen if r["arm"] == arm]
        if not part:
            continue
        fig.add_trace(
            go.Bar(
                x=[r["planned_spend"] for r in part],
                y=[r.get("ad_name") or r["ad_id"] for r in part],
                orientation="h",
                name=arm,
                marker_color=COLOURS[arm],
                customdata=[[r["budget_share"], r.get("reason") or ""] for r in part],
                hovertemplate=(
                    "%{y}<br>%{x:,.2f} "
                    + currency
                    + " (%{customdata[0]:.1%})<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="stack", yaxis={"type": "category"})
    return fig


def reliability(rows: Rows) -> go.Figure:
    """Reliability diagram: observed against predicted ctr_u per bin, per scorer."""
    fig = _fig(
        "Calibration on the test window",
        xaxis={"title": "predicted ctr_u", "tickformat": ".2%", "automargin": True},
        yaxis={"title": "observed ctr_u", "tickformat": ".2%", "automargin": True},
    )
    top = 0.0
    for scorer in sorted({r["scorer"] for r in rows}):
        part = [r for r in rows if r["scorer"] == scorer]
        top = max(top, *(r["predicted_ctr_u"] for r in part), *(r["observed_ctr_u"] for r in part))
        fig.add_trace(
            go.Scatter(
                x=[r["predicted_ctr_u"] for r in part],
                y=[r["observed_ctr_u"] for r in part],
                mode="lines+markers",
                name=scorer,
                line={"color": COLOURS.get(scorer)},
                customdata=[r["impressions"] for r in part],
                hovertemplate="predicted %{x:.3%}<br>observed %{y:.3%}<br>"
                "impressions %{customdata:,.0f}<extra>" + scorer + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0, top],
            y=[0, top],
            mode="lines",
            name="perfect",
            line={"color": "grey", "dash": "dash", "width": 1},
            hoverinfo="skip",
        )
    )
    return fig


def lift(rows: Rows) -> go.Figure:
    """Lift per bin of impressions, highest predictions first, per scorer."""
    fig = _fig(
        "Lift on the test window",
        xaxis={"title": "bin (equal impressions), highest predicted first", "dtick": 1},
        yaxis={"title": "observed ctr_u / overall ctr_u"},
    )
    for scorer in sorted({r["scorer"] for r in rows}):
        part = sorted((r for r in rows if r["scorer"] == scorer), key=lambda r: r["rank_from_top"])
        fig.add_trace(
            go.Scatter(
                x=[r["rank_from_top"] for r in part],
                y=[r["lift"] for r in part],
                mode="lines+markers",
                name=scorer,
                line={"color": COLOURS.get(scorer)},
                hovertemplate="bin %{x}<br>lift %{y:.2f}<extra>" + scorer + "</extra>",
            )
        )
    fig.add_hline(y=1.0, line_dash="dash", line_color="grey", line_width=1)
    return fig


def element_effects(rows: Rows, max_rows: int = 20) -> go.Figure:
    """The creative elements that move predicted ctr_u most, with their direction."""
    chosen = sorted(rows, key=lambda r: r["effect_rank"])[:max_rows][::-1]
    fig = _fig(
        "Creative element effects on predicted ctr_u",
        xaxis={"title": "average change in predicted ctr_u", "tickformat": "+.2%"},
        height=max(320, 22 * len(chosen) + 120),
        margin={"l": 260, "r": 20, "t": 40, "b": 50},
    )
    fig.add_trace(
        go.Bar(
            x=[r["average_effect_ctr_u"] for r in chosen],
            y=[f"{r['element']} = {r['element_value']}" for r in chosen],
            orientation="h",
            marker_color=[
                COLOURS["positive"] if r["average_effect_ctr_u"] >= 0 else COLOURS["negative"]
                for r in chosen
            ],
            customdata=[[r["support_ads"], r["support_rows"]] for r in chosen],
            hovertemplate=(
                "%{y}<br>%{x:+.3%}<br>%{customdata[0]} ads, %{customdata[1]} ad-days<extra></extra>"
            ),
            showlegend=False,
        )
    )
    fig.update_layout(yaxis={"type": "category"})
    return fig


def concept_forecasts(rows: Rows, label_of: dict[str, str], max_rows: int = 25) -> go.Figure:
    """Predicted ctr_u of new concepts with their intervals, against the benchmark."""
    chosen = sorted(rows, key=lambda r: -(r["predicted_ctr_u"] or 0))[:max_rows][::-1]
    labels = [label_of[r["content_sha256"]] for r in chosen]
    fig = _fig(
        "New concepts: forecast ctr_u with interval",
        xaxis={"title": "predicted ctr_u", "tickformat": ".2%"},
        height=max(320, 22 * len(chosen) + 120),
        margin={"l": 220, "r": 20, "t": 40, "b": 50},
    )
    fig.add_trace(
        go.Scatter(
            x=[r["predicted_ctr_u"] for r in chosen],
            y=labels,
            mode="markers",
            name="forecast",
            marker={"color": COLOURS["model"], "size": 9},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [r["predicted_ctr_u_upper"] - r["predicted_ctr_u"] for r in chosen],
                "arrayminus": [r["predicted_ctr_u"] - r["predicted_ctr_u_lower"] for r in chosen],
                "color": COLOURS["model"],
            },
            customdata=[[r.get("p_ctr_u_ge_benchmark")] for r in chosen],
            hovertemplate="%{y}<br>%{x:.3%}<br>P(≥ benchmark) %{customdata[0]:.0%}<extra></extra>",
        )
    )
    if all(r.get("benchmark_ctr_u") is not None for r in chosen):
        fig.add_trace(
            go.Scatter(
                x=[r["benchmark_ctr_u"] for r in chosen],
                y=labels,
                mode="markers",
                name="benchmark",
                marker={"color": COLOURS["benchmark"], "symbol": "line-ns-open", "size": 14},
                hovertemplate="benchmark %{x:.3%}<extra></extra>",
            )
        )
    fig.update_layout(yaxis={"type": "category"})
    return fig


def hit_rate(bins: Rows) -> go.Figure:
    """Observed hit rate against mean forecast P(hit) per tenth of P(hit)."""
    fig = _fig(
        "Past forecasts: P(hit) vs observed hit rate",
        xaxis={"title": "mean forecast P(hit) of the bin", "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": "observed hit rate", "tickformat": ".0%", "range": [0, 1.05]},
    )
    fig.add_trace(
        go.Scatter(
            x=[r["bin_mean_p_hit"] for r in bins],
            y=[r["bin_hit_rate"] for r in bins],
            mode="markers+lines",
            name="forecasts",
            marker={
                "color": COLOURS["model"],
                "size": [8 + 2 * min(int(r["bin_forecasts"]), 10) for r in bins],
            },
            customdata=[r["bin_forecasts"] for r in bins],
            hovertemplate=(
                "P(hit) %{x:.0%}<br>hit rate %{y:.0%}<br>%{customdata} forecasts<extra></extra>"
            ),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name="perfect",
            line={"color": "grey", "dash": "dash", "width": 1},
            hoverinfo="skip",
        )
    )
    return fig


def figure_html(fig: go.Figure, div_id: str) -> str:
    """A chart's div and the script that draws it; plotly.js itself is inlined once elsewhere."""
    html: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )
    return html
