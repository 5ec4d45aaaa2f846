"""The BigQuery path end to end on the local emulator, through the dbt-bigquery adapter.

A tiny world is loaded and its creatives extracted with the BigQuery warehouse,
`dbt build --target emulator` runs twice (the second run overwrites the restatement window's
partitions, listed statically), then train, score (twice) and slate run against the same
target. Every run uses a fresh dbt dataset so reruns in one emulator session never collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from bq_emulator import emulator_url, rows
from sqlglot import exp

from aelp.transform.plan import overwritten_partitions, restricted_days

REPO = Path(__file__).resolve().parents[3]
FACT_SQL = Path("aelp", "models", "marts", "marketing", "fct_ad_daily_link_ctr.sql")
BIN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin"
WORLD_START = "2026-01-01"
WORLD_DAYS = 40
RUN_DATE = "2026-02-09"  # the world's last day: the restatement window is its last 29 days
WINDOW_START = "2026-01-12"
FACT = "fct_ad_daily_link_ctr"

pytestmark = pytest.mark.integration


@dataclass
class EmulatorPipeline:
    """Paths, environment and timings of one pipeline run against the emulator."""

    root: Path
    env: dict[str, str]
    dataset: str
    seconds: dict[str, float] = field(default_factory=dict)
    prediction_counts: list[int] = field(default_factory=list)

    def run(self, label: str, *args: str) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(
            list(args), cwd=REPO, env=self.env, capture_output=True, text=True, check=False
        )
        self.seconds[label] = time.monotonic() - started
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def aelp(self, label: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(label, str(BIN / "aelp"), "--target", "emulator", *args)

    def dbt(self, label: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(
            label,
            str(BIN / "dbt"),
            *args,
            "--target",
            "emulator",
            "--vars",
            f"{{run_date: '{RUN_DATE}'}}",
            "--target-path",
            str(self.root / "target"),
            "--log-path",
            str(self.root / "logs"),
        )

    def fact(self) -> str:
        return f"`test-project.{self.dataset}.{FACT}`"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorPipeline]:
    url = emulator_url()
    root = tmp_path_factory.mktemp("bq_pipeline")
    shutil.copy(REPO / "profiles.example.yml", root / "profiles.yml")
    dataset = f"it_{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "AELP_BQ_EMULATOR": url,
        "AELP_BQ_DATASET": dataset,
        "AELP_ARTIFACTS_DIR": str(root / "artifacts"),
        "DBT_PROFILES_DIR": str(root),
        "DBT_TARGET": "emulator",
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    p = EmulatorPipeline(root=root, env=env, dataset=dataset)
    p.run(
        "world generate",
        str(BIN / "aelp"),
        "world",
        "generate",
        "--seed",
        "5",
        "--ads",
        "30",
        "--days",
        str(WORLD_DAYS),
        "--start",
        WORLD_START,
        "--out",
        str(root / "world"),
    )
    p.aelp("world load", "world", "load", "--world", str(root / "world"))
    p.aelp("creative extract", "creative", "extract", "--assets", str(root / "world" / "creatives"))
    p.dbt("dbt build (full)", "build")
    p.dbt("dbt build (incremental)", "build")
    p.aelp("train", "train", "--seed", "0")
    for run in range(2):  # scoring is idempotent per model run and date
        p.aelp(f"score {run + 1}", "score")
        p.prediction_counts.append(_predictions_for_latest_run(p))
    p.aelp("slate", "slate", "--budget", "500", "--seed", "1")
    yield p
    timings = ", ".join(f"{label} {s:.0f}s" for label, s in p.seconds.items())
    print(f"\nemulator pipeline timings: {timings}")


def _client(p: EmulatorPipeline) -> Any:
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    return bigquery.Client(
        project="test-project",
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options=ClientOptions(api_endpoint=p.env["AELP_BQ_EMULATOR"]),
    )


def _query(p: EmulatorPipeline, sql: str) -> list[dict[str, Any]]:
    client = _client(p)
    try:
        return rows(client, sql)
    finally:
        client.close()


def _predictions_for_latest_run(p: EmulatorPipeline) -> int:
    (row,) = _query(
        p,
        """
        select count(*) as n from `test-project.ml.ctr_predictions`
        where model_run_id = (
            select model_run_id from `test-project.ml.model_runs`
            order by trained_at desc limit 1
        )
        """,
    )
    return int(row["n"])


def _fact_totals(p: EmulatorPipeline, ads: str = "") -> dict[str, Any]:
    (row,) = _query(
        p,
        f"""
        select count(*) as n, sum(impressions) as impressions,
               sum(unique_inline_link_clicks) as uniques, sum(spend) as spend
        from {p.fact()}
        where date_day between date '{WORLD_START}' and date '{RUN_DATE}' {ads}
        """,
    )
    return row


def _own_ads(p: EmulatorPipeline) -> str:
    """``and ad_id in (...)`` for the pipeline world's ads: raw_meta is shared with the other
    BigQuery test modules, which may write their own rows while this module runs."""
    from aelp.world.io import iter_table_batches

    ids = sorted(
        {
            i
            for batch in iter_table_batches(p.root / "world", "ads")
            for i in batch.column("id").to_pylist()
        }
    )
    return "and ad_id in (" + ", ".join(f"'{i}'" for i in ids) + ")"


def test_dbt_build_twice_keeps_the_fact_equal_to_raw_insights(
    pipeline: EmulatorPipeline,
) -> None:
    ads = _own_ads(pipeline)
    (raw,) = _query(
        pipeline,
        f"""
        select count(*) as n, sum(impressions) as impressions,
               sum(unique_inline_link_clicks) as uniques, sum(spend) as spend
        from `test-project.raw_meta.insights`
        where true {ads}
        """,
    )
    fact = _fact_totals(pipeline, ads)
    assert raw["n"] > 0
    assert (fact["n"], fact["impressions"], fact["uniques"]) == (
        raw["n"],
        raw["impressions"],
        raw["uniques"],
    )
    assert float(fact["spend"]) == pytest.approx(float(raw["spend"]))


def test_fact_is_partitioned_by_day_and_requires_a_partition_filter(
    pipeline: EmulatorPipeline,
) -> None:
    client = _client(pipeline)
    try:
        table = client.get_table(f"test-project.{pipeline.dataset}.{FACT}")
    finally:
        client.close()
    assert table.time_partitioning is not None
    assert table.time_partitioning.field == "date_day"
    # The emulator records the flag with the partitioning but does not enforce it: that every
    # query on the fact filters date_day is compile-checked below.
    assert table.time_partitioning.require_partition_filter or table.require_partition_filter


def test_rolling_view_reads_the_restatement_window_of_the_fact(
    pipeline: EmulatorPipeline,
) -> None:
    (row,) = _query(
        pipeline,
        f"""
        select min(date_day) as first_day, max(date_day) as last_day, count(*) as n
        from `test-project.{pipeline.dataset}_reporting.rpt_ad_link_ctr_rolling_7d`
        """,
    )
    assert row["n"] > 0
    assert str(row["first_day"]) >= WINDOW_START
    assert str(row["last_day"]) == RUN_DATE


def test_a_day_gone_from_the_source_is_gone_from_the_fact_after_an_incremental_run(
    pipeline: EmulatorPipeline,
) -> None:
    vanished_day = "2026-02-01"
    ads = _own_ads(pipeline)
    before = _fact_totals(pipeline, ads)
    (gone,) = _query(
        pipeline,
        f"""
        select count(*) as n from `test-project.raw_meta.insights`
        where date_start = date '{vanished_day}' {ads}
        """,
    )
    assert gone["n"] > 0
    _query(
        pipeline,
        f"delete from `test-project.raw_meta.insights` where date_start = date '{vanished_day}' "
        + ads,
    )
    try:
        pipeline.dbt("dbt run (restated)", "run", "--select", FACT)
        after = _fact_totals(pipeline, ads)
        (left,) = _query(
            pipeline,
            f"select count(*) as n from {pipeline.fact()} "
            f"where date_day = date '{vanished_day}' {ads}",
        )
    finally:
        pipeline.aelp("world reload", "world", "load", "--world", str(pipeline.root / "world"))
        pipeline.dbt("dbt run (restored)", "run", "--select", FACT)
    assert left["n"] == 0
    assert after["n"] == before["n"] - gone["n"]


def test_train_reads_the_marts_and_records_a_run(pipeline: EmulatorPipeline) -> None:
    (run,) = _query(
        pipeline,
        """
        select engine, train_rows, test_logloss_model, test_logloss_baseline
        from `test-project.ml.model_runs` order by trained_at desc limit 1
        """,
    )
    assert run["engine"] == "bigquery"
    assert run["train_rows"] > 0
    assert run["test_logloss_model"] > 0


def test_scoring_twice_writes_each_scoreable_ad_once(pipeline: EmulatorPipeline) -> None:
    (scoring,) = _query(
        pipeline,
        f"select count(*) as n from `test-project.{pipeline.dataset}.ml_ctr_scoring_features`",
    )
    assert scoring["n"] > 0
    assert pipeline.prediction_counts == [scoring["n"], scoring["n"]]


def test_slate_splits_the_whole_budget(pipeline: EmulatorPipeline) -> None:
    (slate,) = _query(
        pipeline,
        """
        select count(*) as n, sum(budget_share) as share
        from `test-project.ml.budget_slates`
        where slate_id = (
            select slate_id from `test-project.ml.budget_slates`
            order by created_at desc limit 1
        )
        """,
    )
    assert slate["n"] > 0
    assert slate["share"] == pytest.approx(1.0)


def test_plan_prints_dry_run_bytes_of_the_incremental_run(pipeline: EmulatorPipeline) -> None:
    out = pipeline.aelp("plan", "plan", "--vars", f"{{run_date: '{RUN_DATE}'}}").stdout
    fact_lines = [line for line in out.splitlines() if FACT in line]
    assert fact_lines and "incremental run" in fact_lines[0]
    assert "overwrites 29 partitions" in out
    assert "emulator estimate" in out


def test_incremental_select_of_the_fact_reads_only_the_restatement_window(
    pipeline: EmulatorPipeline,
) -> None:
    compiled = (pipeline.root / "target" / "compiled" / FACT_SQL).read_text()
    windows = restricted_days(compiled, "date_day")
    assert len(windows) == 2  # insights (their actions summed per row), the conversions export
    for low, high in windows:
        assert WINDOW_START in low
        assert RUN_DATE in high


def test_insert_overwrite_merge_lists_the_window_partitions(pipeline: EmulatorPipeline) -> None:
    merge = (pipeline.root / "target" / "run" / FACT_SQL).read_text()
    days = overwritten_partitions(merge, "date_day")
    assert len(days) == 29
    assert (min(days), max(days)) == (WINDOW_START, RUN_DATE)


def test_every_compiled_query_on_the_fact_filters_its_partition_column(
    pipeline: EmulatorPipeline,
) -> None:
    checked = 0
    for path in (pipeline.root / "target" / "compiled").rglob("*.sql"):
        sql = path.read_text()
        if FACT not in sql or path.stem == FACT:
            continue
        for table in sqlglot.parse_one(sql, read="bigquery").find_all(exp.Table):
            if table.name != FACT:
                continue
            select = table.find_ancestor(exp.Select)
            where = select.args.get("where") if select else None
            filtered = where is not None and any(
                c.name == "date_day" for c in where.find_all(exp.Column)
            )
            assert filtered, f"{path.name} reads {FACT} without a filter on date_day"
            checked += 1
    assert checked >= 5
