"""Creative media into the asset store, keyed by content hash, with a manifest table."""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.advideo import AdVideo
from facebook_business.api import FacebookAdsApi

from aelp import schemas
from aelp.meta.errors import MetaAuthError, MetaError
from aelp.meta.pages import drain
from aelp.meta.redact import redact
from aelp.meta.retry import Caller

log = logging.getLogger(__name__)

OK, FAILED = "ok", "failed"
IMAGE_HASH_BATCH = 50
DOWNLOAD_ATTEMPTS = 3
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "video/mp4": ".mp4"}


class AssetStore(Protocol):
    """Where media files live: a local folder or a ``gs://`` prefix."""

    def uri_of(self, name: str) -> str:
        """The URI a stored file has."""

    def exists(self, name: str) -> bool:
        """Whether a file of that name is stored."""

    def put(self, name: str, data: bytes) -> str:
        """Store the bytes under the name; returns the URI."""


@dataclass(frozen=True)
class LocalStore:
    """A folder; files land under ``<sha[:2]>/<sha><ext>``, written atomically."""

    root: Path

    def uri_of(self, name: str) -> str:
        return str((self.root / name).resolve())

    def exists(self, name: str) -> bool:
        return (self.root / name).is_file()

    def put(self, name: str, data: bytes) -> str:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        return self.uri_of(name)


@dataclass(frozen=True)
class GcsStore:
    """A ``gs://bucket/prefix``; objects are named like the local layout."""

    uri: str

    def _blob(self, name: str) -> Any:
        from google.cloud import storage  # type: ignore[attr-defined,unused-ignore]

        from aelp.artifacts import GcsLocation

        location = GcsLocation.parse(self.uri)
        return storage.Client().bucket(location.bucket).blob(location.join(name))

    def uri_of(self, name: str) -> str:
        return f"{self.uri.rstrip('/')}/{name}"

    def exists(self, name: str) -> bool:
        return bool(self._blob(name).exists())

    def put(self, name: str, data: bytes) -> str:
        self._blob(name).upload_from_string(data)
        return self.uri_of(name)


def open_store(location: str) -> AssetStore:
    """A store for a folder path or a ``gs://`` URI."""
    if location.startswith("gs://"):
        return GcsStore(location)
    return LocalStore(Path(location))


def store_name(sha256: str, extension: str) -> str:
    """The content-addressed name of a file."""
    return f"{sha256[:2]}/{sha256}{extension}"


def _extension(url: str, content_type: str | None) -> str:
    suffix = Path(urlsplit(url).path).suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg", ".mp4", ".gif", ".mov"):
        return suffix
    return _EXTENSIONS.get((content_type or "").split(";")[0].strip(), ".bin")


def media_key(row: dict[str, Any]) -> str | None:
    """``image:<hash>`` or ``video:<id>``: what identifies a creative's media at Meta."""
    if row.get("video_id"):
        return f"video:{row['video_id']}"
    if row.get("image_hash"):
        return f"image:{row['image_hash']}"
    return None


