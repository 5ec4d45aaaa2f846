"""extract_folder writes one contract row per file, records failures, and is idempotent."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from aelp.creative import (
    ASSET_EXTRACTION_FAILURES,
    DecodedMedia,
    DecodeOptions,
    Extractor,
    FileStatsExtractor,
    FileStatsSettings,
    MediaError,
    extract_folder,
)
from aelp.creative.extractors import ExtractorContractError
from aelp.schemas import ASSET_FEATURES
from aelp.warehouse.base import Warehouse


def _features(warehouse: Warehouse, columns: str = "*") -> dict[str, dict[str, Any]]:
    table = warehouse.query(
        f"select {columns} from {warehouse.spec_ref(ASSET_FEATURES)} order by file_name"
    )
    return {row["file_name"]: row for row in table.to_pylist()}


def _failures(warehouse: Warehouse) -> list[dict[str, Any]]:
    ref = warehouse.spec_ref(ASSET_EXTRACTION_FAILURES)
    return warehouse.query(f"select * from {ref} order by file_name").to_pylist()


def test_every_file_gets_one_row_in_the_exact_contract_schema(
    warehouse: Warehouse, sample_dir: Path
) -> None:
    summary = extract_folder(warehouse, sample_dir, batch_size=3, progress=True)
    assert (summary.seen, summary.done, summary.skipped, summary.failed) == (7, 7, 0, 0)
    assert summary.rows_written == 7 and summary.files_per_s > 0
    table = warehouse.query(f"select * from {warehouse.spec_ref(ASSET_FEATURES)}")
    assert table.schema.names == ASSET_FEATURES.schema.names
    rows = _features(warehouse)
    assert sorted(rows) == [
        "bright.jpg", "colourful.png", "dark.png", "text.png",
        "videos/cut.mp4", "videos/moving.mp4", "videos/static.mp4",
    ]  # fmt: skip
    cut = rows["videos/cut.mp4"]
    assert (
        cut["content_sha256"]
        == hashlib.sha256((sample_dir / "videos" / "cut.mp4").read_bytes()).hexdigest()
    )
    assert (cut["extractor_version"], cut["weights"], cut["media_type"]) == (
        "file_stats/1.0", "none", "video",
    )  # fmt: skip
    assert (cut["width"], cut["height"], cut["frame_count"]) == (64, 48, 30)
    assert cut["duration_s"] == pytest.approx(3.0) and cut["fps"] == pytest.approx(10.0)
    assert cut["time_to_first_cut_s"] == pytest.approx(1.5, abs=0.1)
    dark = rows["dark.png"]
    assert (dark["media_type"], dark["duration_s"], dark["aspect_ratio"]) == (
        "image",
        None,
        80 / 60,
    )
    assert rows["bright.jpg"]["brightness"] > dark["brightness"]
    assert rows["videos/moving.mp4"]["motion_energy"] > rows["videos/static.mp4"]["motion_energy"]


def test_corrupt_files_are_recorded_as_failures_and_the_others_still_written(
    warehouse: Warehouse, assets_with_corrupt_files: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="aelp.creative"):
        summary = extract_folder(warehouse, assets_with_corrupt_files, batch_size=8, progress=False)
    assert (summary.seen, summary.done, summary.failed, summary.ignored) == (5, 3, 2, 1)
    assert sorted(_features(warehouse)) == ["colourful.png", "dark.png", "moving.mp4"]
    failures = _failures(warehouse)
    assert [(f["file_name"], f["stage"], f["media_type"]) for f in failures] == [
        ("noise.png", "decode", "image"),
        ("truncated.mp4", "decode", "video"),
    ]
    assert all(f["reason"] and f["extractor_version"] == "file_stats/1.0" for f in failures)
    assert {f.file_name for f in summary.failures} == {"noise.png", "truncated.mp4"}
    logged = caplog.text
    assert "noise.png" in logged and "truncated.mp4" in logged


def test_a_second_run_skips_everything_and_writes_no_duplicates(
    warehouse: Warehouse, assets_with_corrupt_files: Path
) -> None:
    extract_folder(warehouse, assets_with_corrupt_files, progress=False)
    again = extract_folder(warehouse, assets_with_corrupt_files, progress=False)
    assert (again.seen, again.done, again.skipped, again.failed) == (5, 0, 5, 0)
    assert again.rows_written == 0
    assert warehouse.count("raw_creative", "asset_features") == 3
    assert warehouse.count("raw_creative", "asset_extraction_failures") == 2


def test_retry_failed_tries_recorded_failures_again_without_duplicating_them(
    warehouse: Warehouse, assets_with_corrupt_files: Path
) -> None:
    extract_folder(warehouse, assets_with_corrupt_files, progress=False)
    retry = extract_folder(warehouse, assets_with_corrupt_files, progress=False, retry_failed=True)
    assert (retry.skipped, retry.failed) == (3, 2)
    assert warehouse.count("raw_creative", "asset_extraction_failures") == 2


def test_files_with_identical_bytes_are_extracted_once(
    warehouse: Warehouse, tmp_path: Path, sample_dir: Path
) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes((sample_dir / "dark.png").read_bytes())
    summary = extract_folder(warehouse, tmp_path, batch_size=2, progress=False)
    assert (summary.done, summary.skipped) == (1, 1)
    assert list(_features(warehouse)) == ["a.png"]


def test_a_new_extractor_version_adds_rows_beside_the_old_ones(
    warehouse: Warehouse, sample_dir: Path
) -> None:
    extract_folder(warehouse, sample_dir, progress=False)
    coarse = FileStatsExtractor(FileStatsSettings(decode=DecodeOptions(sample_fps=5)))
    summary = extract_folder(warehouse, sample_dir, extractors=[coarse], progress=False)
    assert summary.done == 7
    versions = warehouse.query(
        f"select extractor_version, count(*) as n from {warehouse.spec_ref(ASSET_FEATURES)} "
        "group by 1 order by 1"
    ).to_pylist()
    assert versions == [
        {"extractor_version": "file_stats/1.0", "n": 7},
        {"extractor_version": coarse.extractor_version, "n": 7},
    ]


def test_a_process_pool_writes_the_same_features_as_one_process(
    tmp_path: Path, sample_dir: Path
) -> None:
    from aelp.warehouse.duckdb import DuckDBWarehouse

    columns = "file_name, content_sha256, frame_count, brightness, edge_density, motion_energy"
    with DuckDBWarehouse(":memory:") as one, DuckDBWarehouse(":memory:") as pool:
        extract_folder(one, sample_dir, workers=1, progress=False)
        summary = extract_folder(pool, sample_dir, workers=2, batch_size=4, progress=False)
        assert summary.done == 7
        assert _features(pool, columns) == _features(one, columns)


class BrightnessOnly(Extractor):
    """A stand-in for a model extractor: one column, and it chokes on some files."""

    name: ClassVar[str] = "brightness_only"
    version: ClassVar[str] = "0.1"
    columns: ClassVar[tuple[str, ...]] = ("brightness",)

    def __init__(self, broken: str, corrupt: str) -> None:
        self.broken = broken
        self.corrupt = corrupt
        self.batch_sizes: list[int] = []

    @property
    def weights(self) -> str:
        return "random-init"

    @property
    def decode_options(self) -> DecodeOptions:
        return DecodeOptions(sample_fps=1, max_side=32)

    def extract(self, batch: Sequence[DecodedMedia]) -> dict[str, list[Any]]:
        self.batch_sizes.append(len(batch))
        for media in batch:
            if media.file_name == self.broken:
                raise RuntimeError("device out of memory")
            if media.file_name == self.corrupt:
                raise MediaError("frames are all padding")
        return {"brightness": [float(m.frames.mean() / 255) for m in batch]}


def test_a_pluggable_extractor_runs_beside_file_stats_and_isolates_its_failures(
    warehouse: Warehouse, sample_dir: Path
) -> None:
    plugin = BrightnessOnly(broken="text.png", corrupt="dark.png")
    summary = extract_folder(
        warehouse, sample_dir, extractors=[FileStatsExtractor(), plugin], progress=False
    )
    assert (summary.done, summary.failed) == (5, 2)
    assert plugin.batch_sizes[0] == 7  # whole batch first, then file by file
    rows = warehouse.query(
        f"select file_name, weights, brightness, width, edge_density "
        f"from {warehouse.spec_ref(ASSET_FEATURES)} where extractor_version = 'brightness_only/0.1'"
        " order by file_name"
    ).to_pylist()
    assert [r["file_name"] for r in rows] == [
        "bright.jpg", "colourful.png", "videos/cut.mp4", "videos/moving.mp4", "videos/static.mp4",
    ]  # fmt: skip
    assert all(r["weights"] == "random-init" and r["edge_density"] is None for r in rows)
    assert rows[0]["width"] == 80
    assert warehouse.count("raw_creative", "asset_features") == 7 + 5
    # Only the content problem is recorded; the runtime error is retried next run.
    assert [f["file_name"] for f in _failures(warehouse)] == ["dark.png"]
    plugin.broken = ""
    again = extract_folder(
        warehouse, sample_dir, extractors=[FileStatsExtractor(), plugin], progress=False
    )
    assert (again.done, again.skipped, again.failed) == (1, 6, 0)


class WrongColumns(Extractor):
    name: ClassVar[str] = "wrong"
    version: ClassVar[str] = "1"
    columns: ClassVar[tuple[str, ...]] = ("brightness",)

    def extract(self, batch: Sequence[DecodedMedia]) -> dict[str, list[Any]]:
        return {"brightnes": [0.5] * len(batch)}


def test_an_extractor_breaking_its_column_contract_stops_the_run(
    warehouse: Warehouse, sample_dir: Path
) -> None:
    with pytest.raises(ExtractorContractError, match="brightnes"):
        extract_folder(warehouse, sample_dir, extractors=[WrongColumns()], progress=False)


def test_bad_arguments_are_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        extract_folder(warehouse, tmp_path / "missing", progress=False)
    with pytest.raises(ValueError, match="batch_size"):
        extract_folder(warehouse, tmp_path, batch_size=0, progress=False)
    with pytest.raises(ValueError, match="differ"):
        extract_folder(warehouse, tmp_path, extractors=[FileStatsExtractor()] * 2, progress=False)
