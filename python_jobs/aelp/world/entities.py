"""The structure of a world: accounts, campaigns, ad sets, ads, creatives and media.

:func:`draw_entities` draws every entity with its observable fields and its hidden
parameters (effects on the logit of unique link CTR and of click-to-conversion, budget,
CPM level, life cycle). Delivery (:mod:`aelp.world.delivery`) turns them into days.

Components of logit(ctr_u), by design (standard deviations across ads):

* creative attributes (visual + copy): 0.45, see :mod:`aelp.world.attributes`;
* audience (account offset + what the targeting says + the ad set's own level): ~0.28;
* the ad's unobserved quality: 0.39, Student-t with 5 degrees of freedom (heavy tails);
* day level (weekday, account shock, ad fatigue, daily noise): the rest.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from aelp.world.adcopy import VERTICALS, write_copy
from aelp.world.attributes import (
    CopyAttributes,
    CreativeEffects,
    MediaAttributes,
    creative_effects,
    draw_copy_attributes,
    draw_media_attributes,
)
from aelp.world.config import WorldConfig

BASE_CTR_U_LOGIT = -4.62
QUALITY_SD = 0.39
QUALITY_DF = 5.0
AUDIENCE_OBSERVED_SD = 0.17
AUDIENCE_RESIDUAL_SD = 0.20
ACCOUNT_OFFSET_SD = 0.08

OBJECTIVES: tuple[str, ...] = ("OUTCOME_SALES", "OUTCOME_TRAFFIC", "OUTCOME_LEADS")
OPTIMIZATION_GOALS: tuple[str, ...] = ("OFFSITE_CONVERSIONS", "LINK_CLICKS", "LANDING_PAGE_VIEWS")
CONVERSION_ACTIONS: tuple[str, ...] = ("offsite_conversion.fb_pixel_purchase", "lead")
AD_STATUSES: tuple[str, ...] = ("ACTIVE", "PAUSED", "ARCHIVED", "DELETED")

_C2S_BASE_LOGIT = np.array([-3.55, -2.65])
_GOAL_CTR = np.array([-0.10, 0.15, 0.05])
_GOAL_C2S = np.array([0.30, -0.15, 0.0])
_GOAL_CPM = np.array([1.25, 0.85, 1.05])


@dataclass(frozen=True)
class AccountSetup:
    """Currency, time zone and home markets of an ad account."""

    currency: str
    timezone_name: str
    utc_offset_hours: int
    country_sets: tuple[tuple[str, ...], ...]


ACCOUNT_SETUPS: tuple[AccountSetup, ...] = (
    AccountSetup("USD", "America/Los_Angeles", -8, (("US",), ("US",), ("US", "CA"))),
    AccountSetup("EUR", "Europe/Berlin", 1, (("DE",), ("DE", "AT"), ("FR",), ("NL",))),
    AccountSetup("USD", "America/New_York", -5, (("US",), ("US", "CA"))),
    AccountSetup("GBP", "Europe/London", 0, (("GB",), ("GB", "IE"))),
)

_COUNTRY_USERS_M = {
    "US": 230.0,
    "CA": 28.0,
    "DE": 60.0,
    "AT": 7.0,
    "FR": 50.0,
    "NL": 14.0,
    "GB": 50.0,
    "IE": 4.0,
}
_COUNTRY_CTR = {
    "US": 0.0,
    "CA": -0.02,
    "DE": -0.08,
    "AT": -0.05,
    "FR": -0.05,
    "NL": 0.02,
    "GB": 0.03,
    "IE": 0.02,
}
_AGE_MIN = np.array([18, 25, 35, 45])
_AGE_MIN_CTR = np.array([0.10, 0.05, -0.05, -0.12])
_GENDERS: tuple[list[int], ...] = ([1, 2], [1], [2])
_PLATFORMS: tuple[list[str], ...] = (["facebook", "instagram"], ["instagram"], ["facebook"])
_PLATFORM_CTR = np.array([0.0, 0.06, -0.06])
_PLATFORM_REACH = np.array([1.0, 0.6, 0.7])
_INTERESTS_CTR = np.array([-0.10, 0.05, 0.08, 0.08])
_TARGETING_RAW_SD = 0.12
"""Standard deviation of the summed raw targeting effects under the targeting draws."""


@dataclass(frozen=True)
class Entities:
    """Every entity of a world as parallel arrays, observable and hidden fields alike.

    Index conventions: accounts ``a``, campaigns ``c``, ad sets ``s``, ads ``i``,
    creatives ``k`` and media ``m``; each entity stores the index of its parent. Ads are
    sorted by ad set, ad sets by campaign, campaigns by account.
    """

    config: WorldConfig
    # accounts
    account_ids: list[str]
    account_setup: list[AccountSetup]
    account_vertical: np.ndarray
    account_aov: np.ndarray
    account_ctr_offset: np.ndarray
    account_ctr_shock: np.ndarray  # (accounts, days)
    account_cpm_factor: np.ndarray  # (accounts, days)
    # campaigns
    campaign_ids: list[str]
    campaign_account: np.ndarray
    campaign_objective: np.ndarray
    # ad sets
    adset_ids: list[str]
    adset_campaign: np.ndarray
    adset_account: np.ndarray
    adset_goal: np.ndarray
    adset_conversion: np.ndarray
    adset_targeting: list[str]
    adset_audience_size: np.ndarray
    adset_ctr_effect: np.ndarray
    adset_c2s_effect: np.ndarray
    adset_budget: np.ndarray
    adset_cpm: np.ndarray
    adset_launch_day: np.ndarray
    # creatives and media
    creative_ids: list[str]
    creative_account: np.ndarray
    creative_media: np.ndarray
    creative_titles: list[str]
    creative_bodies: list[str]
    creative_names: list[str]
    copy: CopyAttributes
    effects: CreativeEffects
    media: MediaAttributes
    media_account: np.ndarray
    media_ids: list[str]
    # ads
    ad_ids: list[str]
    ad_adset: np.ndarray
    ad_creative: np.ndarray
    ad_start_day: np.ndarray
    ad_stop_day: np.ndarray
    ad_pre_age: np.ndarray
    ad_status: np.ndarray
    ad_quality: np.ndarray
    ad_propensity: np.ndarray
    ad_fatigue_strength: np.ndarray
    ad_fatigue_onset: np.ndarray
    ad_fatigue_tau: np.ndarray
    ad_repeat_ratio: np.ndarray
    ad_all_ratio: np.ndarray
    ad_lpv_rate: np.ndarray
    ad_c2s_logit: np.ndarray
    ad_cpm_mult: np.ndarray

    @property
    def n_ads(self) -> int:
        """Number of ads."""
        return len(self.ad_ids)

    @functools.cached_property
    def arrow_ids(self) -> dict[str, pa.Array]:
        """Ids (and account currencies) as Arrow string arrays, for fast row-wise takes."""
        return {
            "account": pa.array(self.account_ids, pa.string()),
            "currency": pa.array([s.currency for s in self.account_setup], pa.string()),
            "campaign": pa.array(self.campaign_ids, pa.string()),
            "adset": pa.array(self.adset_ids, pa.string()),
            "ad": pa.array(self.ad_ids, pa.string()),
        }

    @functools.cached_property
    def ad_account(self) -> np.ndarray:
        """Account index of each ad."""
        return self.adset_account[self.ad_adset]

    @functools.cached_property
    def ad_ctr_logit(self) -> np.ndarray:
        """Ad-level logit(ctr_u) before day-level terms: base + creative + audience + quality."""
        return (
            BASE_CTR_U_LOGIT
            + self.effects.ctr[self.ad_creative]
            + self.adset_ctr_effect[self.ad_adset]
            + self.ad_quality
        )


def meta_ids(kind: int, seed: int, n: int) -> list[str]:
    """Eighteen-digit numeric Graph API ids, unique per kind and seed."""
    prefix = f"12{seed % 1000:03d}{kind}"
    return [f"{prefix}{i + 1:012d}" for i in range(n)]


def _group_sizes(rng: np.random.Generator, n_items: int, n_groups: int, sigma: float) -> np.ndarray:
    """Split ``n_items`` into ``n_groups`` groups of at least one, with lognormal weights."""
    weights = rng.lognormal(0.0, sigma, n_groups)
    extra = rng.multinomial(n_items - n_groups, weights / weights.sum())
    return 1 + extra


def _reuse_index(rng: np.random.Generator, n: int, reuse_share: float) -> np.ndarray:
    """For ``n`` items, the index of the new thing each creates or the earlier one it reuses."""
    new = rng.random(n) >= reuse_share
    new[0] = True
    made = np.cumsum(new)
    pick = np.floor(rng.random(n) * made).astype(np.int64)
    return np.where(new, made - 1, pick)


def _split_even(n: int, parts: int) -> np.ndarray:
    base = np.full(parts, n // parts, dtype=np.int64)
    base[: n % parts] += 1
    return base


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _targeting(
    rng: np.random.Generator, setup: AccountSetup, vertical_index: int, n: int
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Targeting spec (JSON text), audience size and raw targeting CTR effect per ad set."""
    vertical = VERTICALS[vertical_index]
    age_i = rng.choice(len(_AGE_MIN), size=n, p=[0.25, 0.35, 0.25, 0.15])
    age_min = _AGE_MIN[age_i]
    age_max = rng.choice([44, 54, 65], size=n)
    age_max = np.where(age_max < age_min + 9, 65, age_max)
    gender_i = rng.choice(3, size=n, p=[0.6, 0.2, 0.2])
    platform_i = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
    n_interests = rng.choice(4, size=n, p=[0.3, 0.35, 0.25, 0.1])
    country_i = rng.integers(0, len(setup.country_sets), n)
    interest_order = np.argsort(rng.random((n, len(vertical.interests))), axis=1)

    genders = [_json(g) for g in _GENDERS]
    platforms = [_json(p) for p in _PLATFORMS]
    countries = [_json({"countries": list(c)}) for c in setup.country_sets]
    interests = [_json({"id": i, "name": name}) for i, name in vertical.interests]
    specs: list[str] = []
    for j in range(n):
        k = int(n_interests[j])
        flex = ""
        if k:
            chosen = ",".join(interests[c] for c in sorted(interest_order[j, :k]))
            flex = f',"flexible_spec":[{{"interests":[{chosen}]}}]'
        specs.append(
            f'{{"age_min":{age_min[j]},"age_max":{age_max[j]},"genders":{genders[gender_i[j]]},'
            f'"geo_locations":{countries[country_i[j]]}{flex},'
            f'"publisher_platforms":{platforms[platform_i[j]]}}}'
        )
    users = np.array([sum(_COUNTRY_USERS_M[c] for c in cs) * 1e6 for cs in setup.country_sets])
    first_country_ctr = np.array([_COUNTRY_CTR[cs[0]] for cs in setup.country_sets])
    size = (
        users[country_i]
        * (age_max - age_min)
        / (65 - 18)
        * np.where(gender_i == 0, 1.0, 0.5)
        * np.where(n_interests == 0, 1.0, 0.06 * np.maximum(n_interests, 1) ** 0.7)
        * _PLATFORM_REACH[platform_i]
    )
    effect = (
        _AGE_MIN_CTR[age_i]
        + np.where(gender_i > 0, 0.05, 0.0)
        + _PLATFORM_CTR[platform_i]
        + _INTERESTS_CTR[n_interests]
        + first_country_ctr[country_i]
    )
    return specs, size, effect


