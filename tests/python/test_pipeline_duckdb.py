"""End to end on DuckDB: world → raw tables → features → dbt build twice → train/score/slate."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin"

pytestmark = pytest.mark.integration


@dataclass
class Pipeline:
    """Paths, environment and observations of one pipeline run in a temporary folder."""

    root: Path
    env: dict[str, str]
    fct_digests: list[str] = field(default_factory=list)
    prediction_counts: list[int] = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.root / "warehouse.duckdb"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            list(args), cwd=REPO, env=self.env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def aelp(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(BIN / "aelp"), *args)

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(
            str(BIN / "dbt"),
            *args,
            "--target-path",
            str(self.root / "target"),
            "--log-path",
            str(self.root / "logs"),
        )

    def sql(self, query: str) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(query).fetchall()


def _table_digest(pipeline: Pipeline, table: str, order_by: str) -> str:
    rows = pipeline.sql(f"select * from {table} order by {order_by}")
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    root = tmp_path_factory.mktemp("pipeline")
    shutil.copy(REPO / "profiles.example.yml", root / "profiles.yml")
    env = {
        **os.environ,
        "AELP_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "AELP_ARTIFACTS_DIR": str(root / "artifacts"),
        "DBT_PROFILES_DIR": str(root),
        "DBT_TARGET": "dev",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    p = Pipeline(root=root, env=env)
    p.aelp(
        "world",
        "generate",
        "--seed",
        "11",
        "--ads",
        "60",
        "--days",
        "60",
        "--out",
        str(root / "world"),
    )
    p.aelp("world", "load", "--world", str(root / "world"))
    p.aelp("creative", "extract", "--assets", str(root / "world" / "creatives"))
    for _ in range(2):  # the second build is the incremental one over the restatement window
        p.dbt("build")
        p.fct_digests.append(_table_digest(p, "main.fct_ad_daily_link_ctr", "ad_id, date_day"))
    p.aelp("train", "--seed", "0")
    for _ in range(2):  # scoring is idempotent per model run and date
        p.aelp("score")
        p.prediction_counts.append(p.sql("select count(*) from ml.ctr_predictions")[0][0])
    p.aelp("slate", "--budget", "500", "--seed", "1")
    p.aelp("evaluate")
    p.dbt("build", "--selector", "ml_outputs")
    yield p


def test_loading_the_world_twice_changes_nothing(pipeline: Pipeline) -> None:
    before = _table_digest(pipeline, "raw_meta.insights", "ad_id, date_start")
    count_before = pipeline.sql("select count(*) from raw_meta.insights")[0][0]
    pipeline.aelp("world", "load", "--world", str(pipeline.root / "world"))
    assert pipeline.sql("select count(*) from raw_meta.insights")[0][0] == count_before
    assert _table_digest(pipeline, "raw_meta.insights", "ad_id, date_start") == before


def test_dbt_build_twice_keeps_fct_equal_to_raw(pipeline: Pipeline) -> None:
    full, incremental = pipeline.fct_digests
    assert incremental == full
    raw_rows, raw_uniques = pipeline.sql(
        "select count(*), sum(unique_inline_link_clicks) from raw_meta.insights"
    )[0]
    fct_rows, fct_uniques = pipeline.sql(
        "select count(*), sum(unique_inline_link_clicks) from main.fct_ad_daily_link_ctr"
    )[0]
    assert (fct_rows, fct_uniques) == (raw_rows, raw_uniques)


def test_fct_ctr_u_is_unique_link_clicks_over_impressions_on_every_row(
    pipeline: Pipeline,
) -> None:
    bad = pipeline.sql(
        """
        select count(*) from main.fct_ad_daily_link_ctr
        where impressions > 0
          and abs(ctr_u - unique_inline_link_clicks::double / impressions) > 1e-12
        """
    )[0][0]
    assert bad == 0


def test_train_beats_global_mean_and_records_gap_to_truth(pipeline: Pipeline) -> None:
    model, baseline, truth = pipeline.sql(
        "select test_logloss_model, test_logloss_baseline, test_logloss_truth "
        "from ml.model_runs order by trained_at desc limit 1"
    )[0]
    assert model < baseline
    assert truth is not None and truth <= model


def test_score_and_slate_cover_every_scoreable_ad(pipeline: Pipeline) -> None:
    scoring_rows = pipeline.sql("select count(*) from main.ml_ctr_scoring_features")[0][0]
    predicted = pipeline.sql("select count(*), count(distinct ad_id) from ml.ctr_predictions")[0]
    assert scoring_rows > 0
    assert predicted == (scoring_rows, scoring_rows)
    assert pipeline.prediction_counts == [scoring_rows, scoring_rows]
    total_share, n = pipeline.sql("select sum(budget_share), count(*) from ml.budget_slates")[0]
    assert n > 0
    assert total_share == pytest.approx(1.0)


def test_summary_names_tables_and_model_quality(pipeline: Pipeline) -> None:
    out = pipeline.aelp("summary").stdout
    assert "raw_meta.insights" in out
    assert "best ads by ctr_u" in out
    assert "share of achievable gain" in out
    assert "budget slate:" in out and "exploit" in out


def test_clip_and_yolo_features_reach_dim_creatives_and_the_training_examples(
    pipeline: Pipeline,
) -> None:
    (with_features, creatives, weights, dims) = pipeline.sql(
        "select count_if(has_clip_features and has_yolo_features), count(*), "
        "string_agg(distinct clip_weights || ' ' || yolo_weights, ','), "
        "min(len(clip_embedding)) from main.dim_creatives where media_type is not null"
    )[0]
    assert with_features == creatives > 0
    assert (weights, dims) == ("random-init random-init", 384)
    (rows, with_similarity, with_count, videos_flagged) = pipeline.sql(
        "select count(*), count(f_clip_sim_person), count(f_yolo_person_count), "
        "count(f_has_person_first_second) from main.ml_ctr_training_examples"
    )[0]
    assert rows == with_similarity == with_count > 0
    assert 0 < videos_flagged < rows  # videos only


def test_evaluate_records_metrics_against_both_baselines(pipeline: Pipeline) -> None:
    rows = dict(
        pipeline.sql(
            "select scorer, metric_value from ml.model_evaluations "
            "where segment = 'overall' and metric = 'logloss'"
        )
    )
    assert set(rows) >= {"model", "baseline_global_mean", "baseline_eb_shrinkage", "truth"}
    assert rows["model"] < rows["baseline_global_mean"]
    assert pipeline.sql("select count(*) from ml.creative_element_effects")[0][0] > 0


def test_current_running_scored_view_has_every_ad_of_the_latest_day(pipeline: Pipeline) -> None:
    running = pipeline.sql(
        "select count(*) from main.fct_ad_daily_link_ctr where impressions > 0 "
        "and date_day = (select max(date_day) from main.fct_ad_daily_link_ctr)"
    )[0][0]
    rows, scored, inside = pipeline.sql(
        "select count(*), count(predicted_ctr_u), "
        "count(*) filter (where predicted_ctr_u between predicted_ctr_u_lower "
        "and predicted_ctr_u_upper) "
        "from main_reporting.rpt_current_running_scored"
    )[0]
    assert rows == running > 0
    assert inside == scored > 0
