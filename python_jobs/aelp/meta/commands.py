"""``aelp meta fetch``: the Meta Marketing API loader.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

from datetime import date

import click

from aelp.cli.context import App, group, pass_app
from aelp.cli.options import DATE, POSITIVE_INT
from aelp.meta.config import normalise_account_id
from aelp.meta.errors import MetaConfigError


def _accounts(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    """``act_1,act_2`` (or digits) as normalised account ids; None when not given."""
    if not value:
        return None
    try:
        return tuple(normalise_account_id(a) for a in value.split(",") if a.strip())
    except MetaConfigError as error:
        raise click.BadParameter(str(error)) from None


@group("meta")
def meta() -> None:
    """The Meta Marketing API loader (facebook-business SDK)."""


@meta.command("fetch")
@click.option("--since", default=None, type=DATE,
              help="YYYY-MM-DD, account-local (default: lookback start).")  # fmt: skip
@click.option("--until", default=None, type=DATE,
              help="YYYY-MM-DD, inclusive (default: today, account-local).")  # fmt: skip
@click.option("--accounts", default=None, callback=_accounts,
              help="act_1,act_2 (default: META_AD_ACCOUNT_IDS).")  # fmt: skip
@click.option("--lookback-days", default=28, show_default=True, type=POSITIVE_INT)
@click.option("--chunk-days", default=None, type=POSITIVE_INT, help="Days per insights chunk (14).")
@click.option("--asset-store", default=None, help="Folder or gs:// prefix (AELP_ASSET_STORE).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@pass_app
def fetch(
    app: App,
    since: date | None,
    until: date | None,
    accounts: tuple[str, ...] | None,
    lookback_days: int,
    chunk_days: int | None,
    asset_store: str | None,
    progress: bool,
) -> None:
    """Fetch entities, creative media and daily ad insights into raw_meta.*.

    Reads META_ACCESS_TOKEN, META_AD_ACCOUNT_IDS, META_API_VERSION and META_GRAPH_URL.
    """
    from aelp.meta.config import config_from_env
    from aelp.meta.fetch import Fetcher

    if since is not None and until is not None and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    config = config_from_env().with_overrides(
        lookback_days=lookback_days, chunk_days=chunk_days, asset_store=asset_store
    )
    summary = Fetcher(app.warehouse, config, progress=progress).run(
        since=since, until=until, accounts=accounts
    )
    for line in summary.lines():
        click.echo(line)
