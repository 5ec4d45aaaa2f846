"""FileStatsExtractor ranks real images and clips the way their content says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aelp.creative import DecodeOptions, FileStatsExtractor, FileStatsSettings
from aelp.creative.media import decode_file

SAMPLE_INTERVAL_S = 0.1


def _features(
    folder: Path, name: str, extractor: FileStatsExtractor | None = None
) -> dict[str, Any]:
    extractor = extractor or FileStatsExtractor()
    media = decode_file(folder / name, "0" * 64, name, extractor.decode_options)
    columns = extractor.extract([media])
    return {column: values[0] for column, values in columns.items()}


def test_bright_image_is_brighter_than_dark_image(sample_dir: Path) -> None:
    dark = _features(sample_dir, "dark.png")
    bright = _features(sample_dir, "bright.jpg")
    assert dark["brightness"] == pytest.approx(20 / 255, abs=0.01)
    assert bright["brightness"] == pytest.approx(230 / 255, abs=0.01)


def test_colourful_stripes_are_more_colourful_and_saturated_than_grey(sample_dir: Path) -> None:
    grey = _features(sample_dir, "dark.png")
    colourful = _features(sample_dir, "colourful.png")
    assert grey["colourfulness"] == pytest.approx(0.0, abs=1e-6)
    assert grey["saturation"] == pytest.approx(0.0, abs=1e-6)
    # Well above the paper's "extremely colourful" 109/255.
    assert colourful["colourfulness"] > 0.43
    assert colourful["saturation"] > 0.8


def test_text_strokes_raise_edge_density_over_a_plain_image(sample_dir: Path) -> None:
    plain = _features(sample_dir, "bright.jpg")
    stripes = _features(sample_dir, "colourful.png")
    text = _features(sample_dir, "text.png")
    assert plain["edge_density"] == 0.0
    assert text["edge_density"] > stripes["edge_density"] > plain["edge_density"]
    assert text["edge_density"] > 0.15


def test_images_have_no_motion_and_no_cuts(sample_dir: Path) -> None:
    image = _features(sample_dir, "text.png")
    assert image["motion_energy"] == 0.0
    assert image["scene_cut_count"] == 0
    assert image["time_to_first_cut_s"] is None


def test_motion_energy_is_positive_only_for_the_moving_clip(sample_dir: Path) -> None:
    static = _features(sample_dir, "videos/static.mp4")
    moving = _features(sample_dir, "videos/moving.mp4")
    assert static["motion_energy"] == 0.0
    # One-pixel slide of a 16-pixel-tall square: ~2*16 changed pixels of 64*48 per frame.
    assert moving["motion_energy"] > 0.005
    assert moving["scene_cut_count"] == 0
    assert static["scene_cut_count"] == 0


def test_the_hard_cut_is_found_within_one_frame_interval_of_1_5_s(sample_dir: Path) -> None:
    cut = _features(sample_dir, "videos/cut.mp4")
    assert cut["scene_cut_count"] == 1
    assert cut["time_to_first_cut_s"] == pytest.approx(1.5, abs=SAMPLE_INTERVAL_S)
    assert cut["scene_cut_rate"] == pytest.approx(1 / 3.0, rel=0.05)


def test_coarser_sampling_still_finds_the_cut_within_one_sampling_interval(
    sample_dir: Path,
) -> None:
    coarse = FileStatsExtractor(FileStatsSettings(decode=DecodeOptions(sample_fps=4)))
    cut = _features(sample_dir, "videos/cut.mp4", coarse)
    assert cut["scene_cut_count"] == 1
    assert cut["time_to_first_cut_s"] == pytest.approx(1.5, abs=1 / 4)


def test_the_version_names_non_default_settings_so_their_rows_never_collide() -> None:
    default = FileStatsExtractor()
    assert default.extractor_version == "file_stats/1.0"
    assert default.weights == "none"
    coarse = FileStatsExtractor(FileStatsSettings(decode=DecodeOptions(sample_fps=4)))
    strict = FileStatsExtractor(FileStatsSettings(cut_threshold=0.3))
    assert coarse.extractor_version.startswith("file_stats/1.0+")
    assert len({default.extractor_version, coarse.extractor_version, strict.extractor_version}) == 3
    assert FileStatsExtractor(FileStatsSettings()).extractor_version == "file_stats/1.0"
