"""The small simulation the tests share: a 60-ad world, two weeks, every policy."""

from __future__ import annotations

from aelp.simulation.config import SimulationConfig
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
