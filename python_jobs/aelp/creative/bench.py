"""Throughput of creative extraction: decode time and model time, per extractor.

Files are decoded in batches (once per set of decode options, in ``workers``
processes) and each extractor runs on the decoded batch; the two are timed apart, so
the report shows both the decode-bound ceiling and the model-bound one. Images are
counted in files, videos in seconds of footage. Each device gets its own section of
the Markdown file (a GPU run keeps the CPU figures, and the other way round).
"""

from __future__ import annotations

import logging
import os
import platform
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from aelp.creative.extractors.base import Extractor
from aelp.creative.media import DecodedMedia, DecodeOptions, media_type_of
from aelp.creative.runner import find_media
from aelp.creative.tasks import TaskFailure, TaskRunner, decode_task
from aelp.markdown_sections import write_marked_section

log = logging.getLogger(__name__)

SECTION_BEGIN = "<!-- creative-extraction:begin -->"
SECTION_END = "<!-- creative-extraction:end -->"
_DEVICE_HEADING = re.compile(r"^## Creative extraction on (\w+)", re.MULTILINE)


def section_markers(device: str) -> tuple[str, str]:
    """The begin/end markers of ``device``'s section (``cpu`` keeps the original pair)."""
    if device == "cpu":
        return SECTION_BEGIN, SECTION_END
    return (
        f"<!-- creative-extraction-{device}:begin -->",
        f"<!-- creative-extraction-{device}:end -->",
    )


@dataclass
class BenchRow:
    """Time spent on one media type by one extractor (and the decoding it needs)."""

    extractor: str
    weights: str
    media_type: str
    files: int = 0
    units: float = 0.0
    frames: int = 0
    decode_s: float = 0.0
    model_s: float = 0.0

    @property
    def unit(self) -> str:
        """What ``units`` counts: images, or seconds of video."""
        return "images" if self.media_type == "image" else "video s"

    def rate(self, seconds: float) -> float:
        """Units per second of ``seconds`` (0 when nothing was timed)."""
        return self.units / seconds if seconds > 0 else 0.0


