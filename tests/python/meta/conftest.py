"""A tiny two-account world, the Graph API stand-in serving it, and a loader pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from meta_stand_in import TOKEN, WORLD, Loader, Sleeps

from aelp.meta import MetaConfig
from aelp.warehouse.duckdb import DuckDBWarehouse
from aelp.world import World, generate_world, write_world
from aelp.world.graph_api import GraphApiServer, build_catalog


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rendered world on disk (2 accounts, 24 ads, 24 days)."""
    out = tmp_path_factory.mktemp("meta_world")
    write_world(generate_world(WORLD, out), out)
    return out


@pytest.fixture(scope="session")
def world(world_dir: Path) -> World:
    """The world as read back from disk."""
    from aelp.world import read_world

    return read_world(world_dir)


@pytest.fixture
def server(world: World, world_dir: Path) -> Iterator[GraphApiServer]:
    """A fresh stand-in (no faults, original numbers) on an ephemeral 127.0.0.1 port."""
    with GraphApiServer(build_catalog(world.tables, world_dir), token=TOKEN) as srv:
        yield srv


@pytest.fixture
def loader(server: GraphApiServer, world: World, tmp_path: Path) -> Iterator[Loader]:
    """An empty in-memory warehouse and a config pointing the SDK at the stand-in."""
    config = MetaConfig(
        access_token=TOKEN,
        account_ids=tuple(world.tables["ad_accounts"].column("id").to_pylist()),
        graph_url=server.url,
        asset_store=str(tmp_path / "assets"),
        chunk_days=7,
        async_min_days=7,
        page_size=40,
    )
    warehouse = DuckDBWarehouse(":memory:")
    yield Loader(warehouse, config, Sleeps(), world)
    warehouse.close()
