"""``aelp bench scale``: wall time and peak memory of each pipeline step on growing worlds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def _rows(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--rows``: refuse a size that is not ``demo`` or a row count, before any work."""
    from aelp.scale.bench import world_sizes

    try:
        if not world_sizes(value, history_pair=False):
            raise ValueError("give at least one size, e.g. demo,100k")
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return value


def _steps(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--steps``: known step names, in run order; None for all."""
    from aelp.scale.bench import parse_steps

    try:
        return parse_steps(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.command("scale")
@click.option(
    "--rows",
    default="demo,100k",
    show_default=True,
    callback=_rows,
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
    callback=_steps,
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
    steps: tuple[str, ...] | None,
) -> None:
    """Wall time and peak memory of each pipeline step on worlds of growing size."""
    from aelp.scale.bench import markdown, run_scale_bench, write_section

    report = run_scale_bench(
        rows,
        out_dir,
        history_pair=history_pair,
        keep=keep,
        steps=steps,
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
