"""The simulation tables write the same way on BigQuery (the emulator `make pytest` starts)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from aelp.config import Target
from aelp.simulation.loop import SimulationResult
from aelp.simulation.store import write_simulation
from aelp.simulation.tables import OFF_POLICY_ESTIMATES, POLICY_SIMULATIONS

EMULATOR_ENV = "AELP_BQ_EMULATOR"


@pytest.mark.integration
def test_simulation_rows_are_replaced_on_bigquery(small_result: SimulationResult) -> None:
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
        },
        schema="aelp",
    )
    result = replace(small_result, daily=small_result.daily[small_result.daily["day_index"] < 3])
    with BigQueryWarehouse.from_target(target) as warehouse:
        for _ in range(2):
            write_simulation(warehouse, result, datetime(2026, 1, 1, tzinfo=UTC))
        assert warehouse.count(POLICY_SIMULATIONS.dataset, POLICY_SIMULATIONS.name) == len(
            result.daily
        )
        assert warehouse.count(OFF_POLICY_ESTIMATES.dataset, OFF_POLICY_ESTIMATES.name) == len(
            result.ope
        )
