"""Settings of a sample world: its size, seed, dates and rendering options."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

GENERATOR_VERSION = "world-v1"
REQUESTED_ACTION_WINDOWS = "1d_click,7d_click,1d_view"
ATTRIBUTION_SETTING = "7d_click_1d_view"


@dataclass(frozen=True)
class WorldConfig:
    """Everything that defines a sample world; the same config always gives the same world.

    ``render`` decides whether creative files (PNG / MP4) are drawn and encoded; a world
    without them is what benchmarks use. The numbers of ads and days are targets: every ad
    exists, but days on which an ad got no impressions have no insights row, as on Meta.
    """

    seed: int = 7
    n_ads: int = 300
    n_days: int = 90
    n_accounts: int = 1
    start_date: datetime.date = datetime.date(2026, 1, 1)
    render: bool = True
    image_size: int = 112
    video_size: int = 96
    video_fps: int = 10
    video_seconds: tuple[float, float] = (2.0, 4.0)
    video_share: float = 0.35
    mean_ads_per_adset: float = 6.0
    mean_adsets_per_campaign: float = 4.0
    creative_reuse_share: float = 0.2
    media_reuse_share: float = 0.12
    adsets_per_block: int = 256
    holdout_concepts: int = 0
    holdout_days: int = 7

    def __post_init__(self) -> None:
        if self.n_ads < 1 or self.n_days < 1 or self.n_accounts < 1:
            raise ValueError("n_ads, n_days and n_accounts must be at least 1")
        if self.n_accounts > self.n_ads:
            raise ValueError("every account needs at least one ad: n_accounts <= n_ads")
        if self.image_size % 2 or self.video_size % 2 or self.image_size < 32:
            raise ValueError("image_size and video_size must be even and at least 32")
        if not 0.0 <= self.video_share <= 1.0:
            raise ValueError("video_share must lie in [0, 1]")
        if self.holdout_concepts < 0:
            raise ValueError("holdout_concepts must be at least 0")
        if self.holdout_concepts and not 1 <= self.holdout_days < self.n_days:
            raise ValueError("held-out concepts need 1 <= holdout_days < n_days")

    @property
    def batch_id(self) -> str:
        """The loader batch id every raw row carries."""
        return f"world-seed{self.seed}"

    @property
    def end_date(self) -> datetime.date:
        """The last account-local day of the world."""
        return self.start_date + datetime.timedelta(days=self.n_days - 1)

    @property
    def loaded_at(self) -> datetime.datetime:
        """Deterministic load time: 06:00 UTC on the day after the last world day."""
        day = self.start_date + datetime.timedelta(days=self.n_days)
        return datetime.datetime(day.year, day.month, day.day, 6, tzinfo=datetime.UTC)

    @property
    def concepts_launch_date(self) -> datetime.date:
        """The day held-out concepts start delivering (``holdout_days`` before the end)."""
        return self.end_date - datetime.timedelta(days=self.holdout_days - 1)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the config (hold-out settings only when concepts are held out).

        Leaving them out by default keeps ``world.json`` of every existing world unchanged.
        """
        out = dataclasses.asdict(self)
        if not self.holdout_concepts:
            out.pop("holdout_concepts")
            out.pop("holdout_days")
        out["start_date"] = self.start_date.isoformat()
        out["video_seconds"] = list(self.video_seconds)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorldConfig:
        """Inverse of :meth:`to_dict`; unknown keys are an error."""
        values = dict(data)
        if "start_date" in values:
            values["start_date"] = datetime.date.fromisoformat(values["start_date"])
        if "video_seconds" in values:
            low, high = values["video_seconds"]
            values["video_seconds"] = (float(low), float(high))
        return cls(**values)
