"""Pixel statistics of decoded frames: pure numpy, no I/O.

Frames are ``uint8`` RGB arrays shaped ``(n, h, w, 3)``. Spatial statistics are computed
per frame and averaged over the frames; temporal statistics come from differences
between consecutive frames. Every value is on a 0–1 scale of the 8-bit channels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LUMA_WEIGHTS = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
"""Rec. 709 luma weights, applied to the gamma-encoded channels as stored."""

EDGE_THRESHOLD = 0.2
"""Sobel magnitude (normalised so a one-pixel black-to-white step is 1) that counts as an edge."""

NOISE_FLOOR = 2
"""Per-channel frame-to-frame changes below this (of 255) are decoding jitter, not motion."""

CUT_THRESHOLD = 0.06
"""Frame difference above which a change can be a hard cut (PySceneDetect's adaptive
detector uses the same floor, 15 of 255, and the same ratio)."""

CUT_RATIO = 3.0
"""A cut must also be this many times the median of the differences around it."""

CUT_WINDOW = 5
"""How many differences on each side of a candidate cut form its baseline."""


@dataclass(frozen=True)
class SpatialStats:
    """Per-frame statistics averaged over frames."""

    brightness: float
    contrast: float
    colourfulness: float
    warmth: float
    saturation: float
    edge_density: float


@dataclass(frozen=True)
class TemporalStats:
    """Motion and editing rhythm of a frame sequence."""

    motion_energy: float
    scene_cut_count: int
    scene_cut_rate: float
    time_to_first_cut_s: float | None


def unit_rgb(frames: np.ndarray) -> np.ndarray:
    """``uint8`` frames as ``float32`` in 0–1."""
    return frames.astype(np.float32) / np.float32(255.0)


def luma(rgb: np.ndarray) -> np.ndarray:
    """Luma (0–1) of 0–1 RGB frames; drops the channel axis."""
    return np.asarray(rgb @ LUMA_WEIGHTS, dtype=np.float32)


def brightness(y: np.ndarray) -> float:
    """Mean luma (0 black, 1 white)."""
    return float(y.mean())


def contrast(y: np.ndarray) -> float:
    """Standard deviation of luma within each frame, averaged (0 flat, 0.5 at most)."""
    return float(y.reshape(y.shape[0], -1).std(axis=1).mean())


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler & Süsstrunk (2003) colourfulness on 0–1 channels, averaged over frames.

    ``M = sqrt(σ_rg² + σ_yb²) + 0.3 · sqrt(μ_rg² + μ_yb²)`` with ``rg = R − G`` and
    ``yb = (R + G)/2 − B``. The paper's 0–255 scale divided by 255, so its categories
    read: not colourful 0, slightly 0.06, moderately 0.13, averagely 0.18, quite 0.23,
    highly 0.32, extremely 0.43. Grey is 0; real photos and ads rarely exceed 0.6.
    """
    n = rgb.shape[0]
    r, g, b = (rgb[..., c].reshape(n, -1) for c in range(3))
    rg = r - g
    yb = 0.5 * (r + g) - b
    spread = np.sqrt(rg.std(axis=1) ** 2 + yb.std(axis=1) ** 2)
    centre = np.sqrt(rg.mean(axis=1) ** 2 + yb.mean(axis=1) ** 2)
    return float((spread + 0.3 * centre).mean())


def warmth(rgb: np.ndarray) -> float:
    """Mean of red minus blue: −1 all blue, 0 neutral, 1 all red."""
    return float((rgb[..., 0] - rgb[..., 2]).mean())


