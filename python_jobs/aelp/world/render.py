"""Render creative media as real files: small PNG images and short H.264 MP4 videos.

The pixels carry the attributes that drive performance, with nuisance variation on top:

* background: a two-colour gradient from the palette family (warm / cool / neutral /
  vivid); its value follows the brightness attribute, which also scales every object;
* a person-like figure (skin-toned head, clothed body) whose size follows person_scale;
* a product (a bottle with a cap and a label) in a saturated colour;
* a text overlay: light boxes with dark line strokes, one box line per text line;
* for videos: objects and background move at a speed set by ``motion``, and each scene
  cut redraws the layout and shifts the colours abruptly.

Positions, sizes, exact colours, distractor shapes and a fixed noise texture vary at
random, so no single pixel tells the attributes. Every file is drawn from its own seeded
stream and encoded with fixed settings (one thread), so the bytes are reproducible.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image
from tqdm import tqdm

from aelp.world.attributes import PALETTES, MediaAttributes

logger = logging.getLogger(__name__)

SKIN_TONES = np.array(
    [
        [255, 219, 172],
        [241, 194, 167],
        [224, 172, 105],
        [198, 134, 66],
        [141, 85, 36],
        [92, 58, 38],
    ],
    dtype=np.float64,
)
X264_OPTIONS = {"preset": "veryfast", "crf": "30", "threads": "1", "tune": "zerolatency"}


@dataclass(frozen=True)
class MediaSpec:
    """Attributes of one media file, as plain scalars."""

    is_video: bool
    palette: int
    brightness: float
    has_person: bool
    person_scale: float
    has_product: bool
    text_lines: int
    motion: float
    n_cuts: int
    duration_s: float

    @classmethod
    def of(cls, media: MediaAttributes, m: int) -> MediaSpec:
        """The spec of media ``m``."""
        return cls(
            is_video=bool(media.is_video[m]),
            palette=int(media.palette[m]),
            brightness=float(media.brightness[m]),
            has_person=bool(media.has_person[m]),
            person_scale=float(media.person_scale[m]),
            has_product=bool(media.has_product[m]),
            text_lines=int(media.text_lines[m]),
            motion=float(media.motion[m]),
            n_cuts=int(media.n_cuts[m]),
            duration_s=float(media.duration_s[m]),
        )


@dataclass(frozen=True)
class MediaFile:
    """A rendered media file: where it is (relative to the world dir) and its hashes."""

    uri: str
    sha256: str
    md5: str
    n_bytes: int


@dataclass(frozen=True)
class _Shape:
    kind: str
    x: float
    y: float
    w: float
    h: float
    colour: np.ndarray
    vx: float = 0.0
    vy: float = 0.0


@dataclass(frozen=True)
class _Scene:
    top: np.ndarray
    bottom: np.ndarray
    tilt: float
    pan: float
    shapes: tuple[_Shape, ...]
    noise: np.ndarray


def _hsv(h: float, s: float, v: float) -> np.ndarray:
    return np.array(colorsys.hsv_to_rgb(h % 1.0, s, v)) * 255.0


def _palette_colour(rng: np.random.Generator, palette: str, value: float) -> np.ndarray:
    if palette == "warm":
        hue, sat = rng.uniform(-0.05, 0.12), rng.uniform(0.55, 0.85)
    elif palette == "cool":
        hue, sat = rng.uniform(0.48, 0.70), rng.uniform(0.45, 0.75)
    elif palette == "neutral":
        hue, sat = rng.random(), rng.uniform(0.0, 0.12)
    else:
        hue, sat = rng.random(), rng.uniform(0.9, 1.0)
    v = float(np.clip(value + rng.normal(0.0, 0.05), 0.04, 1.0))
    return _hsv(hue, sat, v)


def _make_scene(rng: np.random.Generator, spec: MediaSpec, size: int, shift: float) -> _Scene:
    """Lay out one scene; ``shift`` nudges colours and brightness (used after a cut)."""
    palette = PALETTES[spec.palette]
    brightness = float(np.clip(spec.brightness + shift, 0.0, 1.0))
    value = 0.12 + 0.85 * brightness
    gain = 0.45 + 0.6 * brightness
    top = _palette_colour(rng, palette, value)
    bottom = _palette_colour(rng, palette, value - rng.uniform(0.0, 0.15))
    speed = spec.motion * size * 0.035 if spec.is_video else 0.0
    shapes: list[_Shape] = []

    def velocity() -> tuple[float, float]:
        angle = rng.uniform(0.0, 2.0 * np.pi)
        return speed * np.cos(angle), speed * np.sin(angle)

    for _ in range(int(rng.integers(0, 4))):
        r = size * rng.uniform(0.05, 0.14)
        colour = _palette_colour(rng, palette, value + rng.uniform(-0.2, 0.1))
        vx, vy = velocity()
        shapes.append(
            _Shape("disc", rng.uniform(0, size), rng.uniform(0, size), r, r, colour, vx, vy)
        )
    if spec.has_product:
        w = size * rng.uniform(0.10, 0.16)
        h = w * rng.uniform(1.8, 2.6)
        colour = _hsv(rng.random(), rng.uniform(0.7, 1.0), 0.85) * gain
        vx, vy = velocity()
        shapes.append(
            _Shape(
                "bottle",
                rng.uniform(0.15, 0.85) * size,
                rng.uniform(0.45, 0.75) * size,
                w,
                h,
                colour,
                vx,
                vy,
            )
        )
    if spec.has_person:
        r = size * 0.085 * spec.person_scale * rng.uniform(0.9, 1.1)
        skin = SKIN_TONES[rng.integers(0, len(SKIN_TONES))] * (0.7 + 0.4 * brightness)
        shirt = _hsv(rng.random(), rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.8)) * gain
        vx, vy = velocity()
        x = rng.uniform(0.2, 0.8) * size
        y = rng.uniform(0.25, 0.45) * size
        shapes.append(_Shape("body", x, y + 2.3 * r, 1.5 * r, 2.1 * r, shirt, vx, vy))
        shapes.append(_Shape("head", x, y, r, r, skin, vx, vy))
    if spec.text_lines:
        line_h = size * rng.uniform(0.07, 0.09)
        box_h = spec.text_lines * line_h + 0.4 * line_h
        box_w = size * rng.uniform(0.55, 0.9)
        x = rng.uniform(0.02, 0.98 - box_w / size) * size
        y = (rng.uniform(0.03, 0.12) if rng.random() < 0.5 else rng.uniform(0.6, 0.95)) * size
        y = min(y, size - box_h - 1)
        light = rng.uniform(225, 250) * (0.85 + 0.15 * gain)
        shapes.append(_Shape("textbox", x, y, box_w, box_h, np.full(3, light)))
        ink = np.full(3, rng.uniform(15, 60))
        for line in range(spec.text_lines):
            ly = y + 0.3 * line_h + line * line_h + 0.3 * line_h
            lx = x + 0.06 * box_w
            for _ in range(int(rng.integers(1, 4))):
                seg = box_w * rng.uniform(0.12, 0.32)
                if lx + seg > x + 0.94 * box_w:
                    break
                shapes.append(_Shape("stroke", lx, ly, seg, max(1.0, 0.35 * line_h), ink))
                lx += seg + box_w * 0.05
    noise = rng.normal(0.0, 2.0, (size // 4, size // 4, 1))
    noise = np.repeat(np.repeat(noise, 4, axis=0), 4, axis=1)
    return _Scene(
        top, bottom, rng.uniform(-0.5, 0.5), speed * rng.choice([-1.0, 1.0]), tuple(shapes), noise
    )


def _bounce(p: np.ndarray | float, size: int) -> float:
    period = 2.0 * size
    q = float(p) % period
    return q if q <= size else period - q


@functools.lru_cache(maxsize=8)
def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    return yy, xx


def _box(cx: float, cy: float, half_w: float, half_h: float, size: int) -> tuple[slice, slice]:
    y0, y1 = max(0, int(cy - half_h) - 1), min(size, int(cy + half_h) + 2)
    x0, x1 = max(0, int(cx - half_w) - 1), min(size, int(cx + half_w) + 2)
    return slice(y0, max(y0, y1)), slice(x0, max(x0, x1))


def _draw(scene: _Scene, size: int, t: float) -> np.ndarray:
    yy, xx = _grid(size)
    phase = ((yy + scene.tilt * xx + scene.pan * t) % (2 * size)) / size
    mix = np.where(phase <= 1.0, phase, 2.0 - phase)[..., None]
    img = scene.top * (1.0 - mix) + scene.bottom * mix
    for s in scene.shapes:
        if s.kind in ("textbox", "stroke"):
            cx, cy, hw, hh = s.x + s.w / 2, s.y + s.h / 2, s.w / 2, s.h / 2
        else:
            cx, cy = _bounce(s.x + s.vx * t, size), _bounce(s.y + s.vy * t, size)
            hw, hh = s.w, s.h
        if s.kind == "bottle":
            hw, hh = s.w / 2, s.h / 2 + s.w / 2
        rows, cols = _box(cx, cy, hw, hh, size)
        x, y, part = xx[rows, cols], yy[rows, cols], img[rows, cols]
        if s.kind in ("disc", "head"):
            part[(x - cx) ** 2 + (y - cy) ** 2 <= s.w**2] = s.colour
        elif s.kind == "body":
            part[((x - cx) / s.w) ** 2 + ((y - cy) / s.h) ** 2 <= 1.0] = s.colour
        elif s.kind == "bottle":
            body = (np.abs(x - cx) <= s.w / 2) & (np.abs(y - cy) <= s.h / 2)
            part[body] = s.colour
            neck = (y >= cy - s.h / 2 - s.w / 2) & (y < cy - s.h / 2)
            part[(np.abs(x - cx) <= s.w / 4) & neck] = s.colour * 0.35
            part[body & (np.abs(y - cy) <= s.h / 8)] = 235.0
        else:
            part[(x >= s.x) & (x < s.x + s.w) & (y >= s.y) & (y < s.y + s.h)] = s.colour
    return np.clip(img + scene.noise, 0, 255).astype(np.uint8)


def media_rng(seed: int, m: int) -> np.random.Generator:
    """The random stream that draws media file ``m``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2, m)))


