"""A tiny warehouse holding the rpt_ views the report reads, as plain tables.

Two accounts, a fortnight of account days, six running ads (one fatiguing, one
under-delivering, one not scored), their creatives as real PNG and MP4 files, a slate, the
reliability bins and metrics of a model run, element effects, three new-concept forecasts
and six resolved past forecasts.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import av
import numpy as np
import pyarrow as pa
from PIL import Image

from aelp.schemas import TableSpec
from aelp.warehouse.duckdb import DuckDBWarehouse

SCHEMA = "main_reporting"
LATEST = date(2026, 3, 1)
ACCOUNTS = ("1001", "1002")
ADS = [f"ad{i}" for i in range(6)]


def _write(
    wh: DuckDBWarehouse, name: str, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> None:
    table = pa.Table.from_pylist(rows)
    wh.upsert(TableSpec(SCHEMA, name, table.schema, key), table)


def _png(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (120, 120), colour).save(path)
    return path


def _mp4(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=4)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(4):
            pixels = np.full((64, 64, 3), 40 * i, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def account_days() -> list[dict[str, Any]]:
    rows = []
    for a, account in enumerate(ACCOUNTS):
        for d in range(14):
            day = LATEST - timedelta(days=13 - d)
            impressions = 10_000 + 500 * d + 3_000 * a
            clicks_u = int(impressions * (0.015 + 0.0005 * d))
            spend = 100.0 + 5 * d
            conversions = 4.0 + d % 3
            rows.append(
                {
                    "account_id": account,
                    "date_day": day,
                    "account_currency": "USD" if a == 0 else "EUR",
                    "ads_delivered": 3,
                    "impressions": impressions,
                    "unique_inline_link_clicks_from_ad_sums": clicks_u,
                    "spend": spend,
                    "conversions": conversions,
                    "ctr_u_from_ad_sums": clicks_u / impressions,
                    "cac": spend / conversions,
                    "impressions_prior_7d": 0 if d == 0 else 70_000,
                    "ctr_u_prior_7d_from_daily_sums": None if d == 0 else 0.016,
                    "cac_prior_7d": None if d == 0 else 22.0,
                    "ctr_u_change_vs_prior_7d": None
                    if d == 0
                    else clicks_u / impressions / 0.016 - 1,
                    "is_latest_day": day == LATEST,
                }
            )
    return rows


def running() -> list[dict[str, Any]]:
    rows = []
    for i, ad in enumerate(ADS):
        predicted = None if i == 5 else 0.01 + 0.002 * i
        rows.append(
            {
                "ad_id": ad,
                "date_day": LATEST,
                "account_id": ACCOUNTS[i % 2],
                "creative_id": f"c{i}",
                "impressions": 2_000 + 100 * i,
                "ctr_u": 0.012 + 0.001 * i,
                "impressions_7d": 14_000 + 700 * i,
                "ctr_u_7d_from_daily_sums": 0.011 + 0.0015 * i,
                "ctr_u_prior_7d_from_daily_sums": 0.02 if i == 1 else 0.011,
                "predicted_ctr_u": predicted,
                "predicted_ctr_u_lower": None if predicted is None else predicted * 0.8,
                "predicted_ctr_u_upper": None if predicted is None else predicted * 1.25,
                "interval_level": 0.8,
                "ctr_u_7d_minus_predicted": None if predicted is None else 0.001 - 0.0005 * i,
                "is_under_delivering": i == 2,
                "is_fatiguing": i == 1,
            }
        )
    return rows


def catalog(asset_dir: Path) -> list[dict[str, Any]]:
    asset_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, ad in enumerate(ADS):
        if i == 0:
            uri: str | None = str(_mp4(asset_dir / "c0.mp4"))
        elif i < 4:
            uri = str(_png(asset_dir / f"c{i}.png", (60 * i, 120, 200 - 40 * i)))
        elif i == 4:
            uri = "gs://bucket/assets/c4.png"
        else:
            uri = None
        rows.append(
            {
                "ad_id": ad,
                "ad_name": f"Spring <sale> | concept {i}",
                "campaign_name": f"campaign {i % 2}",
                "adset_name": f"adset {i}",
                "creative_id": f"c{i}",
                "title": "Try it",
                "media_type": "video" if i == 0 else "image",
                "content_sha256": f"{i:064x}",
                "asset_uri": uri,
            }
        )
    return rows


def slate() -> list[dict[str, Any]]:
    rows = []
    for i, ad in enumerate(ADS[:4]):
        rows.append(
            {
                "slate_date": LATEST + timedelta(days=1),
                "account_id": ACCOUNTS[0],
                "ad_id": ad,
                "ad_name": f"Spring <sale> | concept {i}",
                "arm": "explore" if i == 3 else "exploit",
                "slate_rank": i + 1,
                "budget_share": [0.4, 0.3, 0.2, 0.1][i],
                "planned_spend": [400.0, 300.0, 200.0, 100.0][i],
                "currency": "USD",
                "posterior_ctr_u_mean": 0.015,
                "expected_conversions": 10.0 - i,
                "predicted_cac": [40.0, 33.3, 25.0, 14.3][i],
                "reason": f"reason {i}",
            }
        )
    return rows


def reliability() -> list[dict[str, Any]]:
    rows = []
    for scorer in ("model", "baseline_eb_shrinkage"):
        for b in range(5):
            rows.append(
                {
                    "model_run_id": "run1",
                    "scorer": scorer,
                    "bin_number": b,
                    "rank_from_top": 5 - b,
                    "predicted_ctr_u": 0.005 + 0.004 * b,
                    "observed_ctr_u": 0.006 + 0.0038 * b,
                    "impressions": 20_000.0,
                    "lift": (0.006 + 0.0038 * b) / 0.0136,
                    "cumulative_impression_share_from_top": (5 - b) / 5,
                    "test_start": date(2026, 2, 23),
                    "test_end": LATEST,
                }
            )
    return rows


def quality() -> list[dict[str, Any]]:
    values = {
        ("model", "logloss"): 0.081,
        ("baseline_global_mean", "logloss"): 0.09,
        ("baseline_eb_shrinkage", "logloss"): 0.083,
        ("model", "ece"): 0.0004,
        ("model", "share_of_achievable_gain"): 0.71,
        ("classifier", "auc"): 0.74,
    }
    return [
        {
            "model_run_id": "run1",
            "segment": "overall",
            "scorer": scorer,
            "metric": metric,
            "metric_value": value,
            "row_count": 500,
        }
        for (scorer, metric), value in values.items()
    ]


def effects() -> list[dict[str, Any]]:
    elements = [
        ("f_colourfulness", "high", 0.002),
        ("f_has_person_first_second", "present", 0.0015),
        ("f_motion_energy", "low", -0.001),
        ("fc_call_to_action_type", "LEARN_MORE", -0.0004),
    ]
    return [
        {
            "element": element,
            "element_value": value,
            "model_run_id": "run1",
            "average_effect_ctr_u": effect,
            "support_rows": 100 + i,
            "support_ads": 10 + i,
            "effect_rank": i + 1,
        }
        for i, (element, value, effect) in enumerate(elements)
    ]


def concept_forecasts(concept_dir: Path) -> list[dict[str, Any]]:
    concept_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(3):
        name = f"concept_{i}.png"
        _png(concept_dir / name, (200, 40 * i, 90))
        predicted = 0.012 + 0.004 * i
        rows.append(
            {
                "model_run_id": "run1",
                "content_sha256": f"{100 + i:064x}",
                "scenario_id": "adset1:5000:2026-03-02:7:p50",
                "concept_file": name,
                "media_type": "image",
                "predicted_ctr_u": predicted,
                "predicted_ctr_u_lower": predicted * 0.6,
                "predicted_ctr_u_upper": predicted * 1.5,
                "benchmark_ctr_u": 0.015,
                "p_ctr_u_ge_benchmark": 0.3 + 0.2 * i,
                "rank_in_scenario": 3 - i,
            }
        )
    return rows


def concept_hit_rate() -> list[dict[str, Any]]:
    rows = []
    p_hits = [0.15, 0.25, 0.45, 0.55, 0.8, 0.9]
    hits = [False, False, True, False, True, True]
    for i, (p_hit, hit) in enumerate(zip(p_hits, hits, strict=True)):
        in_bin = [j for j, p in enumerate(p_hits) if int(p * 10) // 3 == int(p_hit * 10) // 3]
        rows.append(
            {
                "model_run_id": "run1",
                "content_sha256": f"{200 + i:064x}",
                "scenario_id": "adset1:5000:2026-02-01:7:p50",
                "concept_file": f"past_{i}.png",
                "benchmark_ctr_u": 0.015,
                "predicted_ctr_u": 0.01 + 0.002 * i,
                "predicted_ctr_u_lower": 0.006 + 0.002 * i,
                "predicted_ctr_u_upper": 0.016 + 0.002 * i,
                "p_ctr_u_ge_benchmark": p_hit,
                "ctr_u_from_daily_sums": 0.018 if hit else 0.011,
                "is_hit": hit,
                "is_inside_interval": i != 3,
                "forecast_rank": 6 - i,
                "reliability_bin": int(p_hit * 10) // 3 * 3,
                "bin_forecasts": len(in_bin),
                "bin_mean_p_hit": sum(p_hits[j] for j in in_bin) / len(in_bin),
                "bin_hit_rate": sum(hits[j] for j in in_bin) / len(in_bin),
                "run_concepts": 6,
                "run_hit_rate": 0.5,
                "run_mean_p_hit": sum(p_hits) / 6,
                "run_brier_skill_score": 0.21,
                "run_top_quartile_hit_rate": 1.0,
            }
        )
    return rows


def load_report_views(wh: DuckDBWarehouse, asset_dir: Path) -> None:
    """Write every view the report reads (concept files land in ``asset_dir``/concepts)."""
    _write(wh, "rpt_account_daily", account_days(), ("account_id", "date_day"))
    _write(wh, "rpt_current_running_scored", running(), ("ad_id",))
    _write(wh, "rpt_ad_catalog", catalog(asset_dir), ("ad_id",))
    _write(wh, "rpt_slate_latest", slate(), ("account_id", "ad_id"))
    _write(wh, "rpt_model_reliability", reliability(), ("scorer", "bin_number"))
    _write(wh, "rpt_model_quality", quality(), ("segment", "scorer", "metric"))
    _write(wh, "rpt_creative_element_effects", effects(), ("element", "element_value"))
    _write(
        wh,
        "rpt_concept_forecasts",
        concept_forecasts(asset_dir / "concepts"),
        ("model_run_id", "content_sha256", "scenario_id"),
    )
    _write(
        wh,
        "rpt_concept_hit_rate",
        concept_hit_rate(),
        ("model_run_id", "content_sha256", "scenario_id"),
    )
