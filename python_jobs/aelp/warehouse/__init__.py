"""The warehouse behind one small interface: DuckDB (embedded) and BigQuery."""

from __future__ import annotations

from aelp.config import ConfigError, Settings
from aelp.warehouse.base import Warehouse, WarehouseError

__all__ = ["Warehouse", "WarehouseError", "connect"]


def connect(settings: Settings) -> Warehouse:
    """Open the warehouse that the profile target names."""
    target = settings.target
    if target.is_duckdb:
        from aelp.warehouse.duckdb import DuckDBWarehouse

        return DuckDBWarehouse.from_target(target, settings.project_dir)
    if target.is_bigquery:
        from aelp.warehouse.bigquery import BigQueryWarehouse

        return BigQueryWarehouse.from_target(target)
    raise ConfigError(f"unsupported target type {target.type!r} (use duckdb or bigquery)")
