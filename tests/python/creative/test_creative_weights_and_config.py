"""Weights settings resolve to recorded labels; the dbt vars configure the extractors."""

from __future__ import annotations

from pathlib import Path

import pytest

from aelp.config import read_project
from aelp.creative.config import (
    ExtractionConfig,
    ExtractionConfigError,
    config_from_vars,
    parse_extractors,
)
from aelp.creative.hashing import file_sha256
from aelp.creative.weights import WeightsError, resolve_weights

REPO = Path(__file__).resolve().parents[3]


def test_weights_settings_resolve_to_random_init_a_tag_or_a_checkpoint_hash(
    tmp_path: Path,
) -> None:
    assert resolve_weights("random-init").label == "random-init"
    tag = resolve_weights("laion2b_s34b_b79k")
    assert (tag.kind, tag.label) == ("pretrained", "laion2b_s34b_b79k")
    checkpoint = tmp_path / "models" / "detector.pt"
    checkpoint.parent.mkdir()
    checkpoint.write_bytes(b"not really weights")
    resolved = resolve_weights("models/detector.pt", base_dir=tmp_path)
    assert resolved.kind == "checkpoint"
    assert resolved.label == f"sha256:{file_sha256(checkpoint)}"
    with pytest.raises(WeightsError, match="does not exist"):
        resolve_weights("models/other.pt", base_dir=tmp_path)
    with pytest.raises(WeightsError):
        resolve_weights("  ")


def test_the_project_vars_name_prompts_classes_models_and_weights() -> None:
    variables = read_project(REPO)["vars"]
    config = config_from_vars(variables)
    assert config.extractors == ("file_stats", "clip", "yolo")
    assert (config.clip_model, config.clip_weights) == ("ViT-S-32", "random-init")
    assert (config.yolo_model, config.yolo_weights) == ("yolov8n", "random-init")
    assert config.clip_prompts[0] == ("person", "a photo of a person")
    assert ("phone", "cell phone") in config.yolo_classes
    assert config.model_decode.sample_fps == 1.0


def test_overrides_replace_only_what_is_given_and_unknown_extractors_fail() -> None:
    config = ExtractionConfig().with_overrides(clip_weights="openai", yolo_model=None)
    assert (config.clip_weights, config.yolo_model) == ("openai", "yolov8n")
    assert parse_extractors("file_stats, clip") == ("file_stats", "clip")
    with pytest.raises(ExtractionConfigError):
        ExtractionConfig(extractors=("file_stats", "sam"))
