"""--shard K/N splits files by content hash: every file in exactly one shard, same table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aelp.creative import extract_folder
from aelp.creative.sharding import Shard, parse_shard, shard_of
from aelp.schemas import ASSET_FEATURES
from aelp.warehouse.base import Warehouse


def test_shard_of_uses_the_first_64_bits_of_the_hash() -> None:
    digest = f"{7:016x}" + "f" * 48
    assert [shard_of(digest, n) for n in (1, 2, 3, 7)] == [1, 2, 2, 1]
    assert Shard(2, 3).holds(digest) and not Shard(1, 3).holds(digest)


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", "1/2/3"])
def test_bad_shard_specs_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_shard(text)


def test_shards_cover_every_file_once_and_a_renamed_copy_stays_in_its_shard(
    warehouse: Warehouse, sample_dir: Path, tmp_path: Path
) -> None:
    assets = tmp_path / "assets"
    shutil.copytree(sample_dir, assets)
    seen: list[set[str]] = []
    for k in (1, 2, 3):
        summary = extract_folder(warehouse, assets, shard=parse_shard(f"{k}/3"), progress=False)
        assert summary.done + summary.other_shards == summary.seen == 7
        rows = warehouse.query(
            f"select content_sha256 from {warehouse.spec_ref(ASSET_FEATURES)}"
        ).column("content_sha256")
        seen.append(set(rows.to_pylist()))
    assert [len(s) for s in seen] == sorted(len(s) for s in seen)  # the table only grows
    assert len(seen[-1]) == 7
    done = [seen[0], seen[1] - seen[0], seen[2] - seen[1]]
    for k, hashes in enumerate(done, start=1):
        assert all(shard_of(h, 3) == k for h in hashes)

    (assets / "renamed_dark.png").write_bytes((assets / "dark.png").read_bytes())
    again = extract_folder(warehouse, assets, shard=parse_shard("1/3"), progress=False)
    assert again.done == 0 and again.failed == 0
