"""The CLIP extractor: image embeddings and zero-shot prompt similarities (open_clip).

Each sampled frame is embedded and L2-normalised; a file's embedding is the normalised
mean over its frames (the frame itself for images) and its first frame's embedding is
kept beside it. Prompt similarities are cosine similarities between the file's
embedding and each configured prompt's text embedding.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from aelp.creative.extractors.base import Extractor
from aelp.creative.extractors.device_frames import SHARED_UPLOADS
from aelp.creative.media import DecodedMedia, DecodeOptions
from aelp.creative.runtime import DeviceChoice, default_threads, resolve_device, set_threads
from aelp.creative.tables import ASSET_EMBEDDINGS
from aelp.creative.weights import RANDOM_INIT, Weights, WeightsError, resolve_weights

log = logging.getLogger(__name__)

MODEL_DECODE = DecodeOptions(sample_fps=1.0, max_frames=8, max_side=640)
"""Frames the model extractors see: one per second, at most 8, longer side 640 px."""

DEFAULT_PROMPTS: tuple[tuple[str, str], ...] = (
    ("person", "a photo of a person"),
    ("product_closeup", "a close-up photo of a product"),
    ("text_on_screen", "an image with text on screen"),
    ("outdoors", "a photo taken outdoors"),
)


@dataclass(frozen=True)
class ClipSettings:
    """What the CLIP outputs depend on: architecture, weights, prompts, frames, seed.

    ``prompts`` pairs a column-safe name with the prompt text. ``seed`` fixes the
    parameters of a ``random-init`` model so reruns agree.
    """

    model: str = "ViT-S-32"
    weights: str = RANDOM_INIT
    prompts: tuple[tuple[str, str], ...] = DEFAULT_PROMPTS
    decode: DecodeOptions = MODEL_DECODE
    seed: int = 0

    def __post_init__(self) -> None:
        names = [name for name, _ in self.prompts]
        if len(set(names)) != len(names):
            raise ValueError(f"prompt names must be unique: {names}")
        bad = [n for n in names if not n.isidentifier() or n.lower() != n]
        if bad:
            raise ValueError(f"prompt names must be lower-case identifiers: {bad}")


class ClipExtractor(Extractor):
    """open_clip image tower over sampled frames, text tower over the prompts.

    The model is built when the extractor is made, so a weights setting that cannot be
    loaded stops the run before any file is read. ``batch_frames`` frames go through
    the image tower at a time; on CUDA the model runs in half precision.
    """

    name: ClassVar[str] = "clip"
    version: ClassVar[str] = "1.0"
    table = ASSET_EMBEDDINGS
    columns: ClassVar[tuple[str, ...]] = (
        "model_name",
        "device",
        "frames_used",
        "embedding_dim",
        "embedding",
        "first_frame_embedding",
        "prompt_similarities",
    )

    def __init__(
        self,
        config: ClipSettings | None = None,
        *,
        device: DeviceChoice = "auto",
        batch_frames: int = 32,
        threads: int | None = None,
        base_dir: Path | None = None,
    ) -> None:
        self.config = config or ClipSettings()
        self.resolved: Weights = resolve_weights(self.config.weights, base_dir)
        self.device = resolve_device(device)
        self.batch_frames = batch_frames
        self.threads = threads or default_threads()
        set_threads(self.threads)
        self._model, self._mean, self._std, self._size = self._load()
        self._text = self._embed_prompts()

    @property
    def weights(self) -> str:
        return self.resolved.label

    @property
    def decode_options(self) -> DecodeOptions:
        return self.config.decode

    def settings(self) -> Mapping[str, Any]:
        defaults = ClipSettings()
        changed: dict[str, Any] = {}
        for key in ("model", "prompts", "decode", "seed"):
            value = getattr(self.config, key)
            if value != getattr(defaults, key):
                changed[key] = value
        return changed

    def _load(self) -> tuple[Any, Any, Any, int]:
        import open_clip
        import torch

        model_name = self.config.model
        if model_name not in open_clip.list_models():
            raise WeightsError(f"open_clip has no model {model_name!r}")
        pretrained: str | None = None
        if self.resolved.kind == "pretrained":
            tags = open_clip.list_pretrained_tags_by_model(model_name)
            if self.resolved.source not in tags:
                raise WeightsError(
                    f"open_clip has no pretrained tag {self.resolved.source!r} for "
                    f"{model_name} (known: {', '.join(tags) or 'none'})"
                )
            pretrained = self.resolved.source
        elif self.resolved.kind == "checkpoint":
            pretrained = self.resolved.source
        try:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(self.config.seed)
                model = open_clip.create_model(model_name, pretrained=pretrained, device="cpu")
        except Exception as error:
            raise WeightsError(
                f"cannot load open_clip {model_name} weights {self.resolved.source!r}: {error}"
            ) from error
        model.eval()
        dtype = torch.float16 if self.device == "cuda" else torch.float32
        model = model.to(device=self.device, dtype=dtype)
        preprocess = open_clip.get_model_preprocess_cfg(model)
        size = preprocess.get("size", 224)
        side = int(size[0] if isinstance(size, tuple | list) else size)
        mean = torch.tensor(preprocess["mean"], device=self.device, dtype=dtype).view(1, 3, 1, 1)
        std = torch.tensor(preprocess["std"], device=self.device, dtype=dtype).view(1, 3, 1, 1)
        log.info("open_clip %s [%s] on %s (%s)", model_name, self.weights, self.device, str(dtype))
        return model, mean, std, side

    def _embed_prompts(self) -> np.ndarray:
        import open_clip
        import torch

        tokenizer = open_clip.get_tokenizer(self.config.model)
        tokens = tokenizer([text for _, text in self.config.prompts]).to(self.device)
        with torch.inference_mode():
            text = self._model.encode_text(tokens).float()
        return _normalise(text.cpu().numpy().astype(np.float64))

    def embed_frames(self, frames: Sequence[np.ndarray]) -> np.ndarray:
        """L2-normalised embeddings of RGB ``uint8`` frames, ``batch_frames`` at a time.

        On CUDA the frames are uploaded once (shared with YOLO, see
        :data:`~aelp.creative.extractors.device_frames.SHARED_UPLOADS`) and preprocessed
        there; on the CPU they are preprocessed where they are.
        """
        import torch

        images: Sequence[Any] = frames
        if self.device == "cuda":
            images = SHARED_UPLOADS.upload(frames, self.device)
        chunks: list[np.ndarray] = []
        for start in range(0, len(images), self.batch_frames):
            pixels = self._preprocess(images[start : start + self.batch_frames])
            with torch.inference_mode():
                embedded = self._model.encode_image(pixels).float()
            chunks.append(embedded.cpu().numpy().astype(np.float64))
        return _normalise(np.concatenate(chunks))

    def _preprocess(self, frames: Sequence[Any]) -> Any:
        """Resize the shorter side to the model's size (bicubic), centre-crop, normalise.

        ``frames`` are ``uint8`` HWC arrays, or tensors already on the model's device;
        frames of equal shape are resized together, on the device they are on.
        """
        import torch
        import torch.nn.functional as functional

        out: list[Any] = [None] * len(frames)
        by_shape: dict[tuple[int, ...], list[int]] = {}
        for i, frame in enumerate(frames):
            by_shape.setdefault(tuple(frame.shape), []).append(i)
        for (height, width, _), indices in by_shape.items():
            if isinstance(frames[indices[0]], np.ndarray):
                stacked = torch.from_numpy(np.stack([frames[i] for i in indices]))
            else:
                stacked = torch.stack([frames[i] for i in indices])
            images = stacked.permute(0, 3, 1, 2).float().div_(255.0)
            scale = self._size / min(height, width)
            resized = (
                max(self._size, round(height * scale)),
                max(self._size, round(width * scale)),
            )
            images = functional.interpolate(
                images, size=resized, mode="bicubic", align_corners=False, antialias=True
            ).clamp_(0.0, 1.0)
            top = (resized[0] - self._size) // 2
            left = (resized[1] - self._size) // 2
            cropped = images[..., top : top + self._size, left : left + self._size]
            for j, i in enumerate(indices):
                out[i] = cropped[j : j + 1]
        batch = torch.cat(out).to(device=self.device, dtype=self._mean.dtype)
        return (batch - self._mean) / self._std

    def extract(self, batch: Sequence[DecodedMedia]) -> dict[str, list[Any]]:
        frames = [frame for media in batch for frame in media.frames]
        embedded = self.embed_frames(frames)
        set_threads(self.threads)
        output: dict[str, list[Any]] = {name: [] for name in self.columns}
        start = 0
        for media in batch:
            count = len(media.frames)
            per_frame = embedded[start : start + count]
            start += count
            mean = _normalise(per_frame.mean(axis=0, keepdims=True))[0]
            similarities = self._text @ mean
            output["model_name"].append(self.config.model)
            output["device"].append(self.device)
            output["frames_used"].append(count)
            output["embedding_dim"].append(int(mean.shape[0]))
            output["embedding"].append(mean.tolist())
            output["first_frame_embedding"].append(per_frame[0].tolist())
            output["prompt_similarities"].append(
                [
                    {"name": name, "prompt": text, "similarity": float(value)}
                    for (name, text), value in zip(self.config.prompts, similarities, strict=True)
                ]
            )
        return output


def _normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
