"""The extraction configuration: which extractors run, with which models and weights.

Defaults come from the ``creative_*`` vars in ``dbt_project.yml`` (the same prompt and
class names dbt pivots into feature columns); command-line options override them.
Model libraries are imported only when a model extractor is built, after the offline
switches are set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aelp.creative.extractors.base import Extractor
from aelp.creative.extractors.file_stats import FileStatsExtractor
from aelp.creative.media import DecodeOptions
from aelp.creative.runtime import DeviceChoice, configure_offline
from aelp.errors import AelpError

EXTRACTOR_NAMES = ("file_stats", "clip", "yolo")


class ExtractionConfigError(AelpError, ValueError):
    """The creative extraction configuration is invalid."""


@dataclass(frozen=True)
class ExtractionConfig:
    """Everything that picks and parameterises the extractors of one run."""

    extractors: tuple[str, ...] = EXTRACTOR_NAMES
    clip_model: str = "ViT-S-32"
    clip_weights: str = "random-init"
    clip_prompts: tuple[tuple[str, str], ...] = ()
    yolo_model: str = "yolov8n"
    yolo_weights: str = "random-init"
    yolo_classes: tuple[tuple[str, str], ...] = ()
    yolo_person_classes: tuple[str, ...] = ("person",)
    yolo_imgsz: int = 640
    yolo_conf: float = 0.25
    model_sample_fps: float = 1.0
    model_max_frames: int = 8
    model_max_side: int = 640
    offline: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.extractors) - set(EXTRACTOR_NAMES)
        if unknown:
            raise ExtractionConfigError(
                f"unknown extractors {sorted(unknown)}; choose from {EXTRACTOR_NAMES}"
            )

    @property
    def model_decode(self) -> DecodeOptions:
        """Frames CLIP and YOLO see (shared, so each file is decoded once for both)."""
        return DecodeOptions(
            sample_fps=self.model_sample_fps,
            max_frames=self.model_max_frames,
            max_side=self.model_max_side,
        )

    def with_overrides(self, **overrides: Any) -> ExtractionConfig:
        """A copy with the non-``None`` overrides applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _pairs(value: Any, var: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ExtractionConfigError(f"dbt var {var} must map column names to texts")
    return tuple((str(k), str(v)) for k, v in value.items())


def config_from_vars(variables: Mapping[str, Any]) -> ExtractionConfig:
    """The configuration the ``creative_*`` dbt vars describe (defaults where absent)."""
    base = ExtractionConfig()

    def var(name: str, default: Any) -> Any:
        value = variables.get(f"creative_{name}")
        return default if value is None else value

    extractors = var("extractors", list(base.extractors))
    return ExtractionConfig(
        extractors=tuple(str(e) for e in extractors),
        clip_model=str(var("clip_model", base.clip_model)),
        clip_weights=str(var("clip_weights", base.clip_weights)),
        clip_prompts=_pairs(variables.get("creative_clip_prompts"), "creative_clip_prompts"),
        yolo_model=str(var("yolo_model", base.yolo_model)),
        yolo_weights=str(var("yolo_weights", base.yolo_weights)),
        yolo_classes=_pairs(variables.get("creative_yolo_classes"), "creative_yolo_classes"),
        yolo_person_classes=tuple(var("yolo_person_classes", list(base.yolo_person_classes))),
        yolo_imgsz=int(var("yolo_imgsz", base.yolo_imgsz)),
        yolo_conf=float(var("yolo_conf", base.yolo_conf)),
        model_sample_fps=float(var("model_sample_fps", base.model_sample_fps)),
        model_max_frames=int(var("model_max_frames", base.model_max_frames)),
        model_max_side=int(var("model_max_side", base.model_max_side)),
        offline=bool(var("offline", base.offline)),
    )


def build_extractors(
    config: ExtractionConfig,
    *,
    device: DeviceChoice = "auto",
    batch_frames: int = 32,
    threads: int | None = None,
    project_dir: Path,
) -> list[Extractor]:
    """The configured extractors, models built (offline switches set first).

    Relative checkpoint paths are read from ``project_dir``; ultralytics keeps its
    settings in ``<project_dir>/.ultralytics``.
    """
    chosen: list[Extractor] = []
    if "file_stats" in config.extractors:
        chosen.append(FileStatsExtractor())
    if {"clip", "yolo"} & set(config.extractors):
        configure_offline(config.offline, project_dir / ".ultralytics")
    if "clip" in config.extractors:
        from aelp.creative.extractors.clip import DEFAULT_PROMPTS, ClipExtractor, ClipSettings

        clip = ClipSettings(
            model=config.clip_model,
            weights=config.clip_weights,
            prompts=config.clip_prompts or DEFAULT_PROMPTS,
            decode=config.model_decode,
        )
        chosen.append(
            ClipExtractor(
                clip,
                device=device,
                batch_frames=batch_frames,
                threads=threads,
                base_dir=project_dir,
            )
        )
    if "yolo" in config.extractors:
        from aelp.creative.extractors.yolo import DEFAULT_CLASSES, YoloExtractor, YoloSettings

        yolo = YoloSettings(
            model=config.yolo_model,
            weights=config.yolo_weights,
            classes=config.yolo_classes or DEFAULT_CLASSES,
            person_classes=config.yolo_person_classes,
            imgsz=config.yolo_imgsz,
            conf=config.yolo_conf,
            decode=config.model_decode,
        )
        chosen.append(
            YoloExtractor(
                yolo,
                device=device,
                batch_frames=batch_frames,
                threads=threads,
                base_dir=project_dir,
            )
        )
    return chosen


def parse_extractors(text: str | None) -> tuple[str, ...] | None:
    """``"file_stats,clip"`` as a tuple of names (``None`` stays ``None``)."""
    if text is None:
        return None
    names: Sequence[str] = [p.strip() for p in text.split(",") if p.strip()]
    return tuple(names)


def configured_extractors(
    variables: Mapping[str, Any],
    project_dir: Path,
    *,
    device: DeviceChoice = "auto",
    batch_frames: int = 32,
    threads: int | None = None,
    **overrides: Any,
) -> list[Extractor]:
    """The extractors the ``creative_*`` dbt vars describe, with non-``None`` overrides.

    A model that cannot be built (a missing checkpoint, a pretrained tag offline, a CUDA
    device asked for and absent) raises an :class:`ExtractionConfigError` or a
    :class:`~aelp.creative.weights.WeightsError` naming it: nothing falls back silently.
    """
    config = config_from_vars(variables).with_overrides(**overrides)
    try:
        return build_extractors(
            config, device=device, batch_frames=batch_frames, threads=threads,
            project_dir=project_dir,
        )  # fmt: skip
    except AelpError:
        raise
    except RuntimeError as error:
        raise ExtractionConfigError(f"cannot build the extractors: {error}") from error