def render_image(spec: MediaSpec, rng: np.random.Generator, size: int) -> np.ndarray:
    """One RGB image (size x size x 3, uint8) showing the attributes of ``spec``."""
    return _draw(_make_scene(rng, spec, size, 0.0), size, 0.0)


def cut_frames(spec: MediaSpec, rng: np.random.Generator, n_frames: int) -> list[int]:
    """Frame indices at which a new scene starts (scene cuts), sorted."""
    first = max(2, int(0.12 * n_frames))
    candidates = np.arange(first, n_frames - 1, 2)
    k = min(spec.n_cuts, len(candidates))
    return sorted(int(c) for c in rng.choice(candidates, size=k, replace=False))


def render_video(
    spec: MediaSpec, rng: np.random.Generator, size: int, fps: int
) -> tuple[np.ndarray, list[int]]:
    """Frames (T x size x size x 3, uint8) of a video and the frames where cuts happen."""
    n_frames = max(4, round(spec.duration_s * fps))
    cuts = cut_frames(spec, rng, n_frames)
    starts = [0, *cuts]
    toward_middle = 1.0 if spec.brightness < 0.5 else -1.0
    shifts = [toward_middle * float(rng.uniform(0.08, 0.16)) * (i % 2) for i in range(len(starts))]
    scenes = [_make_scene(rng, spec, size, shift) for shift in shifts]
    frames = np.empty((n_frames, size, size, 3), dtype=np.uint8)
    scene_of = np.searchsorted(starts, np.arange(n_frames), side="right") - 1
    for f in range(n_frames):
        s = int(scene_of[f])
        frames[f] = _draw(scenes[s], size, float(f - starts[s]))
    return frames, cuts


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of an RGB image (deterministic for a given Pillow/zlib)."""
    buf = io.BytesIO()
    Image.fromarray(image, "RGB").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def encode_mp4(frames: np.ndarray, fps: int) -> bytes:
    """H.264 MP4 bytes of RGB frames, single-threaded with fixed encoder options."""
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libx264", rate=fps, options=dict(X264_OPTIONS))
        stream.width = frames.shape[2]
        stream.height = frames.shape[1]
        stream.pix_fmt = "yuv420p"
        stream.codec_context.thread_count = 1
        for frame in frames:
            vf = av.VideoFrame.from_ndarray(frame, format="rgb24")
            for packet in stream.encode(vf):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buf.getvalue()


def media_file_name(m: int, is_video: bool) -> str:
    """Path of media ``m`` relative to the world dir."""
    return f"creatives/vid_{m:06d}.mp4" if is_video else f"creatives/img_{m:06d}.png"


def render_media(
    media: MediaAttributes,
    seed: int,
    out_dir: Path,
    image_size: int,
    video_size: int,
    fps: int,
) -> list[MediaFile]:
    """Render and write every media file under ``out_dir/creatives``."""
    (out_dir / "creatives").mkdir(parents=True, exist_ok=True)
    files: list[MediaFile] = []
    for m in tqdm(range(len(media)), desc="world media", unit="file", disable=None, leave=False):
        spec = MediaSpec.of(media, m)
        rng = media_rng(seed, m)
        if spec.is_video:
            frames, _ = render_video(spec, rng, video_size, fps)
            data = encode_mp4(frames, fps)
        else:
            data = encode_png(render_image(spec, rng, image_size))
        uri = media_file_name(m, spec.is_video)
        (out_dir / uri).write_bytes(data)
        files.append(
            MediaFile(
                uri=uri,
                sha256=hashlib.sha256(data).hexdigest(),
                md5=hashlib.md5(data).hexdigest(),
                n_bytes=len(data),
            )
        )
    logger.info("rendered %d media files into %s", len(files), out_dir / "creatives")
    return files
