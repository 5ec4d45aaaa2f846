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


@dataclass(frozen=True)
class _Accounts:
    ids: list[str]
    setups: list[AccountSetup]
    vertical: np.ndarray
    aov: np.ndarray
    ctr_offset: np.ndarray
    ctr_shock: np.ndarray
    cpm_factor: np.ndarray


@dataclass(frozen=True)
class _Hierarchy:
    ad_adset: np.ndarray
    adset_campaign: np.ndarray
    campaign_account: np.ndarray
    sets_per_account: np.ndarray

    @property
    def adset_account(self) -> np.ndarray:
        return self.campaign_account[self.adset_campaign]


@dataclass(frozen=True)
class _AdSets:
    campaign_objective: np.ndarray
    goal: np.ndarray
    conversion: np.ndarray
    targeting: list[str]
    audience_size: np.ndarray
    ctr_effect: np.ndarray
    c2s_effect: np.ndarray
    budget: np.ndarray
    cpm: np.ndarray
    launch_day: np.ndarray
    pre_age: np.ndarray


@dataclass(frozen=True)
class _Creatives:
    ad_creative: np.ndarray
    account: np.ndarray
    media: np.ndarray
    media_account: np.ndarray
    media_attributes: MediaAttributes
    copy: CopyAttributes
    effects: CreativeEffects
    titles: list[str]
    bodies: list[str]
    names: list[str]


def _draw_accounts(rng: np.random.Generator, config: WorldConfig) -> _Accounts:
    n_acc, n_days = config.n_accounts, config.n_days
    base_account = 100_000_000_000_000 + (config.seed % 1_000_000) * 1_000
    aov = rng.lognormal(np.log(70.0), 0.3, n_acc)
    ctr_offset = rng.normal(0.0, ACCOUNT_OFFSET_SD, n_acc)
    ctr_shock = rng.normal(0.0, 0.04, (n_acc, n_days))
    drift = np.cumsum(rng.normal(0.0, 0.012, (n_acc, n_days)), axis=1)
    cpm_factor = np.exp(
        drift - drift.mean(axis=1, keepdims=True) + rng.normal(0.0, 0.04, (n_acc, n_days))
    )
    return _Accounts(
        ids=[str(base_account + a + 1) for a in range(n_acc)],
        setups=[ACCOUNT_SETUPS[a % len(ACCOUNT_SETUPS)] for a in range(n_acc)],
        vertical=(np.arange(n_acc) + config.seed) % len(VERTICALS),
        aov=aov,
        ctr_offset=ctr_offset,
        ctr_shock=ctr_shock,
        cpm_factor=cpm_factor,
    )


def _draw_hierarchy(rng: np.random.Generator, config: WorldConfig) -> _Hierarchy:
    """Ads per ad set and ad sets per campaign, every group non-empty and uneven."""
    n_acc = config.n_accounts
    ads_per_account = _split_even(config.n_ads, n_acc)
    adset_sizes: list[np.ndarray] = []
    campaign_sizes: list[np.ndarray] = []
    for a in range(n_acc):
        n_ads = int(ads_per_account[a])
        n_sets = min(n_ads, max(1, round(n_ads / config.mean_ads_per_adset)))
        n_camps = max(1, round(n_sets / config.mean_adsets_per_campaign))
        adset_sizes.append(_group_sizes(rng, n_ads, n_sets, 0.6))
        campaign_sizes.append(_group_sizes(rng, n_sets, n_camps, 0.5))
    sets_per_account = np.array([len(s) for s in adset_sizes])
    camps_per_account = np.array([len(c) for c in campaign_sizes])
    return _Hierarchy(
        ad_adset=np.repeat(np.arange(sets_per_account.sum()), np.concatenate(adset_sizes)),
        adset_campaign=np.repeat(
            np.arange(camps_per_account.sum()), np.concatenate(campaign_sizes)
        ),
        campaign_account=np.repeat(np.arange(n_acc), camps_per_account),
        sets_per_account=sets_per_account,
    )


