"""A tiny synthetic account for concept tests: marts as dbt would build them, plus concept files.

60 ads over 40 days in 6 ad sets; an ad's rate rises with its creative's brightness and its ad
set's level. Every ad has its own creative, so its first day is a launch of a new creative.
Three concept images (dark, mid, bright) have content features but never ran, except that the
bright one launches on ``LAUNCH_DAY`` as ad ``ad_concept`` in ad set ``as_2``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
from PIL import Image

from aelp.schemas import TableSpec
from aelp.warehouse.base import Warehouse

MARTS = "main"
FIRST_DAY = date(2026, 1, 1)
DAYS = 40
LAUNCH_DAY = FIRST_DAY + timedelta(days=33)
SCORING_DAY = FIRST_DAY + timedelta(days=DAYS)
ADSET_LEVEL = np.array([-0.4, -0.2, 0.0, 0.1, 0.3, 0.5])
CONCEPT_BRIGHTNESS = {"dark.png": 0.05, "mid.png": 0.5, "bright.png": 0.95}


def rate(brightness: float, adset: int) -> float:
    """The world's true unique link CTR."""
    return float(1 / (1 + np.exp(-(-4.6 + 1.6 * brightness + ADSET_LEVEL[adset]))))


@dataclass(frozen=True)
class ConceptWorld:
    """The concept folder and the content hash of each concept file."""

    folder: Path
    hashes: dict[str, str]


def write_concepts(folder: Path) -> dict[str, str]:
    """Three small PNGs (and a copy sidecar for one); their content hashes by name."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, value in CONCEPT_BRIGHTNESS.items():
        pixels = np.full((16, 16, 3), int(255 * value), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / name)
        hashes[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "bright.png.json").write_text(
        '{"title": "Glow", "body": "Ready?", "call_to_action_type": "SHOP_NOW"}'
    )
    (folder / "notes.txt").write_text("not media")
    return hashes


def _table(warehouse: Warehouse, name: str, rows: list[dict[str, object]]) -> None:
    table = pa.Table.from_pylist(rows)
    table = table.cast(
        pa.schema(
            [pa.field(f.name, pa.string() if f.type == pa.null() else f.type) for f in table.schema]
        )
    )
    key = ("ad_id", "date_day") if "date_day" in table.column_names else (table.column_names[0],)
    warehouse.upsert(TableSpec(MARTS, name, table.schema, key=key), table)


def build(warehouse: Warehouse, folder: Path, seed: int = 3) -> ConceptWorld:
    """Write the concept files and every mart a forecast and its hit rate read."""
    rng = np.random.default_rng(seed)
    hashes = write_concepts(folder)
    n_ads = 60
    ads = [f"ad{i:02d}" for i in range(n_ads)] + ["ad_concept"]
    adset = [i % 6 for i in range(n_ads)] + [2]
    bright = [float(b) for b in rng.uniform(0, 1, n_ads)] + [CONCEPT_BRIGHTNESS["bright.png"]]
    start = [int(s) for s in rng.integers(0, 30, n_ads)] + [33]
    creative_sha = [f"{i:064x}" for i in range(n_ads)] + [hashes["bright.png"]]

    examples: list[dict[str, object]] = []
    daily: list[dict[str, object]] = []
    prior: dict[int, list[tuple[int, float, float]]] = {s: [] for s in range(6)}
    ad_prior = [[0.0, 0.0] for _ in ads]
    for d in range(DAYS):
        day = FIRST_DAY + timedelta(days=d)
        today: list[tuple[int, float, float]] = []
        for i, ad in enumerate(ads):
            if d < start[i]:
                continue
            s = adset[i]
            window = [(m, k) for (dd, m, k) in prior[s] if d - 7 <= dd < d]
            imps = sum(m for m, _ in window)
            n = int(rng.poisson(900)) + 50
            k = int(rng.binomial(n, rate(bright[i], s)))
            m_prior, k_prior = ad_prior[i]
            split = "train" if d < 26 else "valid" if d < 33 else "test"
            examples.append(
                {
                    "ad_id": ad,
                    "date_day": day,
                    "account_id": "act_1",
                    "campaign_id": "c_1",
                    "adset_id": f"as_{s}",
                    "creative_id": f"cr_{ad}",
                    "impressions": n,
                    "unique_inline_link_clicks": k,
                    "ctr_u": k / n,
                    "split": split,
                    "f_ad_age_days": float(d - start[i] + 1),
                    "f_ad_prior_impressions": m_prior,
                    "f_creative_ctr_u_prior_28d": k_prior / m_prior if m_prior else None,
                    "f_adset_ctr_u_prior_7d": sum(k for _, k in window) / imps if imps else None,
                    "f_brightness": bright[i],
                    "f_is_video": 0.0,
                    "fc_optimization_goal": "LINK_CLICKS" if s % 2 else "OFFSITE_CONVERSIONS",
                }
            )
            daily.append(
                {
                    "ad_id": ad,
                    "date_day": day,
                    "account_id": "act_1",
                    "adset_id": f"as_{s}",
                    "account_currency": "USD",
                    "impressions": n,
                    "unique_inline_link_clicks": k,
                    "spend": n * 0.008,
                    "conversions": round(k * 0.05),
                }
            )
            ad_prior[i] = [m_prior + n, k_prior + k]
            today.append((s, float(n), float(k)))
        for s, n_, k_ in today:
            prior[s].append((d, n_, k_))
    last = {r["ad_id"] for r in examples if r["date_day"] == FIRST_DAY + timedelta(days=DAYS - 1)}
    scoring = []
    for r in examples:
        if r["date_day"] == FIRST_DAY + timedelta(days=DAYS - 1) and r["ad_id"] in last:
            row = {
                k: v
                for k, v in r.items()
                if k not in ("impressions", "unique_inline_link_clicks", "ctr_u", "split")
            }
            row["date_day"] = SCORING_DAY
            scoring.append(row)
    _table(warehouse, "ml_ctr_training_examples", examples)
    _table(warehouse, "ml_ctr_scoring_features", scoring)
    _table(warehouse, "fct_ad_daily_link_ctr", daily)
    _table(
        warehouse,
        "dim_ads",
        [
            {"ad_id": a, "creative_id": f"cr_{a}", "adset_id": f"as_{adset[i]}"}
            for i, a in enumerate(ads)
        ],
    )
    _table(
        warehouse,
        "dim_creatives",
        [{"creative_id": f"cr_{a}", "content_sha256": creative_sha[i]} for i, a in enumerate(ads)],
    )
    content = [
        {
            "content_sha256": digest,
            "media_type": "image",
            "extractor_version": "file_stats/1.0",
            "clip_weights": None,
            "yolo_weights": None,
            "f_brightness": CONCEPT_BRIGHTNESS[name],
            "f_is_video": 0,
        }
        for name, digest in hashes.items()
    ]
    content += [
        {
            "content_sha256": creative_sha[i],
            "media_type": "image",
            "extractor_version": "file_stats/1.0",
            "clip_weights": None,
            "yolo_weights": None,
            "f_brightness": bright[i],
            "f_is_video": 0,
        }
        for i in range(n_ads)
    ]
    _table(warehouse, "ml_concept_content_features", content)
    return ConceptWorld(folder, hashes)
