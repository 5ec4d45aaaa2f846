"""``aelp train``, ``aelp evaluate``, ``aelp score`` and ``aelp bench model``.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from aelp.cli.context import App, pass_app
from aelp.cli.options import DATE, INT_LIST, NON_NEGATIVE, NON_NEGATIVE_INT, POSITIVE_INT
from aelp.creative.commands import extractor_names

_MODEL_RUN = click.option("--model-run-id", default=None, help="Default: the latest run.")


@click.command("train")
@click.option("--seed", default=0, show_default=True, type=NON_NEGATIVE_INT)
@click.option("--threads", default=2, show_default=True, type=POSITIVE_INT,
              help="LightGBM threads.")  # fmt: skip
@pass_app
def train(app: App, seed: int, threads: int) -> None:
    """Train the ctr_u regressor, the any-click classifier and the intervals; record the run."""
    from aelp.modeling import train as train_model

    result = train_model(app.settings, app.warehouse, seed=seed, num_threads=threads)
    click.echo(str(result))


@click.command("evaluate")
@_MODEL_RUN
@click.option(
    "--cold-start-impressions",
    default=1000,
    show_default=True,
    type=NON_NEGATIVE,
    help="Rows whose ad had fewer impressions before the day form the cold-start segment.",
)
@pass_app
def evaluate(app: App, model_run_id: str | None, cold_start_impressions: float) -> None:
    """Evaluate a run on the test window; write ml.model_evaluations, element effects, plots."""
    from aelp.modeling.evaluate import evaluate as evaluate_run

    report = evaluate_run(
        app.settings,
        app.warehouse,
        model_run_id=model_run_id,
        cold_start_impressions=cold_start_impressions,
    )
    click.echo(str(report))
    for path in report.plots:
        click.echo(f"plot: {path}")


@click.command("score")
@_MODEL_RUN
@click.option("--date", "prediction_date", default=None, type=DATE,
              help="YYYY-MM-DD; default: the scoring mart's newest day.")  # fmt: skip
@pass_app
def score(app: App, model_run_id: str | None, prediction_date: date | None) -> None:
    """Predict ctr_u for every active ad and write ml.ctr_predictions."""
    from aelp.modeling import score as score_ads

    rows = score_ads(
        app.settings, app.warehouse, model_run_id=model_run_id, prediction_date=prediction_date
    )
    click.echo(f"ml.ctr_predictions: {rows:,} rows written")


@click.command("model")
@click.option("--seeds", default="7,8,9", show_default=True, type=INT_LIST,
              help="Comma-separated world seeds.")  # fmt: skip
@click.option("--ads", "n_ads", default=300, show_default=True, type=POSITIVE_INT)
@click.option("--days", "n_days", default=90, show_default=True, type=POSITIVE_INT)
@click.option(
    "--scale-rows",
    default=1_000_000,
    show_default=True,
    type=NON_NEGATIVE_INT,
    help="Training rows for the memory/time run (0 skips it).",
)
@click.option(
    "--extractors",
    default="file_stats",
    show_default=True,
    callback=extractor_names,
    help="Creative extractors for the demo worlds (CLIP and YOLO take minutes on a CPU).",
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
def bench_model(
    seeds: tuple[int, ...],
    n_ads: int,
    n_days: int,
    scale_rows: int,
    extractors: tuple[str, ...],
    out_dir: Path,
) -> None:
    """Train and evaluate on several demo worlds, time training at scale; print a Markdown table."""
    from aelp.modeling.bench import run_model_bench

    result = run_model_bench(
        list(seeds),
        n_ads=n_ads,
        n_days=n_days,
        scale_rows=scale_rows,
        out_dir=out_dir,
        extractors=",".join(extractors),
    )
    click.echo(result.markdown())