def saturation(rgb: np.ndarray) -> float:
    """Mean HSV saturation ``(max − min) / max`` (0 for black and greys)."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    high = np.maximum(np.maximum(r, g), b)
    low = np.minimum(np.minimum(r, g), b)
    s = np.divide(high - low, high, out=np.zeros_like(high), where=high > 0)
    return float(s.mean())


def sobel_magnitude(y: np.ndarray) -> np.ndarray:
    """Sobel gradient magnitude of luma frames ``(n, h, w)``, interior pixels only.

    Normalised by 4 so a one-pixel step from 0 to 1 scores 1.
    """
    gx = (y[:, :-2, 2:] + 2 * y[:, 1:-1, 2:] + y[:, 2:, 2:]) - (
        y[:, :-2, :-2] + 2 * y[:, 1:-1, :-2] + y[:, 2:, :-2]
    )
    gy = (y[:, 2:, :-2] + 2 * y[:, 2:, 1:-1] + y[:, 2:, 2:]) - (
        y[:, :-2, :-2] + 2 * y[:, :-2, 1:-1] + y[:, :-2, 2:]
    )
    return np.asarray(np.hypot(gx, gy) / 4.0, dtype=np.float32)


def edge_density(y: np.ndarray, threshold: float = EDGE_THRESHOLD) -> float:
    """Share of pixels whose Sobel magnitude exceeds ``threshold``.

    Text overlays, logos and busy graphics score high; smooth photos and flat colour
    low, so it serves as a text-overlay proxy. Frames smaller than 3×3 score 0.
    """
    if y.shape[1] < 3 or y.shape[2] < 3:
        return 0.0
    return float((sobel_magnitude(y) > threshold).mean())


def spatial_stats(
    frames: np.ndarray, edge_threshold: float = EDGE_THRESHOLD, chunk: int = 32
) -> SpatialStats:
    """All per-frame statistics of ``uint8`` RGB frames, averaged over the frames.

    Frames are converted to floats ``chunk`` at a time to bound memory on long videos.
    """
    totals = np.zeros(6)
    for start in range(0, frames.shape[0], chunk):
        rgb = unit_rgb(frames[start : start + chunk])
        y = luma(rgb)
        values = (
            brightness(y),
            contrast(y),
            colourfulness(rgb),
            warmth(rgb),
            saturation(rgb),
            edge_density(y, edge_threshold),
        )
        totals += np.asarray(values) * rgb.shape[0]
    means = totals / frames.shape[0]
    return SpatialStats(*(float(v) for v in means))


def frame_differences(frames: np.ndarray, noise_floor: int = NOISE_FLOOR) -> np.ndarray:
    """Mean absolute change (0–1) between each frame and the next, shape ``(n − 1,)``.

    Averaged over pixels and RGB channels; per-channel changes smaller than
    ``noise_floor`` (of 255) count as zero, so re-encoded still frames score 0.
    """
    if frames.shape[0] < 2:
        return np.zeros(0)
    diffs = np.empty(frames.shape[0] - 1)
    for i in range(frames.shape[0] - 1):
        change = np.abs(frames[i + 1].astype(np.int16) - frames[i].astype(np.int16))
        change[change < noise_floor] = 0
        diffs[i] = change.mean() / 255.0
    return diffs


def scene_cuts(
    diffs: np.ndarray,
    threshold: float = CUT_THRESHOLD,
    ratio: float = CUT_RATIO,
    window: int = CUT_WINDOW,
) -> list[int]:
    """Indexes ``i`` of differences that are hard cuts (between frames ``i`` and ``i + 1``).

    A cut is a spike: above ``threshold`` and ``ratio`` times the median of up to
    ``window`` differences on each side of it, so steady fast motion is not a cut.
    """
    cuts: list[int] = []
    for i, diff in enumerate(diffs):
        if diff <= threshold:
            continue
        around = np.concatenate([diffs[max(0, i - window) : i], diffs[i + 1 : i + 1 + window]])
        baseline = float(np.median(around)) if around.size else 0.0
        if diff > ratio * baseline:
            cuts.append(i)
    return cuts


def temporal_stats(
    frames: np.ndarray,
    timestamps_s: np.ndarray,
    duration_s: float | None,
    *,
    noise_floor: int = NOISE_FLOOR,
    cut_threshold: float = CUT_THRESHOLD,
    cut_ratio: float = CUT_RATIO,
) -> TemporalStats:
    """Motion energy and hard cuts of a frame sequence sampled at ``timestamps_s``.

    ``motion_energy`` is the mean frame difference within shots: differences across a
    detected cut are left out, so it measures movement and not editing (0 for a single
    frame, and 0 when every difference is a cut). A cut is timed at the first frame
    after it. ``scene_cut_rate`` is cuts per second of the span the frames cover (the
    whole video unless sampling stopped early).
    """
    diffs = frame_differences(frames, noise_floor)
    if diffs.size == 0:
        return TemporalStats(0.0, 0, 0.0, None)
    cuts = scene_cuts(diffs, cut_threshold, cut_ratio)
    within_shots = np.delete(diffs, cuts)
    span = analysed_span_s(timestamps_s, duration_s)
    return TemporalStats(
        motion_energy=float(within_shots.mean()) if within_shots.size else 0.0,
        scene_cut_count=len(cuts),
        scene_cut_rate=len(cuts) / span if span > 0 else 0.0,
        time_to_first_cut_s=float(timestamps_s[cuts[0] + 1]) if cuts else None,
    )


def analysed_span_s(timestamps_s: np.ndarray, duration_s: float | None) -> float:
    """Seconds covered by sampled frames: last time plus one sampling step, capped at duration."""
    step = float(np.median(np.diff(timestamps_s))) if timestamps_s.size > 1 else 0.0
    span = float(timestamps_s[-1]) + step
    return min(span, duration_s) if duration_s else span