def draw_entities(config: WorldConfig) -> Entities:
    """Draw all entities of the world ``config`` describes."""
    root = np.random.SeedSequence(config.seed)
    rng = np.random.default_rng(root.spawn(1)[0])
    n_acc, n_days = config.n_accounts, config.n_days

    # accounts
    base_account = 100_000_000_000_000 + (config.seed % 1_000_000) * 1_000
    account_ids = [str(base_account + a + 1) for a in range(n_acc)]
    setups = [ACCOUNT_SETUPS[a % len(ACCOUNT_SETUPS)] for a in range(n_acc)]
    account_vertical = (np.arange(n_acc) + config.seed) % len(VERTICALS)
    account_aov = rng.lognormal(np.log(70.0), 0.3, n_acc)
    account_ctr_offset = rng.normal(0.0, ACCOUNT_OFFSET_SD, n_acc)
    account_ctr_shock = rng.normal(0.0, 0.04, (n_acc, n_days))
    drift = np.cumsum(rng.normal(0.0, 0.012, (n_acc, n_days)), axis=1)
    account_cpm_factor = np.exp(
        drift - drift.mean(axis=1, keepdims=True) + rng.normal(0.0, 0.04, (n_acc, n_days))
    )

    # hierarchy sizes
    ads_per_account = _split_even(config.n_ads, n_acc)
    adset_sizes: list[np.ndarray] = []
    campaign_sizes: list[np.ndarray] = []
    for a in range(n_acc):
        n_sets = max(1, round(ads_per_account[a] / config.mean_ads_per_adset))
        n_sets = min(n_sets, int(ads_per_account[a]))
        n_camps = max(1, round(n_sets / config.mean_adsets_per_campaign))
        adset_sizes.append(_group_sizes(rng, int(ads_per_account[a]), n_sets, 0.6))
        campaign_sizes.append(_group_sizes(rng, n_sets, n_camps, 0.5))
    sets_per_account = np.array([len(s) for s in adset_sizes])
    camps_per_account = np.array([len(c) for c in campaign_sizes])
    n_sets_total = int(sets_per_account.sum())
    n_camps_total = int(camps_per_account.sum())
    ad_adset = np.repeat(np.arange(n_sets_total), np.concatenate(adset_sizes))
    adset_campaign = np.repeat(np.arange(n_camps_total), np.concatenate(campaign_sizes))
    campaign_account = np.repeat(np.arange(n_acc), camps_per_account)
    adset_account = campaign_account[adset_campaign]
    n_ads = len(ad_adset)

    # campaigns
    campaign_objective = rng.choice(len(OBJECTIVES), size=n_camps_total, p=[0.5, 0.3, 0.2])

    # ad sets
    objective = campaign_objective[adset_campaign]
    traffic_goal = np.where(rng.random(n_sets_total) < 0.6, 1, 2)
    adset_goal = np.where(objective == 1, traffic_goal, 0)
    adset_conversion = (objective == 2).astype(np.int64)
    targeting: list[str] = []
    audience_size = np.empty(n_sets_total)
    observed = np.empty(n_sets_total)
    start = 0
    for a in range(n_acc):
        n_sets = int(sets_per_account[a])
        specs, size, effect = _targeting(rng, setups[a], int(account_vertical[a]), n_sets)
        targeting.extend(specs)
        audience_size[start : start + n_sets] = size
        observed[start : start + n_sets] = effect
        start += n_sets
    observed = observed * (AUDIENCE_OBSERVED_SD / _TARGETING_RAW_SD) + _GOAL_CTR[adset_goal]
    adset_ctr_effect = (
        account_ctr_offset[adset_account]
        + observed
        + rng.normal(0.0, AUDIENCE_RESIDUAL_SD, n_sets_total)
    )
    z_aud = (adset_ctr_effect - adset_ctr_effect.mean()) / max(adset_ctr_effect.std(), 1e-9)
    adset_c2s_effect = -0.15 * z_aud + rng.normal(0.0, 0.15, n_sets_total) + _GOAL_C2S[adset_goal]
    adset_budget = np.maximum(5.0, np.round(rng.lognormal(np.log(60.0), 0.8, n_sets_total)))
    adset_cpm = rng.lognormal(np.log(10.0), 0.4, n_sets_total) * _GOAL_CPM[adset_goal]
    launch_late = rng.random(n_sets_total) >= 0.45
    adset_launch_day = np.where(
        launch_late, rng.integers(0, max(1, int(0.85 * n_days)), n_sets_total), 0
    )
    adset_pre_age = np.where(launch_late, 0, rng.integers(0, 41, n_sets_total))

    # creatives and media (reused within an account)
    ad_account = adset_account[ad_adset]
    ad_creative = np.empty(n_ads, dtype=np.int64)
    creative_counts = np.zeros(n_acc, dtype=np.int64)
    for a in range(n_acc):
        idx = np.flatnonzero(ad_account == a)
        local = _reuse_index(rng, len(idx), config.creative_reuse_share)
        ad_creative[idx] = local + creative_counts[:a].sum()
        creative_counts[a] = local.max() + 1
    n_creatives = int(creative_counts.sum())
    creative_account = np.repeat(np.arange(n_acc), creative_counts)
    creative_media = np.empty(n_creatives, dtype=np.int64)
    media_counts = np.zeros(n_acc, dtype=np.int64)
    for a in range(n_acc):
        idx = np.flatnonzero(creative_account == a)
        local = _reuse_index(rng, len(idx), config.media_reuse_share)
        creative_media[idx] = local + media_counts[:a].sum()
        media_counts[a] = local.max() + 1
    n_media = int(media_counts.sum())
    media_account = np.repeat(np.arange(n_acc), media_counts)
    media = draw_media_attributes(rng, n_media, config.video_share, config.video_seconds)
    copy = draw_copy_attributes(rng, n_creatives)
    effects = creative_effects(media.take(creative_media), copy)
    titles: list[str] = []
    bodies: list[str] = []
    names: list[str] = []
    for a in range(n_acc):
        idx = np.flatnonzero(creative_account == a)
        part = CopyAttributes(
            has_question=copy.has_question[idx],
            has_emoji=copy.has_emoji[idx],
            has_number=copy.has_number[idx],
            cta=copy.cta[idx],
        )
        t, b, nm = write_copy(rng, VERTICALS[int(account_vertical[a])], part)
        titles.extend(t)
        bodies.extend(b)
        names.extend(nm)

    # ads: life cycle
    launch = adset_launch_day[ad_adset]
    refresh = rng.random(n_ads) >= 0.65
    offset = np.where(refresh, np.floor(rng.random(n_ads) * (n_days - launch)), 0).astype(np.int64)
    ad_start = np.minimum(launch + offset, n_days - 1)
    ad_pre_age = np.where(refresh, 0, adset_pre_age[ad_adset])
    life = np.maximum(2, np.round(rng.lognormal(np.log(30.0), 0.9, n_ads))).astype(np.int64)
    ad_stop = ad_start + np.maximum(1, life - ad_pre_age)
    never = rng.random(n_ads) < 0.03
    ad_stop = np.where(never, ad_start, ad_stop)
    ended_status = rng.choice([1, 2, 3], size=n_ads, p=[0.6, 0.15, 0.25])
    ad_status = np.where(ad_stop >= n_days, 0, ended_status)

    # ads: hidden parameters
    quality = (
        QUALITY_SD * rng.standard_t(QUALITY_DF, n_ads) / np.sqrt(QUALITY_DF / (QUALITY_DF - 2.0))
    )
    creative_ctr = effects.ctr[ad_creative]
    propensity = 0.7 * (creative_ctr + quality) + rng.normal(0.0, 0.5, n_ads)
    z_quality = quality / QUALITY_SD
    c2s_quality = 0.3 * (0.4 * z_quality + np.sqrt(1 - 0.16) * rng.standard_normal(n_ads))
    ad_c2s_logit = (
        _C2S_BASE_LOGIT[adset_conversion[ad_adset]]
        + effects.c2s[ad_creative]
        + adset_c2s_effect[ad_adset]
        + c2s_quality
    )
    is_video = media.is_video[creative_media[ad_creative]]
    cpm_mult = np.exp(-0.12 * (creative_ctr + quality) / 0.6 + rng.normal(0.0, 0.08, n_ads))

    seed = config.seed
    return Entities(
        config=config,
        account_ids=account_ids,
        account_setup=setups,
        account_vertical=account_vertical,
        account_aov=account_aov,
        account_ctr_offset=account_ctr_offset,
        account_ctr_shock=account_ctr_shock,
        account_cpm_factor=account_cpm_factor,
        campaign_ids=meta_ids(1, seed, n_camps_total),
        campaign_account=campaign_account,
        campaign_objective=campaign_objective,
        adset_ids=meta_ids(2, seed, n_sets_total),
        adset_campaign=adset_campaign,
        adset_account=adset_account,
        adset_goal=adset_goal,
        adset_conversion=adset_conversion,
        adset_targeting=targeting,
        adset_audience_size=audience_size,
        adset_ctr_effect=adset_ctr_effect,
        adset_c2s_effect=adset_c2s_effect,
        adset_budget=adset_budget,
        adset_cpm=adset_cpm,
        adset_launch_day=adset_launch_day,
        creative_ids=meta_ids(4, seed, n_creatives),
        creative_account=creative_account,
        creative_media=creative_media,
        creative_titles=titles,
        creative_bodies=bodies,
        creative_names=names,
        copy=copy,
        effects=effects,
        media=media,
        media_account=media_account,
        media_ids=meta_ids(5, seed, n_media),
        ad_ids=meta_ids(3, seed, n_ads),
        ad_adset=ad_adset,
        ad_creative=ad_creative,
        ad_start_day=ad_start,
        ad_stop_day=ad_stop,
        ad_pre_age=ad_pre_age,
        ad_status=ad_status,
        ad_quality=quality,
        ad_propensity=propensity,
        ad_fatigue_strength=rng.lognormal(np.log(0.35), 0.5, n_ads),
        ad_fatigue_onset=rng.uniform(4.0, 14.0, n_ads),
        ad_fatigue_tau=rng.uniform(10.0, 30.0, n_ads),
        ad_repeat_ratio=1.0 + rng.lognormal(np.log(0.1), 0.4, n_ads),
        ad_all_ratio=1.0 + rng.lognormal(np.log(0.8), 0.3, n_ads) + 0.3 * is_video,
        ad_lpv_rate=rng.beta(8.0, 2.0, n_ads),
        ad_c2s_logit=ad_c2s_logit,
        ad_cpm_mult=cpm_mult,
    )
