"""The ``aelp`` command line: one command per pipeline step."""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from aelp import __version__
from aelp.config import ConfigError, Settings, load_settings
from aelp.simulation.commands import slate_config, slate_options
from aelp.warehouse import Warehouse, WarehouseError, connect

log = logging.getLogger("aelp")


def _settings(ctx: click.Context) -> Settings:
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "settings" not in obj:
        obj["settings"] = load_settings(target=obj.get("target"))
    settings: Settings = obj["settings"]
    return settings


def _warehouse(ctx: click.Context) -> Warehouse:
    warehouse = connect(_settings(ctx))
    ctx.call_on_close(warehouse.close)
    return warehouse


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aelp")
@click.option("--target", "-t", default=None, help="dbt profile target (default: the profile's).")
@click.option(
    "--log-level",
    default=lambda: os.environ.get("AELP_LOG_LEVEL", "INFO"),
    show_default="INFO",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
@click.pass_context
def main(ctx: click.Context, target: str | None, log_level: str) -> None:
    """AELP: Meta Ads link CTR, creative features, models and budget slates."""
    logging.basicConfig(
        level=log_level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    ctx.ensure_object(dict)["target"] = target


# --------------------------------------------------------------------------- world
@main.group()
def world() -> None:
    """The seeded sample world: generate it, load it."""


@world.command("generate")
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--ads", "n_ads", default=300, show_default=True, type=int)
@click.option("--days", "n_days", default=90, show_default=True, type=int)
@click.option("--accounts", "n_accounts", default=1, show_default=True, type=int)
@click.option("--start", "start_date", default="2026-01-01", show_default=True)
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
    type=int,
    help="New concepts that launch only in the last --holdout-days (files in OUT/concepts/).",
)
@click.option("--holdout-days", default=7, show_default=True, type=int)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
def world_generate(
    seed: int,
    n_ads: int,
    n_days: int,
    n_accounts: int,
    start_date: str,
    render: bool,
    holdout_concepts: int,
    holdout_days: int,
    out_dir: Path,
) -> None:
    """Generate a deterministic sample world into OUT."""
    from aelp.world import WorldConfig, generate_world_to_dir

    config = WorldConfig(
        seed=seed,
        n_ads=n_ads,
        n_days=n_days,
        n_accounts=n_accounts,
        start_date=date.fromisoformat(start_date),
        render=render,
        holdout_concepts=holdout_concepts,
        holdout_days=holdout_days,
    )
    written = generate_world_to_dir(config, out_dir)
    rows = written["summary"]["rows"]
    click.echo(
        f"world seed={seed} written to {out_dir}: "
        + ", ".join(f"{name}={n:,}" for name, n in rows.items())
    )


@world.command("load")
@click.option(
    "--world",
    "world_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--truth/--no-truth",
    default=True,
    show_default=True,
    help="Also load the world's true rates into sim.truth (the yardstick).",
)
@click.pass_context
def world_load(ctx: click.Context, world_dir: Path, truth: bool) -> None:
    """Write a generated world into the raw tables (idempotent)."""
    from aelp.raw_load import load_world_dir

    summary = load_world_dir(_warehouse(ctx), world_dir, with_truth=truth)
    for table, n in summary.rows.items():
        click.echo(f"{table:<32} {n:>10,} rows")


# --------------------------------------------------------------------------- creative
@main.group()
def creative() -> None:
    """Creative content features."""


def _model_options(function: Any) -> Any:
    """Options that pick the extractors, models, weights and device (override dbt vars)."""
    options = [
        click.option(
            "--extractors",
            default=None,
            help="Comma-separated: file_stats,clip,yolo (default: var creative_extractors).",
        ),
        click.option("--clip-model", default=None, help="open_clip architecture, e.g. ViT-B-32."),
        click.option(
            "--clip-weights",
            default=None,
            help="random-init, an open_clip pretrained tag or a checkpoint path.",
        ),
        click.option("--yolo-model", default=None, help="ultralytics architecture, e.g. yolov8n."),
        click.option("--yolo-weights", default=None, help="random-init or a YOLO checkpoint path."),
        click.option("--yolo-imgsz", default=None, type=int, help="YOLO input size (pixels)."),
        click.option("--yolo-conf", default=None, type=float, help="YOLO confidence threshold."),
        click.option(
            "--device",
            default="auto",
            show_default=True,
            type=click.Choice(["auto", "cuda", "cpu"]),
            help="auto takes CUDA (half precision) when present.",
        ),
        click.option("--threads", default=None, type=int, help="CPU threads for the models."),
        click.option(
            "--offline/--online",
            default=None,
            help="Keep model libraries off the network (default: var creative_offline).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _creative_extractors(ctx: click.Context, options: dict[str, Any]) -> list[Any]:
    from aelp.creative.config import (
        ExtractionConfigError,
        build_extractors,
        config_from_vars,
        parse_extractors,
    )
    from aelp.creative.weights import WeightsError

    settings = _settings(ctx)
    try:
        config = config_from_vars(settings.vars).with_overrides(
            extractors=parse_extractors(options["extractors"]),
            clip_model=options["clip_model"],
            clip_weights=options["clip_weights"],
            yolo_model=options["yolo_model"],
            yolo_weights=options["yolo_weights"],
            yolo_imgsz=options["yolo_imgsz"],
            yolo_conf=options["yolo_conf"],
            offline=options["offline"],
        )
    except ExtractionConfigError as error:
        raise click.ClickException(str(error)) from error
    try:
        return build_extractors(
            config,
            device=options["device"],
            batch_frames=options["batch_size"],
            threads=options["threads"],
            project_dir=settings.project_dir,
        )
    except (WeightsError, ExtractionConfigError, RuntimeError) as error:
        raise click.ClickException(str(error)) from error


@creative.command("extract")
@click.option(
    "--assets",
    "assets_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--batch-size", default=32, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Decoding processes.")
@click.option("--shard", default=None, help="K/N: only files whose content hash is in shard K.")
@click.option("--retry-failed", is_flag=True, help="Retry files recorded as failed.")
@_model_options
@click.pass_context
def creative_extract(
    ctx: click.Context,
    assets_dir: Path,
    batch_size: int,
    workers: int,
    shard: str | None,
    retry_failed: bool,
    **options: Any,
) -> None:
    """Extract features of every image and video under ASSETS into raw_creative."""
    from aelp.creative import extract_folder
    from aelp.creative.sharding import parse_shard

    try:
        chosen_shard = parse_shard(shard) if shard else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--shard") from error
    extractors = _creative_extractors(ctx, {**options, "batch_size": batch_size})
    summary = extract_folder(
        _warehouse(ctx),
        assets_dir,
        batch_size=batch_size,
        workers=workers,
        extractors=extractors,
        retry_failed=retry_failed,
        shard=chosen_shard,
    )
    click.echo(str(summary))


@creative.command("bench")
@click.option(
    "--assets",
    "assets_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--limit", default=64, show_default=True, type=int, help="Images and videos each.")
@click.option("--batch-size", default=32, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Decoding processes.")
@click.option(
    "--write",
    "write_to",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Markdown file whose creative-extraction section gets the results.",
)
@_model_options
@click.pass_context
def creative_bench(
    ctx: click.Context,
    assets_dir: Path,
    limit: int,
    batch_size: int,
    workers: int,
    write_to: Path | None,
    **options: Any,
) -> None:
    """Time decoding and each extractor on ASSETS: images/s and video seconds/s."""
    from aelp.creative.bench import run_bench, write_section

    extractors = _creative_extractors(ctx, {**options, "batch_size": batch_size})
    report = run_bench(assets_dir, extractors, limit=limit, batch_size=batch_size, workers=workers)
    text = report.markdown()
    click.echo(text)
    if write_to is not None:
        write_section(write_to, text)
        click.echo(f"written to {write_to}")


# --------------------------------------------------------------------------- learning
@main.command()
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--threads", default=2, show_default=True, type=int, help="LightGBM threads.")
@click.pass_context
def train(ctx: click.Context, seed: int, threads: int) -> None:
    """Train the ctr_u regressor, the any-click classifier and the intervals; record the run."""
    from aelp.modeling import train as train_model

    result = train_model(_settings(ctx), _warehouse(ctx), seed=seed, num_threads=threads)
    click.echo(str(result))


@main.command()
@click.option("--model-run-id", default=None, help="Default: the latest run.")
@click.option(
    "--cold-start-impressions",
    default=1000,
    show_default=True,
    type=float,
    help="Rows whose ad had fewer impressions before the day form the cold-start segment.",
)
@click.pass_context
def evaluate(ctx: click.Context, model_run_id: str | None, cold_start_impressions: float) -> None:
    """Evaluate a run on the test window; write ml.model_evaluations, element effects, plots."""
    from aelp.modeling.evaluate import evaluate as evaluate_run

    report = evaluate_run(
        _settings(ctx),
        _warehouse(ctx),
        model_run_id=model_run_id,
        cold_start_impressions=cold_start_impressions,
    )
    click.echo(str(report))
    for path in report.plots:
        click.echo(f"plot: {path}")


@main.group()
def bench() -> None:
    """Benchmarks measured on sample worlds."""


@bench.command("model")
@click.option("--seeds", default="7,8,9", show_default=True, help="Comma-separated world seeds.")
@click.option("--ads", "n_ads", default=300, show_default=True, type=int)
@click.option("--days", "n_days", default=90, show_default=True, type=int)
@click.option(
    "--scale-rows",
    default=1_000_000,
    show_default=True,
    type=int,
    help="Training rows for the memory/time run (0 skips it).",
)
@click.option(
    "--extractors",
    default="file_stats",
    show_default=True,
    help="Creative extractors for the demo worlds (CLIP and YOLO take minutes on a CPU).",
)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
def bench_model(
    seeds: str, n_ads: int, n_days: int, scale_rows: int, extractors: str, out_dir: Path
) -> None:
    """Train and evaluate on several demo worlds, time training at scale; print a Markdown table."""
    from aelp.modeling.bench import run_model_bench

    result = run_model_bench(
        [int(s) for s in seeds.split(",") if s.strip()],
        n_ads=n_ads,
        n_days=n_days,
        scale_rows=scale_rows,
        out_dir=out_dir,
        extractors=extractors,
    )
    click.echo(result.markdown())


@bench.command("scale")
@click.option(
    "--rows",
    default="demo,100k",
    show_default=True,
    help="Comma-separated world sizes in insights rows (demo = 300 ads x 90 days), e.g. "
    "demo,100k,1M,10M.",
)
@click.option(
    "--history-pair/--no-history-pair",
    default=True,
    show_default=True,
    help="Also run a 1-year world with the largest world's daily volume (incremental flatness).",
)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every figure and the machine's description here.",
)
@click.option(
    "--write",
    "write_to",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Markdown file whose scale section gets the results.",
)
@click.option("--keep", is_flag=True, help="Keep the DuckDB files of each world.")
@click.option(
    "--bigquery/--no-bigquery",
    default=True,
    show_default=True,
    help="Check the daily run's partitions on the local BigQuery emulator when installed.",
)
@click.option(
    "--steps",
    default=None,
    help="Run only these steps (comma-separated), e.g. 'load,floor'; default: all.",
)
def bench_scale(
    rows: str,
    history_pair: bool,
    out_dir: Path,
    json_path: Path | None,
    write_to: Path | None,
    keep: bool,
    bigquery: bool,
    steps: str | None,
) -> None:
    """Wall time and peak memory of each pipeline step on worlds of growing size."""
    from aelp.scale.bench import markdown, parse_steps, run_scale_bench, write_section

    try:
        chosen = parse_steps(steps)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--steps") from error
    report = run_scale_bench(
        rows,
        out_dir,
        history_pair=history_pair,
        keep=keep,
        steps=chosen,
        checkpoint=json_path,
        bigquery=bigquery,
    )
    text = markdown(report)
    click.echo(text)
    if json_path is not None:
        click.echo(f"written to {json_path}")
    if write_to is not None:
        write_section(write_to, text)
        click.echo(f"written to {write_to}")
    if not all(step.ok for step in report.steps):
        raise click.ClickException("a benchmark step failed; see its log under " + str(out_dir))


@main.command()
@click.option("--model-run-id", default=None, help="Default: the latest run.")
@click.option("--date", "prediction_date", default=None, help="YYYY-MM-DD; default: next day.")
@click.pass_context
def score(ctx: click.Context, model_run_id: str | None, prediction_date: str | None) -> None:
    """Predict ctr_u for every active ad and write ml.ctr_predictions."""
    from aelp.modeling import score as score_ads

    rows = score_ads(
        _settings(ctx),
        _warehouse(ctx),
        model_run_id=model_run_id,
        prediction_date=_parse_date(prediction_date),
    )
    click.echo(f"ml.ctr_predictions: {rows:,} rows written")


@main.command()
@click.option("--date", "slate_date", default=None, help="YYYY-MM-DD; default: scored day.")
@click.option("--budget", required=True, type=float, help="Total spend, account currency.")
@click.option("--seed", default=0, show_default=True, type=int)
@slate_options
@click.pass_context
def slate(
    ctx: click.Context, slate_date: str | None, budget: float, seed: int, **options: Any
) -> None:
    """Write tomorrow's budget split to ml.budget_slates."""
    from aelp.slate import SlateConfig, make_slate, write_slate

    try:
        config = slate_config(SlateConfig(), options)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    settings, warehouse = _settings(ctx), _warehouse(ctx)
    table = make_slate(
        settings,
        warehouse,
        slate_date=_parse_date(slate_date),
        budget=budget,
        seed=seed,
        config=config,
    )
    write_slate(warehouse, table)
    click.echo(f"ml.budget_slates: {table.num_rows:,} ads in the slate")


@main.command()
@click.option("--selector", default=None, help="dbt selector (default: the project's default).")
@click.option(
    "--vars", "dbt_vars", default=None, help="dbt --vars, e.g. \"{run_date: '2026-02-09'}\"."
)
@click.pass_context
def plan(ctx: click.Context, selector: str | None, dbt_vars: str | None) -> None:
    """Compile the daily dbt run for a BigQuery target and print dry-run bytes per model."""
    from aelp.plan import compile_run, plan_run
    from aelp.warehouse.bigquery import BigQueryWarehouse

    settings = _settings(ctx)
    if not settings.target.is_bigquery:
        raise ConfigError(f"aelp plan needs a BigQuery target; {settings.target.name!r} is not one")
    nodes = compile_run(settings, selector=selector, dbt_vars=dbt_vars)
    with BigQueryWarehouse.from_target(settings.target) as warehouse:
        assert isinstance(warehouse, BigQueryWarehouse)
        click.echo(plan_run(settings, warehouse.client, nodes).render())


@main.command()
@click.pass_context
def summary(ctx: click.Context) -> None:
    """Print rows per table, best and worst ads by ctr_u, and model quality."""
    from aelp.summary import render_summary

    click.echo(render_summary(_settings(ctx), _warehouse(ctx)))


# --------------------------------------------------------------------------- dashboards
def _add_dashboard_commands() -> None:
    from aelp.lookml.commands import register as register_lookml
    from aelp.report.commands import register as register_report

    register_lookml(main)
    register_report(main)


_add_dashboard_commands()


# --------------------------------------------------------------------------- meta loader
def _add_loader_commands() -> None:
    from aelp.meta.commands import register
    from aelp.simulation.commands import register as register_simulation

    register(main, world)
    register_simulation(main, bench)


def _add_concept_commands() -> None:
    from aelp.concepts.commands import register

    register(main, bench)


_add_loader_commands()
_add_concept_commands()


def run() -> None:
    """Entry point that turns known errors into one clear line and exit code 1."""
    try:
        main(standalone_mode=True)
    except (ConfigError, WarehouseError) as error:
        click.echo(f"aelp: error: {error}", err=True)
        sys.exit(1)
