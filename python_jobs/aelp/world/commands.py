"""``aelp world``: generate the sample world, load it, serve it as the Graph API, fetch it.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from aelp.cli.context import App, group, pass_app
from aelp.cli.options import DATE, NON_NEGATIVE, NON_NEGATIVE_INT, POSITIVE_INT

_WORLD = click.option(
    "--world",
    "world_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder written by `aelp world generate`.",
)


@group("world")
def world() -> None:
    """The seeded sample world: generate it, load it, serve it, fetch it."""


@world.command("generate")
@click.option("--seed", default=7, show_default=True, type=NON_NEGATIVE_INT)
@click.option("--ads", "n_ads", default=300, show_default=True, type=POSITIVE_INT)
@click.option("--days", "n_days", default=90, show_default=True, type=POSITIVE_INT)
@click.option("--accounts", "n_accounts", default=1, show_default=True, type=POSITIVE_INT)
@click.option("--start", "start_date", default="2026-01-01", show_default=True, type=DATE)
@click.option(
    "--render/--no-render",
    default=True,
    show_default=True,
    help="Render creative files (PNG/MP4); off for benchmark worlds.",
)
@click.option(
    "--holdout-concepts",
    default=0,
    show_default=True,
    type=NON_NEGATIVE_INT,
    help="New concepts that launch only in the last --holdout-days (files in OUT/concepts/).",
)
@click.option("--holdout-days", default=7, show_default=True, type=POSITIVE_INT)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
def generate(
    seed: int,
    n_ads: int,
    n_days: int,
    n_accounts: int,
    start_date: date,
    render: bool,
    holdout_concepts: int,
    holdout_days: int,
    out_dir: Path,
) -> None:
    """Generate a deterministic sample world into OUT."""
    from aelp.world import WorldConfig, generate_world_to_dir

    try:
        config = WorldConfig(
            seed=seed,
            n_ads=n_ads,
            n_days=n_days,
            n_accounts=n_accounts,
            start_date=start_date,
            render=render,
            holdout_concepts=holdout_concepts,
            holdout_days=holdout_days,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    written = generate_world_to_dir(config, out_dir)
    rows = written["summary"]["rows"]
    click.echo(
        f"world seed={seed} written to {out_dir}: "
        + ", ".join(f"{name}={n:,}" for name, n in rows.items())
    )


@world.command("load")
@_WORLD
@click.option(
    "--truth/--no-truth",
    default=True,
    show_default=True,
    help="Also load the world's true rates into sim.truth (the yardstick).",
)
@pass_app
def load(app: App, world_dir: Path, truth: bool) -> None:
    """Write a generated world into the raw tables (idempotent)."""
    from aelp.world.load import load_world_dir

    summary = load_world_dir(app.warehouse, world_dir, with_truth=truth)
    for table, n in summary.rows.items():
        click.echo(f"{table:<32} {n:>10,} rows")


@world.command("serve")
@_WORLD
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535),
              help="0 picks a free port.")  # fmt: skip
@click.option("--token", default="stand-in-token", show_default=True, help="Token it accepts.")
@click.option(
    "--ready-file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the base URL here once listening.",
)
@click.option("--rate-limit-calls", default=0, type=NON_NEGATIVE_INT,
              help="Answer the next K calls with 80000.")  # fmt: skip
@click.option("--regain-minutes", default=0, type=NON_NEGATIVE_INT,
              help="estimated_time_to_regain_access.")  # fmt: skip
@click.option("--server-error-calls", default=0, type=NON_NEGATIVE_INT,
              help="Answer the next K calls with 500.")  # fmt: skip
@click.option("--expire-token-after", default=None, type=NON_NEGATIVE_INT,
              help="Code 190 after N calls.")  # fmt: skip
@click.option("--failing-async-jobs", default=0, type=NON_NEGATIVE_INT,
              help="The next K report runs fail.")  # fmt: skip
@click.option("--reduce-data-above", default=None, type=NON_NEGATIVE_INT,
              help="Refuse queries above N rows.")  # fmt: skip
@click.option("--delay", "delay_s", default=0.0, type=NON_NEGATIVE,
              help="Seconds added to each call.")  # fmt: skip
@click.option("--throttle-pct", default=0, type=click.IntRange(0, 100),
              help="x-fb-ads-insights-throttle value.")  # fmt: skip
@click.option("--restate-days", default=0, type=NON_NEGATIVE_INT,
              help="Serve revised numbers for the last N days.")  # fmt: skip
def serve(
    world_dir: Path,
    port: int,
    token: str,
    ready_file: Path | None,
    rate_limit_calls: int,
    regain_minutes: int,
    server_error_calls: int,
    expire_token_after: int | None,
    failing_async_jobs: int,
    reduce_data_above: int | None,
    delay_s: float,
    throttle_pct: int,
    restate_days: int,
) -> None:
    """Serve WORLD the way the Graph API does, on 127.0.0.1, until interrupted."""
    from aelp.world.graph_api.server import GraphApiServer

    server = GraphApiServer.for_world_dir(world_dir, port=port, token=token)
    server.faults.configure(
        rate_limited_calls=rate_limit_calls,
        regain_access_minutes=regain_minutes,
        server_error_calls=server_error_calls,
        token_expires_after_calls=expire_token_after,
        failing_async_jobs=failing_async_jobs,
        reduce_data_above_rows=reduce_data_above,
        delay_s=delay_s,
        insights_throttle_pct=throttle_pct,
    )
    if restate_days:
        _restate(server, world_dir, restate_days)
    click.echo(f"Graph API stand-in for {world_dir} at {server.url} (Ctrl-C stops it)")
    if ready_file is not None:
        ready_file.write_text(server.url + "\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _restate(server: Any, world_dir: Path, days: int) -> None:
    from aelp.world import read_world
    from aelp.world.graph_api.catalog import restate_insights

    world_tables = read_world(world_dir)
    since = world_tables.config.end_date - timedelta(days=days - 1)
    server.state.catalog.set_insights(
        restate_insights(world_tables.tables["insights"], since, bump=1)
    )


@world.command("fetch")
@_WORLD
@click.option("--asset-store", default=None, help="Where media lands (AELP_ASSET_STORE).")
@click.option(
    "--truth/--no-truth",
    default=True,
    show_default=True,
    help="Also load the world's true rates into sim.truth (the yardstick; Meta has none).",
)
@click.option("--progress/--no-progress", default=True, show_default=True)
@pass_app
def fetch(app: App, world_dir: Path, asset_store: str | None, truth: bool, progress: bool) -> None:
    """Serve WORLD on a free local port and fetch all of it through the SDK, then stop."""
    from aelp.world.stand_in import fetch_world

    summary = fetch_world(app.warehouse, world_dir, asset_store=asset_store, truth=truth,
                          progress=progress)  # fmt: skip
    for line in summary.lines():
        click.echo(line)
