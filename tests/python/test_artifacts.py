"""Artifacts stay local by default and go to a folder or a GCS bucket when configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from aelp.artifacts import GcsLocation, publish


class FakeBlob:
    def __init__(self, store: dict[str, bytes], name: str) -> None:
        self.store, self.name = store, name

    def upload_from_filename(self, filename: str) -> None:
        self.store[self.name] = Path(filename).read_bytes()


class FakeBucket:
    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store

    def blob(self, name: str) -> FakeBlob:
        return FakeBlob(self.store, name)


class FakeStorageClient:
    """Stands in at the google-cloud-storage boundary: records uploaded objects."""

    def __init__(self) -> None:
        self.buckets: dict[str, dict[str, bytes]] = {}

    def bucket(self, name: str) -> FakeBucket:
        return FakeBucket(self.buckets.setdefault(name, {}))


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "run-1"
    (folder / "sub").mkdir(parents=True)
    (folder / "model.txt").write_text("tree")
    (folder / "sub" / "meta.json").write_text("{}")
    return folder


def test_without_destination_the_local_path_is_the_uri(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AELP_ARTIFACTS_URI", raising=False)
    assert publish(model_dir, "models/run-1") == str(model_dir.resolve())


def test_gcs_destination_uploads_every_file_under_the_prefix(model_dir: Path) -> None:
    client = FakeStorageClient()
    uri = publish(model_dir, "models/run-1", "gs://team-bucket/aelp", client=client)
    assert uri == "gs://team-bucket/aelp/models/run-1"
    assert client.buckets["team-bucket"] == {
        "aelp/models/run-1/model.txt": b"tree",
        "aelp/models/run-1/sub/meta.json": b"{}",
    }


def test_folder_destination_copies_the_tree(model_dir: Path, tmp_path: Path) -> None:
    uri = publish(model_dir, "models/run-1", str(tmp_path / "published"))
    assert (Path(uri) / "sub" / "meta.json").read_text() == "{}"


def test_gcs_uri_without_bucket_is_rejected() -> None:
    with pytest.raises(ValueError, match="no bucket"):
        GcsLocation.parse("gs:///x")
