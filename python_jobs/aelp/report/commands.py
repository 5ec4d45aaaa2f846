"""``aelp report`` (the dashboards as one offline HTML file) and ``aelp summary``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from aelp.cli.context import App, pass_app


@click.command("report")
@click.option(
    "--out",
    "out",
    default="artifacts/report/report.html",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write.",
)
@click.option(
    "--assets",
    "asset_roots",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extra folders to look for creative files in (default: AELP_ASSET_STORE, data/assets).",
)
@pass_app
def report(app: App, out: Path, asset_roots: tuple[Path, ...]) -> None:
    """Write one self-contained HTML report (charts inline, works offline) from the rpt_ views."""
    from aelp.report import write_report

    settings = app.settings
    roots = list(asset_roots) or [
        Path(os.environ.get("AELP_ASSET_STORE", "data/assets")),
        settings.project_dir / "data" / "assets",
    ]
    path = write_report(settings, app.warehouse, out, asset_roots=roots)
    click.echo(f"report: {path.resolve()}")


@click.command("summary")
@pass_app
def summary(app: App) -> None:
    """Print rows per table, best and worst ads by ctr_u, and model quality."""
    from aelp.report.summary import render_summary

    click.echo(render_summary(app.settings, app.warehouse))
