"""``aelp plan``: what the daily dbt run would scan on BigQuery, before it runs."""

from __future__ import annotations

import click

from aelp.cli.context import App, pass_app
from aelp.config import ConfigError


def _vars(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--vars``: a YAML mapping, as dbt takes it; refused before dbt starts otherwise."""
    import yaml

    if value is None:
        return None
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        parsed = None
    if not isinstance(parsed, dict):
        raise click.BadParameter(
            f"{value!r} is not a YAML mapping, e.g. \"{{run_date: '2026-02-09'}}\""
        )
    return value


@click.command("plan")
@click.option("--selector", default=None, help="dbt selector (default: the project's default).")
@click.option(
    "--vars",
    "dbt_vars",
    default=None,
    callback=_vars,
    help="dbt --vars, e.g. \"{run_date: '2026-02-09'}\".",
)
@pass_app
def plan(app: App, selector: str | None, dbt_vars: str | None) -> None:
    """Compile the daily dbt run for a BigQuery target and print dry-run bytes per model."""
    from aelp.transform.plan import compile_run, plan_run
    from aelp.warehouse.bigquery import BigQueryWarehouse

    settings = app.settings
    if not settings.target.is_bigquery:
        raise ConfigError(
            f"aelp plan needs a BigQuery target; {settings.target.name!r} is not one "
            "(use --target prod)"
        )
    nodes = compile_run(settings, selector=selector, dbt_vars=dbt_vars)
    with BigQueryWarehouse.from_target(settings.target) as warehouse:
        assert isinstance(warehouse, BigQueryWarehouse)
        click.echo(plan_run(settings, warehouse.client, nodes).render())
