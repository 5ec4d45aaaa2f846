"""Write a world to a directory and read it back.

Layout of a world dir::

    meta/<table>.parquet              raw tables in the contract (aelp.schemas)
    creatives/img_*.png, vid_*.mp4    rendered media (creative_assets.uri is relative to here)
    truth/truth.parquet               true rates per insights row
    truth/creative_attributes.parquet hidden creative attributes and effects
    truth/ad_effects.parquet          hidden ad-level parameters
    world.json                        config and summary counts

Parquet files are cut into row groups of exactly :data:`ROW_GROUP_SIZE` rows whatever
the in-memory chunking, and nothing holds a wall-clock time, so the same world always
gives the same bytes, whether written from memory (:func:`write_world`) or streamed
while it is generated (:func:`generate_world_to_dir`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from aelp import schemas
from aelp.world.config import GENERATOR_VERSION, WorldConfig
from aelp.world.generate import (
    World,
    creative_attributes_of,
    iter_delivery_tables,
    prepare_world,
)
from aelp.world.tables import ad_effects_table

logger = logging.getLogger(__name__)

META_DIR = "meta"
TRUTH_DIR = "truth"
WORLD_JSON = "world.json"
ROW_GROUP_SIZE = 262_144
COMPRESSION = "zstd"
_SPECS = {spec.name: spec for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS)}


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """Parquet paths of the string leaf columns: the only ones worth dictionary-encoding."""
    paths: list[str] = []

    def walk(path: str, dtype: pa.DataType) -> None:
        if pa.types.is_string(dtype):
            paths.append(path)
        elif pa.types.is_list(dtype):
            walk(f"{path}.list.element", dtype.value_type)
        elif pa.types.is_struct(dtype):
            for k in range(dtype.num_fields):
                walk(f"{path}.{dtype.field(k).name}", dtype.field(k).type)

    for field in schema:
        walk(field.name, field.type)
    return paths


class ParquetSink:
    """Append tables to one Parquet file in fixed-size row groups.

    Row groups are encoded on a background thread (Arrow releases the GIL), so writing
    overlaps with generating the next rows; at most one group is in flight.
    """

    def __init__(self, path: Path, schema: pa.Schema, row_group_size: int | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._size = row_group_size or ROW_GROUP_SIZE
        self._writer = pq.ParquetWriter(
            path,
            schema,
            compression=COMPRESSION,
            use_dictionary=dictionary_columns(schema),
            use_byte_stream_split=[f.name for f in schema if pa.types.is_float64(f.type)],
        )
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet-sink")
        self._in_flight: Future[None] | None = None
        self._pending: list[pa.Table] = []
        self._pending_rows = 0

    def write(self, table: pa.Table) -> None:
        """Buffer ``table``; write every full row group."""
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        while self._pending_rows >= self._size:
            self._flush(self._size)

    def _wait(self) -> None:
        if self._in_flight is not None:
            self._in_flight.result()
            self._in_flight = None

    def _flush(self, n: int) -> None:
        pending = pa.concat_tables(self._pending)
        group = pending.slice(0, n).combine_chunks()
        rest = pending.slice(n)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows
        self._wait()
        self._in_flight = self._pool.submit(self._writer.write_table, group, row_group_size=n)

    def close(self) -> None:
        """Write the last, partial row group and close the file."""
        try:
            if self._pending_rows or self.rows == 0:
                self._flush(self._pending_rows)
            self._wait()
        finally:
            self._pool.shutdown(wait=True)
            self._writer.close()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _write_parquet(table: pa.Table, path: Path) -> None:
    with ParquetSink(path, table.schema) as sink:
        sink.write(table)


def _media_summary(assets: pa.Table) -> tuple[int, int]:
    sizes = {
        uri: size
        for uri, size in zip(
            assets.column("uri").to_pylist(), assets.column("bytes").to_pylist(), strict=True
        )
        if uri is not None
    }
    return len(sizes), int(sum(sizes.values()))


def _world_doc(config: WorldConfig, rows: dict[str, int], assets: pa.Table) -> dict[str, Any]:
    n_files, n_bytes = _media_summary(assets)
    return {
        "generator": GENERATOR_VERSION,
        "config": config.to_dict(),
        "summary": {
            "rows": rows,
            "first_day": config.start_date.isoformat(),
            "last_day": config.end_date.isoformat(),
            "media_files": n_files,
            "media_bytes": n_bytes,
        },
    }


def _write_doc(out: Path, doc: dict[str, Any]) -> None:
    (out / WORLD_JSON).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def summary(world: World) -> dict[str, Any]:
    """Row counts, date range and media totals of a world (``world.json``'s summary)."""
    rows = {name: table.num_rows for name, table in world.tables.items()}
    rows["truth"] = world.truth.num_rows
    doc = _world_doc(world.config, rows, world.tables[schemas.CREATIVE_ASSETS.name])
    result: dict[str, Any] = doc["summary"]
    return result


def write_world(world: World, out_dir: Path) -> None:
    """Write the tables, the truth and ``world.json`` under ``out_dir``."""
    out = Path(out_dir)
    for name, table in world.tables.items():
        _write_parquet(table, out / META_DIR / f"{name}.parquet")
    _write_parquet(world.truth, out / TRUTH_DIR / "truth.parquet")
    _write_parquet(world.creative_attributes, out / TRUTH_DIR / "creative_attributes.parquet")
    if world.ad_effects is not None:
        _write_parquet(world.ad_effects, out / TRUTH_DIR / "ad_effects.parquet")
    rows = {name: table.num_rows for name, table in world.tables.items()}
    rows["truth"] = world.truth.num_rows
    _write_doc(out, _world_doc(world.config, rows, world.tables[schemas.CREATIVE_ASSETS.name]))


def generate_world_to_dir(config: WorldConfig, out_dir: Path) -> dict[str, Any]:
    """Generate a world straight into ``out_dir``, never holding all its rows in memory.

    Writes the same files, byte for byte, as ``write_world(generate_world(config, out_dir),
    out_dir)``; use it for large worlds. Returns the content of ``world.json``.
    """
    out = Path(out_dir)
    ent, tables = prepare_world(config, out)
    rows: dict[str, int] = {}
    truth_rows = 0
    for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS):
        path = out / META_DIR / f"{spec.name}.parquet"
        if spec is not schemas.INSIGHTS:
            _write_parquet(tables[spec.name], path)
            rows[spec.name] = tables[spec.name].num_rows
            continue
        with (
            ParquetSink(path, schemas.INSIGHTS.schema) as insights_sink,
            ParquetSink(out / TRUTH_DIR / "truth.parquet", schemas.SIM_TRUTH.schema) as truth_sink,
        ):
            for insights, truth in iter_delivery_tables(ent):
                insights_sink.write(insights)
                truth_sink.write(truth)
        rows[spec.name] = insights_sink.rows
        truth_rows = truth_sink.rows
    rows["truth"] = truth_rows
    _write_parquet(creative_attributes_of(ent), out / TRUTH_DIR / "creative_attributes.parquet")
    _write_parquet(ad_effects_table(ent), out / TRUTH_DIR / "ad_effects.parquet")
    doc = _world_doc(config, rows, tables[schemas.CREATIVE_ASSETS.name])
    _write_doc(out, doc)
    logger.info("wrote world seed=%d to %s: %s", config.seed, out, rows)
    return doc


