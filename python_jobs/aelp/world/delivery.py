"""Daily delivery: spend, impressions, reach, clicks and conversions per ad and day.

Delivery runs in blocks of whole ad sets (``WorldConfig.adsets_per_block``), each with
its own random stream, so memory stays bounded and the world does not depend on how
blocks are processed. Within a block everything is vectorised over (ad, day):

1. Each ad set spends its daily budget (with pacing noise) across its live ads, in
   proportion to ``exp(1.2 * (propensity + daily noise))``: Meta favours ads it expects
   to do well, so delivery is heavy-tailed.
2. CPM = ad set level x account drift x weekday x ad-set-day noise x ad multiplier;
   impressions ~ Poisson(spend / CPM * 1000). Days with no impressions have no row.
3. Reach follows from impressions and the ad set's audience size; frequency =
   impressions / reach.
4. logit(ctr_u) = ad level (base + creative + audience + quality) + weekday + account
   shock + fatigue + noise, where fatigue grows with ad age after an onset and with
   frequency. Counts are binomial, nested so unique <= link <= all clicks <= impressions.
5. Click-through conversions ~ Binomial(unique link clicks, c2s); 1-day-click ones are a
   thinning of the 7-day ones; view-through conversions are a small Poisson extra.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from aelp.world.entities import Entities

WEEKDAY_CTR = np.array([-0.03, -0.02, 0.0, 0.01, 0.03, 0.08, 0.06])
"""Logit(ctr_u) offset by weekday, Monday first."""
WEEKDAY_CPM = np.array([1.00, 1.00, 0.99, 1.00, 1.03, 0.96, 0.97])
"""CPM factor by weekday, Monday first."""
DELIVERY_SHARPNESS = 1.2
DAILY_CTR_NOISE_SD = 0.10
SET_CPM_NOISE_SD = 0.1
FREQUENCY_NOISE_SD = 0.05
C2S_NOISE_SD = 0.05
ONE_DAY_CLICK_SHARE = 0.8
VIEW_THROUGH_RATIO = 0.12


@dataclass(frozen=True)
class BlockDelivery:
    """Observed counts and true rates for every (ad, day) row with impressions in a block."""

    ad: np.ndarray
    day: np.ndarray
    impressions: np.ndarray
    reach: np.ndarray
    clicks: np.ndarray
    link_clicks: np.ndarray
    unique_link_clicks: np.ndarray
    spend_cents: np.ndarray
    landing_page_views: np.ndarray
    conversions_7d_click: np.ndarray
    conversions_1d_click: np.ndarray
    conversions_1d_view: np.ndarray
    order_value: np.ndarray
    true_ctr_u: np.ndarray
    true_link_ctr: np.ndarray
    true_ctr: np.ndarray
    true_c2s: np.ndarray
    true_cpm: np.ndarray

    def __len__(self) -> int:
        return len(self.ad)


def _conditional_rate(p_outer: np.ndarray, p_inner: np.ndarray) -> np.ndarray:
    """P(outer event | not the inner one), ``(p_outer - p_inner) / (1 - p_inner)``, kept in [0, 1]:
    a saturated inner rate (1.0) or an outer rate pushed past 1 by its noise gives 0 or 1
    instead of NaN or an invalid binomial probability (in range it is the plain formula)."""
    rate = np.divide(
        p_outer - p_inner, 1.0 - p_inner, out=np.zeros_like(p_inner), where=p_inner < 1.0
    )
    return np.clip(rate, 0.0, 1.0)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def set_day_cpm(
    ent: Entities, sets: np.ndarray, days: np.ndarray, log_noise: np.ndarray
) -> np.ndarray:
    """True CPM (sets x days) before the ad multiplier: ad set level x ad-set-day noise
    (``log_noise``, on the log scale) x account drift x weekday."""
    weekday = (ent.config.start_date.weekday() + days) % 7
    return (
        ent.adset_cpm[sets][:, None]
        * np.exp(log_noise)
        * ent.account_cpm_factor[ent.adset_account[sets]][:, days]
        * WEEKDAY_CPM[weekday]
    )


def true_frequency(
    impressions: np.ndarray, audience: np.ndarray, age: np.ndarray, log_noise: np.ndarray
) -> np.ndarray:
    """Impressions per person reached: grows with the day's impressions over the audience
    and with the ad's age (days run)."""
    freq = (1.0 + 0.08 * np.sqrt(impressions / (audience * 1e-4)) * (1.0 + age / 120.0)) * np.exp(
        log_noise
    )
    return np.clip(freq, 1.0, 8.0)


def ctr_u_logit(
    ent: Entities,
    ads: np.ndarray,
    days: np.ndarray,
    age: np.ndarray,
    frequency: np.ndarray,
    noise: np.ndarray,
) -> np.ndarray:
    """True logit(ctr_u) of ``ads`` on ``days`` (parallel arrays): ad level + weekday +
    account shock + fatigue (after its onset, stronger at high frequency) + daily ``noise``."""
    weekday = (ent.config.start_date.weekday() + days) % 7
    account = ent.adset_account[ent.ad_adset[ads]]
    ramp = np.maximum(0.0, age - ent.ad_fatigue_onset[ads]) / ent.ad_fatigue_tau[ads]
    fatigue = -ent.ad_fatigue_strength[ads] * (1.0 - np.exp(-ramp)) * (0.6 + 0.4 * frequency)
    return (
        ent.ad_ctr_logit[ads]
        + WEEKDAY_CTR[weekday]
        + ent.account_ctr_shock[account, days]
        + fatigue
        + noise
    )


