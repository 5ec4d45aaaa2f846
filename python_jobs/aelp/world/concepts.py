"""Held-out concepts: new creatives that never ran, launched in the world's last days.

With ``WorldConfig.holdout_concepts = N`` the world gains N concepts (new media and new
copy, so new content hashes) and one new ad per concept in an ad set that is live on the
launch day ``holdout_days`` before the end. The concept ads deliver only from that day on,
as creative refreshes do, so a model trained with the default forward split (train up to
the last ``valid_days + test_days`` days) has never seen them. Their files are also copied
to ``WORLD/concepts/`` with a sidecar JSON of their copy, which is what a team would hand
to ``aelp concepts forecast`` before launch.

Everything is drawn from its own random stream, after the regular entities, so a world
without held-out concepts is exactly the world it always was.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from aelp.world.adcopy import VERTICALS, write_copy
from aelp.world.attributes import (
    CTA_TYPES,
    CopyAttributes,
    creative_effects,
    draw_copy_attributes,
    draw_media_attributes,
)
from aelp.world.entities import QUALITY_DF, QUALITY_SD, Entities, meta_ids
from aelp.world.render import MediaFile

CONCEPTS_DIR = "concepts"
MANIFEST = "concepts.json"
CONCEPT_AD_KIND = 6
"""Id kind digit of concept ads (1-5 are campaigns, ad sets, ads, creatives, media)."""


def concept_rng(seed: int) -> np.random.Generator:
    """The random stream of the held-out concepts, apart from every other stream."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7,)))


def _concat(first: Any, second: Any) -> Any:
    return type(first)(
        **{
            name: np.concatenate([getattr(first, name), getattr(second, name)])
            for name in first.__dataclass_fields__
        }
    )