@dataclass
class AssetSync:
    """Downloads the media of one account's creatives that the manifest lacks."""

    api: FacebookAdsApi
    caller: Caller
    store: AssetStore
    http: requests.Session
    secrets: tuple[str, ...]
    sleep: Callable[[float], None]
    now: datetime.datetime

    def sync(
        self,
        account_id: str,
        creatives: list[dict[str, Any]],
        manifest: dict[str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Manifest rows to write: new or changed creatives and earlier failures, retried.

        ``manifest`` maps creative id → its current manifest row. A creative whose media
        is already stored (by it or by another creative) costs no download.
        """
        stored = {
            media_key(row): row
            for row in manifest.values()
            if row["fetch_status"] == OK and media_key(row) is not None
        }
        todo = [c for c in creatives if self._needs_row(c, manifest.get(c["id"]), stored)]
        if not todo:
            return []
        missing = {k for k in (media_key(c) for c in todo) if k is not None} - set(stored)
        urls = self._resolve_urls(account_id, missing)
        fetched: dict[str, dict[str, Any]] = dict(stored)  # type: ignore[arg-type]
        rows = []
        for creative in todo:
            key = media_key(creative)
            if key is not None and key not in fetched:
                fetched[key] = self._download(key, urls.get(key))
            rows.append(self._manifest_row(account_id, creative, fetched.get(key) if key else None))
        return rows

    def _needs_row(
        self,
        creative: dict[str, Any],
        current: dict[str, Any] | None,
        stored: dict[str | None, dict[str, Any]],
    ) -> bool:
        if current is None or current["fetch_status"] != OK:
            return True
        return media_key(current) != media_key(creative) or media_key(creative) not in stored

    def _resolve_urls(self, account_id: str, keys: Iterable[str]) -> dict[str, str]:
        hashes = sorted(k.removeprefix("image:") for k in keys if k.startswith("image:"))
        videos = sorted(k.removeprefix("video:") for k in keys if k.startswith("video:"))
        urls: dict[str, str] = {}
        account = AdAccount(account_id, api=self.api)
        for start in range(0, len(hashes), IMAGE_HASH_BATCH):
            batch = hashes[start : start + IMAGE_HASH_BATCH]
            params = {"hashes": batch, "limit": IMAGE_HASH_BATCH}

            def images(params: dict[str, Any] = params) -> Any:
                return account.get_ad_images(fields=["hash", "url"], params=params)

            cursor = self.caller(images, account_id, "adimages")
            for image in drain(cursor, self.caller, account_id, "adimages"):
                if image.get("url"):
                    urls[f"image:{image['hash']}"] = str(image["url"])
        for video_id in videos:

            def source(video_id: str = video_id) -> Any:
                return AdVideo(video_id, api=self.api).api_get(
                    fields=["source", "length", "picture"]
                )

            try:
                video = self.caller(source, account_id, f"video {video_id}")
            except MetaAuthError:
                raise
            except MetaError as error:
                log.warning("%s: no source for video %s: %s", account_id, video_id, error)
                continue
            if video.get("source"):
                urls[f"video:{video_id}"] = str(video["source"])
        return urls

    def _download(self, key: str, url: str | None) -> dict[str, Any]:
        if url is None:
            return {"fetch_status": FAILED, "fetch_error": f"{key}: Meta returned no URL"}
        error = ""
        for attempt in range(DOWNLOAD_ATTEMPTS):
            try:
                response = self.http.get(url, timeout=120)
                response.raise_for_status()
                data = response.content
                sha = hashlib.sha256(data).hexdigest()
                name = store_name(sha, _extension(url, response.headers.get("Content-Type")))
                uri = (
                    self.store.uri_of(name)
                    if self.store.exists(name)
                    else self.store.put(name, data)
                )
                return {
                    "fetch_status": OK,
                    "content_sha256": sha,
                    "uri": uri,
                    "bytes": len(data),
                    "fetched_at": self.now,
                }
            except (requests.RequestException, OSError) as exc:
                error = redact(f"{key}: download failed: {exc}", self.secrets)
                self.sleep(min(30.0, 2.0**attempt))
        log.warning("%s", error)
        return {"fetch_status": FAILED, "fetch_error": error}

    def _manifest_row(
        self, account_id: str, creative: dict[str, Any], media: dict[str, Any] | None
    ) -> dict[str, Any]:
        media = media or {"fetch_status": FAILED, "fetch_error": "creative has no image or video"}
        return {
            "creative_id": creative["id"],
            "account_id": account_id.removeprefix("act_"),
            "image_hash": None if creative.get("video_id") else creative.get("image_hash"),
            "video_id": creative.get("video_id"),
            "media_type": "video" if creative.get("video_id") else "image",
            "content_sha256": media.get("content_sha256"),
            "uri": media.get("uri"),
            "bytes": media.get("bytes"),
            "fetch_status": media["fetch_status"],
            "fetch_error": media.get("fetch_error"),
            "fetched_at": media.get("fetched_at"),
        }


def read_manifest(warehouse: Any, account_id: str) -> dict[str, dict[str, Any]]:
    """Current manifest rows of an account, by creative id."""
    spec = schemas.CREATIVE_ASSETS
    if not warehouse.table_exists(spec.dataset, spec.name):
        return {}
    table = warehouse.query(f"select * from {warehouse.spec_ref(spec)}")
    digits = account_id.removeprefix("act_")
    return {row["creative_id"]: row for row in table.to_pylist() if row["account_id"] == digits}
