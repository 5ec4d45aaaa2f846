"""The extraction benchmark times decode and model apart and keeps the rest of the doc."""

from __future__ import annotations

from pathlib import Path

import pytest

from aelp.creative.bench import (
    SECTION_BEGIN,
    SECTION_END,
    BenchReport,
    BenchRow,
    run_bench,
    section_markers,
    write_section,
)
from aelp.creative.extractors import FileStatsExtractor


def test_bench_counts_images_and_video_seconds_and_times_both_sides(sample_dir: Path) -> None:
    report = run_bench(sample_dir, [FileStatsExtractor()], limit=10, batch_size=2, progress=False)
    rows = {r.media_type: r for r in report.rows}
    assert (rows["image"].files, rows["image"].units) == (4, 4.0)
    assert rows["video"].files == 3 and rows["video"].units == pytest.approx(9.0)
    assert all(r.decode_s > 0 and r.model_s > 0 for r in report.rows)
    text = report.markdown()
    assert "| file_stats/1.0 | none | video | 3 | 9.0 video s |" in text


def test_bench_with_decode_workers_counts_the_same(sample_dir: Path) -> None:
    one = run_bench(sample_dir, [FileStatsExtractor()], limit=10, batch_size=4, progress=False)
    two = run_bench(
        sample_dir, [FileStatsExtractor()], limit=10, batch_size=4, workers=2, progress=False
    )
    assert [(r.files, r.units, r.frames) for r in two.rows] == [
        (r.files, r.units, r.frames) for r in one.rows
    ]
    assert two.workers == 2 and all(r.decode_s > 0 for r in two.rows)


def test_write_section_replaces_only_its_own_block(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Training\n\nkeep me\n")
    write_section(doc, "## Creative extraction\n\nfirst\n")
    write_section(doc, "## Creative extraction\n\nsecond\n")
    text = doc.read_text()
    assert text.count(SECTION_BEGIN) == 1 and text.count(SECTION_END) == 1
    assert "keep me" in text and "second" in text and "first" not in text


def test_each_device_keeps_its_own_section(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nhand-written\n\n## Model\n\nkeep me\n")
    row = BenchRow("clip/1.0", "random-init", "image", files=2, units=2.0, decode_s=1.0)
    cpu = BenchReport([row], "cpu", threads=2, workers=1, batch_size=32)
    gpu = BenchReport([row], "cuda", 16, 8, 64, accelerator="NVIDIA H200, torch 2.11, float16")
    write_section(doc, cpu.markdown())
    doc.write_text(doc.read_text().replace(SECTION_END, SECTION_END + "\n\n## After\n"))
    write_section(doc, gpu.markdown())
    write_section(doc, gpu.markdown().replace("| 2 |", "| 3 |"))
    text = doc.read_text()
    begin, end = section_markers("cuda")
    assert text.count(begin) == 1 and text.count(end) == 1
    assert text.index(SECTION_END) < text.index(begin) < text.index("## After")
    cpu_block = text[text.index(SECTION_BEGIN) : text.index(SECTION_END)]
    gpu_block = text[text.index(begin) : text.index(end)]
    assert "## Creative extraction\n" in cpu_block and "device `cpu`," in cpu_block
    assert "## Creative extraction on CUDA" in gpu_block
    assert "device `cuda` (NVIDIA H200, torch 2.11, float16)" in gpu_block
    assert "| 3 |" in gpu_block and "| 2 |" in cpu_block
    assert "hand-written" in text and "keep me" in text
