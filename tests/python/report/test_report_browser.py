"""The report opens from disk in headless Chromium with no network and every chart draws."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from headless import CHROMIUM, Browser

from aelp.config import Settings
from aelp.report import write_report
from aelp.warehouse.duckdb import DuckDBWarehouse

REPO = Path(__file__).resolve().parents[3]
SCREENSHOT = REPO / "artifacts" / "test" / "report_browser.png"

pytestmark = pytest.mark.integration

CHARTS = """
Array.from(document.querySelectorAll('div.chart')).map(function (c) {
  var plot = c.querySelector('.js-plotly-plot');
  return {
    key: c.dataset.chart,
    svgs: c.querySelectorAll('svg.main-svg').length,
    traces: plot && plot.data ? plot.data.length : 0,
    drawn: c.querySelectorAll('g.trace').length,
    marks: c.querySelectorAll('g.trace path, g.trace .point').length,
    height: c.getBoundingClientRect().height
  };
})
"""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser test needs Debian's chromium package "
            "(make install-browser, which make pytest runs first)"
        )
    opened = Browser(tmp_path / "chromium-profile")
    yield opened
    opened.close()


def test_report_opens_offline_and_every_chart_renders(
    settings: Settings, warehouse: DuckDBWarehouse, tmp_path: Path, browser: Browser
) -> None:
    roots = [tmp_path / "assets", tmp_path / "assets" / "concepts"]
    report = write_report(settings, warehouse, tmp_path / "report.html", asset_roots=roots)
    expected = report.read_text().count('<div class="chart" ')
    assert expected == 9

    browser.open(report.as_uri())
    drawn = (
        "Array.from(document.querySelectorAll('div.chart')).every(function (c) {"
        " return c.querySelector('svg.main-svg g.trace') !== null; })"
    )
    ready = browser.wait_for(drawn)
    charts = browser.evaluate(CHARTS)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    browser.screenshot(SCREENSHOT)

    assert ready, json.dumps(charts, indent=1)
    assert len(charts) == expected
    for chart in charts:
        assert chart["svgs"] >= 1, chart
        assert chart["traces"] >= 1, chart
        assert chart["drawn"] >= 1, chart
        assert chart["marks"] >= 1, chart
        assert chart["height"] > 100, chart
    assert browser.errors() == []
    outside = [u for u in browser.requested_urls() if not u.startswith(("file:", "data:", "blob:"))]
    assert outside == []
    thumbnails = browser.evaluate(
        "Array.from(document.querySelectorAll('img.thumb')).filter("
        "function (i) { return i.complete && i.naturalWidth > 0; }).length"
    )
    assert thumbnails == 4
    assert browser.evaluate("document.querySelectorAll('.unavailable').length") == 0
    assert SCREENSHOT.stat().st_size > 10_000
