"""What the advertiser has seen so far: daily delivery, and conversions reported late.

Delivery of a day (spend, impressions, reach, clicks) is reported the next morning;
its click-through conversions arrive over the following week (:data:`LAG_SHARES`), as
Meta's 7-day click window fills in. A policy deciding day ``d`` sees delivery of the days
before ``d`` and the conversions reported by then: the same sums the daily slate job reads
from the mart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aelp.simulation.config import LAG_SHARES
from aelp.simulation.environment import Delivery
from aelp.world.delivery import BlockDelivery

FloatArray = npt.NDArray[np.float64]

COUNTS = ("impressions", "reach", "unique_link_clicks", "link_clicks", "spend")


@dataclass
class WindowSums:
    """Sums per ad over a window of days, conversions as reported at the decision day."""

    impressions: FloatArray
    reach: FloatArray
    unique_link_clicks: FloatArray
    link_clicks: FloatArray
    spend: FloatArray
    conversions: FloatArray
    days_delivered: FloatArray
    days_since_first_delivery: FloatArray


class Ledger:
    """Delivery per ad and world day, and conversions per ad, day and reporting lag."""

    def __init__(self, n_ads: int, n_days: int) -> None:
        self.counts = {name: np.zeros((n_ads, n_days)) for name in COUNTS}
        self.conversions = np.zeros((n_ads, n_days, len(LAG_SHARES)))

    def copy(self) -> Ledger:
        """An independent copy (each policy continues the same history on its own)."""
        out = Ledger(0, 0)
        out.counts = {name: values.copy() for name, values in self.counts.items()}
        out.conversions = self.conversions.copy()
        return out

    def record(
        self, day: int, delivery: Delivery | dict[str, FloatArray], rng: np.random.Generator
    ) -> None:
        """Store one day's delivery; split its conversions over the reporting lags."""
        values = delivery if isinstance(delivery, dict) else _as_dict(delivery)
        for name in COUNTS:
            self.counts[name][:, day] = values[name]
        conversions = np.asarray(values["conversions"], dtype=np.int64)
        self.conversions[:, day, :] = rng.multinomial(conversions, LAG_SHARES)

    def sums(self, decision_day: int, days: int) -> WindowSums:
        """Sums over the ``days`` days before ``decision_day``, as known on that day."""
        first = max(0, decision_day - days)
        window = slice(first, decision_day)
        lags = np.arange(1, len(LAG_SHARES) + 1)
        day_index = np.arange(first, decision_day)
        reported = day_index[:, None] + lags[None, :] <= decision_day
        conversions = (self.conversions[:, window, :] * reported[None, :, :]).sum(axis=(1, 2))
        delivered = self.counts["impressions"][:, window] > 0
        return WindowSums(
            **{name: self.counts[name][:, window].sum(axis=1) for name in COUNTS},
            conversions=conversions,
            days_delivered=delivered.sum(axis=1).astype(float),
            days_since_first_delivery=np.where(
                delivered.any(axis=1), decision_day - first - delivered.argmax(axis=1), np.nan
            ),
        )

    def clicks_by_age(self, decision_day: int, days: int) -> FloatArray:
        """Link clicks of each of the ``days`` days before ``decision_day`` (ads × age
        1 … ``days``; zeros before the first day)."""
        out = np.zeros((self.conversions.shape[0], days))
        for age in range(1, min(days, decision_day) + 1):
            out[:, age - 1] = self.counts["link_clicks"][:, decision_day - age]
        return out

    def matured_conversions(self, day: int) -> FloatArray:
        """Every conversion of ``day`` once its attribution window has closed."""
        return np.asarray(self.conversions[:, day, :].sum(axis=1), dtype=np.float64)


def _as_dict(delivery: Delivery) -> dict[str, FloatArray]:
    return {
        "impressions": delivery.impressions.astype(np.float64),
        "reach": delivery.reach.astype(np.float64),
        "unique_link_clicks": delivery.unique_link_clicks.astype(np.float64),
        "link_clicks": delivery.link_clicks.astype(np.float64),
        "spend": delivery.spend,
        "conversions": delivery.conversions.astype(np.float64),
    }


def history_ledger(
    n_ads: int, n_days: int, blocks: list[BlockDelivery], before_day: int, seed: int
) -> Ledger:
    """A ledger holding the world's own delivery of the days before ``before_day``."""
    ledger = Ledger(n_ads, n_days)
    rng = np.random.default_rng([seed, 0x4157])
    per_day: dict[str, FloatArray] = {
        name: np.zeros((n_ads, n_days)) for name in (*COUNTS, "conversions")
    }
    for block in blocks:
        keep = block.day < before_day
        ad, days = block.ad[keep], block.day[keep]
        per_day["impressions"][ad, days] = block.impressions[keep]
        per_day["reach"][ad, days] = block.reach[keep]
        per_day["unique_link_clicks"][ad, days] = block.unique_link_clicks[keep]
        per_day["link_clicks"][ad, days] = block.link_clicks[keep]
        per_day["spend"][ad, days] = block.spend_cents[keep] / 100.0
        per_day["conversions"][ad, days] = block.conversions_7d_click[keep]
    for day in range(before_day):
        ledger.record(day, {name: values[:, day] for name, values in per_day.items()}, rng)
    return ledger
