"""Small base64 thumbnails of creatives' files from the local asset store.

A creative's ``asset_uri`` (rpt_ad_catalog) is a local path or a URI; only files that exist on
this machine get a thumbnail (a ``gs://`` object is left out rather than downloaded). Videos
show their first decoded frame.
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Iterable
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

THUMBNAIL_SIDE = 72
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi")


def local_path(
    uri: str | None, asset_roots: Iterable[Path] = (), content_sha256: str | None = None
) -> Path | None:
    """The local file behind an asset: its URI when that is a local file, else a file of the
    same name, or stored by content hash (``<sha[:2]>/<sha>.*``), under one of the roots."""
    path = None
    if uri and ("://" not in uri or uri.startswith("file://")):
        path = Path(uri.removeprefix("file://"))
        if path.is_file():
            return path
    for root in asset_roots:
        if path is not None and (root / path.name).is_file():
            return root / path.name
        if content_sha256:
            found = sorted((root / content_sha256[:2]).glob(f"{content_sha256}.*"))
            if found:
                return found[0]
    return None


def _first_frame(path: Path) -> Image.Image:
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            image: Image.Image = frame.to_image()
            return image
    raise ValueError(f"{path}: no video frame")


def thumbnail_data_uri(path: Path, side: int = THUMBNAIL_SIDE) -> str | None:
    """A JPEG data URI of the file downscaled to ``side`` pixels (None when unreadable)."""
    try:
        if path.suffix.lower() in VIDEO_SUFFIXES:
            image = _first_frame(path)
        else:
            with Image.open(path) as opened:
                image = opened.copy()
        image = image.convert("RGB")
        image.thumbnail((side, side))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
    except Exception as error:  # a broken file must not stop the report
        log.warning("no thumbnail for %s: %s", path, error)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def thumbnails(
    assets: dict[str, tuple[str | None, str | None]],
    asset_roots: Iterable[Path] = (),
    side: int = THUMBNAIL_SIDE,
) -> dict[str, str]:
    """Key (ad or content hash) → data URI, for the keys whose file exists here.

    ``assets`` maps each key to its file's (URI, content hash).
    """
    roots = [root for root in asset_roots if root.is_dir()]
    out: dict[str, str] = {}
    cache: dict[Path, str | None] = {}
    for key, (uri, content_sha256) in assets.items():
        path = local_path(uri, roots, content_sha256)
        if path is None:
            continue
        if path not in cache:
            cache[path] = thumbnail_data_uri(path, side)
        if cache[path]:
            out[key] = str(cache[path])
    return out
