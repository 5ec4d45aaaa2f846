"""The small simulation (:mod:`small_simulation`), run once for the whole package."""

from __future__ import annotations

import pytest
from small_simulation import SMALL

from aelp.simulation.loop import SimulationResult, run_simulation


@pytest.fixture(scope="package")
def small_result() -> SimulationResult:
    return run_simulation(SMALL, progress=False)
