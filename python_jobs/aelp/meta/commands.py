"""``aelp meta fetch``, ``aelp world serve`` and ``aelp world fetch``.

Heavy modules are imported inside the commands so that the CLI starts fast.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import click

from aelp.meta.config import config_from_env, normalise_account_id
from aelp.meta.errors import MetaError


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@click.group("meta")
def meta() -> None:
    """The Meta Marketing API loader (facebook-business SDK)."""


@meta.command("fetch")
@click.option("--since", default=None, help="YYYY-MM-DD, account-local (default: lookback start).")
@click.option(
    "--until", default=None, help="YYYY-MM-DD, inclusive (default: today, account-local)."
)
@click.option("--accounts", default=None, help="act_1,act_2 (default: META_AD_ACCOUNT_IDS).")
@click.option("--lookback-days", default=28, show_default=True, type=int)
@click.option("--chunk-days", default=None, type=int, help="Days per insights chunk (14).")
@click.option("--asset-store", default=None, help="Folder or gs:// prefix (AELP_ASSET_STORE).")
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_context
def meta_fetch(
    ctx: click.Context,
    since: str | None,
    until: str | None,
    accounts: str | None,
    lookback_days: int,
    chunk_days: int | None,
    asset_store: str | None,
    progress: bool,
) -> None:
    """Fetch entities, creative media and daily ad insights into raw_meta.*.

    Reads META_ACCESS_TOKEN, META_AD_ACCOUNT_IDS, META_API_VERSION and META_GRAPH_URL.
    """
    from aelp.cli import _warehouse
    from aelp.meta.fetch import Fetcher

    try:
        config = config_from_env().with_overrides(
            lookback_days=lookback_days, chunk_days=chunk_days, asset_store=asset_store
        )
        chosen = (
            tuple(normalise_account_id(a) for a in accounts.split(",") if a.strip())
            if accounts
            else None
        )
        fetcher = Fetcher(_warehouse(ctx), config, progress=progress)
        summary = fetcher.run(since=_day(since), until=_day(until), accounts=chosen)
    except MetaError as error:
        raise click.ClickException(str(error)) from None
    for line in summary.lines():
        click.echo(line)


# --------------------------------------------------------------------------- stand-in
_WORLD = click.option(
    "--world",
    "world_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)


@click.command("serve")
@_WORLD
@click.option("--port", default=0, show_default=True, type=int, help="0 picks a free port.")
@click.option("--token", default="stand-in-token", show_default=True, help="Token it accepts.")
@click.option(
    "--ready-file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the base URL here once listening.",
)
@click.option("--rate-limit-calls", default=0, type=int, help="Answer the next K calls with 80000.")
@click.option("--regain-minutes", default=0, type=int, help="estimated_time_to_regain_access.")
@click.option("--server-error-calls", default=0, type=int, help="Answer the next K calls with 500.")
@click.option("--expire-token-after", default=None, type=int, help="Code 190 after N calls.")
@click.option("--failing-async-jobs", default=0, type=int, help="The next K report runs fail.")
@click.option("--reduce-data-above", default=None, type=int, help="Refuse queries above N rows.")
@click.option("--delay", "delay_s", default=0.0, type=float, help="Seconds added to each call.")
@click.option("--throttle-pct", default=0, type=int, help="x-fb-ads-insights-throttle value.")
@click.option(
    "--restate-days", default=0, type=int, help="Serve revised numbers for the last N days."
)
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
    import datetime

    from aelp.world import read_world
    from aelp.world.graph_api.catalog import restate_insights

    world = read_world(world_dir)
    since = world.config.end_date - datetime.timedelta(days=days - 1)
    server.state.catalog.set_insights(restate_insights(world.tables["insights"], since, bump=1))


@click.command("fetch")
@_WORLD
@click.option("--asset-store", default=None, help="Where media lands (AELP_ASSET_STORE).")
@click.option(
    "--truth/--no-truth",
    default=True,
    show_default=True,
    help="Also load the world's true rates into sim.truth (the yardstick; Meta has none).",
)
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.pass_context
def fetch_world(
    ctx: click.Context, world_dir: Path, asset_store: str | None, truth: bool, progress: bool
) -> None:
    """Serve WORLD on a free local port and fetch all of it through the SDK, then stop."""
    from aelp import schemas
    from aelp.cli import _warehouse
    from aelp.meta.config import DEFAULT_ASSET_STORE, MetaConfig
    from aelp.meta.errors import MetaError
    from aelp.meta.fetch import Fetcher
    from aelp.world import read_world
    from aelp.world.graph_api.catalog import build_catalog
    from aelp.world.graph_api.server import DEFAULT_TOKEN, GraphApiServer

    world = read_world(world_dir)
    warehouse = _warehouse(ctx)
    with GraphApiServer(build_catalog(world.tables, world_dir)) as server:
        config = MetaConfig(
            access_token=DEFAULT_TOKEN,
            account_ids=tuple(world.tables["ad_accounts"].column("id").to_pylist()),
            graph_url=server.url,
            asset_store=asset_store or _asset_store_env() or DEFAULT_ASSET_STORE,
        )
        try:
            summary = Fetcher(warehouse, config, progress=progress).run(
                since=world.config.start_date, until=world.config.end_date
            )
        except MetaError as error:
            raise click.ClickException(str(error)) from None
    if truth:
        n = warehouse.upsert(schemas.SIM_TRUTH, world.truth)
        summary.stats.add_rows(schemas.SIM_TRUTH.qualified, n)
    for line in summary.lines():
        click.echo(line)


def _asset_store_env() -> str | None:
    import os

    return os.environ.get("AELP_ASSET_STORE")


def register(main: Any, world: Any) -> None:
    """Add ``meta`` to the top-level group and ``serve`` / ``fetch`` to ``world``."""
    main.add_command(meta)
    world.add_command(serve)
    world.add_command(fetch_world)
