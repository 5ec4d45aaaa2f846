"""The sample world's truth as an environment: what a day's spend per ad would deliver.

Rates come from the world's own model (:mod:`aelp.world.delivery`): CPM per ad set, day
and ad; frequency from the day's impressions, the audience and the ad's age; logit(ctr_u)
with weekday, account shock and fatigue that grows with age and frequency; conversions
per unique link click. The day-level noise of every ad and day is drawn once per seed, so
a day's truth is the same whichever policy spends on it; only the counts differ.
Which ads can run on a day follows the world's life cycle (launches, refreshes, pauses).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aelp.world.config import WorldConfig
from aelp.world.delivery import (
    C2S_NOISE_SD,
    DAILY_CTR_NOISE_SD,
    FREQUENCY_NOISE_SD,
    SET_CPM_NOISE_SD,
    BlockDelivery,
    ctr_u_logit,
    iter_delivery,
    set_day_cpm,
    true_c2s,
    true_frequency,
)
from aelp.world.entities import Entities, draw_entities

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


@dataclass(frozen=True)
class Delivery:
    """One day's delivery per ad (arrays over every ad of the world; zeros where unfunded)."""

    spend: FloatArray
    impressions: IntArray
    reach: IntArray
    unique_link_clicks: IntArray
    link_clicks: IntArray
    conversions: IntArray
    expected_conversions: FloatArray


