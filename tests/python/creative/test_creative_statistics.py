"""The pixel statistics give the known values of hand-made frames."""

from __future__ import annotations

import numpy as np
import pytest

from aelp.creative import statistics as st


def _frames(*rgb_frames: np.ndarray) -> np.ndarray:
    return np.stack(rgb_frames).astype(np.uint8)


def _half_and_half(left: tuple[int, int, int], right: tuple[int, int, int]) -> np.ndarray:
    frame = np.zeros((10, 20, 3), dtype=np.uint8)
    frame[:, :10] = left
    frame[:, 10:] = right
    return frame


def test_half_black_half_white_has_brightness_half_and_contrast_half() -> None:
    stats = st.spatial_stats(_frames(_half_and_half((0, 0, 0), (255, 255, 255))))
    assert stats.brightness == pytest.approx(0.5, abs=1e-6)
    assert stats.contrast == pytest.approx(0.5, abs=1e-6)
    assert stats.saturation == 0.0
    assert stats.colourfulness == pytest.approx(0.0, abs=1e-6)


def test_colourfulness_follows_hasler_susstrunk_on_unit_channels() -> None:
    # rg is +1 / -1 (std 1, mean 0); yb is 0.5 everywhere (std 0, mean 0.5).
    stats = st.spatial_stats(_frames(_half_and_half((255, 0, 0), (0, 255, 0))))
    assert stats.colourfulness == pytest.approx(1.0 + 0.3 * 0.5, abs=1e-6)
    assert stats.saturation == pytest.approx(1.0)


def test_warmth_is_red_minus_blue() -> None:
    red = st.spatial_stats(_frames(np.full((4, 4, 3), (255, 0, 0))))
    blue = st.spatial_stats(_frames(np.full((4, 4, 3), (0, 0, 255))))
    grey = st.spatial_stats(_frames(np.full((4, 4, 3), (128, 128, 128))))
    assert (red.warmth, blue.warmth, grey.warmth) == pytest.approx((1.0, -1.0, 0.0))


def test_a_sharp_vertical_edge_marks_only_the_pixels_beside_it() -> None:
    frame = _half_and_half((0, 0, 0), (255, 255, 255))
    y = st.luma(st.unit_rgb(frame[np.newaxis]))
    # Interior is 8 x 18; the two Sobel columns that straddle the step are edges.
    assert st.edge_density(y) == pytest.approx(2 / 18)
    assert st.edge_density(y[:, :2, :2]) == 0.0


def test_stats_of_several_frames_are_the_mean_of_each_frame() -> None:
    dark = np.full((6, 6, 3), 0, dtype=np.uint8)
    light = np.full((6, 6, 3), 255, dtype=np.uint8)
    many = np.stack([dark, light] * 40)
    assert st.spatial_stats(many, chunk=7).brightness == pytest.approx(0.5)


def test_frame_differences_ignore_compression_noise_below_the_floor() -> None:
    base = np.full((4, 4, 3), 100, dtype=np.uint8)
    noisy = base + 1
    moved = base.copy()
    moved[:2] = 200
    diffs = st.frame_differences(np.stack([base, noisy, moved]))
    assert diffs[0] == 0.0
    assert diffs[1] == pytest.approx(0.5 * 99 / 255)


def test_a_lone_spike_is_a_cut_but_steady_fast_motion_is_not() -> None:
    still_with_cut = np.array([0.0, 0.01, 0.0, 0.4, 0.0, 0.01, 0.0])
    assert st.scene_cuts(still_with_cut) == [3]
    fast_motion = np.full(20, 0.3)
    assert st.scene_cuts(fast_motion) == []
    assert st.scene_cuts(np.array([0.5])) == [0]


def test_the_cut_is_timed_at_the_first_frame_after_it_and_left_out_of_motion() -> None:
    a = np.zeros((4, 4, 3), dtype=np.uint8)
    nudged = a.copy()
    nudged[0] = 40  # a quarter of the pixels change by 40/255: motion, not a cut
    b = np.full((4, 4, 3), 255, dtype=np.uint8)
    frames = np.stack([a, nudged, a, b, b, b])
    times = np.arange(6) * 0.5
    stats = st.temporal_stats(frames, times, duration_s=3.0)
    assert stats.scene_cut_count == 1
    assert stats.time_to_first_cut_s == 1.5
    assert stats.scene_cut_rate == pytest.approx(1 / 3.0)
    assert stats.motion_energy == pytest.approx((2 * 0.25 * 40 / 255) / 4)


def test_a_single_frame_has_no_motion_and_no_cut() -> None:
    stats = st.temporal_stats(np.zeros((1, 4, 4, 3), np.uint8), np.zeros(1), None)
    assert stats == st.TemporalStats(0.0, 0, 0.0, None)
