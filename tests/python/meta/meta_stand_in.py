"""Helpers for the loader tests: a loader bound to a warehouse, and row comparisons."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from aelp import schemas
from aelp.meta import Fetcher, MetaConfig, RetryPolicy
from aelp.meta.fetch import ChunkHook, FetchSummary
from aelp.warehouse.duckdb import DuckDBWarehouse
from aelp.world import World, WorldConfig
from aelp.world.graph_api import GraphApiServer

TOKEN = "EAAB-test-secret-9f8e7d6c5b4a"
WORLD = WorldConfig(
    seed=4, n_ads=24, n_days=24, n_accounts=2, mean_adsets_per_campaign=1.5, mean_ads_per_adset=3.0
)
LOADER_COLUMNS = ("_loaded_at", "_batch_id")
NOW = datetime.datetime(2026, 1, 25, 8, 0, tzinfo=datetime.UTC)


@dataclass
class Sleeps:
    """Records requested sleeps instead of sleeping."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, s: float) -> None:
        self.seconds.append(s)


@dataclass
class Loader:
    """A warehouse plus what a fetch needs; ``fetch`` runs one loader run over the world."""

    warehouse: DuckDBWarehouse
    config: MetaConfig
    sleeps: Sleeps
    world: World

    def fetch(self, after_chunk: ChunkHook | None = None, **overrides: Any) -> FetchSummary:
        policy = RetryPolicy(sleep=self.sleeps, rng=random.Random(0))
        fetcher = Fetcher(
            self.warehouse,
            self.config.with_overrides(**overrides),
            policy=policy,
            now=lambda: NOW,
            progress=False,
            after_chunk=after_chunk,
        )
        return fetcher.run(since=self.world.config.start_date, until=self.world.config.end_date)

    def table(self, spec: schemas.TableSpec) -> pa.Table:
        """A raw table read back with the spec's schema."""
        got = self.warehouse.query(f"select * from {self.warehouse.spec_ref(spec)}")
        return got.select(spec.schema.names).cast(spec.schema)


def rows(
    table: pa.Table, spec: schemas.TableSpec, drop: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Rows without loader columns (and ``drop``), sorted by the spec's key."""
    keep = [n for n in spec.schema.names if n not in LOADER_COLUMNS and n not in drop]
    out = table.select(keep).to_pylist()
    return sorted(out, key=lambda r: tuple(str(r[k]) for k in spec.key))


def insights_calls(server: GraphApiServer) -> int:
    """Insights requests (sync reads and report-run submissions) the stand-in served."""
    return sum(
        1 for method, path in server.requests if path.endswith("/insights") and "act_" in path
    )
