"""Frames on the model's device: one upload per batch, letterbox geometry and box rescaling.

On CUDA the extractors skip the CPU preprocessing of open_clip and ultralytics: the
decoded ``uint8`` frames of a batch are copied to the GPU once (through pinned memory,
without blocking) and resized, cropped, padded and normalised there with torch ops.
CLIP and YOLO see the same decoded frames, so :data:`SHARED_UPLOADS` keeps the last
batch's upload for whichever extractor asks second.

:func:`letterbox_geometry` and :func:`boxes_to_frame` are the pure arithmetic of
ultralytics' ``LetterBox`` and ``scale_boxes``, so the GPU path pads and rescales
exactly as the predictor does on the CPU.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

PAD_VALUE = 114
"""The grey ultralytics pads letterboxed frames with."""


@dataclass(frozen=True)
class Letterbox:
    """How one frame is letterboxed: resized to ``resized`` (h, w), then padded."""

    scale: float
    resized: tuple[int, int]
    top: int
    bottom: int
    left: int
    right: int

    @property
    def shape(self) -> tuple[int, int]:
        """The padded (height, width) the model sees."""
        return (
            self.resized[0] + self.top + self.bottom,
            self.resized[1] + self.left + self.right,
        )


def letterbox_geometry(
    height: int, width: int, size: int, stride: int, *, minimal: bool
) -> Letterbox:
    """ultralytics' ``LetterBox`` for a ``height`` × ``width`` frame at input ``size``.

    The frame is scaled to fit ``size`` × ``size`` keeping its aspect ratio (upscaling
    allowed) and padded equally on both sides: to the square, or with ``minimal`` only
    up to the next multiple of ``stride`` (the predictor's rectangular batches, used
    when every frame of a batch has the same shape).
    """
    scale = min(size / height, size / width)
    new_w, new_h = max(round(width * scale), 1), max(round(height * scale), 1)
    pad_w, pad_h = float(size - new_w), float(size - new_h)
    if minimal:
        pad_w, pad_h = pad_w % stride, pad_h % stride
    pad_w, pad_h = pad_w / 2, pad_h / 2
    return Letterbox(
        scale=scale,
        resized=(new_h, new_w),
        top=round(pad_h - 0.1),
        bottom=round(pad_h + 0.1),
        left=round(pad_w - 0.1),
        right=round(pad_w + 0.1),
    )


def boxes_to_frame(xyxy: np.ndarray, box: Letterbox, height: int, width: int) -> np.ndarray:
    """Boxes found on the letterboxed input, in the frame's pixels, clipped to the frame.

    The inverse of :func:`letterbox_geometry` as ultralytics' ``scale_boxes`` computes
    it: padding removed, each axis divided by its own resize ratio.
    """
    out = np.asarray(xyxy, dtype=np.float64).reshape(-1, 4).copy()
    gain_y, gain_x = box.resized[0] / height, box.resized[1] / width
    out[:, [0, 2]] = (out[:, [0, 2]] - box.left) / gain_x
    out[:, [1, 3]] = (out[:, [1, 3]] - box.top) / gain_y
    out[:, [0, 2]] = out[:, [0, 2]].clip(0, width)
    out[:, [1, 3]] = out[:, [1, 3]].clip(0, height)
    return out


def letterbox_on_device(images: Any, box: Letterbox) -> Any:
    """Letterbox a stack of equal-shape ``uint8`` HWC frames (a torch tensor) into NCHW.

    Bilinear resize (as ``cv2.INTER_LINEAR``, rounded back to whole grey levels) when
    the size changes, then padding with :data:`PAD_VALUE`; values stay 0-255 floats.
    """
    import torch.nn.functional as functional

    pixels = images.permute(0, 3, 1, 2).float()
    if tuple(pixels.shape[-2:]) != box.resized:
        pixels = functional.interpolate(
            pixels, size=box.resized, mode="bilinear", align_corners=False
        )
        pixels = pixels.round_().clamp_(0.0, 255.0)
    return functional.pad(
        pixels, (box.left, box.right, box.top, box.bottom), value=float(PAD_VALUE)
    )


class FrameUploads:
    """Copies a batch's frames to a device once and hands the same tensors to every caller.

    The last batch is kept (its frames too, so their memory cannot be reused for other
    frames while it is cached): a second extractor asking for the same frames, in the
    same order, gets the tensors already uploaded.
    """

    def __init__(self) -> None:
        self.copies = 0
        """How many batches were really copied (cache misses), for tests and profiling."""
        self._key: tuple[Any, ...] | None = None
        self._frames: list[np.ndarray] = []
        self._tensors: list[Any] = []

    def upload(self, frames: Sequence[np.ndarray], device: str) -> list[Any]:
        """One ``uint8`` HWC tensor on ``device`` per frame, from one (pinned) copy."""
        import torch

        key = (device, *(_identity(f) for f in frames))
        if key == self._key:
            return self._tensors
        self.clear()
        sizes = [int(f.size) for f in frames]
        host = torch.empty(sum(sizes), dtype=torch.uint8, pin_memory=device != "cpu")
        flat = host.numpy()
        offset = 0
        for frame, count in zip(frames, sizes, strict=True):
            flat[offset : offset + count] = np.ascontiguousarray(frame, dtype=np.uint8).reshape(-1)
            offset += count
        on_device = host.to(device, non_blocking=True)
        tensors, offset = [], 0
        for frame, count in zip(frames, sizes, strict=True):
            tensors.append(on_device[offset : offset + count].view(*frame.shape))
            offset += count
        self._key, self._frames, self._tensors = key, list(frames), tensors
        self.copies += 1
        return tensors

    def clear(self) -> None:
        """Forget the cached batch (frees its device memory once nothing else holds it)."""
        self._key, self._frames, self._tensors = None, [], []


def _identity(frame: np.ndarray) -> tuple[Any, ...]:
    """Where a frame's pixels live and how they are laid out."""
    return (frame.__array_interface__["data"][0], frame.shape, frame.strides, frame.dtype.str)


SHARED_UPLOADS = FrameUploads()
"""The upload CLIP and YOLO share: both extract the same decoded frames of a batch."""
