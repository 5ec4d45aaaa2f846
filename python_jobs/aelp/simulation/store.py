"""Write a simulation to the warehouse: rerunning the same inputs replaces its rows."""

from __future__ import annotations

import json
import logging
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from aelp.simulation.loop import SimulationResult
from aelp.simulation.tables import OFF_POLICY_ESTIMATES, POLICY_SIMULATIONS
from aelp.warehouse.base import Warehouse

log = logging.getLogger(__name__)


def daily_table(result: SimulationResult, simulated_at: datetime) -> pa.Table:
    """``ml.policy_simulations`` rows: the daily replay with running totals and the inputs."""
    frame = result.daily.sort_values(["seed", "policy", "day_index"]).copy()
    grouped = frame.groupby(["seed", "policy"], sort=False)
    frame["cumulative_spend"] = grouped["spend"].cumsum()
    frame["cumulative_conversions"] = grouped["conversions"].cumsum()
    frame["cac_to_date"] = (
        frame["cumulative_spend"]
        / frame["cumulative_conversions"].where(frame["cumulative_conversions"] > 0)
    ).astype(object)
    frame.loc[frame["cac_to_date"].isna(), "cac_to_date"] = None
    frame["simulation_id"] = result.simulation_id
    frame["parameters"] = json.dumps(result.config.to_dict(), sort_keys=True)
    frame["simulated_at"] = pd.Timestamp(simulated_at)
    return _to_arrow(frame, POLICY_SIMULATIONS.schema)


def ope_table(result: SimulationResult, simulated_at: datetime) -> pa.Table:
    """``ml.off_policy_estimates`` rows."""
    frame = result.ope.copy()
    frame["simulation_id"] = result.simulation_id
    frame["simulated_at"] = pd.Timestamp(simulated_at)
    frame["relative_error"] = frame["relative_error"].astype(object)
    return _to_arrow(frame, OFF_POLICY_ESTIMATES.schema)


def _to_arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    columns = {}
    for field in schema:
        values = frame[field.name].tolist() if len(frame) else []
        values = [None if isinstance(v, float) and np.isnan(v) else v for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=schema)


def write_simulation(warehouse: Warehouse, result: SimulationResult, simulated_at: datetime) -> int:
    """Replace the simulation's rows in both tables; returns the daily rows written."""
    ids = [result.simulation_id]
    written = warehouse.replace_where(
        POLICY_SIMULATIONS, daily_table(result, simulated_at), "simulation_id", ids
    )
    warehouse.replace_where(
        OFF_POLICY_ESTIMATES, ope_table(result, simulated_at), "simulation_id", ids
    )
    log.info("wrote %d rows of %s", written, result.simulation_id)
    return written
