"""Write a world to a directory and read it back.

Layout of a world dir::

    meta/<table>.parquet              raw tables in the contract (aelp.schemas)
    creatives/img_*.png, vid_*.mp4    rendered media (creative_assets.uri is relative to here)
    truth/truth.parquet               true rates per insights row
    truth/creative_attributes.parquet hidden creative attributes and effects
    truth/ad_effects.parquet          hidden ad-level parameters
    world.json                        config and summary counts

Files are written with fixed settings and contain no wall-clock time, so the same world
gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from aelp import schemas
from aelp.world.config import GENERATOR_VERSION, WorldConfig
from aelp.world.generate import World

META_DIR = "meta"
TRUTH_DIR = "truth"
WORLD_JSON = "world.json"
ROW_GROUP_SIZE = 1_000_000
_SPECS = {spec.name: spec for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS)}


def _write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table,
        path,
        compression="zstd",
        row_group_size=ROW_GROUP_SIZE,
        write_statistics=True,
    )


def summary(world: World) -> dict[str, Any]:
    """Row counts, date range and media totals of a world."""
    assets = world.tables[schemas.CREATIVE_ASSETS.name]
    sizes = {
        u: b
        for u, b in zip(
            assets.column("uri").to_pylist(), assets.column("bytes").to_pylist(), strict=True
        )
        if u is not None
    }
    return {
        "rows": {name: table.num_rows for name, table in world.tables.items()},
        "truth_rows": world.truth.num_rows,
        "first_day": world.config.start_date.isoformat(),
        "last_day": world.config.end_date.isoformat(),
        "media_files": len(sizes),
        "media_bytes": int(sum(sizes.values())),
    }


def write_world(world: World, out_dir: Path) -> None:
    """Write the tables, the truth and ``world.json`` under ``out_dir``."""
    out = Path(out_dir)
    for name, table in world.tables.items():
        _write_parquet(table, out / META_DIR / f"{name}.parquet")
    _write_parquet(world.truth, out / TRUTH_DIR / "truth.parquet")
    _write_parquet(world.creative_attributes, out / TRUTH_DIR / "creative_attributes.parquet")
    if world.ad_effects is not None:
        _write_parquet(world.ad_effects, out / TRUTH_DIR / "ad_effects.parquet")
    doc = {
        "generator": GENERATOR_VERSION,
        "config": world.config.to_dict(),
        "summary": summary(world),
    }
    (out / WORLD_JSON).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def _read(path: Path, schema: pa.Schema | None = None) -> pa.Table:
    table = pq.read_table(path)
    if schema is not None and not table.schema.equals(schema):
        table = table.cast(schema)
    return table


def read_world(out_dir: Path) -> World:
    """Read a world written by :func:`write_world`."""
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
