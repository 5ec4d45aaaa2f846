"""Write a sample world's tables into the raw and sim datasets, idempotently."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from aelp import schemas
from aelp.creative.tables import CREATIVE_TABLES
from aelp.warehouse import Warehouse
from aelp.warehouse.base import WarehouseError
from aelp.warehouse.duckdb import DuckDBWarehouse, insert_order

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


def upsert_parquet_duckdb(warehouse: DuckDBWarehouse, spec: schemas.TableSpec, path: Path) -> int:
    """Upsert a Parquet file into a DuckDB table by its key, DuckDB reading the file itself.

    The same rows and checks as :meth:`Warehouse.upsert` of the file's contents (columns
    cast to the table's types, required columns not null, no key twice), in one
    transaction, without the rows passing through Python: DuckDB streams the file, and
    writes it in the order of the table's partition column (:func:`insert_order`).
    """
    source = "read_parquet('" + str(path).replace("'", "''") + "')"
    columns = ", ".join(_quote(f.name) for f in spec.schema)
    keys = ", ".join(_quote(k) for k in spec.key)
    found = warehouse.query(
        f"select count(*) as n, count(distinct ({keys})) as k from {source}"
    ).to_pylist()[0]
    if found["n"] != found["k"]:
        raise WarehouseError(
            f"{spec.qualified}: {found['n'] - found['k']} key(s) appear more than once in {path}"
        )
    warehouse.ensure_table(spec)
    match = " and ".join(f"t.{_quote(k)} = s.{_quote(k)}" for k in spec.key)
    ref = warehouse.spec_ref(spec)
    warehouse.execute("begin transaction")
    try:
        warehouse.execute(
            f"delete from {ref} as t where exists (select 1 from {source} as s where {match})"
        )
        warehouse.execute(
            f"insert into {ref} ({columns}) select {columns} from {source}{insert_order(spec)}"
        )
        warehouse.execute("commit")
    except WarehouseError:
        warehouse.execute("rollback")
        raise
    return int(found["n"])


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


LOAD_BATCH_ROWS = 262_144
"""Rows per write when a world is loaded: one Parquet row group of the world files."""


def load_world_dir(
    warehouse: Warehouse,
    world_dir: Path,
    with_truth: bool = True,
    batch_rows: int = LOAD_BATCH_ROWS,
    read_natively: bool = True,
) -> LoadSummary:
    """Load a world written by ``aelp world generate`` into the warehouse.

    Memory stays bounded whatever the world's size, and the rows written are the same as
    :func:`load_tables` on the whole world read into memory. DuckDB reads each Parquet file
    itself (:func:`upsert_parquet_duckdb`, one transaction per table); other warehouses get
    the tables in slices of ``batch_rows`` rows (so does DuckDB with ``read_natively``
    off), each upserted by its key, so a table whose load fails midway keeps the slices
    already written (rerunning the load is idempotent).
    """
    from aelp.world.io import iter_table_batches, table_path

    for spec in schemas.RAW_META_TABLES:
        warehouse.ensure_table(spec)
    warehouse.ensure_table(schemas.CREATIVE_ASSETS)
    for spec in CREATIVE_TABLES:
        warehouse.ensure_table(spec)
    specs = [*WORLD_TABLE_SPECS, *([schemas.SIM_TRUTH] if with_truth else [])]
    rows: dict[str, int] = {}
    for spec in specs:
        name = "truth" if spec is schemas.SIM_TRUTH else spec.name
        native = read_natively and isinstance(warehouse, DuckDBWarehouse)
        if native and spec is not schemas.CREATIVE_ASSETS:
            assert isinstance(warehouse, DuckDBWarehouse)
            rows[spec.qualified] = upsert_parquet_duckdb(
                warehouse, spec, table_path(world_dir, name)
            )
            log.info("loaded %s: %d rows", spec.qualified, rows[spec.qualified])
            continue
        written = 0
        with tqdm(desc=f"loading {spec.qualified}", unit=" rows", disable=None, leave=False) as bar:
            for batch in iter_table_batches(world_dir, name, batch_rows):
                if spec is schemas.CREATIVE_ASSETS:
                    batch = resolve_asset_uris(batch, world_dir)
                written += warehouse.upsert(spec, batch)
                bar.update(batch.num_rows)
        rows[spec.qualified] = written
        log.info("loaded %s: %d rows", spec.qualified, written)
    return LoadSummary(rows=rows)
