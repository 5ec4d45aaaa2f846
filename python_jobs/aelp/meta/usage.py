"""Meta's usage headers: how long until access returns, and how close to throttling."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _json(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def regain_access_seconds(headers: Mapping[str, str]) -> float:
    """The longest ``estimated_time_to_regain_access`` (minutes) in the usage headers, in s."""
    minutes = 0.0
    business = _json(headers.get("x-business-use-case-usage"))
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                minutes = max(minutes, float(entry.get("estimated_time_to_regain_access") or 0))
    account = _json(headers.get("x-ad-account-usage"))
    seconds = minutes * 60
    if isinstance(account, dict):
        seconds = max(seconds, float(account.get("reset_time_duration") or 0))
    return seconds


def insights_throttle_pct(headers: Mapping[str, str]) -> float:
    """The higher of the app and account utilisation in ``x-fb-ads-insights-throttle``."""
    throttle = _json(headers.get("x-fb-ads-insights-throttle"))
    if not isinstance(throttle, dict):
        return 0.0
    return max(
        float(throttle.get("app_id_util_pct") or 0), float(throttle.get("acc_id_util_pct") or 0)
    )