def _draw_adsets(
    rng: np.random.Generator, config: WorldConfig, accounts: _Accounts, tree: _Hierarchy
) -> _AdSets:
    """Objectives, goals, targeting, audience effects, budgets, CPM levels and launch days."""
    n_sets = len(tree.adset_campaign)
    adset_account = tree.adset_account
    campaign_objective = rng.choice(
        len(OBJECTIVES), size=len(tree.campaign_account), p=[0.5, 0.3, 0.2]
    )
    objective = campaign_objective[tree.adset_campaign]
    traffic_goal = np.where(rng.random(n_sets) < 0.6, 1, 2)
    goal = np.where(objective == 1, traffic_goal, 0)
    targeting: list[str] = []
    sizes: list[np.ndarray] = []
    effects: list[np.ndarray] = []
    for a in range(config.n_accounts):
        n = int(tree.sets_per_account[a])
        spec, size, effect = _targeting(rng, accounts.setups[a], int(accounts.vertical[a]), n)
        targeting.extend(spec)
        sizes.append(size)
        effects.append(effect)
    observed = np.concatenate(effects) * (AUDIENCE_OBSERVED_SD / _TARGETING_RAW_SD)
    ctr_effect = (
        accounts.ctr_offset[adset_account]
        + observed
        + _GOAL_CTR[goal]
        + rng.normal(0.0, AUDIENCE_RESIDUAL_SD, n_sets)
    )
    z_audience = (ctr_effect - ctr_effect.mean()) / max(ctr_effect.std(), 1e-9)
    c2s_effect = -0.15 * z_audience + rng.normal(0.0, 0.15, n_sets) + _GOAL_C2S[goal]
    budget = np.maximum(5.0, np.round(rng.lognormal(np.log(60.0), 0.8, n_sets)))
    cpm = rng.lognormal(np.log(10.0), 0.4, n_sets) * _GOAL_CPM[goal]
    launch_late = rng.random(n_sets) >= 0.45
    launch_day = np.where(
        launch_late, rng.integers(0, max(1, int(0.85 * config.n_days)), n_sets), 0
    )
    pre_age = np.where(launch_late, 0, rng.integers(0, 41, n_sets))
    return _AdSets(
        campaign_objective=campaign_objective,
        goal=goal,
        conversion=(objective == 2).astype(np.int64),
        targeting=targeting,
        audience_size=np.concatenate(sizes),
        ctr_effect=ctr_effect,
        c2s_effect=c2s_effect,
        budget=budget,
        cpm=cpm,
        launch_day=launch_day,
        pre_age=pre_age,
    )


