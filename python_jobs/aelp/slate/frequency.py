"""Frequency caps: how many impressions an ad can take tomorrow before people see it too often.

For a fixed audience, the day's frequency (impressions per person reached) grows with the
day's impressions. We model the excess over 1 as growing with the square root of daily
impressions, ``f(I) = 1 + c·√I``, and estimate ``c`` per ad from its recent average
daily impressions and frequency. The cap ``F`` then bounds tomorrow's impressions at
``((F − 1) / c)²``; an ad already at or above ``F`` keeps at most its recent daily volume.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def frequency_slope(
    impressions: npt.ArrayLike, reach: npt.ArrayLike, days: npt.ArrayLike
) -> FloatArray:
    """``c`` in f = 1 + c·√I from window sums of impressions and daily reach over ``days``.

    NaN where the ad has no delivery to learn from (then no cap applies).
    """
    imps = np.asarray(impressions, dtype=np.float64)
    people = np.asarray(reach, dtype=np.float64)
    n_days = np.asarray(days, dtype=np.float64)
    out = np.full(len(imps), np.nan)
    ok = (imps > 0) & (people > 0) & (n_days > 0)
    daily = imps[ok] / n_days[ok]
    freq = np.maximum(imps[ok] / people[ok], 1.0)
    out[ok] = (freq - 1.0) / np.sqrt(daily)
    return out


def planned_frequency(slope: npt.ArrayLike, impressions: npt.ArrayLike) -> FloatArray:
    """Expected frequency at ``impressions`` a day (NaN where the slope is unknown)."""
    c = np.asarray(slope, dtype=np.float64)
    imps = np.clip(np.asarray(impressions, dtype=np.float64), 0, None)
    return np.asarray(1.0 + c * np.sqrt(imps), dtype=np.float64)


def max_impressions(
    slope: npt.ArrayLike,
    impressions: npt.ArrayLike,
    days: npt.ArrayLike,
    cap: float,
) -> FloatArray:
    """Most daily impressions at which the expected frequency stays at or under ``cap``.

    Infinite where the slope is unknown or zero. An ad whose recent frequency already
    exceeds the cap keeps its recent average daily impressions (no scale-up).
    """
    if cap <= 1:
        raise ValueError(f"a frequency cap must exceed 1, got {cap}")
    c = np.asarray(slope, dtype=np.float64)
    recent = np.asarray(impressions, dtype=np.float64) / np.maximum(
        np.asarray(days, dtype=np.float64), 1.0
    )
    out = np.full(len(c), np.inf)
    known = np.isfinite(c) & (c > 0)
    out[known] = np.maximum(((cap - 1.0) / c[known]) ** 2, 0.0)
    over = known & (planned_frequency(c, recent) > cap)
    out[over] = recent[over]
    return out
