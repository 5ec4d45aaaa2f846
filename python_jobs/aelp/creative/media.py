"""Decoding creative files into RGB frames: images with Pillow, videos with PyAV.

Every decoded file becomes a :class:`DecodedMedia`: the file's native size and timing
plus a stack of sampled RGB frames, shrunk so the longer side is at most
``DecodeOptions.max_side``. Statistics computed on these frames are therefore
comparable across resolutions. Videos are sampled on a fixed time grid
(``sample_fps``), so frame differences mean the same thing for a 24 and a 60 fps file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np
from av.video.reformatter import VideoReformatter
from PIL import Image, ImageOps

MediaType = Literal["image", "video"]

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi"})


EXIF_ORIENTATION = 0x0112
TRANSPOSING_ORIENTATIONS = frozenset({5, 6, 7, 8})
"""EXIF orientations that swap width and height when the image is shown upright."""


class MediaError(ValueError):
    """A file could not be decoded: corrupt, truncated, or not the media it claims to be."""


@dataclass(frozen=True)
class DecodeOptions:
    """How media is turned into frames; part of what an extractor's output depends on.

    ``sample_fps``: frames kept per second of video (``None`` keeps every frame; a
    video slower than the rate keeps every frame). ``max_frames``: stop after this many
    sampled frames. ``max_side``: shrink frames so the longer side is at most this many
    pixels (``None`` keeps the native size). ``keyframes_only``: decode keyframes only
    (fast, coarse), ignoring ``sample_fps``.
    """

    sample_fps: float | None = 10.0
    max_frames: int = 300
    max_side: int | None = 256
    keyframes_only: bool = False

    def __post_init__(self) -> None:
        if self.sample_fps is not None and self.sample_fps <= 0:
            raise ValueError("sample_fps must be positive or None")
        if self.max_frames < 1:
            raise ValueError("max_frames must be at least 1")
        if self.max_side is not None and self.max_side < 8:
            raise ValueError("max_side must be at least 8 or None")


@dataclass(frozen=True, eq=False)
class DecodedMedia:
    """One decoded file: native geometry and timing plus sampled RGB frames.

    ``frames`` is ``uint8`` with shape ``(n, h, w, 3)`` (``n == 1`` for images);
    ``timestamps_s`` holds each frame's time from the start of the video (``[0.0]`` for
    images). ``width``/``height`` are the native display size, not the frames' size.
    """

    file_name: str
    content_sha256: str
    media_type: MediaType
    width: int
    height: int
    frames: np.ndarray
    timestamps_s: np.ndarray
    duration_s: float | None = None
    fps: float | None = None
    frame_count: int | None = None

    @property
    def aspect_ratio(self) -> float:
        """Width over height of the displayed media."""
        return self.width / self.height


def media_type_of(path: Path) -> MediaType | None:
    """The media type that a file's suffix promises, or ``None`` for other files."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    return None


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """The size that fits ``max_side`` keeping the aspect ratio (never upscales)."""
    if max_side is None or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_file(
    path: Path, content_sha256: str, file_name: str, options: DecodeOptions
) -> DecodedMedia:
    """Decode an image or a video by its suffix; raises :class:`MediaError` when it cannot."""
    kind = media_type_of(path)
    if kind == "image":
        return decode_image(path, content_sha256, file_name, options)
    if kind == "video":
        return decode_video(path, content_sha256, file_name, options)
    raise MediaError(f"unsupported file type {path.suffix!r}")


