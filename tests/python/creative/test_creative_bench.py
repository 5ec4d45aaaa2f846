"""The extraction benchmark times decode and model apart and keeps the rest of the doc."""

from __future__ import annotations

from pathlib import Path

import pytest

from aelp.creative.bench import SECTION_BEGIN, SECTION_END, run_bench, write_section
from aelp.creative.extractors import FileStatsExtractor


def test_bench_counts_images_and_video_seconds_and_times_both_sides(sample_dir: Path) -> None:
    report = run_bench(sample_dir, [FileStatsExtractor()], limit=10, batch_size=2, progress=False)
    rows = {r.media_type: r for r in report.rows}
    assert (rows["image"].files, rows["image"].units) == (4, 4.0)
    assert rows["video"].files == 3 and rows["video"].units == pytest.approx(9.0)
    assert all(r.decode_s > 0 and r.model_s > 0 for r in report.rows)
    text = report.markdown()
    assert "| file_stats/1.0 | none | video | 3 | 9.0 video s |" in text


def test_write_section_replaces_only_its_own_block(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Training\n\nkeep me\n")
    write_section(doc, "## Creative extraction\n\nfirst\n")
    write_section(doc, "## Creative extraction\n\nsecond\n")
    text = doc.read_text()
    assert text.count(SECTION_BEGIN) == 1 and text.count(SECTION_END) == 1
    assert "keep me" in text and "second" in text and "first" not in text
