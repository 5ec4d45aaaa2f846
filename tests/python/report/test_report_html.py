"""The HTML report: sections from the views, honest gaps, thumbnails, nothing external."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from report_world import catalog, load_report_views

from aelp.cli.main import main
from aelp.config import Settings, Target
from aelp.report import build_report
from aelp.report import data as report_data
from aelp.report.thumbnails import local_path, thumbnail_data_uri
from aelp.warehouse.duckdb import DuckDBWarehouse

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report of the tiny warehouse, built once for the module."""
    root = tmp_path_factory.mktemp("report")
    settings = Settings(
        project_dir=root,
        profiles_dir=root,
        target=Target(name="test", type="duckdb", settings={"path": ":memory:"}, schema="main"),
    )
    with DuckDBWarehouse(":memory:") as wh:
        load_report_views(wh, root / "assets")
        roots = [root / "assets", root / "assets" / "concepts"]
        return build_report(settings, wh, asset_roots=roots, now=NOW)


def _sections(html: str) -> dict[str, str]:
    found = re.findall(r'<section id="([\w-]+)" data-available="(yes|no)">', html)
    return dict(found)


def test_every_section_is_present_with_data(html: str) -> None:
    assert _sections(html) == {
        "headline": "yes",
        "running": "yes",
        "slate": "yes",
        "model": "yes",
        "effects": "yes",
        "concepts": "yes",
        "hit-rate": "yes",
    }


def test_missing_views_give_panels_that_name_the_command_not_charts(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    warehouse.execute("drop table main_reporting.rpt_slate_latest")
    warehouse.execute("drop table main_reporting.rpt_concept_forecasts")
    warehouse.execute("delete from main_reporting.rpt_concept_hit_rate")
    html = build_report(settings, warehouse, now=NOW)
    sections = _sections(html)
    assert [k for k, available in sections.items() if available == "no"] == [
        "slate",
        "concepts",
        "hit-rate",
    ]
    assert "run aelp slate --budget AMOUNT and dbt build --selector ml_outputs" in html
    assert "Not available: the view rpt_concept_forecasts is missing or empty" in html
    assert "run aelp concepts forecast and dbt build --selector ml_outputs" in html
    assert "Not available: the view rpt_concept_hit_rate is missing or empty" in html
    for chart in ("slate-1001", "concept-forecasts", "hit-rate"):
        assert f'data-chart="{chart}"' not in html


def test_charts_are_embedded_once_with_plotly_inlined(html: str) -> None:
    charts = re.findall(r'<div class="chart" data-chart="([\w-]+)">', html)
    assert charts == [
        "account-trend-1001",
        "account-trend-1002",
        "running-ads",
        "slate-1001",
        "reliability",
        "lift",
        "element-effects",
        "concept-forecasts",
        "hit-rate",
    ]
    assert html.count("Plotly.newPlot(") == len(charts)
    assert html.count("plotly.js v") >= 1
    assert len(re.findall(r"<script[^>]*\bsrc=", html)) == 0


def test_nothing_on_the_page_points_outside_the_file(html: str) -> None:
    page = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)
    for attribute in re.findall(r'\b(?:src|href)="([^"]*)"', page):
        assert attribute.startswith(("#", "data:")), attribute
    assert "Content-Security-Policy" in html
    assert "default-src 'none'" in html


def test_headline_shows_the_latest_day_against_the_week_before(html: str) -> None:
    assert "Account 1001 on 2026-03-01" in html
    assert "Account 1002 on 2026-03-01" in html
    # account 1001 on day 13: 354 unique clicks / 16,500 impressions, 7 days before 1.6 %
    assert "2.145%" in html
    assert "+34.1% vs 7 days before" in html
    assert "165.00 USD" in html  # spend on the day
    assert "16,500" in html


def test_running_ads_rank_by_7_day_ctr_u_with_flags_names_and_thumbnails(html: str) -> None:
    table = html[html.index('<section id="running"') : html.index('<section id="slate"')]
    ranks = re.findall(r"<td>Spring &lt;sale&gt; \| concept (\d)", table)
    assert ranks == ["5", "4", "3", "2", "1", "0"]
    assert '<span class="flag fatiguing">fatiguing</span>' in table
    assert '<span class="flag under-delivering">under-delivering</span>' in table
    assert "not scored" in table
    # PNG and MP4 files exist locally; the gs:// one and the missing one get none
    assert table.count('<img class="thumb"') == 4
    assert "<sale>" not in table


def test_thumbnails_are_small_jpegs_and_only_of_local_files(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    rows = catalog(assets)
    uri = thumbnail_data_uri(Path(str(rows[1]["asset_uri"])))
    assert uri is not None
    assert uri.startswith("data:image/jpeg;base64,")
    assert len(uri) < 4000
    assert thumbnail_data_uri(Path(str(rows[0]["asset_uri"]))) is not None  # video frame
    assert local_path("gs://bucket/x.png") is None
    assert local_path(None) is None
    assert local_path("/elsewhere/c1.png", [assets]) == assets / "c1.png"
    stored = assets / "ab" / ("ab" + "0" * 62 + ".png")
    stored.parent.mkdir()
    stored.write_bytes((assets / "c1.png").read_bytes())
    assert local_path("gs://bucket/x.png", [assets], "ab" + "0" * 62) == stored


def test_every_column_the_report_reads_is_documented_on_its_view() -> None:
    documented: dict[str, set[str]] = {}
    for path in (REPO / "models" / "reporting").glob("*.yml"):
        document = yaml.load(path.read_text(), Loader=yaml.CSafeLoader) or {}
        for model in document.get("models", []) or []:
            documented[model["name"]] = {c["name"] for c in model.get("columns", [])}
    reads = {
        "account_days": report_data.ACCOUNT_DAYS_COLUMNS,
        "running": report_data.RUNNING_COLUMNS,
        "catalog": report_data.CATALOG_COLUMNS,
        "slate": report_data.SLATE_COLUMNS,
        "reliability": report_data.RELIABILITY_COLUMNS,
        "quality": report_data.QUALITY_COLUMNS,
        "effects": report_data.EFFECTS_COLUMNS,
        "concept_hit_rate": report_data.HIT_RATE_COLUMNS,
        "concept_forecasts": report_data.CONCEPT_FORECAST_COLUMNS,
    }
    for key, columns in reads.items():
        view = report_data.VIEWS[key]
        assert set(columns) <= documented[view], (view, set(columns) - documented[view])


def test_cli_offers_the_report_command() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    assert "--out" in result.output
    assert "--assets" in result.output


def test_concept_sections_show_forecasts_with_intervals_and_past_hits(html: str) -> None:
    concepts = html[html.index('<section id="concepts"') : html.index('<section id="hit-rate"')]
    assert concepts.count("<figure>") == 3
    assert concepts.count('src="data:image/jpeg;base64,') == 3
    assert "concept_2.png" in concepts
    assert "2.00% (1.20% – 3.00%)" in concepts  # concept 2: 0.02 with 0.6× and 1.5×
    hits = html[html.index('<section id="hit-rate"') :]
    assert "Model run run1" in hits
    assert "50%" in hits  # the run's hit rate
    assert "0.21" in hits  # Brier skill
    assert hits.count("<tr><td>") == 6
