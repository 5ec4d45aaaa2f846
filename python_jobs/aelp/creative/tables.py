"""Tables the creative extraction writes besides ``raw_creative.asset_features``."""

from __future__ import annotations

import pyarrow as pa

from aelp.schemas import TableSpec

ASSET_EXTRACTION_FAILURES = TableSpec(
    "raw_creative",
    "asset_extraction_failures",
    pa.schema(
        [
            pa.field("content_sha256", pa.string(), nullable=False),
            pa.field("extractor_version", pa.string(), nullable=False),
            pa.field("weights", pa.string(), nullable=False),
            pa.field("media_type", pa.string()),
            pa.field("file_name", pa.string(), nullable=False),
            pa.field("stage", pa.string(), nullable=False),
            pa.field("error_type", pa.string(), nullable=False),
            pa.field("reason", pa.string(), nullable=False),
            pa.field("failed_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("_loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("_batch_id", pa.string(), nullable=False),
        ]
    ),
    key=("content_sha256", "extractor_version", "weights"),
    description=(
        "Files an extractor could not process (corrupt, truncated, unsupported), keyed "
        "like asset_features. stage is 'decode' or 'extract'; media_type is what the "
        "file's suffix promised. A key here is not retried unless asked."
    ),
)