def _read(path: Path, schema: pa.Schema | None = None) -> pa.Table:
    table = pq.read_table(path)
    if schema is not None and not table.schema.equals(schema):
        table = table.cast(schema)
    return table


def read_world(out_dir: Path) -> World:
    """Read a world written by :func:`write_world` or :func:`generate_world_to_dir`."""
    out = Path(out_dir)
    doc = json.loads((out / WORLD_JSON).read_text())
    config = WorldConfig.from_dict(doc["config"])
    tables = {
        name: _read(out / META_DIR / f"{name}.parquet", spec.schema)
        for name, spec in _SPECS.items()
    }
    effects_path = out / TRUTH_DIR / "ad_effects.parquet"
    return World(
        config=config,
        tables=tables,
        truth=_read(out / TRUTH_DIR / "truth.parquet", schemas.SIM_TRUTH.schema),
        creative_attributes=_read(out / TRUTH_DIR / "creative_attributes.parquet"),
        ad_effects=_read(effects_path) if effects_path.exists() else None,
    )


def table_path(out_dir: Path, name: str) -> Path:
    """The Parquet file of a raw table (``meta/<name>.parquet``) or of ``truth``."""
    out = Path(out_dir)
    if name == "truth":
        return out / TRUTH_DIR / "truth.parquet"
    return out / META_DIR / f"{name}.parquet"


def iter_table_batches(
    out_dir: Path, name: str, batch_rows: int = ROW_GROUP_SIZE
) -> Iterator[pa.Table]:
    """A world table read in slices of at most ``batch_rows`` rows, in file order, each cast
    to the contract schema: the same rows :func:`read_world` returns, in bounded memory."""
    schema = schemas.SIM_TRUTH.schema if name == "truth" else _SPECS[name].schema
    parquet = pq.ParquetFile(table_path(out_dir, name))
    emitted = False
    for batch in parquet.iter_batches(batch_size=batch_rows):
        table = pa.Table.from_batches([batch])
        if not table.schema.equals(schema):
            table = table.cast(schema)
        emitted = True
        yield table
    if not emitted:
        yield _read(table_path(out_dir, name), schema)
