"""file_sha256 is the content address of a creative file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aelp.creative import file_sha256


def test_sha_matches_hashlib_when_the_file_spans_many_chunks(tmp_path: Path) -> None:
    path = tmp_path / "clip.bin"
    data = bytes(range(256)) * 1000
    path.write_bytes(data)
    assert file_sha256(path, chunk_bytes=4096) == hashlib.sha256(data).hexdigest()
    assert file_sha256(str(path)) == hashlib.sha256(data).hexdigest()


def test_sha_of_an_empty_file_is_the_digest_of_no_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.touch()
    assert file_sha256(path) == hashlib.sha256(b"").hexdigest()
