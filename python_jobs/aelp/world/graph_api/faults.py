"""Switches that make the stand-in misbehave the ways the real Graph API does."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

RATE_LIMIT_CODE = 80000
REDUCE_DATA_SUBCODE = 1487534


@dataclass
class Faults:
    """Fault-injection state; every method is thread-safe.

    Counters count down per API call (media downloads are not API calls).
    """

    rate_limited_calls: int = 0
    rate_limit_code: int = RATE_LIMIT_CODE
    regain_access_minutes: int = 0
    server_error_calls: int = 0
    token_expires_after_calls: int | None = None
    failing_async_jobs: int = 0
    reduce_data_above_rows: int | None = None
    delay_s: float = 0.0
    insights_throttle_pct: int = 0
    failing_media_downloads: int = 0
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def configure(self, **settings: Any) -> None:
        """Set any of the switches at once (unknown names are an error)."""
        with self._lock:
            for name, value in settings.items():
                if name.startswith("_") or not hasattr(self, name):
                    raise ValueError(f"unknown fault switch {name!r}")
                setattr(self, name, value)

    def next_call(self) -> str | None:
        """Count one API call and say which fault (if any) answers it."""
        with self._lock:
            self.calls += 1
            if (
                self.token_expires_after_calls is not None
                and self.calls > self.token_expires_after_calls
            ):
                return "expired_token"
            if self.rate_limited_calls > 0:
                self.rate_limited_calls -= 1
                return "rate_limit"
            if self.server_error_calls > 0:
                self.server_error_calls -= 1
                return "server_error"
            return None

    def take_async_failure(self) -> bool:
        """Whether the report run being created should fail."""
        with self._lock:
            if self.failing_async_jobs > 0:
                self.failing_async_jobs -= 1
                return True
            return False

    def take_media_failure(self) -> bool:
        """Whether the media download being served should fail with a 500."""
        with self._lock:
            if self.failing_media_downloads > 0:
                self.failing_media_downloads -= 1
                return True
            return False
