"""Extract features of every creative file under a folder into the warehouse.

For each batch of files: hash, skip what the warehouse already holds for each
extractor (by ``content_sha256``, ``extractor_version``, ``weights``), decode once per
set of decode options, extract, and upsert. A file that cannot be decoded is logged,
recorded in ``raw_creative.asset_extraction_failures`` and the batch goes on.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from aelp.creative.extractors.base import Extractor, ExtractorContractError, check_output
from aelp.creative.extractors.file_stats import FileStatsExtractor
from aelp.creative.media import DecodedMedia, DecodeOptions, MediaError, media_type_of
from aelp.creative.rows import FailureRecord, LoadStamp, failure_table, feature_table
from aelp.creative.sharding import Shard
from aelp.creative.tables import ASSET_EXTRACTION_FAILURES, CREATIVE_TABLES
from aelp.creative.tasks import TaskFailure, TaskRunner, decode_task, hash_task
from aelp.schemas import TableSpec
from aelp.warehouse.base import Warehouse

log = logging.getLogger(__name__)

Key = tuple[str, str, str]
"""(content_sha256, extractor_version, weights)."""


@dataclass(frozen=True)
class FileFailure:
    """A file that failed in this run, for the report."""

    file_name: str
    stage: str
    reason: str


@dataclass
class ExtractSummary:
    """What one extraction run did.

    ``seen``: media files found; ``done``: files all pending extractors wrote rows
    for; ``skipped``: files with nothing to do (already in the warehouse, or the same
    bytes as an earlier file); ``failed``: files that could not be read, decoded or
    extracted; ``ignored``: files under the folder that are not images or videos;
    ``other_shards``: files whose content hash belongs to another shard.
    ``decode_seconds`` (time spent waiting on decoding: with worker processes the next
    batch decodes while the models run) and ``model_seconds`` (per extractor version)
    split the run's time; ``media_seconds`` is the video seconds decoded.
    """

    seen: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    ignored: int = 0
    other_shards: int = 0
    rows_written: int = 0
    seconds: float = 0.0
    decode_seconds: float = 0.0
    model_seconds: dict[str, float] = field(default_factory=dict)
    images: int = 0
    video_seconds: float = 0.0
    failures: list[FileFailure] = field(default_factory=list)

    @property
    def files_per_s(self) -> float:
        """Files processed (done or failed) per second of the run's wall time."""
        processed = self.done + self.failed
        return processed / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        shards = f", {self.other_shards} in other shards" if self.other_shards else ""
        models = ", ".join(f"{name} {s:.1f} s" for name, s in self.model_seconds.items())
        return (
            f"{self.seen} files: {self.done} extracted, {self.skipped} skipped, "
            f"{self.failed} failed ({self.ignored} non-media ignored{shards}); "
            f"{self.rows_written} rows in {self.seconds:.1f} s ({self.files_per_s:.1f} files/s; "
            f"decode {self.decode_seconds:.1f} s" + (f", {models}" if models else "") + ")"
        )


@dataclass
class _FileJob:
    path: Path
    file_name: str
    content_sha256: str = ""
    pending: list[Extractor] = field(default_factory=list)
    failure: FileFailure | None = None
    other_shard: bool = False


