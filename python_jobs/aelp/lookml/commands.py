"""``aelp lookml``: LookML views of the reporting models."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aelp.cli.context import App, pass_app
from aelp.config import Settings


def relation_of(settings: Settings, name: str) -> str:
    """Where dbt puts a reporting model for the settings' target (``<schema>_reporting``)."""
    schema = f"{settings.target.schema}_reporting"
    if settings.target.is_bigquery:
        project = settings.target.settings.get("project") or settings.target.settings.get(
            "database"
        )
        return f"`{project}.{schema}.{name}`"
    return f"{schema}.{name}"


@click.command("lookml")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the .view.lkml files and aelp.model.lkml.",
)
@click.option(
    "--manifest",
    "manifest_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A dbt manifest.json to read (default: the YAML under models/reporting).",
)
@click.option(
    "--connection",
    default="aelp_bigquery",
    show_default=True,
    help="Looker connection named in the model file.",
)
@pass_app
def lookml(app: App, out_dir: Path, manifest_path: Path | None, connection: str) -> None:
    """Write LookML views (dimensions, ratio-safe measures) of every rpt_ model into OUT."""
    from aelp.lookml import views_from_manifest, views_from_yaml, write_lookml

    settings = app.settings
    if manifest_path is not None:
        views = views_from_manifest(json.loads(manifest_path.read_text()))
    else:
        views = views_from_yaml(
            settings.project_dir / "models" / "reporting",
            lambda name: relation_of(settings, name),
            settings.vars,
        )
    paths = write_lookml(views, out_dir, connection=connection)
    for path in paths:
        click.echo(f"written {path}")
