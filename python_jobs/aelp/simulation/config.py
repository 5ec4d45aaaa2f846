"""What a simulation is: world, horizon, seeds, budget, policies and the slate's knobs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from aelp.slate.config import SlateConfig

SIMULATOR_VERSION = "sim-v1"
"""Bumped when the simulator's numbers change for the same inputs."""

POLICIES: tuple[str, ...] = ("thompson", "greedy", "uniform", "oracle")
"""Every policy the simulator knows, in report order."""

LAG_SHARES: tuple[float, ...] = (0.45, 0.2, 0.12, 0.09, 0.06, 0.05, 0.03)
"""Share of a day's click-through conversions reported 1, 2, … 7 days after delivery
(Meta's 7-day click window fills in over a week). Delivery itself is reported next day."""


@dataclass(frozen=True)
class SimulationConfig:
    """One simulation; the same config always gives the same numbers.

    Seed ``k`` of ``n_seeds`` simulates the world ``world_seed + k`` (``n_ads`` ads, one
    account) whose first ``history_days`` days are logged delivery from the world itself;
    the policies then split ``budget`` a day over the next ``days`` days. ``slate`` is the
    configuration the Thompson and greedy policies pass to the slate code; ``min_share``
    and ``max_share`` in it bound every policy.
    """

    policies: tuple[str, ...] = POLICIES
    days: int = 30
    n_seeds: int = 5
    world_seed: int = 7
    n_ads: int = 150
    history_days: int = 28
    budget: float = 1000.0
    slate: SlateConfig = field(default_factory=SlateConfig)
    oracle_step: float = 0.005
    logging_policy: str = "uniform"

    def __post_init__(self) -> None:
        unknown = [p for p in self.policies if p not in POLICIES]
        if unknown or not self.policies:
            raise ValueError(f"policies must be among {POLICIES}, got {self.policies}")
        if len(set(self.policies)) != len(self.policies):
            raise ValueError(f"policies repeat: {self.policies}")
        if self.days < 1 or self.n_seeds < 1 or self.n_ads < 2:
            raise ValueError("days and seeds must be at least 1 and ads at least 2")
        if self.history_days < self.slate.account_lookback_days:
            raise ValueError("history_days must cover the slate's account_lookback_days")
        if self.budget <= 0:
            raise ValueError(f"budget must be positive, got {self.budget}")
        if not 0 < self.oracle_step <= self.slate.max_share:
            raise ValueError("need 0 < oracle_step <= max_share")

    @property
    def seeds(self) -> list[int]:
        """The world seed of each simulated seed."""
        return [self.world_seed + k for k in range(self.n_seeds)]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every input."""
        out = dataclasses.asdict(self)
        out["policies"] = list(self.policies)
        out["version"] = SIMULATOR_VERSION
        out["lag_shares"] = list(LAG_SHARES)
        return out

    @property
    def simulation_id(self) -> str:
        """``sim-<12 hex>`` from the inputs: rerunning the same simulation replaces its rows."""
        digest = hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()
        return f"sim-{digest[:12]}"
