"""Fixtures for the creative tests: an in-memory warehouse and a folder of sample media."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from creative_samples import (
    cut_clip,
    flat_image,
    moving_clip,
    random_bytes,
    static_clip,
    stripes_image,
    text_image,
    truncated_copy,
)

from aelp.warehouse.base import Warehouse


@pytest.fixture
def warehouse() -> Iterator[Warehouse]:
    """An empty in-memory DuckDB warehouse (duckdb imported here: the GPU tests need none)."""
    from aelp.warehouse.duckdb import DuckDBWarehouse

    with DuckDBWarehouse(":memory:") as wh:
        yield wh


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four images and three videos that decode, in a folder with a subfolder."""
    root = tmp_path_factory.mktemp("assets")
    (root / "videos").mkdir()
    flat_image(root / "dark.png", (20, 20, 20))
    flat_image(root / "bright.jpg", (230, 230, 230))
    stripes_image(root / "colourful.png", [(230, 30, 30), (30, 200, 40), (40, 60, 230)])
    text_image(root / "text.png")
    static_clip(root / "videos" / "static.mp4")
    moving_clip(root / "videos" / "moving.mp4")
    cut_clip(root / "videos" / "cut.mp4")
    return root


@pytest.fixture
def assets_with_corrupt_files(tmp_path: Path, sample_dir: Path) -> Path:
    """The sample media plus a truncated MP4, random bytes named .png and a text file."""
    root = tmp_path / "assets"
    root.mkdir()
    for name in ("dark.png", "colourful.png", "videos/moving.mp4"):
        target = root / Path(name).name
        target.write_bytes((sample_dir / name).read_bytes())
    truncated_copy(sample_dir / "videos" / "cut.mp4", root / "truncated.mp4")
    random_bytes(root / "noise.png")
    (root / "notes.txt").write_text("briefing notes")
    return root
