"""Tables the simulator writes: the daily replay per policy, and off-policy estimates."""

from __future__ import annotations

import pyarrow as pa

from aelp.schemas import TableSpec

POLICY_SIMULATIONS = TableSpec(
    "ml",
    "policy_simulations",
    pa.schema(
        [
            pa.field("simulation_id", pa.string(), nullable=False),
            pa.field("seed", pa.int64(), nullable=False),
            pa.field("policy", pa.string(), nullable=False),
            pa.field("day_index", pa.int64(), nullable=False),
            pa.field("sim_date", pa.date32(), nullable=False),
            pa.field("budget", pa.float64(), nullable=False),
            pa.field("spend", pa.float64(), nullable=False),
            pa.field("impressions", pa.int64(), nullable=False),
            pa.field("unique_link_clicks", pa.int64(), nullable=False),
            pa.field("conversions", pa.int64(), nullable=False),
            pa.field("expected_conversions", pa.float64(), nullable=False),
            pa.field("oracle_expected_conversions", pa.float64(), nullable=False),
            pa.field("regret", pa.float64(), nullable=False),
            pa.field("funded_ads", pa.int64(), nullable=False),
            pa.field("largest_share", pa.float64(), nullable=False),
            pa.field("cumulative_spend", pa.float64(), nullable=False),
            pa.field("cumulative_conversions", pa.int64(), nullable=False),
            pa.field("cac_to_date", pa.float64()),
            pa.field("parameters", pa.string(), nullable=False),
            pa.field("simulated_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    ),
    key=("simulation_id", "seed", "policy", "day_index"),
    cluster_by=("simulation_id", "policy"),
    description=(
        "One row per simulation, seed (sample world), policy and simulated day: spend, "
        "delivery, realised and expected conversions, the oracle's expected conversions "
        "and the regret against it; parameters holds the simulation's inputs as JSON."
    ),
)

OFF_POLICY_ESTIMATES = TableSpec(
    "ml",
    "off_policy_estimates",
    pa.schema(
        [
            pa.field("simulation_id", pa.string(), nullable=False),
            pa.field("seed", pa.int64(), nullable=False),
            pa.field("policy", pa.string(), nullable=False),
            pa.field("logging_policy", pa.string(), nullable=False),
            pa.field("estimator", pa.string(), nullable=False),
            pa.field("estimate", pa.float64(), nullable=False),
            pa.field("truth", pa.float64(), nullable=False),
            pa.field("relative_error", pa.float64()),
            pa.field("simulated_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    ),
    key=("simulation_id", "seed", "policy", "estimator"),
    cluster_by=("simulation_id",),
    description=(
        "Per simulation, seed, candidate policy and estimator (ipw, snipw, dr, dr_clicks): its "
        "conversions over the horizon estimated from the logging policy's delivery, the "
        "simulator's expected conversions (truth) and the relative error."
    ),
)

SIMULATION_TABLES: tuple[TableSpec, ...] = (POLICY_SIMULATIONS, OFF_POLICY_ESTIMATES)
