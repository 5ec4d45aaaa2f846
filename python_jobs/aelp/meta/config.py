"""Loader settings from the environment: token, accounts, API version, base URL, sizes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aelp.meta.errors import MetaConfigError

DEFAULT_API_VERSION = "v26.0"
DEFAULT_ASSET_STORE = "data/assets"
DEFAULT_ACTION_WINDOWS: tuple[str, ...] = ("1d_click", "7d_click", "1d_view")


def normalise_account_id(value: str) -> str:
    """``123`` or ``act_123`` → ``act_123``; anything else is a configuration error."""
    value = value.strip()
    digits = value.removeprefix("act_")
    if not digits.isdigit():
        raise MetaConfigError(f"ad account id {value!r} is not act_<digits> or <digits>")
    return f"act_{digits}"


@dataclass(frozen=True)
class MetaConfig:
    """What a fetch needs to know; ``access_token`` never appears in ``repr``."""

    access_token: str = field(repr=False)
    account_ids: tuple[str, ...]
    api_version: str = DEFAULT_API_VERSION
    graph_url: str | None = None
    asset_store: str = DEFAULT_ASSET_STORE
    lookback_days: int = 28
    chunk_days: int = 14
    async_min_days: int = 7
    page_size: int = 500
    action_windows: tuple[str, ...] = DEFAULT_ACTION_WINDOWS
    request_timeout_s: float = 120.0

    def with_overrides(self, **changes: Any) -> MetaConfig:
        """A copy with some settings changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def config_from_env(env: Mapping[str, str] | None = None) -> MetaConfig:
    """Read ``META_ACCESS_TOKEN``, ``META_AD_ACCOUNT_IDS`` (comma-separated),
    ``META_API_VERSION``, ``META_GRAPH_URL`` and ``AELP_ASSET_STORE``."""
    env = os.environ if env is None else env
    token = env.get("META_ACCESS_TOKEN", "").strip()
    if not token:
        raise MetaConfigError("META_ACCESS_TOKEN is not set")
    accounts = tuple(
        normalise_account_id(a) for a in env.get("META_AD_ACCOUNT_IDS", "").split(",") if a.strip()
    )
    version = env.get("META_API_VERSION", DEFAULT_API_VERSION).strip()
    if not version.startswith("v"):
        version = f"v{version}"
    return MetaConfig(
        access_token=token,
        account_ids=accounts,
        api_version=version,
        graph_url=(env.get("META_GRAPH_URL") or "").strip().rstrip("/") or None,
        asset_store=env.get("AELP_ASSET_STORE") or DEFAULT_ASSET_STORE,
    )