@dataclass
class BenchReport:
    """The rows of one benchmark run and where it ran."""

    rows: list[BenchRow]
    device: str
    threads: int
    workers: int
    batch_size: int
    load_average: float = 0.0
    accelerator: str = ""
    when: datetime = field(default_factory=lambda: datetime.now(UTC))

    def markdown(self) -> str:
        """The report as a Markdown section (heading, context line, table).

        A non-CPU device is named in the heading, which :func:`write_section` reads to
        pick that device's section.
        """
        heading = "## Creative extraction"
        if self.device != "cpu":
            heading += f" on {self.device.upper()}"
        accelerator = f" ({self.accelerator})" if self.accelerator else ""
        lines = [
            heading,
            "",
            f"`make bench-extract` on {self.when:%Y-%m-%d}: {platform.machine()}, "
            f"{os.cpu_count()} cores, device `{self.device}`{accelerator}, "
            f"{self.threads} model threads, "
            f"{self.workers} decode worker(s), batch {self.batch_size}, "
            f"load average {self.load_average:.1f} at the start. "
            "Decoding is timed apart from the model; *end to end* is units over both "
            "(sequential), *decode only* and *model only* are the ceilings if the other "
            "side were free (decoding overlapped with the model).",
            "",
            "| extractor | weights | media | files | units | frames | decode s | model s "
            "| end to end /s | decode only /s | model only /s |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in self.rows:
            lines.append(
                f"| {r.extractor} | {r.weights} | {r.media_type} | {r.files} "
                f"| {r.units:.1f} {r.unit} | {r.frames} | {r.decode_s:.2f} | {r.model_s:.2f} "
                f"| {r.rate(r.decode_s + r.model_s):.1f} | {r.rate(r.decode_s):.1f} "
                f"| {r.rate(r.model_s):.1f} |"
            )
        return "\n".join(lines) + "\n"


def run_bench(
    assets_dir: Path,
    extractors: Sequence[Extractor],
    *,
    limit: int = 64,
    batch_size: int = 32,
    workers: int = 1,
    progress: bool = True,
) -> BenchReport:
    """Time each extractor on up to ``limit`` images and ``limit`` videos under a folder."""
    load_average = os.getloadavg()[0]
    files, _ = find_media(assets_dir)
    by_type = {
        kind: [f for f in files if media_type_of(f) == kind][:limit] for kind in ("image", "video")
    }
    rows: list[BenchRow] = []
    groups: dict[DecodeOptions, list[Extractor]] = {}
    for extractor in extractors:
        groups.setdefault(extractor.decode_options, []).append(extractor)
    with TaskRunner(workers) as runner:
        _warm_up(runner, by_type["image"][:1] or by_type["video"][:1])
        for kind, paths in by_type.items():
            if not paths:
                continue
            for options, members in groups.items():
                group_rows = [
                    BenchRow(e.extractor_version, e.weights, kind, files=len(paths))
                    for e in members
                ]
                _time_group(runner, paths, options, members, group_rows, batch_size, progress)
                rows += group_rows
    device = next((str(getattr(e, "device", "")) for e in extractors if hasattr(e, "device")), "")
    threads = next((int(getattr(e, "threads", 0)) for e in extractors if hasattr(e, "threads")), 0)
    device = device or "cpu"
    return BenchReport(
        rows, device, threads, workers, batch_size, load_average, _accelerator(device)
    )


def _accelerator(device: str) -> str:
    """The GPU's name, torch's version and the precision, for a CUDA run ("" otherwise)."""
    if device != "cuda":
        return ""
    import torch

    return f"{torch.cuda.get_device_name(0)}, torch {torch.__version__}, float16"


def _warm_up(runner: TaskRunner, sample: Sequence[Path]) -> None:
    """Start the decode workers (spawned, each importing the decoders) before any timing.

    Otherwise the first batch's decode time holds the pool's start-up.
    """
    if runner.workers > 1 and sample:
        options = DecodeOptions(sample_fps=1.0, max_frames=1, max_side=64)
        item = (sample[0], "", sample[0].name, options)
        runner.map(decode_task, [item] * (2 * runner.workers), "decode")


def _time_group(
    runner: TaskRunner,
    paths: Sequence[Path],
    options: DecodeOptions,
    members: Sequence[Extractor],
    rows: Sequence[BenchRow],
    batch_size: int,
    progress: bool,
) -> None:
    label = ", ".join(e.name for e in members)
    with tqdm(total=len(paths), unit="file", desc=f"bench {label}", disable=not progress) as bar:
        for start in range(0, len(paths), batch_size):
            chunk = paths[start : start + batch_size]
            began = time.perf_counter()
            decoded = runner.map(decode_task, [(p, "", p.name, options) for p in chunk], "decode")
            decode_s = time.perf_counter() - began
            media: list[DecodedMedia] = [d for d in decoded if not isinstance(d, TaskFailure)]
            units = sum(_units(m) for m in media)
            frames = sum(len(m.frames) for m in media)
            for extractor, row in zip(members, rows, strict=True):
                row.decode_s += decode_s
                row.units += units
                row.frames += frames
                began = time.perf_counter()
                if media:
                    extractor.extract(media)
                row.model_s += time.perf_counter() - began
            bar.update(len(chunk))


def _units(media: DecodedMedia) -> float:
    return 1.0 if media.media_type == "image" else float(media.duration_s or 0.0)


def write_section(path: Path, section: str, device: str | None = None) -> None:
    """Put ``section`` between the creative-extraction markers of its device.

    ``device`` defaults to the one named in the section's heading (``cpu`` when none
    is). The file is created with a title when missing; a new device's markers go
    right after the CPU section when there is one, else at the end; text outside them
    (the other devices' sections too) is kept.
    """
    if device is None:
        match = _DEVICE_HEADING.search(section)
        device = match.group(1).lower() if match else "cpu"
    begin, end = section_markers(device)
    if device != "cpu" and path.exists():
        text = path.read_text()
        if begin not in text and SECTION_END in text:
            path.write_text(text.replace(SECTION_END, f"{SECTION_END}\n\n{begin}\n{end}", 1))
    write_marked_section(path, begin, end, section)
