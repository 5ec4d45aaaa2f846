"""Write a sample world's tables into the raw and sim datasets, idempotently."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from aelp import schemas
from aelp.creative.tables import CREATIVE_TABLES
from aelp.warehouse import Warehouse

log = logging.getLogger(__name__)

WORLD_TABLE_SPECS: tuple[schemas.TableSpec, ...] = (
    *schemas.RAW_META_TABLES,
    schemas.CREATIVE_ASSETS,
)


@dataclass(frozen=True)
class LoadSummary:
    """Rows written per table (``dataset.name`` → rows)."""

    rows: dict[str, int]


def resolve_asset_uris(assets: pa.Table, world_dir: Path) -> pa.Table:
    """Turn world-relative asset paths into absolute local paths; keep URIs with a scheme."""
    uris = assets.column("uri").to_pylist()
    resolved = [
        uri
        if uri is None or "://" in uri or Path(uri).is_absolute()
        else str((world_dir / uri).resolve())
        for uri in uris
    ]
    index = assets.schema.get_field_index("uri")
    return assets.set_column(index, "uri", pa.array(resolved, pa.string()))


def load_tables(
    warehouse: Warehouse, tables: dict[str, pa.Table], truth: pa.Table | None
) -> LoadSummary:
    """Upsert each raw table by its key (and the truth, when given) in contract order."""
    rows: dict[str, int] = {}
    for spec in WORLD_TABLE_SPECS:
        if spec.name not in tables:
            continue
        rows[spec.qualified] = warehouse.upsert(spec, tables[spec.name])
        log.info("loaded %s: %d rows", spec.qualified, rows[spec.qualified])
    if truth is not None:
        rows[schemas.SIM_TRUTH.qualified] = warehouse.upsert(schemas.SIM_TRUTH, truth)
    return LoadSummary(rows=rows)


def load_world_dir(warehouse: Warehouse, world_dir: Path, with_truth: bool = True) -> LoadSummary:
    """Load a world written by ``aelp world generate`` into the warehouse."""
    from aelp.world import read_world

    world = read_world(world_dir)
    tables = dict(world.tables)
    if "creative_assets" in tables:
        tables["creative_assets"] = resolve_asset_uris(tables["creative_assets"], world_dir)
    for spec in schemas.RAW_META_TABLES:
        warehouse.ensure_table(spec)
    warehouse.ensure_table(schemas.CREATIVE_ASSETS)
    for spec in CREATIVE_TABLES:
        warehouse.ensure_table(spec)
    return load_tables(warehouse, tables, world.truth if with_truth else None)