def _reuse_within_accounts(
    rng: np.random.Generator, owner: np.ndarray, n_acc: int, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the thing each item uses (new, or reused from its account) and counts."""
    index = np.empty(len(owner), dtype=np.int64)
    counts = np.zeros(n_acc, dtype=np.int64)
    for a in range(n_acc):
        idx = np.flatnonzero(owner == a)
        local = _reuse_index(rng, len(idx), share)
        index[idx] = local + counts[:a].sum()
        counts[a] = local.max() + 1
    return index, counts


def _draw_creatives(
    rng: np.random.Generator, config: WorldConfig, accounts: _Accounts, ad_account: np.ndarray
) -> _Creatives:
    """Creatives (some reused by several ads) on media (some shared by several creatives)."""
    n_acc = config.n_accounts
    ad_creative, creative_counts = _reuse_within_accounts(
        rng, ad_account, n_acc, config.creative_reuse_share
    )
    creative_account = np.repeat(np.arange(n_acc), creative_counts)
    creative_media, media_counts = _reuse_within_accounts(
        rng, creative_account, n_acc, config.media_reuse_share
    )
    media = draw_media_attributes(
        rng, int(media_counts.sum()), config.video_share, config.video_seconds
    )
    copy = draw_copy_attributes(rng, len(creative_account))
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
        t, b, nm = write_copy(rng, VERTICALS[int(accounts.vertical[a])], part)
        titles.extend(t)
        bodies.extend(b)
        names.extend(nm)
    return _Creatives(
        ad_creative=ad_creative,
        account=creative_account,
        media=creative_media,
        media_account=np.repeat(np.arange(n_acc), media_counts),
        media_attributes=media,
        copy=copy,
        effects=creative_effects(media.take(creative_media), copy),
        titles=titles,
        bodies=bodies,
        names=names,
    )


def _draw_life_cycles(
    rng: np.random.Generator, n_days: int, launch: np.ndarray, adset_pre_age: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Start day, stop day (exclusive), days run before the world began, and status index.

    Most ads start with their ad set; the rest arrive later as creative refreshes. Some
    were already running when the world begins. Lifetimes are lognormal; a few ads are
    paused before delivering anything.
    """
    n = len(launch)
    refresh = rng.random(n) >= 0.65
    offset = np.where(refresh, np.floor(rng.random(n) * (n_days - launch)), 0).astype(np.int64)
    start = np.minimum(launch + offset, n_days - 1)
    pre_age = np.where(refresh, 0, adset_pre_age)
    life = np.maximum(2, np.round(rng.lognormal(np.log(30.0), 0.9, n))).astype(np.int64)
    stop = start + np.maximum(1, life - pre_age)
    stop = np.where(rng.random(n) < 0.03, start, stop)
    ended_status = rng.choice([1, 2, 3], size=n, p=[0.6, 0.15, 0.25])
    status = np.where(stop >= n_days, 0, ended_status)
    return start, stop, pre_age, status


def draw_entities(config: WorldConfig) -> Entities:
    """Draw all entities of the world ``config`` describes."""
    rng = np.random.default_rng(np.random.SeedSequence(config.seed).spawn(1)[0])
    accounts = _draw_accounts(rng, config)
    tree = _draw_hierarchy(rng, config)
    adsets = _draw_adsets(rng, config, accounts, tree)
    ad_adset = tree.ad_adset
    n_ads = len(ad_adset)
    creatives = _draw_creatives(rng, config, accounts, tree.adset_account[ad_adset])
    effects = creatives.effects
    ad_creative = creatives.ad_creative
    start, stop, pre_age, status = _draw_life_cycles(
        rng, config.n_days, adsets.launch_day[ad_adset], adsets.pre_age[ad_adset]
    )

    quality = (
        QUALITY_SD * rng.standard_t(QUALITY_DF, n_ads) / np.sqrt(QUALITY_DF / (QUALITY_DF - 2.0))
    )
    creative_ctr = effects.ctr[ad_creative]
    propensity = 0.7 * (creative_ctr + quality) + rng.normal(0.0, 0.5, n_ads)
    c2s_quality = 0.3 * (
        0.4 * quality / QUALITY_SD + np.sqrt(1 - 0.16) * rng.standard_normal(n_ads)
    )
    c2s_logit = (
        _C2S_BASE_LOGIT[adsets.conversion[ad_adset]]
        + effects.c2s[ad_creative]
        + adsets.c2s_effect[ad_adset]
        + c2s_quality
    )
    cpm_mult = np.exp(-0.12 * (creative_ctr + quality) / 0.6 + rng.normal(0.0, 0.08, n_ads))
    is_video = creatives.media_attributes.is_video[creatives.media[ad_creative]]

    seed = config.seed
    return Entities(
        config=config,
        account_ids=accounts.ids,
        account_setup=accounts.setups,
        account_vertical=accounts.vertical,
        account_aov=accounts.aov,
        account_ctr_offset=accounts.ctr_offset,
        account_ctr_shock=accounts.ctr_shock,
        account_cpm_factor=accounts.cpm_factor,
        campaign_ids=meta_ids(1, seed, len(tree.campaign_account)),
        campaign_account=tree.campaign_account,
        campaign_objective=adsets.campaign_objective,
        adset_ids=meta_ids(2, seed, len(tree.adset_campaign)),
        adset_campaign=tree.adset_campaign,
        adset_account=tree.adset_account,
        adset_goal=adsets.goal,
        adset_conversion=adsets.conversion,
        adset_targeting=adsets.targeting,
        adset_audience_size=adsets.audience_size,
        adset_ctr_effect=adsets.ctr_effect,
        adset_c2s_effect=adsets.c2s_effect,
        adset_budget=adsets.budget,
        adset_cpm=adsets.cpm,
        adset_launch_day=adsets.launch_day,
        creative_ids=meta_ids(4, seed, len(creatives.account)),
        creative_account=creatives.account,
        creative_media=creatives.media,
        creative_titles=creatives.titles,
        creative_bodies=creatives.bodies,
        creative_names=creatives.names,
        copy=creatives.copy,
        effects=effects,
        media=creatives.media_attributes,
        media_account=creatives.media_account,
        media_ids=meta_ids(5, seed, len(creatives.media_account)),
        ad_ids=meta_ids(3, seed, n_ads),
        ad_adset=ad_adset,
        ad_creative=ad_creative,
        ad_start_day=start,
        ad_stop_day=stop,
        ad_pre_age=pre_age,
        ad_status=status,
        ad_quality=quality,
        ad_propensity=propensity,
        ad_fatigue_strength=rng.lognormal(np.log(0.35), 0.5, n_ads),
        ad_fatigue_onset=rng.uniform(4.0, 14.0, n_ads),
        ad_fatigue_tau=rng.uniform(10.0, 30.0, n_ads),
        ad_repeat_ratio=1.0 + rng.lognormal(np.log(0.1), 0.4, n_ads),
        ad_all_ratio=1.0 + rng.lognormal(np.log(0.8), 0.3, n_ads) + 0.3 * is_video,
        ad_lpv_rate=rng.beta(8.0, 2.0, n_ads),
        ad_c2s_logit=c2s_logit,
        ad_cpm_mult=cpm_mult,
    )