def decode_image(
    path: Path, content_sha256: str, file_name: str, options: DecodeOptions
) -> DecodedMedia:
    """Decode the first frame of an image, upright (EXIF), transparency over white."""
    try:
        with Image.open(path) as opened:
            width, height = opened.size
            orientation = opened.getexif().get(EXIF_ORIENTATION, 1)
            if orientation in TRANSPOSING_ORIENTATIONS:
                width, height = height, width
            if options.max_side is not None and opened.format == "JPEG":
                opened.draft("RGB", (options.max_side, options.max_side))
            upright = ImageOps.exif_transpose(opened) if orientation != 1 else opened
            rgb = _to_rgb(upright)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise MediaError(f"cannot decode image: {error}") from error
    if width < 1 or height < 1:
        raise MediaError("image has no pixels")
    target = scaled_size(rgb.width, rgb.height, options.max_side)
    if target != rgb.size:
        rgb = rgb.resize(target, Image.Resampling.BOX)
    frame = np.asarray(rgb, dtype=np.uint8)
    return DecodedMedia(
        file_name=file_name,
        content_sha256=content_sha256,
        media_type="image",
        width=width,
        height=height,
        frames=frame[np.newaxis],
        timestamps_s=np.zeros(1),
        frame_count=1,
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def decode_video(
    path: Path, content_sha256: str, file_name: str, options: DecodeOptions
) -> DecodedMedia:
    """Decode a video's first video stream, keeping frames on the ``sample_fps`` grid."""
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, UnicodeDecodeError) as error:
        raise MediaError(f"cannot open video: {error}") from error
    try:
        return _decode_container(container, content_sha256, file_name, options)
    except av.FFmpegError as error:
        raise MediaError(f"cannot decode video: {error}") from error
    finally:
        container.close()


def _decode_container(
    container: Any, content_sha256: str, file_name: str, options: DecodeOptions
) -> DecodedMedia:
    if not container.streams.video:
        raise MediaError("no video stream")
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    if options.keyframes_only:
        stream.codec_context.skip_frame = "NONKEY"
    width, height = stream.codec_context.width, stream.codec_context.height
    if width < 1 or height < 1:
        raise MediaError("video stream has no picture size")
    rate = stream.average_rate or stream.guessed_rate
    fps = float(rate) if rate else None
    time_base = stream.time_base or Fraction(1, 1)
    start_pts = stream.start_time

    reformatter = VideoReformatter()
    frames: list[np.ndarray] = []
    times: list[float] = []
    decoded = 0
    last_slot = -1
    rotation = 0
    for frame in container.decode(stream):
        if frame.pts is not None:
            if start_pts is None:
                start_pts = frame.pts
            seconds = Fraction(frame.pts - start_pts) * time_base
        else:
            seconds = Fraction(decoded) / Fraction(rate or 1)
        slot = _sample_slot(seconds, decoded, options)
        decoded += 1
        if slot <= last_slot:
            continue
        last_slot = slot
        if not frames:
            rotation = _quarter_turns(frame)
        frames.append(_frame_rgb(reformatter, frame, options.max_side, rotation))
        times.append(float(seconds))
        if len(frames) >= options.max_frames:
            break
    if not frames:
        raise MediaError("no video frames could be decoded")

    if rotation % 2:
        width, height = height, width
    complete = len(frames) < options.max_frames and not options.keyframes_only
    return DecodedMedia(
        file_name=file_name,
        content_sha256=content_sha256,
        media_type="video",
        width=width,
        height=height,
        frames=np.stack(frames),
        timestamps_s=np.asarray(times, dtype=np.float64),
        duration_s=_duration_s(container, stream, times, fps),
        fps=fps,
        frame_count=decoded if complete else (stream.frames or None),
    )


def _sample_slot(seconds: Fraction, index: int, options: DecodeOptions) -> int:
    """The sampling-grid cell a frame falls in; one frame is kept per cell."""
    if options.sample_fps is None or options.keyframes_only:
        return index
    return math.floor(seconds * Fraction(options.sample_fps) + Fraction(1, 10_000))


def _quarter_turns(frame: Any) -> int:
    """Clockwise quarter turns needed to show a frame upright (phone videos carry one)."""
    rotation = int(getattr(frame, "rotation", 0) or 0)
    return (-rotation // 90) % 4


def _frame_rgb(
    reformatter: VideoReformatter, frame: Any, max_side: int | None, quarter_turns: int
) -> np.ndarray:
    """RGB pixels of a frame, area-averaged down to ``max_side`` and turned upright."""
    width, height = scaled_size(frame.width, frame.height, max_side)
    scaled = reformatter.reformat(frame, width, height, "rgb24", interpolation="AREA")
    rgb: np.ndarray = scaled.to_ndarray()
    if quarter_turns:
        rgb = np.ascontiguousarray(np.rot90(rgb, k=-quarter_turns))
    return rgb


def _duration_s(container: Any, stream: Any, times: list[float], fps: float | None) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / av.time_base
    return times[-1] + (1.0 / fps if fps else 0.0)
