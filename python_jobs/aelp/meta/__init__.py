"""The Meta Marketing API loader, through the official facebook-business SDK.

``Fetcher(warehouse, config_from_env()).run(since, until)`` reads each ad account's
entities (every status, deleted and archived included), downloads its creatives' media
into the asset store, and reads daily ad-level insights in date chunks (async report
runs for long ranges), re-reading the restatement window on every run and writing each
chunk atomically, with a checkpoint per account and chunk so a killed run resumes.

Names are imported lazily so that ``aelp --help`` does not load the SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aelp.meta.config import MetaConfig, config_from_env
    from aelp.meta.errors import MetaAuthError, MetaError, MetaParseError, MetaRequestError
    from aelp.meta.fetch import Fetcher, FetchSummary
    from aelp.meta.retry import FetchStats, RetryPolicy

_HOME = {
    "MetaConfig": "config",
    "config_from_env": "config",
    "MetaAuthError": "errors",
    "MetaError": "errors",
    "MetaParseError": "errors",
    "MetaRequestError": "errors",
    "Fetcher": "fetch",
    "FetchSummary": "fetch",
    "FetchStats": "retry",
    "RetryPolicy": "retry",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'aelp.meta' has no attribute {name!r}")
    return getattr(importlib.import_module(f"aelp.meta.{_HOME[name]}"), name)


__all__ = [
    "FetchStats",
    "FetchSummary",
    "Fetcher",
    "MetaAuthError",
    "MetaConfig",
    "MetaError",
    "MetaParseError",
    "MetaRequestError",
    "RetryPolicy",
    "config_from_env",
]
