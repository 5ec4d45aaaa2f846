"""Tiny images and videos made on the spot, with known content."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 64, 48
FPS = 10


def write_video(
    path: Path,
    frames: Sequence[np.ndarray],
    fps: int = FPS,
    gop: int | None = None,
    rotation: int = 0,
) -> Path:
    """Encode RGB frames as an H.264 MP4 (``rotation``: display matrix, degrees CCW)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        height, width = frames[0].shape[:2]
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "18"}
        if rotation:
            stream.set_display_rotation(rotation)
        if gop is not None:
            stream.codec_context.gop_size = gop
            stream.options = {"crf": "18", "sc_threshold": "0"}
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def square_frame(
    x: int,
    background: tuple[int, int, int] = (30, 30, 30),
    square: tuple[int, int, int] = (240, 240, 240),
) -> np.ndarray:
    """A flat frame with a 16-pixel square whose left edge is at ``x``."""
    frame = np.full((HEIGHT, WIDTH, 3), background, dtype=np.uint8)
    frame[16:32, x : x + 16] = square
    return frame


def static_clip(path: Path, seconds: int = 3) -> Path:
    """A square that never moves."""
    return write_video(path, [square_frame(10)] * (seconds * FPS))


def moving_clip(path: Path, seconds: int = 3) -> Path:
    """A square sliding right one pixel per frame."""
    return write_video(path, [square_frame(2 + i) for i in range(seconds * FPS)])


def cut_clip(path: Path, cut_frame: int = 15, frames: int = 30) -> Path:
    """A still shot, then at ``cut_frame`` a hard cut to a different still shot."""
    first = square_frame(10)
    second = square_frame(40, background=(20, 60, 200), square=(250, 200, 0))
    return write_video(path, [first] * cut_frame + [second] * (frames - cut_frame))


def flat_image(path: Path, rgb: tuple[int, int, int], size: tuple[int, int] = (80, 60)) -> Path:
    """One colour everywhere."""
    Image.new("RGB", size, rgb).save(path)
    return path


def stripes_image(path: Path, colours: Sequence[tuple[int, int, int]]) -> Path:
    """Vertical 8-pixel stripes cycling through ``colours``."""
    image = Image.new("RGB", (80, 60))
    draw = ImageDraw.Draw(image)
    for i in range(10):
        draw.rectangle([i * 8, 0, i * 8 + 7, 59], fill=colours[i % len(colours)])
    image.save(path)
    return path


def text_image(path: Path) -> Path:
    """Dark text lines over a light background: an ad with a heavy text overlay."""
    image = Image.new("RGB", (160, 120), (235, 235, 235))
    draw = ImageDraw.Draw(image)
    for row in range(10):
        draw.text((4, 2 + row * 12), "SALE 50% OFF NOW", fill=(15, 15, 15))
    image.save(path)
    return path


def truncated_copy(source: Path, path: Path) -> Path:
    """The first half of ``source``'s bytes."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def random_bytes(path: Path, size: int = 600, seed: int = 0) -> Path:
    """Bytes that are no media format at all."""
    path.write_bytes(np.random.default_rng(seed).bytes(size))
    return path
