"""Hit-rate metrics of probability forecasts: Brier score and skill, reliability, top-k.

The same definitions as ``rpt_concept_hit_rate`` (dbt), kept here for the benchmark and for
tests on hand-made outcomes. A hit is 1, a miss 0; forecasts are probabilities of a hit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DEFAULT_BINS = 10


def _arrays(
    p: npt.ArrayLike, hit: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    q = np.asarray(p, dtype=np.float64)
    y = np.asarray(hit, dtype=np.float64)
    if q.shape != y.shape or q.size == 0:
        raise ValueError("forecasts and outcomes must be non-empty and of one length")
    return q, y


def brier_score(p: npt.ArrayLike, hit: npt.ArrayLike) -> float:
    """Mean squared difference between the forecast probability and the 0/1 outcome."""
    q, y = _arrays(p, hit)
    return float(np.mean((q - y) ** 2))


def brier_skill_score(
    p: npt.ArrayLike, hit: npt.ArrayLike, base_rate: float | None = None
) -> float:
    """``1 − Brier / Brier(base rate)``: above 0 beats forecasting the base rate for everyone.

    ``base_rate`` defaults to the outcomes' own hit rate (the climatology forecast).
    """
    q, y = _arrays(p, hit)
    rate = float(y.mean()) if base_rate is None else base_rate
    reference = float(np.mean((rate - y) ** 2))
    if reference == 0.0:
        return float("nan")
    return 1.0 - brier_score(q, y) / reference


def reliability_bin(p: npt.ArrayLike, bins: int = DEFAULT_BINS) -> npt.NDArray[np.int64]:
    """Equal-width bin of each probability: ``floor(p · bins)``, with p = 1 in the last bin."""
    q = np.asarray(p, dtype=np.float64)
    return np.minimum(np.floor(q * bins), bins - 1).astype(np.int64)


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram."""

    bin: int
    count: int
    mean_forecast: float
    hit_rate: float


def reliability(
    p: npt.ArrayLike, hit: npt.ArrayLike, bins: int = DEFAULT_BINS
) -> list[ReliabilityBin]:
    """Mean forecast and observed hit rate of each non-empty equal-width bin."""
    q, y = _arrays(p, hit)
    index = reliability_bin(q, bins)
    out = []
    for b in np.unique(index):
        inside = index == b
        out.append(
            ReliabilityBin(
                int(b), int(inside.sum()), float(q[inside].mean()), float(y[inside].mean())
            )
        )
    return out


def expected_calibration_error(
    p: npt.ArrayLike, hit: npt.ArrayLike, bins: int = DEFAULT_BINS
) -> float:
    """Count-weighted mean of |mean forecast − hit rate| over equal-width bins."""
    q, y = _arrays(p, hit)
    return float(
        sum(b.count * abs(b.mean_forecast - b.hit_rate) for b in reliability(q, y, bins)) / q.size
    )


def top_k_precision(p: npt.ArrayLike, hit: npt.ArrayLike, k: int) -> float:
    """Hit rate among the ``k`` highest forecasts (ties broken by position)."""
    q, y = _arrays(p, hit)
    if not 1 <= k <= q.size:
        raise ValueError(f"k must lie in [1, {q.size}]")
    order = np.argsort(-q, kind="stable")
    return float(y[order[:k]].mean())


def top_quartile_lift(p: npt.ArrayLike, hit: npt.ArrayLike) -> float:
    """Hit rate of the top quarter of forecasts divided by the overall hit rate."""
    q, y = _arrays(p, hit)
    rate = float(y.mean())
    if rate == 0.0:
        return float("nan")
    return top_k_precision(q, y, max(1, int(np.ceil(q.size / 4)))) / rate


@dataclass(frozen=True)
class HitRateSummary:
    """The headline figures of a set of resolved forecasts."""

    concepts: int
    hit_rate: float
    mean_forecast: float
    brier: float
    brier_skill: float
    ece: float
    top_quartile_hit_rate: float
    top_quartile_lift: float

    def as_dict(self) -> dict[str, float]:
        """A JSON-ready dict."""
        return {name: float(getattr(self, name)) for name in self.__dataclass_fields__}


def summarise(p: npt.ArrayLike, hit: npt.ArrayLike, bins: int = DEFAULT_BINS) -> HitRateSummary:
    """Every headline metric of forecasts ``p`` against outcomes ``hit``."""
    q, y = _arrays(p, hit)
    k = max(1, int(np.ceil(q.size / 4)))
    return HitRateSummary(
        concepts=int(q.size),
        hit_rate=float(y.mean()),
        mean_forecast=float(q.mean()),
        brier=brier_score(q, y),
        brier_skill=brier_skill_score(q, y),
        ece=expected_calibration_error(q, y, bins),
        top_quartile_hit_rate=top_k_precision(q, y, k),
        top_quartile_lift=top_quartile_lift(q, y),
    )
