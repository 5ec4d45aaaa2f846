"""Warehouses under test: an in-memory DuckDB and the local BigQuery emulator."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from aelp.config import Target
from aelp.warehouse import Warehouse
from aelp.warehouse.duckdb import DuckDBWarehouse

EMULATOR_ENV = "AELP_BQ_EMULATOR"


def emulator_target(dataset: str = "aelp") -> Target:
    """A dbt-bigquery-shaped target pointing at the local emulator."""
    return Target(
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
        schema=dataset,
    )


@pytest.fixture(params=["duckdb", "bigquery"])
def warehouse(request: pytest.FixtureRequest) -> Iterator[Warehouse]:
    """Each engine in turn; BigQuery runs against the emulator that `make test` starts."""
    if request.param == "duckdb":
        with DuckDBWarehouse(":memory:") as duck:
            yield duck
        return
    if EMULATOR_ENV not in os.environ:
        pytest.skip(f"{EMULATOR_ENV} is not set (make pytest starts the local BigQuery)")
    from aelp.warehouse.bigquery import BigQueryWarehouse

    bq = BigQueryWarehouse.from_target(emulator_target())
    yield bq
    bq.close()


@pytest.fixture
def dataset() -> str:
    """A fresh dataset name, so BigQuery tests never see each other's tables."""
    return f"t_{uuid.uuid4().hex[:10]}"
