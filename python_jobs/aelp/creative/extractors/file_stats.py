"""The file-statistics extractor: look and rhythm of a creative from its pixels alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from aelp.creative import statistics as st
from aelp.creative.extractors.base import Extractor
from aelp.creative.media import DecodedMedia, DecodeOptions


@dataclass(frozen=True)
class FileStatsSettings:
    """Everything the file statistics depend on besides the pixels."""

    decode: DecodeOptions = field(default_factory=DecodeOptions)
    edge_threshold: float = st.EDGE_THRESHOLD
    noise_floor: int = st.NOISE_FLOOR
    cut_threshold: float = st.CUT_THRESHOLD
    cut_ratio: float = st.CUT_RATIO


class FileStatsExtractor(Extractor):
    """Brightness, contrast, colour, edges, motion and cuts; no model, runs anywhere.

    Spatial statistics are averaged over the sampled frames; motion and cuts use the
    differences between consecutive sampled frames (0 and no cut for images).
    """

    name: ClassVar[str] = "file_stats"
    version: ClassVar[str] = "1.0"
    columns: ClassVar[tuple[str, ...]] = (
        "brightness",
        "contrast",
        "colourfulness",
        "warmth",
        "saturation",
        "edge_density",
        "motion_energy",
        "scene_cut_count",
        "scene_cut_rate",
        "time_to_first_cut_s",
    )

    def __init__(self, settings: FileStatsSettings | None = None) -> None:
        self.config = settings or FileStatsSettings()

    @property
    def decode_options(self) -> DecodeOptions:
        return self.config.decode

    def settings(self) -> Mapping[str, Any]:
        defaults = _flatten(asdict(FileStatsSettings()))
        current = _flatten(asdict(self.config))
        return {k: v for k, v in current.items() if defaults.get(k) != v}

    def extract(self, batch: Sequence[DecodedMedia]) -> dict[str, list[Any]]:
        output: dict[str, list[Any]] = {name: [] for name in self.columns}
        for media in batch:
            for name, value in self.features(media).items():
                output[name].append(value)
        return output

    def features(self, media: DecodedMedia) -> dict[str, Any]:
        """The feature values of one decoded file."""
        spatial = st.spatial_stats(media.frames, self.config.edge_threshold)
        temporal = st.temporal_stats(
            media.frames,
            media.timestamps_s,
            media.duration_s,
            noise_floor=self.config.noise_floor,
            cut_threshold=self.config.cut_threshold,
            cut_ratio=self.config.cut_ratio,
        )
        return {**asdict(spatial), **asdict(temporal)}


def _flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
