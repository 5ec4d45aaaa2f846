"""Arrow rows for the creative tables: pure functions from results to tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from aelp.creative.extractors.base import Extractor
from aelp.creative.media import DecodedMedia, MediaType
from aelp.creative.tables import ASSET_EXTRACTION_FAILURES
from aelp.schemas import TableSpec


@dataclass(frozen=True)
class LoadStamp:
    """The load metadata every row of one write carries."""

    loaded_at: datetime
    batch_id: str


def media_columns(media: DecodedMedia) -> dict[str, Any]:
    """Geometry and timing of a decoded file, as the feature tables name them."""
    return {
        "media_type": media.media_type,
        "file_name": media.file_name,
        "width": media.width,
        "height": media.height,
        "aspect_ratio": media.aspect_ratio,
        "duration_s": media.duration_s,
        "fps": media.fps,
        "frame_count": media.frame_count,
    }


def feature_table(
    extractor: Extractor,
    batch: Sequence[DecodedMedia],
    features: Mapping[str, Sequence[Any]],
    extracted_at: datetime,
    stamp: LoadStamp,
) -> pa.Table:
    """The rows ``extractor`` produced for ``batch``, in its table's exact schema.

    Columns of the table that neither the media nor the extractor provide are null.
    """
    rows: list[dict[str, Any]] = []
    for i, media in enumerate(batch):
        row: dict[str, Any] = {
            "content_sha256": media.content_sha256,
            "extractor_version": extractor.extractor_version,
            "weights": extractor.weights,
            **media_columns(media),
            **{name: values[i] for name, values in features.items()},
            "extracted_at": extracted_at,
            "_loaded_at": stamp.loaded_at,
            "_batch_id": stamp.batch_id,
        }
        rows.append(row)
    return _table(extractor.table, rows)


@dataclass(frozen=True)
class FailureRecord:
    """One file an extractor could not process, as written to the failures table."""

    content_sha256: str
    extractor_version: str
    weights: str
    media_type: MediaType | None
    file_name: str
    stage: str
    error_type: str
    reason: str
    failed_at: datetime


def failure_table(failures: Sequence[FailureRecord], stamp: LoadStamp) -> pa.Table:
    """Failure records in the exact schema of ``ASSET_EXTRACTION_FAILURES``."""
    rows = [
        {
            "content_sha256": f.content_sha256,
            "extractor_version": f.extractor_version,
            "weights": f.weights,
            "media_type": f.media_type,
            "file_name": f.file_name,
            "stage": f.stage,
            "error_type": f.error_type,
            "reason": f.reason,
            "failed_at": f.failed_at,
            "_loaded_at": stamp.loaded_at,
            "_batch_id": stamp.batch_id,
        }
        for f in failures
    ]
    return _table(ASSET_EXTRACTION_FAILURES, rows)


def _table(spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    arrays = [
        pa.array([row.get(field.name) for row in rows], type=field.type) for field in spec.schema
    ]
    return pa.Table.from_arrays(arrays, schema=spec.schema)
