"""Rendered creatives decode, and their measured pixels track the attributes behind them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from aelp.world import World
from aelp.world.attributes import (
    PALETTES,
    MediaAttributes,
    creative_effects,
    draw_copy_attributes,
    draw_media_attributes,
)
from aelp.world.render import MediaSpec, encode_mp4, media_rng, render_image, render_video

SIZE = 64


def _decode(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data), mode="r") as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return np.stack(frames).astype(np.float64)


def _frame_diffs(frames: np.ndarray) -> np.ndarray:
    return np.abs(np.diff(frames.astype(np.float64), axis=0)).mean(axis=(1, 2, 3))


@pytest.fixture(scope="module")
def images() -> tuple[MediaAttributes, np.ndarray]:
    media = draw_media_attributes(np.random.default_rng(1), 160, video_share=0.0)
    pixels = np.stack(
        [render_image(MediaSpec.of(media, m), media_rng(1, m), SIZE) for m in range(len(media))]
    ).astype(np.float64)
    return media, pixels


@pytest.fixture(scope="module")
def videos() -> list[tuple[MediaSpec, list[int], np.ndarray]]:
    media = draw_media_attributes(np.random.default_rng(2), 24, video_share=1.0)
    out = []
    for m in range(len(media)):
        spec = MediaSpec.of(media, m)
        frames, cuts = render_video(spec, media_rng(2, m), SIZE, 10)
        out.append((spec, cuts, _decode(encode_mp4(frames, 10))))
    return out


def _luminance(pixels: np.ndarray) -> np.ndarray:
    return pixels @ np.array([0.299, 0.587, 0.114])


def test_world_media_files_decode_and_match_their_manifest(tiny: World, tiny_dir: Path):
    assets = tiny.tables["creative_assets"].to_pylist()
    attrs = {r["creative_id"]: r for r in tiny.creative_attributes.to_pylist()}
    cfg = tiny.config
    kinds = set()
    for row in assets:
        data = (tiny_dir / row["uri"]).read_bytes()
        assert row["fetch_status"] == "ok"
        assert row["bytes"] == len(data)
        assert row["content_sha256"] == hashlib.sha256(data).hexdigest()
        kinds.add(row["media_type"])
        if row["media_type"] == "image":
            assert row["uri"].startswith("creatives/img_") and row["uri"].endswith(".png")
            assert row["image_hash"] == hashlib.md5(data).hexdigest()
            image = Image.open(io.BytesIO(data))
            assert image.size == (cfg.image_size, cfg.image_size)
            assert image.mode == "RGB"
        else:
            assert row["uri"].startswith("creatives/vid_") and row["uri"].endswith(".mp4")
            frames = _decode(data)
            duration = attrs[row["creative_id"]]["duration_s"]
            assert frames.shape[0] == max(4, round(duration * cfg.video_fps))
            assert frames.shape[1:] == (cfg.video_size, cfg.video_size, 3)
    assert kinds == {"image", "video"}


def test_default_sized_media_stay_small(tiny_dir: Path):
    sizes = [p.stat().st_size for p in (tiny_dir / "creatives").iterdir()]
    assert max(sizes) < 40_000
    assert sum(sizes) / len(sizes) < 15_000


def test_mean_luminance_tracks_the_brightness_attribute(images):
    media, pixels = images
    mean_luma = _luminance(pixels).mean(axis=(1, 2))
    assert np.corrcoef(mean_luma, media.brightness)[0, 1] > 0.65


def test_warm_palettes_are_redder_than_cool_ones(images):
    media, pixels = images
    red_minus_blue = (pixels[..., 0] - pixels[..., 2]).mean(axis=(1, 2))
    warm = red_minus_blue[media.palette == PALETTES.index("warm")].mean()
    cool = red_minus_blue[media.palette == PALETTES.index("cool")].mean()
    assert warm > 40 and cool < -30


def test_person_figures_add_skin_toned_pixels(images):
    media, pixels = images
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    spread = pixels.max(axis=-1) - pixels.min(axis=-1)
    skin = ((r > g) & (g > b) & (r - b > 30) & (spread < 170)).mean(axis=(1, 2))
    calm = np.isin(media.palette, [PALETTES.index("cool"), PALETTES.index("neutral")])
    with_person = skin[calm & media.has_person].mean()
    without = skin[calm & ~media.has_person].mean()
    assert with_person > 0.015
    assert with_person > 5 * without


def test_text_overlays_add_light_boxes_line_by_line(images):
    media, pixels = images
    spread = pixels.max(axis=-1) - pixels.min(axis=-1)
    light = ((pixels.min(axis=-1) > 190) & (spread < 25)).mean(axis=(1, 2))
    by_lines = [light[media.text_lines == k].mean() for k in range(5)]
    assert by_lines == sorted(by_lines)
    assert by_lines[4] > by_lines[0] + 0.12


def test_no_single_pixel_reveals_the_creative_effect(images):
    media, pixels = images
    effect = creative_effects(media, draw_copy_attributes(np.random.default_rng(3), len(media)))
    flat = _luminance(pixels).reshape(len(media), -1)
    flat = (flat - flat.mean(axis=0)) / (flat.std(axis=0) + 1e-9)
    target = (effect.ctr_visual - effect.ctr_visual.mean()) / effect.ctr_visual.std()
    per_pixel = np.abs(flat.T @ target) / len(target)
    assert per_pixel.max() < 0.5


def test_videos_with_cuts_spike_in_frame_difference_at_each_cut(videos):
    with_cuts = 0
    for _spec, cuts, frames in videos:
        diffs = _frame_diffs(frames)
        at_cut = np.zeros(len(diffs), dtype=bool)
        at_cut[[c - 1 for c in cuts]] = True
        if cuts:
            with_cuts += 1
            assert diffs[at_cut].min() > 2.5 * diffs[~at_cut].max()
        else:
            assert diffs.max() < 3.0 * np.median(diffs) + 1.0
    assert 6 <= with_cuts < len(videos)


def test_frame_differences_grow_with_the_motion_attribute(videos):
    motion, energy = [], []
    for spec, cuts, frames in videos:
        diffs = _frame_diffs(frames)
        keep = np.ones(len(diffs), dtype=bool)
        keep[[c - 1 for c in cuts]] = False
        motion.append(spec.motion)
        energy.append(diffs[keep].mean())
    assert np.corrcoef(motion, energy)[0, 1] > 0.4


def test_rendering_is_reproducible_and_seed_dependent():
    media = draw_media_attributes(np.random.default_rng(4), 3, video_share=1.0)
    spec = MediaSpec.of(media, 0)
    a, cuts_a = render_video(spec, media_rng(9, 0), SIZE, 10)
    b, cuts_b = render_video(spec, media_rng(9, 0), SIZE, 10)
    c, _ = render_video(spec, media_rng(10, 0), SIZE, 10)
    assert encode_mp4(a, 10) == encode_mp4(b, 10)
    assert cuts_a == cuts_b
    assert not np.array_equal(a, c)
