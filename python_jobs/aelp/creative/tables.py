"""Tables the creative extraction writes besides ``raw_creative.asset_features``."""

from __future__ import annotations

import pyarrow as pa

from aelp.schemas import ASSET_FEATURES, TableSpec

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

_KEY_FIELDS = [
    pa.field("content_sha256", pa.string(), nullable=False),
    pa.field("extractor_version", pa.string(), nullable=False),
    pa.field("weights", pa.string(), nullable=False),
    pa.field("media_type", pa.string(), nullable=False),
    pa.field("file_name", pa.string()),
    pa.field("model_name", pa.string(), nullable=False),
    pa.field("device", pa.string(), nullable=False),
    pa.field("frames_used", pa.int64(), nullable=False),
]

_STAMP_FIELDS = [
    pa.field("extracted_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("_loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("_batch_id", pa.string(), nullable=False),
]

PROMPT_SIMILARITY = pa.struct(
    [
        pa.field("name", pa.string(), nullable=False),
        pa.field("prompt", pa.string(), nullable=False),
        pa.field("similarity", pa.float64()),
    ]
)
"""One zero-shot prompt: its column name, its text and the cosine similarity to it."""

ASSET_EMBEDDINGS = TableSpec(
    "raw_creative",
    "asset_embeddings",
    pa.schema(
        [
            *_KEY_FIELDS,
            pa.field("embedding_dim", pa.int64(), nullable=False),
            pa.field("embedding", pa.list_(pa.float64()), nullable=False),
            pa.field("first_frame_embedding", pa.list_(pa.float64()), nullable=False),
            pa.field("prompt_similarities", pa.list_(PROMPT_SIMILARITY), nullable=False),
            *_STAMP_FIELDS,
        ]
    ),
    key=("content_sha256", "extractor_version", "weights"),
    description=(
        "CLIP image embeddings per media file (L2-normalised; for videos the normalised mean "
        "over sampled frames, plus the first frame's) and cosine similarities to the "
        "configured zero-shot prompts. weights is a pretrained tag, sha256:<checkpoint "
        "hash> or random-init."
    ),
)

OBJECT_DETECTION = pa.struct(
    [
        pa.field("name", pa.string(), nullable=False),
        pa.field("class_name", pa.string(), nullable=False),
        pa.field("mean_count", pa.float64(), nullable=False),
        pa.field("max_count", pa.int64(), nullable=False),
        pa.field("frame_share", pa.float64(), nullable=False),
        pa.field("largest_box_share", pa.float64(), nullable=False),
    ]
)
"""One configured object class: detections per sampled frame, presence, largest box."""

ASSET_DETECTIONS = TableSpec(
    "raw_creative",
    "asset_detections",
    pa.schema(
        [
            *_KEY_FIELDS,
            pa.field("detections", pa.list_(OBJECT_DETECTION), nullable=False),
            pa.field("largest_box_share", pa.float64(), nullable=False),
            pa.field("has_person_first_second", pa.bool_()),
            *_STAMP_FIELDS,
        ]
    ),
    key=("content_sha256", "extractor_version", "weights"),
    description=(
        "YOLO object detections per media file over its sampled frames, for the configured "
        "classes: mean and max count per frame, share of frames with the class, largest "
        "box as a share of the frame; person presence in a video's first second (null for "
        "images). weights is sha256:<checkpoint hash> or random-init."
    ),
)

CREATIVE_TABLES: tuple[TableSpec, ...] = (
    ASSET_FEATURES,
    ASSET_EMBEDDINGS,
    ASSET_DETECTIONS,
    ASSET_EXTRACTION_FAILURES,
)
"""Every raw_creative table dbt reads: created empty before any extractor writes, so the
staging models build whatever subset of extractors has run."""