class Environment:
    """Days ``first_day … first_day + days - 1`` of a world, indexed from 0 by ``t``."""

    def __init__(self, ent: Entities, first_day: int, days: int, seed: int) -> None:
        if first_day + days > ent.config.n_days:
            raise ValueError("the world must cover every simulated day")
        self.ent = ent
        self.first_day = first_day
        self.days = days
        rng = np.random.default_rng([seed, 0x5EED])
        n_ads = ent.n_ads
        world_days = first_day + np.arange(days)
        sets = np.arange(len(ent.adset_ids))
        set_cpm = set_day_cpm(
            ent, sets, world_days, rng.normal(0.0, SET_CPM_NOISE_SD, (len(sets), days))
        )
        self.cpm: FloatArray = set_cpm[ent.ad_adset] * ent.ad_cpm_mult[:, None]
        typical_cpm = set_day_cpm(ent, sets, world_days, np.zeros((len(sets), days)))
        self.typical_cpm: FloatArray = typical_cpm[ent.ad_adset] * ent.ad_cpm_mult[:, None]
        self.frequency_noise = rng.normal(0.0, FREQUENCY_NOISE_SD, (n_ads, days))
        self.ctr_noise = DAILY_CTR_NOISE_SD * rng.standard_normal((n_ads, days))
        ads = np.repeat(np.arange(n_ads), days)
        self.c2s: FloatArray = true_c2s(
            ent, ads, C2S_NOISE_SD * rng.standard_normal(n_ads * days)
        ).reshape(n_ads, days)
        self.typical_c2s: FloatArray = true_c2s(ent, ads, np.zeros(n_ads * days)).reshape(
            n_ads, days
        )
        self.live = (world_days >= ent.ad_start_day[:, None]) & (
            world_days < ent.ad_stop_day[:, None]
        )
        self.age: FloatArray = (
            world_days[None, :] - ent.ad_start_day[:, None] + ent.ad_pre_age[:, None]
        ).astype(np.float64)
        self.audience: FloatArray = ent.adset_audience_size[ent.ad_adset]

    @property
    def n_ads(self) -> int:
        return self.ent.n_ads

    @property
    def currency(self) -> str:
        return self.ent.account_setup[0].currency

    def world_day(self, t: int) -> int:
        return self.first_day + t

    def live_ads(self, t: int) -> IntArray:
        """Indices of the ads that can run on day ``t``."""
        return np.flatnonzero(self.live[:, t]).astype(np.int64)

    def ctr_u(
        self, t: int, ads: IntArray, frequency: FloatArray, typical: bool = False
    ) -> FloatArray:
        """True ctr_u of ``ads`` on day ``t`` at the given frequency (``typical``: without
        the day's ad-level noise)."""
        day = np.full(len(ads), self.world_day(t))
        noise = np.zeros(len(ads)) if typical else self.ctr_noise[ads, t]
        return _expit(ctr_u_logit(self.ent, ads, day, self.age[ads, t], frequency, noise))

    def expected_conversions(
        self, t: int, ads: IntArray, spend: FloatArray, typical: bool = False
    ) -> FloatArray:
        """Expected click-through conversions of ``ads`` spending ``spend`` on day ``t``.

        Impressions = spend / CPM × 1000; frequency at those impressions (no rounding of
        reach); conversions = impressions × ctr_u × c2s. ``typical`` leaves out the day's
        unforeseeable noise per ad (CPM, frequency, ctr_u, c2s): the rates a forecaster
        who knew the world's model exactly would expect.
        """
        cpm = self.typical_cpm if typical else self.cpm
        impressions = np.asarray(spend, dtype=np.float64) / cpm[ads, t] * 1000.0
        noise = np.zeros(len(ads)) if typical else self.frequency_noise[ads, t]
        frequency = true_frequency(impressions, self.audience[ads], self.age[ads, t], noise)
        c2s = self.typical_c2s if typical else self.c2s
        return impressions * self.ctr_u(t, ads, frequency, typical) * c2s[ads, t]

    def deliver(self, t: int, spend: FloatArray, rng: np.random.Generator) -> Delivery:
        """Draw day ``t``'s counts for ``spend`` per ad (every ad of the world)."""
        spend = np.asarray(spend, dtype=np.float64)
        if (spend[~self.live[:, t]] > 0).any():
            raise ValueError(f"spend on an ad that cannot run on day {t}")
        ads = np.flatnonzero(spend > 0)
        n = self.n_ads
        out = {
            name: np.zeros(n, dtype=np.int64)
            for name in ("impressions", "reach", "unique", "link", "conversions")
        }
        expected = np.zeros(n)
        if len(ads):
            expected[ads] = self.expected_conversions(t, ads, spend[ads])
            imps = rng.poisson(spend[ads] / self.cpm[ads, t] * 1000.0).astype(np.int64)
            freq_true = true_frequency(
                imps, self.audience[ads], self.age[ads, t], self.frequency_noise[ads, t]
            )
            reach = np.where(
                imps > 0, np.clip(np.rint(imps / freq_true).astype(np.int64), 1, None), 0
            )
            reach = np.minimum(reach, imps)
            frequency = np.where(reach > 0, imps / np.maximum(reach, 1), 1.0)
            p_u = self.ctr_u(t, ads, frequency)
            unique = np.minimum(rng.binomial(imps, p_u), reach)
            p_link = np.maximum(p_u * self.ent.ad_repeat_ratio[ads], p_u)
            link = unique + rng.binomial(imps - unique, (p_link - p_u) / (1.0 - p_u))
            conversions = rng.binomial(unique, self.c2s[ads, t])
            for name, values in (
                ("impressions", imps),
                ("reach", reach),
                ("unique", unique),
                ("link", link),
                ("conversions", conversions),
            ):
                out[name][ads] = values
        real_spend = np.zeros(n)
        real_spend[ads] = out["impressions"][ads] * self.cpm[ads, t] / 1000.0
        return Delivery(
            spend=real_spend,
            impressions=out["impressions"],
            reach=out["reach"],
            unique_link_clicks=out["unique"],
            link_clicks=out["link"],
            conversions=out["conversions"],
            expected_conversions=expected,
        )


def world_for(seed: int, n_ads: int, history_days: int, days: int) -> Entities:
    """The entities of a one-account world long enough for the history and the horizon."""
    config = WorldConfig(
        seed=seed, n_ads=n_ads, n_days=history_days + days, n_accounts=1, render=False
    )
    return draw_entities(config)


def history_delivery(ent: Entities) -> list[BlockDelivery]:
    """The world's own delivery (its ad sets' budgets and Meta-like pacing), block by block;
    its rows before the first simulated day are the advertiser's logged history."""
    return list(iter_delivery(ent))