def add_holdout_concepts(ent: Entities) -> Entities:
    """``ent`` plus its config's held-out concepts and their ads (ads stay sorted by ad set)."""
    cfg = ent.config
    n = cfg.holdout_concepts
    if n <= 0:
        return ent
    rng = concept_rng(cfg.seed)
    launch = cfg.n_days - cfg.holdout_days
    live = (ent.ad_start_day <= launch) & (ent.ad_stop_day > launch)
    live_sets = np.unique(ent.ad_adset[live])
    if not len(live_sets):
        live_sets = np.unique(ent.ad_adset)
    adset = np.sort(rng.choice(live_sets, size=n, replace=True))
    account = ent.adset_account[adset]

    n_media, n_creatives = len(ent.media_ids), len(ent.creative_ids)
    media = draw_media_attributes(rng, n, cfg.video_share, cfg.video_seconds)
    copy = draw_copy_attributes(rng, n)
    titles: list[str] = [""] * n
    bodies: list[str] = [""] * n
    names: list[str] = [""] * n
    for a in np.unique(account):
        idx = np.flatnonzero(account == a)
        part = CopyAttributes(
            has_question=copy.has_question[idx],
            has_emoji=copy.has_emoji[idx],
            has_number=copy.has_number[idx],
            cta=copy.cta[idx],
        )
        t, b, nm = write_copy(rng, VERTICALS[int(ent.account_vertical[a])], part)
        for j, i in enumerate(idx):
            titles[i], bodies[i], names[i] = t[j], b[j], f"concept {i + 1} | {nm[j]}"
    effects = creative_effects(media, copy)

    quality = QUALITY_SD * rng.standard_t(QUALITY_DF, n) / np.sqrt(QUALITY_DF / (QUALITY_DF - 2.0))
    propensity = 0.7 * (effects.ctr + quality) + rng.normal(0.0, 0.5, n)
    c2s_quality = 0.3 * (0.4 * quality / QUALITY_SD + np.sqrt(1 - 0.16) * rng.standard_normal(n))
    c2s_base = np.where(ent.adset_conversion[adset] == 1, -2.65, -3.55)
    ad_new: dict[str, np.ndarray] = {
        "ad_adset": adset,
        "ad_creative": n_creatives + np.arange(n),
        "ad_start_day": np.full(n, launch, dtype=ent.ad_start_day.dtype),
        "ad_stop_day": np.full(n, cfg.n_days, dtype=ent.ad_stop_day.dtype),
        "ad_pre_age": np.zeros(n, dtype=ent.ad_pre_age.dtype),
        "ad_status": np.zeros(n, dtype=ent.ad_status.dtype),
        "ad_quality": quality,
        "ad_propensity": propensity,
        "ad_fatigue_strength": rng.lognormal(np.log(0.35), 0.5, n),
        "ad_fatigue_onset": rng.uniform(4.0, 14.0, n),
        "ad_fatigue_tau": rng.uniform(10.0, 30.0, n),
        "ad_repeat_ratio": 1.0 + rng.lognormal(np.log(0.1), 0.4, n),
        "ad_all_ratio": 1.0 + rng.lognormal(np.log(0.8), 0.3, n) + 0.3 * media.is_video,
        "ad_lpv_rate": rng.beta(8.0, 2.0, n),
        "ad_c2s_logit": c2s_base + effects.c2s + ent.adset_c2s_effect[adset] + c2s_quality,
        "ad_cpm_mult": np.exp(-0.12 * (effects.ctr + quality) / 0.6 + rng.normal(0.0, 0.08, n)),
    }
    merged = {name: np.concatenate([getattr(ent, name), ad_new[name]]) for name in ad_new}
    order = np.argsort(merged["ad_adset"], kind="stable")
    ad_ids = np.asarray([*ent.ad_ids, *meta_ids(CONCEPT_AD_KIND, cfg.seed, n)], dtype=object)[order]
    ad_arrays: dict[str, Any] = {name: values[order] for name, values in merged.items()}
    return dataclasses.replace(
        ent,
        creative_ids=meta_ids(4, cfg.seed, n_creatives + n),
        creative_account=np.concatenate([ent.creative_account, account]),
        creative_media=np.concatenate([ent.creative_media, n_media + np.arange(n)]),
        creative_titles=[*ent.creative_titles, *titles],
        creative_bodies=[*ent.creative_bodies, *bodies],
        creative_names=[*ent.creative_names, *names],
        copy=_concat(ent.copy, copy),
        effects=_concat(ent.effects, effects),
        media=_concat(ent.media, media),
        media_account=np.concatenate([ent.media_account, account]),
        media_ids=meta_ids(5, cfg.seed, n_media + n),
        ad_ids=list(ad_ids),
        **ad_arrays,
    )


def concept_media_indices(ent: Entities) -> np.ndarray:
    """Media indices of the held-out concepts (the last ``holdout_concepts`` media)."""
    n = ent.config.holdout_concepts
    return np.arange(len(ent.media_ids) - n, len(ent.media_ids))


def write_concepts_dir(ent: Entities, files: list[MediaFile], out_dir: Path) -> Path:
    """Copy the concepts' files to ``out_dir/concepts/`` with a copy sidecar and a manifest."""
    cfg = ent.config
    folder = Path(out_dir) / CONCEPTS_DIR
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    first_creative = len(ent.creative_ids) - cfg.holdout_concepts
    entries = []
    for j, m in enumerate(concept_media_indices(ent)):
        k = first_creative + j
        source = Path(out_dir) / files[m].uri
        name = f"concept_{j + 1:03d}{source.suffix}"
        shutil.copyfile(source, folder / name)
        sidecar = {
            "title": ent.creative_titles[k],
            "body": ent.creative_bodies[k],
            "call_to_action_type": CTA_TYPES[int(ent.copy.cta[k])],
        }
        (folder / f"{name}.json").write_text(json.dumps(sidecar, indent=2) + "\n")
        entries.append({"file": name, "content_sha256": files[m].sha256, **sidecar})
    manifest = {
        "launch_date": cfg.concepts_launch_date.isoformat(),
        "holdout_days": cfg.holdout_days,
        "concepts": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


__all__ = [
    "CONCEPTS_DIR",
    "MANIFEST",
    "add_holdout_concepts",
    "concept_media_indices",
    "write_concepts_dir",
]
