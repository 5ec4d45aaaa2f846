"""``aelp report``: the dashboards as one offline HTML file."""

from __future__ import annotations

import os
from pathlib import Path

import click


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
@click.pass_context
def report(ctx: click.Context, out: Path, asset_roots: tuple[Path, ...]) -> None:
    """Write one self-contained HTML report (charts inline, works offline) from the rpt_ views."""
    from aelp.cli import _settings, _warehouse
    from aelp.report import write_report

    settings = _settings(ctx)
    roots = list(asset_roots) or [
        Path(os.environ.get("AELP_ASSET_STORE", "data/assets")),
        settings.project_dir / "data" / "assets",
    ]
    path = write_report(settings, _warehouse(ctx), out, asset_roots=roots)
    click.echo(f"report: {path.resolve()}")


def register(main: click.Group) -> None:
    """Add ``aelp report`` to the command line."""
    main.add_command(report)
