"""World files: determinism, round trips, the streamed writer and the unrendered mode."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import aelp.world.io as world_io
from aelp import schemas
from aelp.world import (
    World,
    WorldConfig,
    generate_world,
    generate_world_to_dir,
    read_world,
    write_world,
)


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _same_tables(a: World, b: World) -> bool:
    return (
        list(a.tables) == list(b.tables)
        and all(a.tables[name].equals(b.tables[name]) for name in a.tables)
        and a.truth.equals(b.truth)
        and a.creative_attributes.equals(b.creative_attributes)
    )


def test_same_seed_gives_identical_tables_and_identical_file_bytes(
    tiny: World, tiny_dir: Path, tmp_path: Path
):
    again = generate_world(tiny.config, tmp_path)
    write_world(again, tmp_path)
    assert _same_tables(tiny, again)
    assert _hashes(tmp_path) == _hashes(tiny_dir)


def test_a_different_seed_gives_a_different_world(tiny: World, tmp_path: Path):
    other = generate_world(WorldConfig(seed=12, n_ads=20, n_days=20), tmp_path)
    assert not other.insights.select(["impressions"]).equals(tiny.insights.select(["impressions"]))
    assert other.tables["ads"].column("id") != tiny.tables["ads"].column("id")
    shas = set(tiny.tables["creative_assets"].column("content_sha256").to_pylist())
    other_shas = set(other.tables["creative_assets"].column("content_sha256").to_pylist())
    assert not shas & other_shas


def test_written_world_has_the_documented_layout(tiny: World, tiny_dir: Path):
    for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS):
        assert (tiny_dir / "meta" / f"{spec.name}.parquet").is_file()
    for name in ("truth", "creative_attributes", "ad_effects"):
        assert (tiny_dir / "truth" / f"{name}.parquet").is_file()
    doc = json.loads((tiny_dir / "world.json").read_text())
    assert doc["config"]["seed"] == 11
    assert doc["summary"]["rows"]["insights"] == tiny.insights.num_rows
    assert doc["summary"]["rows"]["truth"] == tiny.truth.num_rows
    n_files = len(list((tiny_dir / "creatives").iterdir()))
    assert doc["summary"]["media_files"] == n_files
    assert doc["summary"]["media_bytes"] == sum(
        p.stat().st_size for p in (tiny_dir / "creatives").iterdir()
    )


def test_read_world_returns_what_was_written(tiny: World, tiny_dir: Path):
    back = read_world(tiny_dir)
    assert back.config == tiny.config
    assert _same_tables(back, tiny)
    for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS):
        assert back.tables[spec.name].schema.equals(spec.schema)
    assert back.truth.schema.equals(schemas.SIM_TRUTH.schema)


def test_streamed_generation_writes_the_same_bytes_as_write_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(world_io, "ROW_GROUP_SIZE", 300)
    config = WorldConfig(seed=3, n_ads=60, n_days=30, render=False, adsets_per_block=2)
    in_memory, streamed = tmp_path / "memory", tmp_path / "streamed"
    write_world(generate_world(config), in_memory)
    doc = generate_world_to_dir(config, streamed)
    assert pq.ParquetFile(streamed / "meta" / "insights.parquet").metadata.num_row_groups > 2
    assert _hashes(streamed) == _hashes(in_memory)
    assert doc["summary"]["rows"]["insights"] == read_world(streamed).insights.num_rows


def test_unrendered_world_writes_no_media_and_marks_assets_not_rendered(tmp_path: Path):
    world = generate_world(WorldConfig(seed=4, n_ads=30, n_days=10, render=False))
    write_world(world, tmp_path)
    assert not (tmp_path / "creatives").exists()
    assets = world.tables["creative_assets"]
    assert set(assets.column("fetch_status").to_pylist()) == {"not_rendered"}
    for column in ("content_sha256", "uri", "bytes", "fetched_at"):
        assert assets.column(column).null_count == assets.num_rows
    photos = world.tables["adcreatives"].column("image_hash").drop_null().to_pylist()
    assert photos and all(len(h) == 32 for h in photos)


def test_rendering_needs_an_output_directory():
    with pytest.raises(ValueError, match="out_dir"):
        generate_world(WorldConfig(n_ads=5, n_days=5, render=True))


def test_config_round_trips_through_json_and_rejects_impossible_sizes():
    config = WorldConfig(seed=9, n_ads=40, n_accounts=3, start_date=datetime.date(2025, 6, 1))
    assert WorldConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    assert config.end_date == datetime.date(2025, 8, 29)
    with pytest.raises(ValueError):
        WorldConfig(n_ads=2, n_accounts=3)
    with pytest.raises(ValueError):
        WorldConfig(n_days=0)
