"""The dbt project parses for BigQuery and DuckDB and configures each engine as intended.

No warehouse is needed: ``dbt parse`` renders every model's config with the target's adapter,
so the manifest shows what a BigQuery run would create (partitioned, clustered
insert_overwrite) and what a DuckDB run creates (delete+insert), without credentials.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin"
FCT = "model.aelp.fct_ad_daily_link_ctr"
ML_STAGING = {
    "model.aelp.stg_ml__model_runs",
    "model.aelp.stg_ml__ctr_predictions",
    "model.aelp.stg_ml__budget_slates",
    "model.aelp.stg_ml__model_evaluations",
    "model.aelp.stg_ml__creative_element_effects",
    "model.aelp.stg_ml__concept_forecasts",
}
ML_OUTPUT_MODELS = {
    *ML_STAGING,
    "model.aelp.ml_ctr_predictions_current",
    "model.aelp.ml_budget_slates_latest",
    "model.aelp.rpt_slate_latest",
    "model.aelp.ml_creative_element_effects_current",
    "model.aelp.ml_model_evaluations_current",
    "model.aelp.rpt_current_running_scored",
    "model.aelp.rpt_creative_element_effects",
    "model.aelp.rpt_model_quality",
    "model.aelp.rpt_model_reliability",
    "model.aelp.ml_concept_forecast_outcomes",
    "model.aelp.rpt_concept_hit_rate",
    "model.aelp.ml_concept_forecasts_current",
    "model.aelp.rpt_concept_forecasts",
}

pytestmark = pytest.mark.integration

PROFILES: dict[str, dict[str, Any]] = {
    "bigquery": {
        "type": "bigquery",
        "method": "oauth-secrets",
        "token": "dummy-token",
        "project": "test-project",
        "dataset": "aelp",
        "location": "US",
        "threads": 1,
    },
    "duckdb": {
        "type": "duckdb",
        "path": "unused.duckdb",
        "schema": "aelp",
        "threads": 1,
    },
}

Dbt = Callable[..., subprocess.CompletedProcess[str]]


def _dbt_runner(root: Path, target: str, extra_env: dict[str, str] | None = None) -> Dbt:
    """A function running dbt in the repo against a throw-away profile and target folder."""
    root.mkdir(parents=True, exist_ok=True)
    output = dict(PROFILES[target])
    if target == "duckdb":
        output["path"] = str(root / "unused.duckdb")
    profile = {"aelp": {"target": target, "outputs": {target: output}}}
    (root / "profiles.yml").write_text(yaml.safe_dump(profile))
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET": target,
        **(extra_env or {}),
    }

    def dbt(*args: str, succeed: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [
                str(BIN / "dbt"),
                *args,
                "--target-path",
                str(root / "target"),
                "--log-path",
                str(root / "logs"),
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        failed = f"dbt {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        assert done.returncode == 0 or not succeed, failed
        return done

    return dbt


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Dbt]]:
    """The manifest of a ``dbt parse`` per target, and a dbt runner for further commands."""
    out: dict[str, tuple[dict[str, Any], Dbt]] = {}
    for target in PROFILES:
        root = tmp_path_factory.mktemp(f"dbt_{target}")
        dbt = _dbt_runner(root, target)
        dbt("parse")
        manifest = json.loads((root / "target" / "manifest.json").read_text())
        out[target] = (manifest, dbt)
    return out


def _config(parsed: dict[str, tuple[dict[str, Any], Dbt]], target: str, node: str) -> Any:
    return parsed[target][0]["nodes"][node]["config"]


def test_bigquery_fct_overwrites_date_partitions_clustered_by_account_and_ad(
    parsed: dict[str, tuple[dict[str, Any], Dbt]],
) -> None:
    config = _config(parsed, "bigquery", FCT)
    assert config["materialized"] == "incremental"
    assert config["incremental_strategy"] == "insert_overwrite"
    assert config["partition_by"] == {
        "field": "date_day",
        "data_type": "date",
        "granularity": "day",
    }
    assert config["cluster_by"] == ["account_id", "ad_id"]
    assert config["require_partition_filter"] is True
    assert len(config["partitions"]) == 29


def test_duckdb_fct_replaces_the_same_days_without_bigquery_configs(
    parsed: dict[str, tuple[dict[str, Any], Dbt]],
) -> None:
    config = _config(parsed, "duckdb", FCT)
    assert config["materialized"] == "incremental"
    assert config["incremental_strategy"] == "replace_days"
    assert config["replaced_day_column"] == "date_day"
    assert len(config["partitions"]) == len(_config(parsed, "bigquery", FCT)["partitions"])
    assert all("current_date" in day for day in config["partitions"])
    assert config.get("partition_by") is None
    assert config.get("cluster_by") is None


@pytest.mark.parametrize("target", list(PROFILES))
def test_layers_land_in_staging_target_and_reporting_schemas(
    parsed: dict[str, tuple[dict[str, Any], Dbt]], target: str
) -> None:
    nodes = parsed[target][0]["nodes"]
    schemas = {
        node["name"]: node["schema"] for node in nodes.values() if node["resource_type"] == "model"
    }
    for name, schema in schemas.items():
        if name.startswith(("stg_", "int_")):
            assert schema == "aelp_staging", name
        elif name.startswith("rpt_"):
            assert schema == "aelp_reporting", name
        else:
            assert schema == "aelp", name
    assert {"fct_ad_daily_link_ctr", "ml_ctr_training_examples", "ml_ctr_scoring_features"} <= set(
        schemas
    )


def test_seed_column_types_follow_the_engine(
    parsed: dict[str, tuple[dict[str, Any], Dbt]],
) -> None:
    seed = "seed.aelp.meta_currency_offsets"
    assert _config(parsed, "bigquery", seed)["column_types"] == {
        "currency": "string",
        "minor_unit_offset": "int64",
    }
    assert _config(parsed, "duckdb", seed)["column_types"] == {
        "currency": "varchar",
        "minor_unit_offset": "integer",
    }


def test_training_and_scoring_marts_document_the_same_features_in_the_same_order(
    parsed: dict[str, tuple[dict[str, Any], Dbt]],
) -> None:
    nodes = parsed["duckdb"][0]["nodes"]

    def features(model: str) -> list[str]:
        columns = nodes[f"model.aelp.{model}"]["columns"]
        return [name for name in columns if name.startswith(("f_", "fc_"))]

    training = features("ml_ctr_training_examples")
    assert training == features("ml_ctr_scoring_features")
    assert len(training) == len(set(training))
    assert {
        "f_ad_ctr_u_prior_7d",
        "f_adset_ctr_u_prior_7d",
        "f_creative_ctr_u_prior_28d",
        "f_brightness",
        "f_motion_energy",
        "f_has_person_first_second",
    } <= set(training)
    assert training[-3:] == [
        "fc_call_to_action_type",
        "fc_optimization_goal",
        "fc_campaign_objective",
    ]


def test_default_build_leaves_out_the_python_job_outputs(
    parsed: dict[str, tuple[dict[str, Any], Dbt]],
) -> None:
    manifest, dbt = parsed["duckdb"]
    tagged = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and "ml_outputs" in node["tags"]
    }
    assert tagged == ML_OUTPUT_MODELS
    listed = set(
        dbt("ls", "--resource-type", "model", "--output", "json", "--quiet").stdout.splitlines()
    )
    default_models = {json.loads(line)["unique_id"] for line in listed if line.startswith("{")}
    assert FCT in default_models
    assert not default_models & ML_OUTPUT_MODELS
    selected = dbt(
        "ls", "--selector", "ml_outputs", "--resource-type", "model", "--output", "json", "--quiet"
    ).stdout.splitlines()
    assert {json.loads(line)["unique_id"] for line in selected if line.startswith("{")} == (
        ML_OUTPUT_MODELS
    )


def test_vars_the_python_jobs_read_are_set() -> None:
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    assert project["name"] == "aelp"
    assert project["profile"] == "aelp"
    assert project["test-paths"] == ["tests/dbt"]
    assert (
        project["vars"].items()
        >= {
            "raw_meta_schema": "raw_meta",
            "raw_creative_schema": "raw_creative",
            "ml_schema": "ml",
            "conversion_action_type": "offsite_conversion.fb_pixel_purchase",
            "conversion_action_window": "7d_click",
            "restatement_days": 28,
            "run_date": None,
            "p_click_impressions": 1000,
            "train_end": None,
            "valid_days": 7,
            "test_days": 7,
            "scoring_active_days": 3,
        }.items()
    )


def test_run_date_from_the_environment_reparses_only_the_files_that_read_it(
    tmp_path: Path,
) -> None:
    root = tmp_path / "env_run_date"
    _dbt_runner(root, "bigquery", {"AELP_RUN_DATE": "2026-02-09"})("parse")
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    partitions = manifest["nodes"][FCT]["config"]["partitions"]
    assert partitions[0] == "date '2026-02-09'" and partitions[-1] == "date '2026-01-12'"

    next_day = _dbt_runner(root, "bigquery", {"AELP_RUN_DATE": "2026-02-10"})("parse", "--debug")
    updated = "Partial parsing: updated file: aelp://models/marts/marketing/"
    assert "Starting full parse" not in next_day.stdout
    assert f"{updated}fct_ad_daily_link_ctr.sql" in next_day.stdout
    assert f"{updated}dim_ads.sql" not in next_day.stdout
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    assert manifest["nodes"][FCT]["config"]["partitions"][0] == "date '2026-02-10'"


def test_tests_scope_from_the_environment_limits_generic_tests_to_the_window(
    tmp_path: Path,
) -> None:
    window = {"AELP_RUN_DATE": "2026-02-09", "AELP_TESTS_SCOPE": "restatement_window"}
    test = "not_null_fct_ad_daily_link_ctr_ad_id"
    compiled: dict[str, str] = {}
    for scope, env in (("window", window), ("all", {"AELP_RUN_DATE": "2026-02-09"})):
        root = tmp_path / f"scope_{scope}"
        _dbt_runner(root, "duckdb", env)("compile", "--select", test)
        (path,) = (root / "target" / "compiled").rglob(f"{test}*.sql")
        compiled[scope] = path.read_text()
    assert "date_day >= date '2026-01-12'" in compiled["window"]
    assert "2026-01-12" not in compiled["all"]

    bad = _dbt_runner(tmp_path / "scope_bad", "duckdb", {"AELP_TESTS_SCOPE": "everything"})(
        "compile", "--select", test, succeed=False
    )
    assert bad.returncode != 0
    assert "must be 'all' or 'restatement_window'" in bad.stdout + bad.stderr
