"""Steps of the scale benchmark that are not an ``aelp`` or ``dbt`` command of their own.

Each runs in a child process (``python -m aelp.scale.steps STEP ...``) so that its peak
memory is its own; each prints one JSON line with what it did.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import click
import pyarrow.compute as pc


@click.group()
def main() -> None:
    """Scale benchmark steps (run by ``aelp bench scale``)."""


@main.command("hold-back")
@click.option("--day", required=True, help="YYYY-MM-DD: the insights day to remove.")
def hold_back(day: str) -> None:
    """Delete one day of raw insights: the day the daily run will load as new."""
    from aelp import schemas
    from aelp.config import load_settings
    from aelp.warehouse import connect, sql

    with connect(load_settings()) as warehouse:
        before = warehouse.count(schemas.INSIGHTS.dataset, schemas.INSIGHTS.name)
        warehouse.execute(
            f"delete from {warehouse.spec_ref(schemas.INSIGHTS)} "
            f"where date_start = {sql.day(date.fromisoformat(day))}"
        )
        after = warehouse.count(schemas.INSIGHTS.dataset, schemas.INSIGHTS.name)
    _emit({"held_back_rows": before - after})


@main.command("daily-load")
@click.option("--world", "world_dir", required=True, type=click.Path(path_type=Path))
@click.option("--run-date", required=True, help="YYYY-MM-DD: the new day.")
@click.option("--restatement-days", default=28, show_default=True, type=int)
def daily_load(world_dir: Path, run_date: str, restatement_days: int) -> None:
    """Upsert the new day and the restatement window's days of insights, as a daily fetch does."""
    from aelp import schemas
    from aelp.config import load_settings
    from aelp.warehouse import connect
    from aelp.world.io import iter_table_batches

    last = date.fromisoformat(run_date)
    first = last - timedelta(days=restatement_days)
    written = 0
    with connect(load_settings()) as warehouse:
        for batch in iter_table_batches(world_dir, schemas.INSIGHTS.name):
            days = batch.column("date_start")
            keep = pc.and_(pc.greater_equal(days, first), pc.less_equal(days, last))
            part = batch.filter(keep)
            if part.num_rows:
                written += warehouse.upsert(schemas.INSIGHTS, part)
    _emit({"rows": written, "first_day": first.isoformat(), "last_day": last.isoformat()})


@main.command("floor")
@click.option("--warehouse", "warehouse_path", required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_path", required=True, type=click.Path(path_type=Path))
def floor(warehouse_path: Path, out_path: Path) -> None:
    """The plain-SQL floor on the raw tables."""
    from aelp.scale.floor import run_floor

    _emit({"rows": run_floor(warehouse_path, out_path)})


@main.command("examples")
def examples() -> None:
    """Read the training examples exactly as ``aelp train`` does (bounded sample included)."""
    from aelp.config import load_settings
    from aelp.modeling.marts import read_training_examples, training_since
    from aelp.warehouse import connect

    settings = load_settings()
    with connect(settings) as warehouse:
        since = training_since(settings, warehouse)
        table = read_training_examples(settings, warehouse, since=since)
        _emit(
            {
                "rows": table.num_rows,
                "columns": table.num_columns,
                "since": since.isoformat() if since else None,
                "arrow_bytes": table.nbytes,
            }
        )


@main.command("bigquery-window")
@click.option("--world", "world_dir", required=True, type=click.Path(path_type=Path))
@click.option("--run-date", required=True, help="YYYY-MM-DD: the daily run's date.")
@click.option("--folder", required=True, type=click.Path(path_type=Path))
def bigquery_window(world_dir: Path, run_date: str, folder: Path) -> None:
    """On the local BigQuery: build the fact, then plan and run its incremental run.

    Records the dry-run bytes ``aelp plan`` gets for the incremental selects (the emulator
    answers 0), the window their compiled SQL restricts ``date_day`` to and the partitions
    the insert_overwrite MERGE rewrites, each checked against the restatement window.
    """
    from aelp.config import load_settings
    from aelp.transform.plan import compile_run, overwritten_partitions, plan_run
    from aelp.warehouse.bigquery import BigQueryWarehouse
    from aelp.world.load import load_world_dir

    settings = load_settings(target="emulator")
    days = int(settings.var("restatement_days", 28))
    last = date.fromisoformat(run_date)
    first = last - timedelta(days=days)
    select = ["--select", "+fct_ad_daily_link_ctr"]
    dbt_paths = ["--target-path", str(folder / "target"), "--log-path", str(folder / "logs")]
    with BigQueryWarehouse.from_target(settings.target) as warehouse:
        load_world_dir(warehouse, world_dir)
        _dbt(["run", *select, *dbt_paths, "--vars", f"{{run_date: '{first - timedelta(1)}'}}"])
        nodes = compile_run(settings, dbt_vars=f"{{run_date: '{run_date}'}}")
        wanted = {"fct_ad_daily_link_ctr"}
        assert isinstance(warehouse, BigQueryWarehouse)
        plan = plan_run(settings, warehouse.client, [n for n in nodes if n.name in wanted])
    _dbt(["run", *select, *dbt_paths, "--vars", f"{{run_date: '{run_date}'}}"])
    merge_sql = (
        folder / "target" / "run" / "aelp" / "models" / "marts" / "marketing"
        / "fct_ad_daily_link_ctr.sql"
    ).read_text()  # fmt: skip
    partitions = sorted(set(overwritten_partitions(merge_sql, "date_day")))
    expected = [(first + timedelta(days=k)).isoformat() for k in range(days + 1)]
    models = {
        m.name: {
            "bytes_processed": m.bytes_processed,
            "window": list(m.window) if m.window else None,
            "window_is_restatement_window": bool(
                m.window and first.isoformat() in m.window[0] and run_date in m.window[1]
            ),
            "partitions": len(m.partitions),
        }
        for m in plan.models
    }
    _emit(
        {
            "checked": True,
            "source": "bqemulator: dbt-bigquery build, aelp plan dry runs, incremental MERGE",
            "is_emulator": plan.is_emulator,
            "total_dry_run_bytes": plan.total_bytes,
            "models": models,
            "merge_partitions": len(partitions),
            "merge_partitions_are_the_window": partitions == expected,
            "expected": [first.isoformat(), run_date],
            "only_window_partitions": partitions == expected
            and all(m["window_is_restatement_window"] for m in models.values()),
            "partitions": days + 1,
        }
    )


def _dbt(args: list[str]) -> None:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke([*args, "--target", "emulator", "--quiet"])
    if not result.success:
        raise click.ClickException(f"dbt {args[0]} failed: {result.exception}")


def _emit(doc: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(doc, default=str) + "\n")


if __name__ == "__main__":
    main()
