"""Publish model artifacts and reports to a local folder (default) or a GCS bucket."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ARTIFACTS_URI_ENV = "AELP_ARTIFACTS_URI"


@dataclass(frozen=True)
class GcsLocation:
    """A ``gs://bucket/prefix`` URI split into its parts."""

    bucket: str
    prefix: str

    @classmethod
    def parse(cls, uri: str) -> GcsLocation:
        """Split a ``gs://`` URI; raises ``ValueError`` for anything else."""
        if not uri.startswith("gs://"):
            raise ValueError(f"not a gs:// URI: {uri!r}")
        bucket, _, prefix = uri[len("gs://") :].partition("/")
        if not bucket:
            raise ValueError(f"no bucket in {uri!r}")
        return cls(bucket=bucket, prefix=prefix.strip("/"))

    def join(self, relative: str) -> str:
        """The object name of ``relative`` under the prefix."""
        return f"{self.prefix}/{relative}" if self.prefix else relative


def publish(
    local_path: Path, relative: str, destination: str | None = None, client: Any = None
) -> str:
    """Copy a file or folder to ``destination`` (or ``AELP_ARTIFACTS_URI``) and return its URI.

    Without a destination the local path is the artifact's home and is returned as is.
    ``gs://`` destinations upload every file through ``google-cloud-storage`` (``client``
    may be given, e.g. with specific credentials); other destinations are local folders.
    """
    target = destination or os.environ.get(ARTIFACTS_URI_ENV)
    if not target:
        return str(local_path.resolve())
    files = (
        sorted(p for p in local_path.rglob("*") if p.is_file())
        if local_path.is_dir()
        else [local_path]
    )
    base = local_path if local_path.is_dir() else local_path.parent
    if target.startswith("gs://"):
        location = GcsLocation.parse(target)
        if client is None:
            storage = importlib.import_module("google.cloud.storage")
            client = storage.Client()
        bucket = client.bucket(location.bucket)
        for file in files:
            name = location.join(f"{relative}/{file.relative_to(base).as_posix()}")
            bucket.blob(name).upload_from_filename(str(file))
        uri = f"gs://{location.bucket}/{location.join(relative)}"
    else:
        root = Path(target) / relative
        for file in files:
            dest = root / file.relative_to(base)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, dest)
        uri = str(root.resolve())
    log.info("published %d file(s) to %s", len(files), uri)
    return uri