def true_c2s(ent: Entities, ads: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """True conversions per unique link click of ``ads`` on a day (``noise`` on the logit)."""
    return _expit(ent.ad_c2s_logit[ads] + noise)


def block_bounds(ent: Entities) -> list[tuple[int, int]]:
    """(first ad, end ad) of each block of whole ad sets."""
    n_sets = len(ent.adset_ids)
    per = ent.config.adsets_per_block
    set_starts = np.arange(0, n_sets, per)
    ad_starts = np.searchsorted(ent.ad_adset, set_starts)
    ends = [*ad_starts[1:].tolist(), ent.n_ads]
    return list(zip(ad_starts.tolist(), ends, strict=True))


def block_rng(seed: int, block: int) -> np.random.Generator:
    """The random stream of one delivery block."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, block)))


def simulate_block(ent: Entities, i0: int, i1: int, rng: np.random.Generator) -> BlockDelivery:
    """Simulate every day of ads ``i0 .. i1 - 1`` (whole ad sets)."""
    cfg = ent.config
    n_days = cfg.n_days
    ads = np.arange(i0, i1)
    adset = ent.ad_adset[ads]
    set_first = int(adset[0])
    local_set = adset - set_first
    n_sets = int(local_set[-1]) + 1
    sets = np.arange(set_first, set_first + n_sets)
    days = np.arange(n_days)

    start = ent.ad_start_day[ads]
    active = (days >= start[:, None]) & (days < ent.ad_stop_day[ads][:, None])
    cell_ad, cell_day = np.nonzero(active)
    cell_key = local_set[cell_ad] * n_days + cell_day
    pull = ent.ad_propensity[ads][cell_ad] + 0.35 * rng.standard_normal(len(cell_ad))
    weight = np.exp(DELIVERY_SHARPNESS * pull)
    set_weight = np.bincount(cell_key, weights=weight, minlength=n_sets * n_days)
    share = weight / set_weight[cell_key]
    pacing = np.clip(np.exp(rng.normal(-0.03, 0.12, (n_sets, n_days))), 0.5, 1.25)
    set_spend = ent.adset_budget[sets][:, None] * pacing
    set_cpm = set_day_cpm(ent, sets, days, rng.normal(0.0, SET_CPM_NOISE_SD, (n_sets, n_days)))
    cell_cpm = set_cpm.ravel()[cell_key] * ent.ad_cpm_mult[ads][cell_ad]
    cell_imps = rng.poisson(set_spend.ravel()[cell_key] * share / cell_cpm * 1000.0)

    keep = cell_imps > 0
    row_ad, row_day = cell_ad[keep], cell_day[keep]
    n_rows = len(row_ad)
    imps = cell_imps[keep].astype(np.int64)
    true_cpm = cell_cpm[keep]
    g = ads[row_ad]
    row_set = ent.ad_adset[g]
    row_account = ent.adset_account[row_set]

    age = row_day - start[row_ad] + ent.ad_pre_age[g]
    audience = ent.adset_audience_size[row_set]
    freq_true = true_frequency(imps, audience, age, rng.normal(0.0, FREQUENCY_NOISE_SD, n_rows))
    reach = np.clip(np.rint(imps / freq_true).astype(np.int64), 1, imps)
    frequency = imps / reach

    logit_u = ctr_u_logit(
        ent, g, row_day, age, frequency, DAILY_CTR_NOISE_SD * rng.standard_normal(n_rows)
    )
    p_u = _expit(logit_u)
    p_link = np.maximum(p_u * ent.ad_repeat_ratio[g] * np.exp(rng.normal(0.0, 0.03, n_rows)), p_u)
    p_all = np.minimum(p_link * ent.ad_all_ratio[g] * np.exp(rng.normal(0.0, 0.05, n_rows)), 0.9)
    p_all = np.maximum(p_all, p_link)

    unique = np.minimum(rng.binomial(imps, p_u), reach)
    link = unique + rng.binomial(imps - unique, _conditional_rate(p_link, p_u))
    clicks = link + rng.binomial(imps - link, _conditional_rate(p_all, p_link))

    c2s = true_c2s(ent, g, C2S_NOISE_SD * rng.standard_normal(n_rows))
    conv_7d = rng.binomial(unique, c2s)
    conv_1d = rng.binomial(conv_7d, ONE_DAY_CLICK_SHARE)
    conv_view = rng.poisson(VIEW_THROUGH_RATIO * imps * p_u * c2s)
    lpv = rng.binomial(link, ent.ad_lpv_rate[g])
    order_value = ent.account_aov[row_account] * rng.lognormal(0.0, 0.25, n_rows)
    spend_cents = np.rint(imps * true_cpm / 10.0).astype(np.int64)

    return BlockDelivery(
        ad=g,
        day=row_day,
        impressions=imps,
        reach=reach,
        clicks=clicks,
        link_clicks=link,
        unique_link_clicks=unique,
        spend_cents=spend_cents,
        landing_page_views=lpv,
        conversions_7d_click=conv_7d,
        conversions_1d_click=conv_1d,
        conversions_1d_view=conv_view,
        order_value=order_value,
        true_ctr_u=p_u,
        true_link_ctr=p_link,
        true_ctr=p_all,
        true_c2s=c2s,
        true_cpm=true_cpm,
    )


def iter_delivery(ent: Entities) -> Iterator[BlockDelivery]:
    """Simulate the world block by block, in ad order."""
    for b, (i0, i1) in enumerate(block_bounds(ent)):
        yield simulate_block(ent, i0, i1, block_rng(ent.config.seed, b))
