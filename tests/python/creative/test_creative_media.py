"""Decoding gives native geometry and timing and frames on the sampling grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from creative_samples import random_bytes, square_frame, truncated_copy, write_video
from PIL import Image

from aelp.creative.media import (
    DecodeOptions,
    MediaError,
    decode_file,
    media_type_of,
    scaled_size,
)

SHA = "0" * 64


def test_video_duration_fps_and_frame_count_are_those_it_was_encoded_with(
    sample_dir: Path,
) -> None:
    media = decode_file(sample_dir / "videos" / "moving.mp4", SHA, "moving.mp4", DecodeOptions())
    assert media.media_type == "video"
    assert (media.width, media.height) == (64, 48)
    assert media.duration_s == pytest.approx(3.0)
    assert media.fps == pytest.approx(10.0)
    assert media.frame_count == 30
    assert media.frames.shape == (30, 48, 64, 3)
    np.testing.assert_allclose(media.timestamps_s, np.arange(30) / 10, atol=1e-9)


def test_a_30fps_video_sampled_at_10fps_keeps_every_third_frame(tmp_path: Path) -> None:
    path = write_video(tmp_path / "fast.mp4", [square_frame(i) for i in range(30)], fps=30)
    media = decode_file(path, SHA, "fast.mp4", DecodeOptions(sample_fps=10))
    assert media.frame_count == 30
    assert media.fps == pytest.approx(30.0)
    np.testing.assert_allclose(media.timestamps_s, np.arange(10) / 10, atol=1e-9)
    every = decode_file(path, SHA, "fast.mp4", DecodeOptions(sample_fps=None))
    assert every.frames.shape[0] == 30


def test_sampling_stops_at_max_frames(sample_dir: Path) -> None:
    path = sample_dir / "videos" / "moving.mp4"
    media = decode_file(path, SHA, "moving.mp4", DecodeOptions(max_frames=7))
    assert media.frames.shape[0] == 7
    assert media.frame_count == 30
    assert media.duration_s == pytest.approx(3.0)


def test_keyframes_only_decodes_one_frame_per_group_of_pictures(tmp_path: Path) -> None:
    path = write_video(tmp_path / "gop.mp4", [square_frame(i) for i in range(30)], gop=10)
    media = decode_file(path, SHA, "gop.mp4", DecodeOptions(keyframes_only=True))
    np.testing.assert_allclose(media.timestamps_s, [0.0, 1.0, 2.0], atol=1e-9)


def test_frames_are_shrunk_to_max_side_while_the_native_size_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "wide.jpg"
    Image.new("RGB", (400, 200), (200, 100, 50)).save(path)
    media = decode_file(path, SHA, "wide.jpg", DecodeOptions(max_side=100))
    assert (media.width, media.height, media.aspect_ratio) == (400, 200, 2.0)
    assert media.frames.shape == (1, 50, 100, 3)
    assert media.duration_s is None and media.fps is None and media.frame_count == 1
    assert scaled_size(30, 20, 100) == (30, 20)


def test_transparent_pixels_are_shown_over_white(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(path)
    media = decode_file(path, SHA, "logo.png", DecodeOptions())
    assert media.frames.min() == 255


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "portrait.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.new("RGB", (40, 20), (10, 10, 10)).save(path, exif=exif)
    media = decode_file(path, SHA, "portrait.jpg", DecodeOptions())
    assert (media.width, media.height) == (20, 40)


def test_a_phone_video_with_a_display_rotation_is_decoded_upright(tmp_path: Path) -> None:
    frame = np.zeros((32, 64, 3), dtype=np.uint8)
    frame[:, :8] = 255  # a bar down the left edge of the stored picture
    path = write_video(tmp_path / "phone.mp4", [frame] * 5, rotation=90)
    media = decode_file(path, SHA, "phone.mp4", DecodeOptions())
    assert (media.width, media.height) == (32, 64)
    assert media.frames.shape == (5, 64, 32, 3)
    # Turned a quarter counter-clockwise for display, the left edge becomes the bottom.
    assert media.frames[0, -4:].min() > 200 and media.frames[0, :52].max() < 30


def test_random_bytes_a_truncated_jpeg_and_a_truncated_mp4_raise_media_error(
    tmp_path: Path, sample_dir: Path
) -> None:
    noise = random_bytes(tmp_path / "noise.png")
    photo = tmp_path / "photo.jpg"
    Image.effect_noise((64, 64), 40).convert("RGB").save(photo)
    half_photo = truncated_copy(photo, tmp_path / "half.jpg")
    half_clip = truncated_copy(sample_dir / "videos" / "cut.mp4", tmp_path / "cut.mp4")
    for path in (noise, half_photo, half_clip):
        with pytest.raises(MediaError):
            decode_file(path, SHA, path.name, DecodeOptions())


def test_media_type_comes_from_the_suffix() -> None:
    assert media_type_of(Path("a/B.JPG")) == "image"
    assert media_type_of(Path("clip.MOV")) == "video"
    assert media_type_of(Path("brief.txt")) is None
