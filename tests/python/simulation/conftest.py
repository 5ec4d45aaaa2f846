"""A small simulation shared by the tests: a 60-ad world, two weeks, every policy."""

from __future__ import annotations

import pytest

from aelp.simulation.config import SimulationConfig
from aelp.simulation.loop import SimulationResult, run_simulation
from aelp.slate.config import SlateConfig

SMALL = SimulationConfig(
    days=14,
    n_seeds=1,
    world_seed=11,
    n_ads=60,
    history_days=28,
    budget=500.0,
    slate=SlateConfig(exploit_share=0.9, explore_ads=2, n_samples=400),
)


@pytest.fixture(scope="package")
def small_result() -> SimulationResult:
    return run_simulation(SMALL, progress=False)
