"""Fetch a generated world through the real loader, from the Graph API stand-in."""

from __future__ import annotations

import os
from pathlib import Path

from aelp import schemas
from aelp.meta.config import DEFAULT_ASSET_STORE, MetaConfig
from aelp.meta.fetch import Fetcher, FetchSummary
from aelp.warehouse import Warehouse
from aelp.world.graph_api.catalog import build_catalog
from aelp.world.graph_api.server import DEFAULT_TOKEN, GraphApiServer
from aelp.world.io import read_world


def fetch_world(
    warehouse: Warehouse,
    world_dir: Path,
    asset_store: str | None = None,
    truth: bool = True,
    progress: bool = True,
) -> FetchSummary:
    """Serve ``world_dir`` on a free 127.0.0.1 port, fetch all of it through the SDK, stop.

    The loader runs exactly as against Meta (entities, creative media into ``asset_store``
    — else ``AELP_ASSET_STORE``, else ``data/assets`` —, daily insights); with ``truth`` the
    world's true rates go to ``sim.truth`` as well (the yardstick; Meta has none).
    """
    world = read_world(world_dir)
    with GraphApiServer(build_catalog(world.tables, world_dir)) as server:
        config = MetaConfig(
            access_token=DEFAULT_TOKEN,
            account_ids=tuple(world.tables["ad_accounts"].column("id").to_pylist()),
            graph_url=server.url,
            asset_store=asset_store or os.environ.get("AELP_ASSET_STORE") or DEFAULT_ASSET_STORE,
        )
        summary = Fetcher(warehouse, config, progress=progress).run(
            since=world.config.start_date, until=world.config.end_date
        )
    if truth:
        n = warehouse.upsert(schemas.SIM_TRUTH, world.truth)
        summary.stats.add_rows(schemas.SIM_TRUTH.qualified, n)
    return summary
