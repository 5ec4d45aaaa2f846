"""The same fetch into BigQuery (the local emulator that `make pytest` starts)."""

from __future__ import annotations

import datetime
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from meta_stand_in import NOW, TOKEN, rows

from aelp import schemas
from aelp.config import Target
from aelp.meta import Fetcher, MetaConfig, RetryPolicy
from aelp.warehouse import Warehouse
from aelp.world import World
from aelp.world.graph_api import GraphApiServer, restate_insights

EMULATOR_ENV = "AELP_BQ_EMULATOR"

pytestmark = pytest.mark.integration


@pytest.fixture
def bigquery() -> Iterator[Warehouse]:
    if EMULATOR_ENV not in os.environ:
        pytest.skip(f"{EMULATOR_ENV} is not set (make pytest starts the local BigQuery)")
    from aelp.warehouse.bigquery import BigQueryWarehouse

    target = Target(
        name="emulator",
        type="bigquery",
        settings={
            "project": "test-project",
            "method": "oauth-secrets",
            "token": "dummy-token",
            "api_endpoint": os.environ[EMULATOR_ENV],
            "location": "US",
            "maximum_bytes_billed": 10_000_000_000,
        },
        schema="aelp",
    )
    warehouse = BigQueryWarehouse.from_target(target)
    yield warehouse
    warehouse.close()


def _mine(warehouse: Warehouse, spec: schemas.TableSpec, accounts: list[str]) -> pa.Table:
    got = warehouse.query(f"select * from {warehouse.spec_ref(spec)}")
    got = got.select(spec.schema.names).cast(spec.schema)
    return got.filter(pc.is_in(got.column("account_id"), pa.array(accounts)))


def _bq_rows(table: pa.Table, spec: schemas.TableSpec) -> list[dict[str, Any]]:
    """Rows as BigQuery keeps them: a NULL array is stored as an empty one."""
    return [
        {k: [] if v is None and k.startswith("action") else v for k, v in r.items()}
        for r in rows(table, spec)
    ]


def test_fetch_into_bigquery_equals_the_world_and_restates_in_place(
    bigquery: Warehouse, server: GraphApiServer, world: World, tmp_path: Path
) -> None:
    ids = world.tables["ad_accounts"].column("id").to_pylist()
    config = MetaConfig(
        access_token=TOKEN,
        account_ids=tuple(ids),
        graph_url=server.url,
        asset_store=str(tmp_path / "assets"),
        chunk_days=14,
    )
    fetcher = Fetcher(
        bigquery,
        config,
        policy=RetryPolicy(sleep=lambda s: None, rng=random.Random(0)),
        now=lambda: NOW,
        progress=False,
    )
    window = (world.config.start_date, world.config.end_date)
    fetcher.run(*window)
    digits = [i.removeprefix("act_") for i in ids]
    for spec in (schemas.CAMPAIGNS, schemas.ADS, schemas.INSIGHTS):
        assert _bq_rows(_mine(bigquery, spec, digits), spec) == _bq_rows(
            world.tables[spec.name], spec
        )
    since = world.config.end_date - datetime.timedelta(days=3)
    restated = restate_insights(world.tables["insights"], since, bump=3)
    server.state.catalog.set_insights(restated)
    fetcher.run(*window)
    spec = schemas.INSIGHTS
    assert _bq_rows(_mine(bigquery, spec, digits), spec) == _bq_rows(restated, spec)
