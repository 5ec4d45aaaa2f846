"""Write a sample world's tables into the raw and sim datasets, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from aelp import schemas
from aelp.creative.tables import CREATIVE_TABLES
from aelp.warehouse import Warehouse
from aelp.warehouse.base import PARQUET_BATCH_ROWS
from aelp.world.io import iter_table_batches, table_path

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


def load_world_dir(
    warehouse: Warehouse,
    world_dir: Path,
    with_truth: bool = True,
    batch_rows: int = PARQUET_BATCH_ROWS,
    read_natively: bool = True,
) -> LoadSummary:
    """Load a world written by ``aelp world generate`` into the warehouse.

    Memory stays bounded whatever the world's size, and the rows written are the same as
    :func:`load_tables` on the whole world read into memory. Each table's Parquet file goes
    through :meth:`Warehouse.upsert_parquet` (DuckDB reads the file itself, in one
    transaction per table); with ``read_natively`` off, and for the creative assets whose
    paths are resolved first, the table goes in slices of ``batch_rows`` rows, each upserted
    by its key, so a table whose load fails midway keeps the slices already written
    (rerunning the load is idempotent).
    """
    for spec in schemas.RAW_META_TABLES:
        warehouse.ensure_table(spec)
    warehouse.ensure_table(schemas.CREATIVE_ASSETS)
    for spec in CREATIVE_TABLES:
        warehouse.ensure_table(spec)
    specs = [*WORLD_TABLE_SPECS, *([schemas.SIM_TRUTH] if with_truth else [])]
    rows: dict[str, int] = {}
    for spec in specs:
        name = "truth" if spec is schemas.SIM_TRUTH else spec.name
        if read_natively and spec is not schemas.CREATIVE_ASSETS:
            rows[spec.qualified] = warehouse.upsert_parquet(
                spec, table_path(world_dir, name), batch_rows
            )
        else:
            rows[spec.qualified] = warehouse.upsert_batches(
                spec, _slices(world_dir, name, spec, batch_rows)
            )
        log.info("loaded %s: %d rows", spec.qualified, rows[spec.qualified])
    return LoadSummary(rows=rows)


def _slices(
    world_dir: Path, name: str, spec: schemas.TableSpec, batch_rows: int
) -> Iterator[pa.Table]:
    """A world table in slices with a progress bar; creative asset paths made absolute."""
    with tqdm(desc=f"loading {spec.qualified}", unit=" rows", disable=None, leave=False) as bar:
        for batch in iter_table_batches(world_dir, name, batch_rows):
            yield resolve_asset_uris(batch, world_dir) if spec is schemas.CREATIVE_ASSETS else batch
            bar.update(batch.num_rows)
