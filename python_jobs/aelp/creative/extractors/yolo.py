"""The YOLO extractor: object counts, presence and largest box per configured class.

Every sampled frame goes through the detector. Per configured class a file gets the
mean and maximum number of detections per frame, the share of frames with at least
one, and the largest box as a share of the frame's area; over all configured classes,
the largest box share; for videos, whether a person is seen in the first second.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import yaml

from aelp.creative.extractors.base import Extractor
from aelp.creative.extractors.clip import MODEL_DECODE
from aelp.creative.extractors.device_frames import (
    SHARED_UPLOADS,
    Letterbox,
    boxes_to_frame,
    letterbox_geometry,
    letterbox_on_device,
)
from aelp.creative.media import DecodedMedia, DecodeOptions
from aelp.creative.runtime import (
    DeviceChoice,
    default_threads,
    resolve_device,
    set_threads,
    ultralytics_settings_off,
)
from aelp.creative.tables import ASSET_DETECTIONS
from aelp.creative.weights import RANDOM_INIT, Weights, WeightsError, resolve_weights

log = logging.getLogger(__name__)

DEFAULT_CLASSES: tuple[tuple[str, str], ...] = (
    ("person", "person"),
    ("phone", "cell phone"),
    ("car", "car"),
    ("bottle", "bottle"),
    ("cup", "cup"),
    ("dog", "dog"),
)
"""(column name, detector class name) pairs; the class names are COCO's."""

FIRST_SECOND_S = 1.0

_NOTHING = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


@dataclass(frozen=True)
class YoloSettings:
    """What the YOLO outputs depend on.

    ``model`` is an ultralytics architecture (``yolov8n``); ``random-init`` builds it
    from ``<model>.yaml`` with seeded random parameters and COCO class names, a
    checkpoint path loads that file (its class names win). ``classes`` pairs column
    names with the detector's class names; ``person_classes`` are the class names that
    count as a person for the first-second flag.
    """

    model: str = "yolov8n"
    weights: str = RANDOM_INIT
    classes: tuple[tuple[str, str], ...] = DEFAULT_CLASSES
    person_classes: tuple[str, ...] = ("person",)
    imgsz: int = 640
    conf: float = 0.25
    iou: float = 0.7
    max_det: int = 300
    decode: DecodeOptions = MODEL_DECODE
    seed: int = 0

    def __post_init__(self) -> None:
        names = [name for name, _ in self.classes]
        if len(set(names)) != len(names):
            raise ValueError(f"class column names must be unique: {names}")
        bad = [n for n in names if not n.isidentifier() or n.lower() != n]
        if bad:
            raise ValueError(f"class column names must be lower-case identifiers: {bad}")
        if self.imgsz < 32 or self.imgsz % 32:
            raise ValueError("imgsz must be a positive multiple of 32")


