"""Exponential backoff with full jitter, Meta's regain-access hints, and the run's counters."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import requests
from facebook_business.exceptions import FacebookRequestError

from aelp.meta.errors import (
    ApiFailure,
    MetaAuthError,
    MetaRequestError,
    ReduceDataError,
    classify,
)
from aelp.meta.redact import redact
from aelp.meta.usage import insights_throttle_pct, regain_access_seconds

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class FetchStats:
    """Counters of one run, reported in the summary."""

    requests: int = 0
    retries: int = 0
    throttle_waits: int = 0
    waited_s: float = 0.0
    splits: int = 0
    async_failures: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def add_rows(self, table: str, n: int) -> None:
        """Count rows written to a table."""
        self.rows[table] = self.rows.get(table, 0) + n


@dataclass
class RetryPolicy:
    """How long to wait before attempt ``k`` and how many attempts a call gets.

    ``sleep`` and ``rng`` are injectable so tests run without waiting.
    """

    max_attempts: int = 8
    base_s: float = 1.0
    cap_s: float = 300.0
    throttle_pct: float = 90.0
    throttle_wait_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return self.rng.uniform(0.0, min(self.cap_s, self.base_s * 2.0**attempt))

    def wait_for(self, failure: ApiFailure, attempt: int) -> float:
        """Backoff, but never less than what Meta says it needs to regain access."""
        return max(self.backoff(attempt), regain_access_seconds(failure.headers))


def failure_of(error: Exception) -> ApiFailure | None:
    """Classify an SDK or transport error; ``None`` for anything else."""
    if isinstance(error, FacebookRequestError):
        return classify(error.http_status(), error.body(), error.http_headers())
    if isinstance(error, (requests.ConnectionError, requests.Timeout)):
        return ApiFailure("transient", None, None, None, f"{type(error).__name__}: {error}", {})
    return None


def describe(failure: ApiFailure) -> str:
    """One line: code, subcode, HTTP status and Meta's message."""
    parts = [f"code {failure.code}"] if failure.code is not None else []
    if failure.subcode is not None:
        parts.append(f"subcode {failure.subcode}")
    if failure.http_status is not None:
        parts.append(f"HTTP {failure.http_status}")
    return f"{failure.message} ({', '.join(parts) or 'no response'})"


class Caller:
    """Runs API calls under the policy, naming the account in every error it raises."""

    def __init__(self, policy: RetryPolicy, stats: FetchStats, secrets: tuple[str, ...]) -> None:
        self.policy = policy
        self.stats = stats
        self.secrets = secrets

    def __call__(self, fn: Callable[[], T], account_id: str, what: str) -> T:
        """Call ``fn`` until it succeeds, retrying rate limits, 5xx and transient errors."""
        attempt = 0
        while True:
            self.stats.requests += 1
            try:
                return fn()
            except (FacebookRequestError, requests.RequestException) as error:
                failure = failure_of(error)
                if failure is None:
                    raise
                self._raise_unless_retryable(failure, account_id, what)
                attempt += 1
                if attempt >= self.policy.max_attempts:
                    raise MetaRequestError(
                        redact(
                            f"{account_id}: {what} still failing after {attempt} attempts: "
                            f"{describe(failure)}",
                            self.secrets,
                        )
                    ) from None
                wait = self.policy.wait_for(failure, attempt)
                self.stats.retries += 1
                if failure.kind == "rate_limit":
                    self.stats.throttle_waits += 1
                self.stats.waited_s += wait
                log.warning(
                    "%s: %s failed (%s); retry %d in %.1f s",
                    account_id,
                    what,
                    redact(describe(failure), self.secrets),
                    attempt,
                    wait,
                )
                self.policy.sleep(wait)

    def _raise_unless_retryable(self, failure: ApiFailure, account_id: str, what: str) -> None:
        text = redact(describe(failure), self.secrets)
        if failure.kind == "auth":
            raise MetaAuthError(
                f"{account_id}: access denied during {what}: {text}. Check META_ACCESS_TOKEN "
                "and the token's ads_read permission on this account; nothing partial was written."
            ) from None
        if failure.kind == "reduce_data":
            raise ReduceDataError(f"{account_id}: {what}: {text}") from None
        if failure.kind == "fatal":
            raise MetaRequestError(f"{account_id}: {what} failed: {text}") from None

    def throttle(self, headers: object, account_id: str) -> None:
        """Pause when the insights throttle header says the account is nearly out of quota."""
        if not isinstance(headers, dict) and not hasattr(headers, "items"):
            return
        lowered = {str(k).lower(): str(v) for k, v in dict(headers).items()}  # type: ignore[call-overload]
        pct = insights_throttle_pct(lowered)
        if pct >= self.policy.throttle_pct:
            wait = max(self.policy.throttle_wait_s, regain_access_seconds(lowered))
            self.stats.throttle_waits += 1
            self.stats.waited_s += wait
            log.info("%s: insights throttle at %.0f%%; pausing %.1f s", account_id, pct, wait)
            self.policy.sleep(wait)
