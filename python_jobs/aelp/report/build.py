"""Assemble the report: read the views, build the sections, render one HTML file."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import markupsafe
import plotly
from plotly.offline import get_plotlyjs

from aelp.config import Settings
from aelp.report import charts, sections
from aelp.report.data import ReportData, read_report_data, reporting_schema
from aelp.report.template import CSP, PAGE
from aelp.report.thumbnails import thumbnails
from aelp.warehouse import Warehouse

log = logging.getLogger(__name__)


def build_sections(data: ReportData, asset_roots: Iterable[Path] = ()) -> list[sections.Section]:
    """Every section in reading order, with thumbnails of the files found here."""
    roots = list(asset_roots)
    running = {r["ad_id"] for r in data.running or []}
    ad_thumbs = thumbnails(
        {
            r["ad_id"]: (r["asset_uri"], r["content_sha256"])
            for r in data.catalog or []
            if r["ad_id"] in running
        },
        roots,
    )
    concept_thumbs = thumbnails(
        {
            r["content_sha256"]: (r.get("concept_file"), r["content_sha256"])
            for r in data.concept_forecasts or []
            if "content_sha256" in r
        },
        roots,
    )
    return [
        sections.headline(data),
        sections.running_ads(data, ad_thumbs),
        sections.budget_slate(data),
        sections.model_quality(data),
        sections.element_effects(data),
        sections.concept_forecasts(data, concept_thumbs),
        sections.concept_hit_rate(data),
    ]


def render_html(built: list[sections.Section], title: str, subtitle: str, schema: str) -> str:
    """The page: sections with their charts' divs, plotly.js once in the head."""
    context = []
    for section in built:
        context.append(
            {
                "key": section.key,
                "title": section.title,
                "intro": section.intro,
                "unavailable": section.unavailable,
                "blocks": section.blocks,
                "charts": [
                    {
                        "key": key,
                        "html": markupsafe.Markup(charts.figure_html(fig, f"chart-{key}")),
                    }
                    for key, fig in section.charts
                ],
            }
        )
    return PAGE.render(
        title=title,
        subtitle=subtitle,
        sections=context,
        csp=markupsafe.Markup(CSP),
        schema=schema,
        plotly_js=markupsafe.Markup(get_plotlyjs()),
        plotly_version=plotly.__version__,
    )


def build_report(
    settings: Settings,
    warehouse: Warehouse,
    asset_roots: Iterable[Path] = (),
    now: datetime | None = None,
) -> str:
    """The report's HTML for the settings' target."""
    schema = reporting_schema(settings)
    data = read_report_data(warehouse, schema)
    built = build_sections(data, asset_roots)
    missing = [s.title for s in built if s.unavailable]
    if missing:
        log.info("report sections without data: %s", ", ".join(missing))
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    latest = max((r["date_day"] for r in data.account_days or []), default=None)
    subtitle = (
        f"Target {settings.target.name} ({settings.target.type}); data to {latest or 'n/a'}; "
        f"written {stamp}"
    )
    return render_html(built, "AELP — paid social report", subtitle, schema)


def write_report(
    settings: Settings,
    warehouse: Warehouse,
    out: Path,
    asset_roots: Iterable[Path] = (),
    now: datetime | None = None,
) -> Path:
    """Write the report to ``out`` (folders created); the path written."""
    html = build_report(settings, warehouse, asset_roots, now)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