def find_media(assets_dir: Path) -> tuple[list[Path], int]:
    """Image and video files under ``assets_dir`` (sorted, hidden entries skipped).

    Returns the files and how many other files were ignored.
    """
    media: list[Path] = []
    ignored = 0
    for path in sorted(assets_dir.rglob("*")):
        relative = path.relative_to(assets_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if media_type_of(path) is None:
            ignored += 1
        else:
            media.append(path)
    return media, ignored


def known_keys(warehouse: Warehouse, spec: TableSpec) -> set[Key]:
    """The (content_sha256, extractor_version, weights) keys a table already holds."""
    if not warehouse.table_exists(spec.dataset, spec.name):
        return set()
    result = warehouse.query(
        "select distinct content_sha256, extractor_version, weights "
        f"from {warehouse.spec_ref(spec)}"
    )
    return set(
        zip(
            result.column("content_sha256").to_pylist(),
            result.column("extractor_version").to_pylist(),
            result.column("weights").to_pylist(),
            strict=True,
        )
    )


def extract_folder(
    warehouse: Warehouse,
    assets_dir: Path,
    *,
    batch_size: int = 32,
    workers: int = 1,
    extractors: Sequence[Extractor] | None = None,
    progress: bool = True,
    retry_failed: bool = False,
    shard: Shard | None = None,
) -> ExtractSummary:
    """Extract features of every image and video under ``assets_dir``.

    Files are processed ``batch_size`` at a time; decoding runs in a pool of ``workers``
    spawned processes when ``workers > 1`` (a calling script needs the
    ``if __name__ == "__main__":`` guard), one batch ahead of the extractors.
    ``extractors`` defaults to ``[FileStatsExtractor()]``. Files recorded as failed
    earlier are skipped unless ``retry_failed``. With ``shard``, only files whose
    content hash falls in that shard are extracted (the others are hashed and
    counted). Re-running is idempotent: rows are upserted by key, so an interrupted
    run resumes where it stopped.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if not assets_dir.is_dir():
        raise NotADirectoryError(f"no folder {assets_dir}")
    chosen = list(extractors) if extractors is not None else [FileStatsExtractor()]
    _check_distinct(chosen)

    started = time.perf_counter()
    files, ignored = find_media(assets_dir)
    summary = ExtractSummary(seen=len(files), ignored=ignored)
    log.info(
        "%d media files under %s (%d other files ignored)%s; extractors: %s",
        len(files),
        assets_dir,
        ignored,
        f", shard {shard}" if shard else "",
        ", ".join(f"{e.extractor_version} [{e.weights}]" for e in chosen),
    )
    for spec in CREATIVE_TABLES:
        warehouse.ensure_table(spec)
    have = _keys_to_skip(warehouse, chosen, retry_failed)
    stamp_id = uuid.uuid4().hex
    seen_content: dict[str, str] = {}

    with (
        TaskRunner(workers) as runner,
        logging_redirect_tqdm(),
        tqdm(total=len(files), unit="file", desc="creative", disable=not progress) as bar,
    ):
        previous: tuple[list[_FileJob], list[_Decoding]] | None = None
        for batch in _chunks(files, batch_size):
            jobs = [_FileJob(path, path.relative_to(assets_dir).as_posix()) for path in batch]
            _hash(jobs)
            for job in jobs:
                if job.failure is None and shard is not None:
                    job.other_shard = not shard.holds(job.content_sha256)
                if job.failure is None and not job.other_shard:
                    _plan(job, chosen, have, seen_content)
            decoding = _start_decoding(runner, jobs)
            if previous is not None:
                _finish_batch(warehouse, *previous, stamp_id, summary, bar)
            previous = (jobs, decoding)
        if previous is not None:
            _finish_batch(warehouse, *previous, stamp_id, summary, bar)

    summary.seconds = time.perf_counter() - started
    log.info("creative extraction: %s", summary)
    return summary


def _check_distinct(extractors: Sequence[Extractor]) -> None:
    labels = [(e.extractor_version, e.weights) for e in extractors]
    if len(set(labels)) != len(labels):
        raise ValueError(f"extractors must differ in version or weights: {labels}")


def _keys_to_skip(
    warehouse: Warehouse, extractors: Sequence[Extractor], retry_failed: bool
) -> set[Key]:
    tables = {e.table.qualified: e.table for e in extractors}
    have: set[Key] = set()
    for spec in tables.values():
        have |= known_keys(warehouse, spec)
    if not retry_failed:
        have |= known_keys(warehouse, ASSET_EXTRACTION_FAILURES)
    return have


def _chunks(items: Sequence[Path], size: int) -> Iterator[Sequence[Path]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _hash(jobs: Sequence[_FileJob]) -> None:
    """Hash in this process: reading is the cost, and a pool would start for nothing."""
    for job in jobs:
        result = hash_task(job.path)
        if isinstance(result, TaskFailure):
            job.failure = _report(job, result)
        else:
            job.content_sha256 = result


def _plan(
    job: _FileJob, extractors: Sequence[Extractor], have: set[Key], seen: dict[str, str]
) -> None:
    """Decide which extractors still need this file (none for repeated content)."""
    first = seen.setdefault(job.content_sha256, job.file_name)
    if first != job.file_name:
        log.debug("%s has the same content as %s; skipped", job.file_name, first)
        return
    job.pending = [
        e for e in extractors if (job.content_sha256, e.extractor_version, e.weights) not in have
    ]


@dataclass
class _Decoding:
    """Decoding started for the files of a batch that share one set of decode options."""

    members: list[Extractor]
    todo: list[_FileJob]
    results: Callable[[], list[DecodedMedia | TaskFailure]]


def _start_decoding(runner: TaskRunner, jobs: Sequence[_FileJob]) -> list[_Decoding]:
    """Start decoding a batch, once per set of decode options its pending extractors use.

    With worker processes this returns at once, so the next batch decodes while the
    models work on the current one.
    """
    groups: dict[DecodeOptions, list[Extractor]] = {}
    for job in jobs:
        for extractor in job.pending:
            members = groups.setdefault(extractor.decode_options, [])
            if extractor not in members:
                members.append(extractor)
    started: list[_Decoding] = []
    for options, members in groups.items():
        todo = [j for j in jobs if any(e in members for e in j.pending)]
        items = [(j.path, j.content_sha256, j.file_name, options) for j in todo]
        started.append(_Decoding(members, todo, runner.start(decode_task, items, "decode")))
    return started


def _finish_batch(
    warehouse: Warehouse,
    jobs: list[_FileJob],
    decoding: list[_Decoding],
    batch_id: str,
    summary: ExtractSummary,
    bar: tqdm[Any],
) -> None:
    """Extract and write a batch whose decoding was started, then count its files."""
    summary.rows_written += _run_batch(warehouse, decoding, batch_id, summary)
    for job in jobs:
        if job.other_shard:
            summary.other_shards += 1
        elif job.failure is not None:
            summary.failed += 1
            summary.failures.append(job.failure)
        elif job.pending:
            summary.done += 1
        else:
            summary.skipped += 1
    bar.update(len(jobs))
    bar.set_postfix(done=summary.done, skipped=summary.skipped, failed=summary.failed)


def _run_batch(
    warehouse: Warehouse,
    decoding: Sequence[_Decoding],
    batch_id: str,
    summary: ExtractSummary,
) -> int:
    """Wait for a batch's decoding, extract and write it; returns the feature rows written.

    Adds the time spent waiting on decoding, the model seconds and the media decoded
    to ``summary``.
    """
    tables: dict[str, list[pa.Table]] = {}
    specs: dict[str, TableSpec] = {}
    failures: list[FailureRecord] = []
    counted: set[str] = set()
    for group in decoding:
        members, todo = group.members, group.todo
        started = time.perf_counter()
        decoded = group.results()
        summary.decode_seconds += time.perf_counter() - started
        media_of: dict[str, DecodedMedia] = {}
        for job, result in zip(todo, decoded, strict=True):
            if isinstance(result, TaskFailure):
                job.failure = _report(job, result)
                if result.persistent:
                    failures += [_record(job, e, result) for e in job.pending if e in members]
            else:
                media_of[job.file_name] = result
                if job.file_name in counted:
                    continue
                counted.add(job.file_name)
                if result.media_type == "video":
                    summary.video_seconds += result.duration_s or 0.0
                else:
                    summary.images += 1
        extracted_at = datetime.now(UTC)
        for extractor in members:
            batch_jobs = [j for j in todo if j.file_name in media_of and extractor in j.pending]
            batch = [media_of[j.file_name] for j in batch_jobs]
            started = time.perf_counter()
            ok, features, errors = _extract(extractor, batch)
            label = extractor.extractor_version
            summary.model_seconds[label] = (
                summary.model_seconds.get(label, 0.0) + time.perf_counter() - started
            )
            for item, failure in errors:
                job = next(j for j in batch_jobs if j.file_name == item.file_name)
                job.failure = _report(job, failure)
                if failure.persistent:
                    failures.append(_record(job, extractor, failure))
            if ok:
                stamp = LoadStamp(datetime.now(UTC), batch_id)
                table = feature_table(extractor, ok, features, extracted_at, stamp)
                tables.setdefault(extractor.table.qualified, []).append(table)
                specs[extractor.table.qualified] = extractor.table

    written = 0
    for name, parts in tables.items():
        written += warehouse.upsert(specs[name], pa.concat_tables(parts))
    if failures:
        warehouse.upsert(
            ASSET_EXTRACTION_FAILURES,
            failure_table(failures, LoadStamp(datetime.now(UTC), batch_id)),
        )
    return written


def _extract(
    extractor: Extractor, batch: list[DecodedMedia]
) -> tuple[list[DecodedMedia], dict[str, list[Any]], list[tuple[DecodedMedia, TaskFailure]]]:
    """Run an extractor on a batch; if the batch fails, item by item to isolate the culprit.

    Returns the media that succeeded, their feature columns, and the failures.
    """
    if not batch:
        return [], {}, []
    try:
        features = extractor.extract(batch)
    except ExtractorContractError:
        raise
    except Exception as error:
        if len(batch) == 1:
            return [], {}, [(batch[0], _extract_failure(error))]
        log.debug("%s failed on a batch (%s); retrying file by file", extractor.name, error)
        ok: list[DecodedMedia] = []
        merged: dict[str, list[Any]] = {name: [] for name in extractor.columns}
        errors: list[tuple[DecodedMedia, TaskFailure]] = []
        for item in batch:
            item_ok, item_features, item_errors = _extract(extractor, [item])
            ok += item_ok
            errors += item_errors
            for name, values in item_features.items():
                merged[name] += values
        return ok, merged, errors
    check_output(extractor, features, len(batch))
    return batch, {name: list(values) for name, values in features.items()}, []


def _extract_failure(error: Exception) -> TaskFailure:
    """A content problem (``MediaError``) is recorded; anything else is retried next run."""
    return TaskFailure(
        "extract", type(error).__name__, str(error) or repr(error), isinstance(error, MediaError)
    )


def _report(job: _FileJob, failure: TaskFailure) -> FileFailure:
    log.warning(
        "%s: %s failed: %s: %s", job.file_name, failure.stage, failure.error_type, failure.reason
    )
    if job.failure is not None:
        return job.failure
    return FileFailure(job.file_name, failure.stage, f"{failure.error_type}: {failure.reason}")


def _record(job: _FileJob, extractor: Extractor, failure: TaskFailure) -> FailureRecord:
    return FailureRecord(
        content_sha256=job.content_sha256,
        extractor_version=extractor.extractor_version,
        weights=extractor.weights,
        media_type=media_type_of(job.path),
        file_name=job.file_name,
        stage=failure.stage,
        error_type=failure.error_type,
        reason=failure.reason,
        failed_at=datetime.now(UTC),
    )
