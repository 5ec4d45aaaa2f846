"""Arrow tables in the raw contract (:mod:`aelp.schemas`) built from entities and delivery."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from aelp import schemas
from aelp.world.adcopy import VERTICALS
from aelp.world.attributes import CTA_TYPES
from aelp.world.config import ATTRIBUTION_SETTING, REQUESTED_ACTION_WINDOWS, WorldConfig
from aelp.world.delivery import BlockDelivery
from aelp.world.entities import (
    AD_STATUSES,
    BASE_CTR_U_LOGIT,
    CONVERSION_ACTIONS,
    OBJECTIVES,
    OPTIMIZATION_GOALS,
    Entities,
)
from aelp.world.render import MediaFile

_US_PER_DAY = 86_400_000_000
_US_PER_HOUR = 3_600_000_000
_EPOCH = datetime.date(1970, 1, 1)
ACTION_TYPES: tuple[str, ...] = ("link_click", "landing_page_view", *CONVERSION_ACTIONS)
ACTION_WINDOWS: tuple[str, ...] = ("default", "1d_click", "7d_click", "1d_view")
FETCH_OK = "ok"
FETCH_NOT_RENDERED = "not_rendered"


def _epoch_day(day: datetime.date) -> int:
    return (day - _EPOCH).days


def _local_times(config: WorldConfig, days: np.ndarray, utc_offset_hours: np.ndarray) -> pa.Array:
    """UTC timestamps of account-local times given as fractional days since the start date.

    Day ``d + 0.375`` is 09:00 local on world day ``d``.
    """
    us = (
        _epoch_day(config.start_date) * _US_PER_DAY
        + np.rint(days * _US_PER_DAY).astype(np.int64)
        - utc_offset_hours.astype(np.int64) * _US_PER_HOUR
    )
    # round to whole seconds, as the Graph API serves them
    us = (us // 1_000_000) * 1_000_000
    return pa.array(us, pa.timestamp("us", tz="UTC"))


def _loader_columns(config: WorldConfig, n: int) -> list[pa.Array]:
    loaded = pa.scalar(config.loaded_at, pa.timestamp("us", tz="UTC"))
    return [pa.repeat(loaded, n), pa.repeat(pa.scalar(config.batch_id), n)]


def _table(spec: schemas.TableSpec, columns: list[pa.Array]) -> pa.Table:
    return pa.Table.from_arrays(columns, schema=spec.schema)


def _strings(values: list[str] | np.ndarray) -> pa.Array:
    return pa.array(list(values) if isinstance(values, np.ndarray) else values, pa.string())


def _ad_times(ent: Entities) -> tuple[np.ndarray, np.ndarray]:
    """Created and updated time of each ad as fractional local days since the start date."""
    jitter = (np.arange(ent.n_ads) * 0.6180339887) % 1.0
    created = ent.ad_start_day - ent.ad_pre_age - 0.2 - 1.3 * jitter + 0.375
    stopped = ent.ad_status != 0
    updated = np.where(
        stopped, np.minimum(ent.ad_stop_day, ent.config.n_days) - 0.5 + 0.1 * jitter, created
    )
    return created, updated


def _group_extreme(values: np.ndarray, groups: np.ndarray, n: int, how: str) -> np.ndarray:
    out = np.full(n, np.inf if how == "min" else -np.inf)
    if how == "min":
        np.minimum.at(out, groups, values)
    else:
        np.maximum.at(out, groups, values)
    return out


@dataclass(frozen=True)
class _Lifetimes:
    """When each entity was created and last updated (fractional local days since the start
    date), and whether it is active."""

    created: np.ndarray
    updated: np.ndarray
    active: np.ndarray

    def roll_up(self, groups: np.ndarray, n: int, lead_days: float) -> _Lifetimes:
        """The parents' lifetimes: created ``lead_days`` before their first child, updated
        with their last, active while any child is."""
        return _Lifetimes(
            created=_group_extreme(self.created, groups, n, "min") - lead_days,
            updated=_group_extreme(self.updated, groups, n, "max"),
            active=np.bincount(groups, weights=self.active, minlength=n) > 0,
        )


def entity_tables(ent: Entities, files: list[MediaFile] | None) -> dict[str, pa.Table]:
    """ad_accounts, campaigns, adsets, ads, adcreatives and creative_assets tables."""
    ad_created, ad_updated = _ad_times(ent)
    ads = _Lifetimes(ad_created, ad_updated, ent.ad_status == 0)
    adsets = ads.roll_up(ent.ad_adset, len(ent.adset_ids), lead_days=0.05)
    campaigns = adsets.roll_up(ent.adset_campaign, len(ent.campaign_ids), lead_days=0.1)
    creatives, assets = _creative_tables(ent, files)
    return {
        schemas.AD_ACCOUNTS.name: _accounts_table(ent),
        schemas.CAMPAIGNS.name: _campaigns_table(ent, campaigns),
        schemas.ADSETS.name: _adsets_table(ent, adsets),
        schemas.ADS.name: _ads_table(ent, ads),
        schemas.ADCREATIVES.name: creatives,
        schemas.CREATIVE_ASSETS.name: assets,
    }


def _brands(ent: Entities) -> list[str]:
    return [VERTICALS[int(v)].brand for v in ent.account_vertical]


def _account_offsets(ent: Entities) -> np.ndarray:
    return np.array([s.utc_offset_hours for s in ent.account_setup])


def _accounts_table(ent: Entities) -> pa.Table:
    n_acc = len(ent.account_ids)
    brands = _brands(ent)
    return _table(
        schemas.AD_ACCOUNTS,
        [
            _strings([f"act_{a}" for a in ent.account_ids]),
            _strings(ent.account_ids),
            _strings([f"{brands[a]} {ent.account_setup[a].currency}" for a in range(n_acc)]),
            _strings([s.currency for s in ent.account_setup]),
            _strings([s.timezone_name for s in ent.account_setup]),
            pa.array(np.ones(n_acc, dtype=np.int64)),
            *_loader_columns(ent.config, n_acc),
        ],
    )


def _adsets_table(ent: Entities, sets: _Lifetimes) -> pa.Table:
    cfg = ent.config
    n_sets = len(ent.adset_ids)
    brands = _brands(ent)
    offset = _account_offsets(ent)[ent.adset_account]
    account_id = np.asarray(ent.account_ids, dtype=object)
    names = [
        f"{brands[a]} | {OPTIMIZATION_GOALS[g].lower()} | AS{j + 1}"
        for j, (a, g) in enumerate(zip(ent.adset_account, ent.adset_goal, strict=True))
    ]
    status = np.where(sets.active, "ACTIVE", "PAUSED")
    return _table(
        schemas.ADSETS,
        [
            _strings(ent.adset_ids),
            _strings(account_id[ent.adset_account]),
            _strings(np.asarray(ent.campaign_ids, dtype=object)[ent.adset_campaign]),
            _strings(names),
            _strings(status),
            _strings(status),
            _strings(np.asarray(OPTIMIZATION_GOALS)[ent.adset_goal]),
            _strings(["IMPRESSIONS"] * n_sets),
            pa.array((ent.adset_budget * 100).astype(np.int64)),
            _strings(ent.adset_targeting),
            _local_times(cfg, sets.created, offset),
            _local_times(cfg, sets.created + 0.01, offset),
            pa.nulls(n_sets, pa.timestamp("us", tz="UTC")),
            _local_times(cfg, np.maximum(sets.updated, sets.created), offset),
            *_loader_columns(cfg, n_sets),
        ],
    )


def _campaigns_table(ent: Entities, camps: _Lifetimes) -> pa.Table:
    cfg = ent.config
    n_camps = len(ent.campaign_ids)
    brands = _brands(ent)
    offset = _account_offsets(ent)[ent.campaign_account]
    account_id = np.asarray(ent.account_ids, dtype=object)
    names = [
        f"{brands[a]} | {OBJECTIVES[o].removeprefix('OUTCOME_').lower()} | C{j + 1}"
        for j, (a, o) in enumerate(zip(ent.campaign_account, ent.campaign_objective, strict=True))
    ]
    status = np.where(camps.active, "ACTIVE", "PAUSED")
    return _table(
        schemas.CAMPAIGNS,
        [
            _strings(ent.campaign_ids),
            _strings(account_id[ent.campaign_account]),
            _strings(names),
            _strings(np.asarray(OBJECTIVES)[ent.campaign_objective]),
            _strings(status),
            _strings(status),
            _strings(["AUCTION"] * n_camps),
            _local_times(cfg, camps.created, offset),
            _local_times(cfg, camps.created + 0.01, offset),
            pa.nulls(n_camps, pa.timestamp("us", tz="UTC")),
            _local_times(cfg, np.maximum(camps.updated, camps.created), offset),
            *_loader_columns(cfg, n_camps),
        ],
    )


def _ads_table(ent: Entities, ads: _Lifetimes) -> pa.Table:
    cfg = ent.config
    offset = _account_offsets(ent)[ent.ad_account]
    account_id = np.asarray(ent.account_ids, dtype=object)
    status = np.asarray(AD_STATUSES)[ent.ad_status]
    creative_names = np.asarray(ent.creative_names, dtype=object)
    names = [
        f"{c} | AS{s + 1}"
        for c, s in zip(creative_names[ent.ad_creative], ent.ad_adset, strict=True)
    ]
    return _table(
        schemas.ADS,
        [
            _strings(ent.ad_ids),
            _strings(account_id[ent.ad_account]),
            _strings(np.asarray(ent.campaign_ids, dtype=object)[ent.adset_campaign[ent.ad_adset]]),
            _strings(np.asarray(ent.adset_ids, dtype=object)[ent.ad_adset]),
            _strings(names),
            _strings(status),
            _strings(status),
            _strings(np.asarray(ent.creative_ids, dtype=object)[ent.ad_creative]),
            _local_times(cfg, ads.created, offset),
            _local_times(cfg, ads.updated, offset),
            *_loader_columns(cfg, ent.n_ads),
        ],
    )


def media_image_hash(config: WorldConfig, m: int, files: list[MediaFile] | None) -> str:
    """Graph API image hash of image media ``m``: the MD5 of its PNG bytes.

    Unrendered worlds have no bytes, so the hash is the MD5 of a stable token instead.
    """
    if files is not None:
        return files[m].md5
    return hashlib.md5(f"{config.batch_id}/media/{m}".encode()).hexdigest()


def _creative_tables(ent: Entities, files: list[MediaFile] | None) -> tuple[pa.Table, pa.Table]:
    cfg = ent.config
    n = len(ent.creative_ids)
    media = ent.creative_media
    is_video = ent.media.is_video[media]
    n_media = len(ent.media_ids)
    hashes = [media_image_hash(cfg, m, files) for m in range(n_media)]
    image_hash = [None if is_video[k] else hashes[media[k]] for k in range(n)]
    video_id = [ent.media_ids[media[k]] if is_video[k] else None for k in range(n)]
    account_id = np.asarray(ent.account_ids, dtype=object)[ent.creative_account]
    creatives = _table(
        schemas.ADCREATIVES,
        [
            _strings(ent.creative_ids),
            _strings(account_id),
            _strings(ent.creative_names),
            _strings(ent.creative_titles),
            _strings(ent.creative_bodies),
            _strings(np.asarray(CTA_TYPES)[ent.copy.cta]),
            _strings(np.where(is_video, "VIDEO", "PHOTO")),
            pa.array(image_hash, pa.string()),
            pa.array(video_id, pa.string()),
            pa.nulls(n, pa.string()),
            *_loader_columns(cfg, n),
        ],
    )
    ts = pa.timestamp("us", tz="UTC")
    if files is None:
        sha: pa.Array = pa.nulls(n, pa.string())
        uri: pa.Array = pa.nulls(n, pa.string())
        size: pa.Array = pa.nulls(n, pa.int64())
        status = pa.repeat(pa.scalar(FETCH_NOT_RENDERED), n)
        fetched: pa.Array = pa.nulls(n, ts)
    else:
        sha = _strings([files[m].sha256 for m in media])
        uri = _strings([files[m].uri for m in media])
        size = pa.array([files[m].n_bytes for m in media], pa.int64())
        status = pa.repeat(pa.scalar(FETCH_OK), n)
        fetched = pa.repeat(pa.scalar(cfg.loaded_at, ts), n)
    assets = _table(
        schemas.CREATIVE_ASSETS,
        [
            _strings(ent.creative_ids),
            _strings(account_id),
            pa.array(image_hash, pa.string()),
            pa.array(video_id, pa.string()),
            _strings(np.where(is_video, "video", "image")),
            sha,
            uri,
            size,
            status,
            pa.nulls(n, pa.string()),
            fetched,
            *_loader_columns(cfg, n),
        ],
    )
    return creatives, assets


def _money(cents: np.ndarray) -> pa.Array:
    """decimal128(18, 4) amounts from integer cents, built without Python objects."""
    unscaled = cents.astype(np.int64) * 100
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = unscaled
    words[:, 1] = unscaled >> 63
    return pa.Array.from_buffers(schemas.MONEY, len(cents), [None, pa.py_buffer(words)])


def _action_list(
    values: np.ndarray, types: np.ndarray, windows: np.ndarray, present: np.ndarray
) -> pa.Array:
    """list<struct<action_type, action_window, value>> from (rows x slots) matrices.

    A row with no present slot is null, as Meta omits ``actions`` when there are none.
    """
    counts = present.sum(axis=1)
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    flat = present.ravel()
    type_idx = pa.array(types.ravel()[flat].astype(np.int8))
    window_idx = pa.array(np.broadcast_to(windows, present.shape).ravel()[flat].astype(np.int8))
    fields = list(schemas.ACTION)
    struct = pa.StructArray.from_arrays(
        [
            pa.DictionaryArray.from_arrays(type_idx, pa.array(ACTION_TYPES)).cast(pa.string()),
            pa.DictionaryArray.from_arrays(window_idx, pa.array(ACTION_WINDOWS)).cast(pa.string()),
            pa.array(values.ravel()[flat], pa.float64()),
        ],
        fields=fields,
    )
    return pa.ListArray.from_arrays(
        pa.array(offsets),
        struct,
        type=pa.list_(schemas.ACTION),
        mask=pa.array(counts == 0),
    )


_W_DEFAULT, _W_1D_CLICK, _W_7D_CLICK, _W_1D_VIEW = range(4)


def _actions(ent: Entities, d: BlockDelivery) -> tuple[pa.Array, pa.Array]:
    n = len(d)
    conversion = ent.adset_conversion[ent.ad_adset[d.ad]]
    conv_type = 2 + conversion
    conv_default = d.conversions_7d_click + d.conversions_1d_view
    counts = np.stack(
        [
            d.link_clicks,
            d.link_clicks,
            d.link_clicks,
            d.landing_page_views,
            d.landing_page_views,
            d.landing_page_views,
            conv_default,
            d.conversions_1d_click,
            d.conversions_7d_click,
            d.conversions_1d_view,
        ],
        axis=1,
    ).astype(np.float64)
    types = np.empty((n, 10), dtype=np.int8)
    types[:, 0:3] = 0
    types[:, 3:6] = 1
    types[:, 6:10] = conv_type[:, None]
    windows = np.array(
        [_W_DEFAULT, _W_1D_CLICK, _W_7D_CLICK] * 2
        + [_W_DEFAULT, _W_1D_CLICK, _W_7D_CLICK, _W_1D_VIEW]
    )
    has_conv = conv_default > 0
    present = counts > 0
    present[:, 6:10] &= has_conv[:, None]
    actions = _action_list(counts, types, windows, present)

    purchase = has_conv & (conversion == 0)
    value_counts = counts[:, 6:10]
    values = np.rint(value_counts * d.order_value[:, None] * 100.0) / 100.0
    value_present = (value_counts > 0) & purchase[:, None]
    action_values = _action_list(values, types[:, 6:10], windows[6:10], value_present)
    return actions, action_values


def insights_batch(ent: Entities, d: BlockDelivery) -> pa.Table:
    """Insights rows of one delivery block, in the raw contract."""
    cfg = ent.config
    n = len(d)
    row_set = ent.ad_adset[d.ad]
    row_account = ent.adset_account[row_set]
    ad_take = pa.array(d.ad)
    dates = pa.array((_epoch_day(cfg.start_date) + d.day).astype(np.int32), pa.date32())
    ids = ent.arrow_ids
    actions, action_values = _actions(ent, d)
    return _table(
        schemas.INSIGHTS,
        [
            ids["account"].take(pa.array(row_account)),
            ids["campaign"].take(pa.array(ent.adset_campaign[row_set])),
            ids["adset"].take(pa.array(row_set)),
            ids["ad"].take(ad_take),
            dates,
            dates,
            ids["currency"].take(pa.array(row_account)),
            pa.array(d.impressions, pa.int64()),
            pa.array(d.reach, pa.int64()),
            pa.array(d.impressions / d.reach, pa.float64()),
            pa.array(d.clicks, pa.int64()),
            pa.array(d.link_clicks, pa.int64()),
            pa.array(d.unique_link_clicks, pa.int64()),
            _money(d.spend_cents),
            pa.array(d.spend_cents * 10.0 / d.impressions, pa.float64()),
            actions,
            action_values,
            pa.repeat(pa.scalar(ATTRIBUTION_SETTING), n),
            pa.repeat(pa.scalar(REQUESTED_ACTION_WINDOWS), n),
            *_loader_columns(cfg, n),
        ],
    )


def truth_batch(ent: Entities, d: BlockDelivery) -> pa.Table:
    """Truth rows (true rates) of one delivery block, aligned with its insights rows."""
    dates = pa.array((_epoch_day(ent.config.start_date) + d.day).astype(np.int32), pa.date32())
    return _table(
        schemas.SIM_TRUTH,
        [
            ent.arrow_ids["ad"].take(pa.array(d.ad)),
            dates,
            pa.array(d.true_ctr_u, pa.float64()),
            pa.array(d.true_link_ctr, pa.float64()),
            pa.array(d.true_ctr, pa.float64()),
            pa.array(d.true_c2s, pa.float64()),
            pa.array(d.true_cpm, pa.float64()),
        ],
    )


def ad_effects_table(ent: Entities) -> pa.Table:
    """Hidden ad-level parameters: the components of logit(ctr_u) and c2s per ad."""
    return pa.table(
        {
            "ad_id": pa.array(ent.ad_ids, pa.string()),
            "creative_id": pa.array(ent.creative_ids).take(pa.array(ent.ad_creative)),
            "adset_id": pa.array(ent.adset_ids).take(pa.array(ent.ad_adset)),
            "base_logit": pa.array(np.full(ent.n_ads, BASE_CTR_U_LOGIT)),
            "creative_effect": pa.array(ent.effects.ctr[ent.ad_creative]),
            "audience_effect": pa.array(ent.adset_ctr_effect[ent.ad_adset]),
            "quality_effect": pa.array(ent.ad_quality),
            "ad_ctr_logit": pa.array(ent.ad_ctr_logit),
            "c2s_logit": pa.array(ent.ad_c2s_logit),
            "fatigue_strength": pa.array(ent.ad_fatigue_strength),
            "start_day": pa.array(ent.ad_start_day.astype(np.int64)),
            "stop_day": pa.array(ent.ad_stop_day.astype(np.int64)),
            "pre_age_days": pa.array(ent.ad_pre_age.astype(np.int64)),
        }
    )
