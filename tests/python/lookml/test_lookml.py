"""LookML generated from the rpt_ models' dbt YAML parses and keeps the ratio rules."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from typing import Any

import lkml
import pytest
import yaml
from click.testing import CliRunner

from aelp.cli.main import main
from aelp.lookml import (
    LookMLError,
    ReportColumn,
    ReportView,
    render_views,
    views_from_manifest,
    views_from_yaml,
    write_lookml,
)

REPO = Path(__file__).resolve().parents[3]
REPORTING = REPO / "models" / "reporting"
TYPED_VIEWS = {
    "rpt_account_daily",
    "rpt_ad_catalog",
    "rpt_model_quality",
    "rpt_model_reliability",
    "rpt_ad_link_ctr_rolling_7d",
    "rpt_current_running_scored",
    "rpt_creative_element_effects",
}
REFERENCE = re.compile(r"\$\{(\w+)\}")


@functools.cache
def _yaml_views() -> list[ReportView]:
    return views_from_yaml(REPORTING, lambda name: f"`p.aelp_reporting.{name}`")


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each generated view file parsed back with lkml: view name -> the view's dict."""
    out_dir = tmp_path_factory.mktemp("lookml")
    write_lookml(_yaml_views(), out_dir, connection="test_connection")
    views = {}
    for path in out_dir.glob("*.view.lkml"):
        (view,) = lkml.load(path.read_text())["views"]
        views[view["name"]] = view
    model = lkml.load((out_dir / "aelp.model.lkml").read_text())
    views["__model__"] = model
    return views


@functools.cache
def _documented_models() -> dict[str, dict[str, Any]]:
    models = {}
    for path in REPORTING.glob("*.yml"):
        document = yaml.load(path.read_text(), Loader=yaml.CSafeLoader) or {}
        for model in document.get("models", []) or []:
            if model["name"].startswith("rpt_"):
                models[model["name"]] = model
    return models


def _meta(column: dict[str, Any]) -> dict[str, Any]:
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}


def _fields(view: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in view.get(kind, [])}


def test_every_rpt_model_gets_a_view_with_every_column_described(
    parsed: dict[str, dict[str, Any]],
) -> None:
    models = _documented_models()
    assert set(models) >= TYPED_VIEWS
    for name, model in models.items():
        view = parsed[name]
        assert view["sql_table_name"] == f"`p.aelp_reporting.{name}`"
        dimensions = _fields(view, "dimensions") | _fields(view, "dimension_groups")
        by_sql = {f["sql"].strip(): f for f in dimensions.values()}
        for column in model["columns"]:
            field = by_sql[f"${{TABLE}}.{column['name']}"]
            assert field["description"], (name, column["name"])
            assert " ".join(column["description"].split())[:40] in field["description"]


def test_dimension_types_follow_the_documented_data_types(
    parsed: dict[str, dict[str, Any]],
) -> None:
    models = _documented_models()
    for name in TYPED_VIEWS:
        assert all("data_type" in c for c in models[name]["columns"]), name
    daily = parsed["rpt_account_daily"]
    dims = _fields(daily, "dimensions")
    assert dims["account_id"]["type"] == "string"
    assert dims["impressions"]["type"] == "number"
    assert dims["is_latest_day"]["type"] == "yesno"
    group = _fields(daily, "dimension_groups")["date_day"]
    assert group["type"] == "time"
    assert group["datatype"] == "date"
    assert "date" in group["timeframes"]
    key = dims["primary_key"]
    assert key["primary_key"] == "yes"
    assert "account_id" in key["sql"]
    assert "date_day" in key["sql"]
    assert _fields(parsed["rpt_ad_catalog"], "dimensions")["ad_id"]["primary_key"] == "yes"


def test_ctr_measures_divide_sums_and_never_average_rates(
    parsed: dict[str, dict[str, Any]],
) -> None:
    ratios_checked = 0
    for name, model in _documented_models().items():
        view = parsed[name]
        measures = _fields(view, "measures")
        assert all(m["type"] in ("sum", "number", "count") for m in measures.values()), name
        metas = {c["name"]: _meta(c) for c in model["columns"]}
        for measure in measures.values():
            if measure["type"] == "sum":
                column = measure["sql"].strip().removeprefix("${TABLE}.")
                assert metas[column].get("aggregation") in ("sum", "non_additive"), column
        for column, meta in metas.items():
            if meta.get("aggregation") != "ratio":
                continue
            measure = measures[column]
            assert measure["type"] == "number"
            inputs = REFERENCE.findall(measure["sql"])
            assert inputs == [f"total_{meta['numerator']}", f"total_{meta['denominator']}"]
            assert all(measures[i]["type"] == "sum" for i in inputs)
            assert "NULLIF" in measure["sql"]
            row_value = _fields(view, "dimensions")[f"{column}_of_row"]
            assert row_value["hidden"] == "yes"
            ratios_checked += 1
    assert ratios_checked >= 10
    running = _fields(parsed["rpt_current_running_scored"], "measures")["ctr_u"]
    assert REFERENCE.findall(running["sql"]) == [
        "total_unique_inline_link_clicks",
        "total_impressions",
    ]
    cpm = _fields(parsed["rpt_ad_link_ctr_rolling_7d"], "measures")["cpm_7d"]
    assert cpm["sql"].strip().startswith("1000 * ")


