"""What can go wrong talking to the Graph API, classified for the retry policy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aelp.errors import AelpError

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
REDUCE_DATA_CODES = frozenset({1, 100})
REDUCE_DATA_SUBCODE = 1487534
AUTH_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10, *range(200, 300)})


class MetaError(AelpError, RuntimeError):
    """Base of the loader's errors; messages never hold the access token."""


class MetaConfigError(MetaError):
    """The environment does not configure a fetch."""


class MetaAuthError(MetaError):
    """Invalid or expired token, or a missing permission: the run stops at once."""


class MetaRequestError(MetaError):
    """A request failed for good (not retryable, or retries exhausted)."""


class MetaParseError(MetaError):
    """A value Meta sent is not what its field promises."""


class ReduceDataError(MetaError):
    """Meta asks for a smaller query ("please reduce the amount of data")."""


class AsyncJobError(MetaError):
    """An async report run ended in ``Job Failed`` or ``Job Skipped``."""


@dataclass(frozen=True)
class ApiFailure:
    """The facts of one failed call that decide what happens next."""

    kind: str
    """``auth``, ``rate_limit``, ``reduce_data``, ``transient`` or ``fatal``."""
    http_status: int | None
    code: int | None
    subcode: int | None
    message: str
    headers: dict[str, str]


def _lower_headers(headers: Any) -> dict[str, str]:
    if not headers:
        return {}
    return {str(k).lower(): str(v) for k, v in dict(headers).items()}


def classify(
    http_status: int | None,
    body: Any,
    headers: Any = None,
) -> ApiFailure:
    """Decide the kind of a failed call from its status, error body and headers."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            body = {}
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = str(error.get("message") or f"HTTP {http_status}")
    transient = bool(error.get("is_transient"))
    if code in REDUCE_DATA_CODES and subcode == REDUCE_DATA_SUBCODE:
        kind = "reduce_data"
    elif code in AUTH_CODES or code in PERMISSION_CODES:
        kind = "auth"
    elif code in RATE_LIMIT_CODES:
        kind = "rate_limit"
    elif transient or (http_status is not None and http_status >= 500) or code == 2:
        kind = "transient"
    else:
        kind = "fatal"
    return ApiFailure(kind, http_status, code, subcode, message, _lower_headers(headers))
