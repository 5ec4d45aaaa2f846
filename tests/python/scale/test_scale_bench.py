"""The scale benchmark: world sizes, goals, the streamed world load and a tiny end-to-end run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from aelp import schemas
from aelp.cli.main import main
from aelp.scale.bench import (
    DAYS_1Y,
    DAYS_3Y,
    HISTORY_STEPS,
    ScaleReport,
    StepResult,
    goals,
    parse_rows,
    parse_steps,
    world_sizes,
)
from aelp.warehouse.duckdb import DuckDBWarehouse
from aelp.world import WorldConfig, generate_world_to_dir, read_world
from aelp.world.load import load_tables, load_world_dir, resolve_asset_uris

TINY = WorldConfig(seed=3, n_ads=40, n_days=30, render=False)


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scale_world")
    generate_world_to_dir(TINY, out)
    return out


def test_row_counts_parse_with_k_and_m_suffixes() -> None:
    assert [parse_rows(x) for x in ("5000", "100k", "1M", "2.5m")] == [
        5_000,
        100_000,
        1_000_000,
        2_500_000,
    ]
    with pytest.raises(ValueError):
        parse_rows("ten")


def test_world_sizes_add_a_one_year_world_with_the_largest_daily_volume() -> None:
    sizes = world_sizes("demo,1M,10M")
    assert [(s.label, s.n_days) for s in sizes] == [
        ("demo", 90),
        ("1M", DAYS_3Y),
        ("10M", DAYS_3Y),
        ("10M", DAYS_1Y),
    ]
    ten, one_year = sizes[2], sizes[3]
    assert one_year.n_ads == ten.n_ads // 3  # a third of the ads over a third of the days
    assert one_year.steps == HISTORY_STEPS
    assert parse_steps("floor, load") == ("load", "floor")
    with pytest.raises(ValueError):
        parse_steps("load,nap")


def test_goals_compare_the_largest_world_with_the_floor_and_the_one_year_run() -> None:
    report = ScaleReport(machine={})
    report.worlds = {
        "10M (1095 d)": {"days": DAYS_3Y, "insights_rows": 10_000_000},
        "10M (365 d)": {"days": DAYS_1Y, "insights_rows": 3_300_000},
    }
    report.steps = [
        StepResult("10M (1095 d)", "floor", 10.0, 1.4, True),
        StepResult("10M (1095 d)", "dbt build", 50.0, 3.0, True),
        StepResult("10M (1095 d)", "dbt incremental", 4.0, 1.0, True),
        StepResult("10M (365 d)", "dbt incremental", 4.0, 1.0, True),
        StepResult("10M (1095 d)", "train", 100.0, 5.0, True),
    ]
    found = {g["goal"]: (g["value"], g["met"]) for g in goals(report)}
    assert found["dbt build wall / floor wall"] == (5.0, False)
    assert found["dbt build peak memory"] == (3.0, True)
    assert found["incremental wall / full build wall"] == (0.08, True)
    assert found["incremental wall 3 y / 1 y"] == (1.0, True)
    assert found["train peak memory"] == (5.0, False)


def _rows(path: Path, spec: schemas.TableSpec) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        keys = ", ".join(spec.key)
        return con.execute(f"select * from {spec.dataset}.{spec.name} order by {keys}").fetchall()


@pytest.mark.parametrize("read_natively", [True, False], ids=["duckdb-reads-parquet", "slices"])
def test_streamed_world_load_writes_the_same_rows_as_the_in_memory_load(
    tiny_world: Path, tmp_path: Path, read_natively: bool
) -> None:
    streamed, in_memory = tmp_path / "streamed.duckdb", tmp_path / "in_memory.duckdb"
    with DuckDBWarehouse(streamed) as warehouse:
        summary = load_world_dir(warehouse, tiny_world, batch_rows=97, read_natively=read_natively)
    world = read_world(tiny_world)
    tables = dict(world.tables)
    tables["creative_assets"] = resolve_asset_uris(tables["creative_assets"], tiny_world)
    with DuckDBWarehouse(in_memory) as warehouse:
        for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS):
            warehouse.ensure_table(spec)
        expected = load_tables(warehouse, tables, world.truth)
    assert summary.rows == expected.rows
    assert summary.rows["raw_meta.insights"] > 97 * 3
    for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS, schemas.SIM_TRUTH):
        assert _rows(streamed, spec) == _rows(in_memory, spec), spec.qualified


def test_world_load_stores_insights_in_date_order(tiny_world: Path, tmp_path: Path) -> None:
    """The world file is in ad order; DuckDB keeps insertion order, so a load in file order
    would leave every row group spanning every day and a window read could skip none."""
    world_days = read_world(tiny_world).insights.column("date_start").to_pylist()
    assert world_days != sorted(world_days)
    path = tmp_path / "ordered.duckdb"
    with DuckDBWarehouse(path) as warehouse:
        load_world_dir(warehouse, tiny_world)
        shuffled = read_world(tiny_world).insights.slice(0, 60)
        warehouse.upsert(schemas.INSIGHTS, shuffled.take(list(range(59, -1, -1))))
    with duckdb.connect(str(path), read_only=True) as con:
        stored = [
            row[0]
            for row in con.execute(
                "select date_start from raw_meta.insights order by rowid"
            ).fetchall()
        ]
    upserted = len(shuffled)
    assert stored[:-upserted] == sorted(stored[:-upserted])
    assert stored[-upserted:] == sorted(stored[-upserted:])
    assert len(stored) == len(world_days)


def test_streamed_world_load_is_idempotent(tiny_world: Path, tmp_path: Path) -> None:
    path = tmp_path / "twice.duckdb"
    with DuckDBWarehouse(path) as warehouse:
        load_world_dir(warehouse, tiny_world)
        load_world_dir(warehouse, tiny_world, batch_rows=50, read_natively=False)
        load_world_dir(warehouse, tiny_world)
        assert warehouse.count("raw_meta", "insights") == read_world(tiny_world).insights.num_rows


def test_bench_scale_runs_load_and_floor_on_a_tiny_world_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    json_path, markdown = tmp_path / "scale.json", tmp_path / "benchmarks.md"
    markdown.write_text("# Benchmarks\n\nkept text\n")
    args = ["bench", "scale", "--rows", "3k", "--no-history-pair", "--no-bigquery"]
    args += ["--steps", "load,floor", "--out", str(tmp_path / "bench")]
    args += ["--json", str(json_path), "--write", str(markdown)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(json_path.read_text())
    assert doc["machine"]["cpu_count"] >= 1 and "load_average_at_start" in doc["machine"]
    steps = {s["step"]: s for s in doc["steps"]}
    assert set(steps) == {"generate", "load", "floor"}
    assert all(s["ok"] and s["wall_s"] > 0 and s["peak_rss_gb"] > 0 for s in steps.values())
    assert (
        steps["floor"]["detail"]["rows"]["ad_day"] == doc["worlds"]["3k (1095 d)"]["insights_rows"]
    )
    text = markdown.read_text()
    assert "kept text" in text and "<!-- scale:begin -->" in text and "| 3k (1095 d) |" in text