def test_unique_metrics_are_flagged_non_additive_and_never_offered_as_sums(
    parsed: dict[str, dict[str, Any]],
) -> None:
    flagged = 0
    for name, model in _documented_models().items():
        view = parsed[name]
        measures = _fields(view, "measures")
        dimensions = _fields(view, "dimensions")
        for column in model["columns"]:
            if _meta(column).get("aggregation") != "non_additive":
                continue
            assert "non_additive" in dimensions[column["name"]]["tags"]
            assert dimensions[column["name"]]["description"].startswith("NOT ADDITIVE")
            total = measures.get(f"total_{column['name']}")
            if total is not None:
                assert total["hidden"] == "yes"
                assert "non_additive" in total["tags"]
            flagged += 1
    assert flagged >= 4
    typed = [m for name, m in _documented_models().items() if name in TYPED_VIEWS]
    unique_columns = [
        c["name"] for m in typed for c in m["columns"] if c["name"].startswith("unique_")
    ]
    assert len(unique_columns) >= 4
    for model in typed:
        for column in model["columns"]:
            if column["name"].startswith("unique_"):
                assert _meta(column).get("aggregation") == "non_additive", column["name"]


def test_views_name_the_dashboards_that_read_them_and_the_model_explores_them(
    parsed: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    text = render_views(_yaml_views())["rpt_account_daily.view.lkml"]
    assert (
        "'Daily performance' — https://looker.example.com/dashboards/aelp::daily_performance"
        in (text)
    )
    model = parsed["__model__"]
    assert model["connection"] == "test_connection"
    explores = {e["name"]: e for e in model["explores"]}
    assert set(explores) == set(_documented_models())
    (join,) = explores["rpt_current_running_scored"]["joins"]
    assert join["name"] == "rpt_ad_catalog"
    assert join["relationship"] == "many_to_one"


def test_manifest_source_gives_keys_tests_and_dashboards() -> None:
    manifest = {
        "nodes": {
            "model.aelp.rpt_x": {
                "resource_type": "model",
                "name": "rpt_x",
                "schema": "aelp_reporting",
                "alias": "rpt_x",
                "relation_name": "`p`.`aelp_reporting`.`rpt_x`",
                "description": "X per ad.",
                "columns": {
                    "ad_id": {"name": "ad_id", "description": "Ad.", "data_type": "string"},
                    "clicks": {
                        "name": "clicks",
                        "description": "Clicks.",
                        "config": {"meta": {"aggregation": "sum"}},
                    },
                    "impressions": {
                        "name": "impressions",
                        "description": "Impressions.",
                        "meta": {"aggregation": "sum"},
                    },
                    "ctr": {
                        "name": "ctr",
                        "description": "clicks / impressions.",
                        "config": {
                            "meta": {
                                "aggregation": "ratio",
                                "numerator": "clicks",
                                "denominator": "impressions",
                            }
                        },
                    },
                },
            },
            "test.aelp.unique_rpt_x_ad_id": {
                "resource_type": "test",
                "attached_node": "model.aelp.rpt_x",
                "column_name": "ad_id",
                "test_metadata": {"name": "unique", "kwargs": {}},
            },
        },
        "exposures": {
            "exposure.aelp.d": {
                "name": "d",
                "label": "D",
                "type": "dashboard",
                "url": "https://x/d",
                "depends_on": {"nodes": ["model.aelp.rpt_x"]},
            }
        },
    }
    (view,) = views_from_manifest(manifest)
    assert view.dashboards[0].label == "D"
    parsed = lkml.load(render_views([view])["rpt_x.view.lkml"])["views"][0]
    dims = _fields(parsed, "dimensions")
    assert dims["ad_id"]["primary_key"] == "yes"
    measure = _fields(parsed, "measures")["ctr"]
    assert REFERENCE.findall(measure["sql"]) == ["total_clicks", "total_impressions"]


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"aggregation": "average"}, "not one of"),
        ({"aggregation": "ratio", "numerator": "nope", "denominator": "n"}, "not a column"),
        ({"aggregation": "ratio", "numerator": "rate", "denominator": "n"}, "must be declared"),
    ],
)
def test_metadata_that_would_average_rates_is_refused(meta: dict[str, Any], message: str) -> None:
    view = ReportView(
        name="rpt_bad",
        description="",
        relation="t",
        columns=(
            ReportColumn("n", "Impressions.", "int64", {"aggregation": "sum"}),
            ReportColumn("rate", "A rate.", "float64", {"aggregation": "none"}),
            ReportColumn("bad", "Bad.", "float64", meta),
        ),
    )
    with pytest.raises(LookMLError, match=message):
        render_views([view])


def test_cli_writes_view_files_for_the_profile_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(REPO / "profiles.example.yml", tmp_path / "profiles.yml")
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path))
    monkeypatch.setenv("AELP_PROJECT_DIR", str(REPO))
    monkeypatch.setenv("DBT_TARGET", "prod")
    monkeypatch.setenv("AELP_GCP_PROJECT", "acme-ads")
    monkeypatch.setenv("AELP_BQ_DATASET", "aelp")
    result = CliRunner().invoke(main, ["lookml", "--out", str(tmp_path / "lookml")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "lookml" / "rpt_account_daily.view.lkml").read_text()
    assert "sql_table_name: `acme-ads.aelp_reporting.rpt_account_daily` ;;" in text


def test_overlapping_7_day_windows_are_summed_for_one_day_only(
    parsed: dict[str, dict[str, Any]],
) -> None:
    explores = {e["name"]: e for e in parsed["__model__"]["explores"]}
    rolling = explores["rpt_ad_link_ctr_rolling_7d"]
    assert rolling["always_filter"]["filters__all"] == [
        [{"rpt_ad_link_ctr_rolling_7d.date_day_date": "1 days ago for 1 days"}]
    ]
    assert "always_filter" not in explores["rpt_account_daily"]
    measures = _fields(parsed["rpt_ad_link_ctr_rolling_7d"], "measures")
    assert "filter date_day to one day" in measures["total_impressions_7d"]["description"]
    assert "filter date_day to one day" in measures["ctr_u_7d_from_daily_sums"]["description"]