class YoloExtractor(Extractor):
    """ultralytics detection over sampled frames, batched, half precision on CUDA.

    The model is built when the extractor is made: unknown weights or class names stop
    the run before any file is read. On the CPU frames go through ultralytics'
    predictor; on CUDA (or with ``device_preprocess``) they are letterboxed on the
    device (the predictor's letterbox, see
    :mod:`~aelp.creative.extractors.device_frames`) and go straight to the fused
    network (half precision on CUDA) and ultralytics' NMS, skipping the predictor's
    CPU work.
    """

    name: ClassVar[str] = "yolo"
    version: ClassVar[str] = "1.0"
    table = ASSET_DETECTIONS
    columns: ClassVar[tuple[str, ...]] = (
        "model_name",
        "device",
        "frames_used",
        "detections",
        "largest_box_share",
        "has_person_first_second",
    )

    def __init__(
        self,
        config: YoloSettings | None = None,
        *,
        device: DeviceChoice = "auto",
        batch_frames: int = 32,
        threads: int | None = None,
        base_dir: Path | None = None,
        device_preprocess: bool | None = None,
    ) -> None:
        self.config = config or YoloSettings()
        self.resolved: Weights = resolve_weights(self.config.weights, base_dir)
        self.device = resolve_device(device)
        self.batch_frames = batch_frames
        self.threads = threads or default_threads()
        self._model = self._load()
        if device_preprocess is None:
            device_preprocess = self.device == "cuda"
        self._network = self._device_network() if device_preprocess else None
        set_threads(self.threads)
        self._class_ids = self._map_classes()
        self._person_ids = {
            i for i, n in self._model.names.items() if n in self.config.person_classes
        }

    @property
    def weights(self) -> str:
        return self.resolved.label

    @property
    def decode_options(self) -> DecodeOptions:
        return self.config.decode

    def settings(self) -> Mapping[str, Any]:
        defaults = YoloSettings()
        keys = ("model", "classes", "person_classes", "imgsz", "conf", "iou", "max_det")
        changed = {
            key: getattr(self.config, key)
            for key in (*keys, "decode", "seed")
            if getattr(self.config, key) != getattr(defaults, key)
        }
        return changed

    def _load(self) -> Any:
        import torch

        ultralytics_settings_off()
        from ultralytics import YOLO

        if self.resolved.kind == "pretrained":
            raise WeightsError(
                f"YOLO weights {self.resolved.source!r}: give a local checkpoint path or "
                f"{RANDOM_INIT!r} (ultralytics would download a named checkpoint)"
            )
        try:
            if self.resolved.kind == "random":
                with torch.random.fork_rng(devices=[]):
                    torch.manual_seed(self.config.seed)
                    model = YOLO(f"{self.config.model}.yaml", task="detect")
                network: Any = model.model
                if len(model.names) == len(coco_names()):
                    network.names = coco_names()
            else:
                model = YOLO(self.resolved.source, task="detect")
        except Exception as error:
            raise WeightsError(
                f"cannot build YOLO {self.config.model} with weights "
                f"{self.resolved.source!r}: {error}"
            ) from error
        log.info("YOLO %s [%s] on %s", self.config.model, self.weights, self.device)
        return model

    def _device_network(self) -> Any:
        """The network as ultralytics' predictor builds it: fused, half precision on CUDA."""
        import copy

        import torch
        from ultralytics.nn.autobackend import AutoBackend

        network = AutoBackend(
            model=copy.deepcopy(self._model.model),
            device=torch.device(self.device),
            fp16=self.device == "cuda",
            fuse=True,
            verbose=False,
            end2end=False,
        )
        return network.eval()

    def _map_classes(self) -> list[int]:
        by_name = {n: i for i, n in self._model.names.items()}
        missing = [c for _, c in self.config.classes if c not in by_name]
        if missing:
            raise WeightsError(
                f"YOLO {self.config.model} [{self.weights}] has no classes {missing}; "
                f"it knows {sorted(by_name)[:20]}"
            )
        return [by_name[c] for _, c in self.config.classes]

    def input_size(self, frame: np.ndarray) -> int:
        """The detector's input size for a frame: ``imgsz``, or less for a smaller frame.

        Frames smaller than ``imgsz`` run at their longer side rounded up to a multiple
        of 32 instead of being upscaled: the same boxes for a fraction of the compute.
        """
        longer = max(frame.shape[0], frame.shape[1])
        return min(self.config.imgsz, max(32, -(-longer // 32) * 32))

    def detect(self, frames: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per RGB frame: detected class ids and box areas as shares of the frame.

        Frames are grouped by :meth:`input_size` and run ``batch_frames`` at a time.
        """
        found: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(frames)
        by_size: dict[int, list[int]] = {}
        for i, frame in enumerate(frames):
            by_size.setdefault(self.input_size(frame), []).append(i)
        for size, indices in sorted(by_size.items()):
            for start in range(0, len(indices), self.batch_frames):
                chunk = indices[start : start + self.batch_frames]
                chunk_frames = [frames[i] for i in chunk]
                if self._network is None:
                    results = self._predict(chunk_frames, size)
                else:
                    uploads = SHARED_UPLOADS.upload(frames, self.device)
                    results = self._predict_on_device(
                        chunk_frames, [uploads[i] for i in chunk], size
                    )
                for i, result in zip(chunk, results, strict=True):
                    found[i] = result
        return [f if f is not None else _NOTHING for f in found]

    def _predict(
        self, frames: Sequence[np.ndarray], size: int
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        wanted = sorted(set(self._class_ids) | self._person_ids)
        bgr = [np.ascontiguousarray(f[..., ::-1]) for f in frames]
        results = self._model.predict(
            bgr,
            imgsz=size,
            conf=self.config.conf,
            iou=self.config.iou,
            max_det=self.config.max_det,
            classes=wanted,
            device=self.device,
            verbose=False,
        )
        set_threads(self.threads)
        found = []
        for frame, result in zip(frames, results, strict=True):
            boxes = result.boxes
            classes = boxes.cls.cpu().numpy().astype(np.int64)
            xyxy = boxes.xyxy.cpu().numpy().astype(np.float64)
            width = np.clip(xyxy[:, 2] - xyxy[:, 0], 0, None)
            height = np.clip(xyxy[:, 3] - xyxy[:, 1], 0, None)
            found.append((classes, width * height / float(frame.shape[0] * frame.shape[1])))
        return found

    def _predict_on_device(
        self, frames: Sequence[np.ndarray], uploads: Sequence[Any], size: int
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`_predict` for frames already on the GPU: letterbox, network, NMS there.

        Like the predictor, a batch of equal-shape frames is padded only to the stride,
        a mixed batch to the square ``size``.
        """
        import torch
        from ultralytics.utils.nms import non_max_suppression

        network = self._network
        assert network is not None, "built when device_preprocess is on"
        minimal = len({f.shape for f in frames}) == 1
        stride = int(np.max(getattr(network, "stride", 32)))
        boxes: list[Letterbox] = [
            letterbox_geometry(f.shape[0], f.shape[1], size, stride, minimal=minimal)
            for f in frames
        ]
        by_shape: dict[tuple[int, ...], list[int]] = {}
        for i, frame in enumerate(frames):
            by_shape.setdefault(tuple(frame.shape), []).append(i)
        order = [i for indices in by_shape.values() for i in indices]
        with torch.inference_mode():
            pixels = torch.cat(
                [
                    letterbox_on_device(torch.stack([uploads[i] for i in idx]), boxes[idx[0]])
                    for idx in by_shape.values()
                ]
            )
            dtype = torch.float16 if self.device == "cuda" else torch.float32
            predictions = network(pixels.to(dtype).div_(255.0))
            kept = non_max_suppression(
                predictions,
                self.config.conf,
                self.config.iou,
                sorted(set(self._class_ids) | self._person_ids),
                max_det=self.config.max_det,
                nc=0,
                end2end=getattr(network, "end2end", False),
            )
            counts = [len(k) for k in kept]
            found_all = torch.cat(kept).float().cpu().numpy()
        found: list[tuple[np.ndarray, np.ndarray]] = [_NOTHING] * len(frames)
        start = 0
        for i, count in zip(order, counts, strict=True):
            rows = found_all[start : start + count]
            start += count
            height, width = frames[i].shape[:2]
            xyxy = boxes_to_frame(rows[:, :4], boxes[i], height, width)
            area = (xyxy[:, 2] - xyxy[:, 0]).clip(0) * (xyxy[:, 3] - xyxy[:, 1]).clip(0)
            found[i] = (rows[:, 5].astype(np.int64), area / float(height * width))
        return found

    def extract(self, batch: Sequence[DecodedMedia]) -> dict[str, list[Any]]:
        frames = [frame for media in batch for frame in media.frames]
        detected = self.detect(frames)
        output: dict[str, list[Any]] = {name: [] for name in self.columns}
        start = 0
        for media in batch:
            count = len(media.frames)
            per_frame = detected[start : start + count]
            start += count
            summary = summarise_detections(
                per_frame,
                media.timestamps_s,
                self.config.classes,
                self._class_ids,
                self._person_ids,
                is_video=media.media_type == "video",
            )
            output["model_name"].append(self.config.model)
            output["device"].append(self.device)
            output["frames_used"].append(count)
            for key, value in summary.items():
                output[key].append(value)
        return output


def summarise_detections(
    per_frame: Sequence[tuple[np.ndarray, np.ndarray]],
    timestamps_s: np.ndarray,
    classes: Sequence[tuple[str, str]],
    class_ids: Sequence[int],
    person_ids: set[int],
    *,
    is_video: bool,
) -> dict[str, Any]:
    """A file's detection columns from its frames' (class ids, box area shares)."""
    frames = max(len(per_frame), 1)
    detections: list[dict[str, Any]] = []
    shares: list[float] = []
    for (name, class_name), class_id in zip(classes, class_ids, strict=True):
        counts = [int(np.sum(ids == class_id)) for ids, _ in per_frame]
        largest = [
            float(shares[ids == class_id].max()) if np.any(ids == class_id) else 0.0
            for ids, shares in per_frame
        ]
        detections.append(
            {
                "name": name,
                "class_name": class_name,
                "mean_count": float(sum(counts)) / frames,
                "max_count": max(counts, default=0),
                "frame_share": sum(c > 0 for c in counts) / frames,
                "largest_box_share": min(max(largest, default=0.0), 1.0),
            }
        )
        shares.append(min(max(largest, default=0.0), 1.0))
    first_second: bool | None = None
    if is_video:
        first_second = any(
            bool(np.isin(ids, list(person_ids)).any())
            for (ids, _), t in zip(per_frame, timestamps_s, strict=True)
            if t < FIRST_SECOND_S
        )
    return {
        "detections": detections,
        "largest_box_share": max(shares, default=0.0),
        "has_person_first_second": first_second,
    }


def coco_names() -> dict[int, str]:
    """The 80 COCO class names shipped with ultralytics (for ``random-init`` models)."""
    import ultralytics

    path = Path(ultralytics.__file__).parent / "cfg" / "datasets" / "coco.yaml"
    names = yaml.safe_load(path.read_text())["names"]
    return {int(k): str(v) for k, v in names.items()}
