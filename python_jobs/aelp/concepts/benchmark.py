"""The benchmark a concept must beat: a quantile of the account's running ads' ctr_u, or a value.

A running ad is one with at least ``min_impressions`` impressions over the ``days`` days
before the as-of day; its ctr_u over those days is recomputed from the daily sums
(unique link clicks are not additive across days, so this is a from-daily-sums rate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from aelp.config import Settings
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import AD_DAILY_LINK_CTR, mart_ref

BENCHMARK_DAYS = 7
BENCHMARK_MIN_IMPRESSIONS = 1000
_QUANTILE = re.compile(r"^p(\d{1,2})$")


@dataclass(frozen=True)
class BenchmarkRule:
    """``pNN`` (a quantile of the running ads' ctr_u) or a fixed ctr_u value."""

    text: str
    quantile: float | None = None
    value: float | None = None

    def resolve(self, rates: npt.ArrayLike) -> float:
        """The benchmark ctr_u given the running ads' rates (ignored for a fixed value)."""
        if self.value is not None:
            return self.value
        r = np.asarray(rates, dtype=np.float64)
        if r.size == 0:
            raise ValueError(
                f"benchmark {self.text}: the account has no running ads to compare with"
            )
        assert self.quantile is not None
        return float(np.quantile(r, self.quantile))


def parse_benchmark(text: str) -> BenchmarkRule:
    """``p50`` / ``p75`` / any ``pNN``, or a ctr_u value in (0, 1) such as ``0.012``."""
    cleaned = text.strip().lower()
    match = _QUANTILE.match(cleaned)
    if match:
        return BenchmarkRule(cleaned, quantile=int(match.group(1)) / 100.0)
    try:
        value = float(cleaned)
    except ValueError as error:
        raise ValueError(f"benchmark {text!r}: expected pNN (e.g. p75) or a ctr_u value") from error
    if not 0.0 < value < 1.0:
        raise ValueError(f"benchmark {text!r}: a ctr_u value must lie in (0, 1)")
    return BenchmarkRule(cleaned, value=value)


def running_ad_rates(
    settings: Settings,
    warehouse: Warehouse,
    as_of: date,
    days: int = BENCHMARK_DAYS,
    min_impressions: int = BENCHMARK_MIN_IMPRESSIONS,
) -> pa.Table:
    """Per account and running ad: impressions, unique link clicks and ctr_u over ``days``."""
    ref = mart_ref(settings, warehouse, AD_DAILY_LINK_CTR)
    start = as_of - timedelta(days=days)
    return warehouse.query(
        "select account_id, ad_id, sum(impressions) as impressions, "
        "sum(unique_inline_link_clicks) as unique_link_clicks "
        f"from {ref} where date_day >= {sql.day(start)} and date_day < {sql.day(as_of)} "
        f"group by account_id, ad_id having sum(impressions) >= {int(min_impressions)} "
        "order by account_id, ad_id"
    )


def account_benchmarks(rule: BenchmarkRule, running: pa.Table) -> dict[str, tuple[float, int]]:
    """Benchmark ctr_u and number of running ads, per account in ``running``."""
    accounts = np.asarray(running.column("account_id").to_pylist(), dtype=object)
    clicks = np.asarray(running.column("unique_link_clicks").to_pylist(), dtype=np.float64)
    imps = np.asarray(running.column("impressions").to_pylist(), dtype=np.float64)
    out = {}
    for account in sorted(set(accounts.tolist())):
        inside = accounts == account
        rates = clicks[inside] / imps[inside]
        out[str(account)] = (rule.resolve(rates), int(inside.sum()))
    return out
