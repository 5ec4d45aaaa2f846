"""Forecast concepts that have never run and write ``ml.concept_forecasts``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from aelp.concepts.benchmark import account_benchmarks, parse_benchmark, running_ad_rates
from aelp.concepts.calibration import (
    DEFAULT_FOLDS,
    ColdStartCalibration,
    fit_cold_start,
    read_history,
)
from aelp.concepts.features import (
    AdsetEconomics,
    Concept,
    concept_feature_rows,
    is_content_column,
    read_adset_economics,
    read_content_features,
    read_scenario_context,
    scan_concepts,
)
from aelp.concepts.tables import CONCEPT_FORECASTS
from aelp.config import Settings
from aelp.modeling.artifact import load_artifact
from aelp.modeling.features import model_frame
from aelp.modeling.metrics import p_click_at_least_one
from aelp.modeling.score import artifact_uri_of, latest_model_run, predict_ctr_u
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import MissingInputError

log = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 7
DEFAULT_LEVEL = 0.8


@dataclass(frozen=True)
class Scenario:
    """What a concept is forecast for: planned volume, audience, benchmark, day and horizon.

    ``adset_ids`` None means every ad set with a running ad on the as-of day; ``as_of`` None
    means the scoring mart's day (the day after the last insights day).
    """

    impressions_per_day: int
    adset_ids: tuple[str, ...] | None = None
    benchmark: str = "p75"
    as_of: date | None = None
    horizon_days: int = DEFAULT_HORIZON_DAYS

    def __post_init__(self) -> None:
        if self.impressions_per_day < 1 or self.horizon_days < 1:
            raise ValueError("impressions per day and horizon days must be at least 1")
        parse_benchmark(self.benchmark)

    def scenario_id(self, adset_id: str, as_of: date) -> str:
        """``adset:impressions/day:as-of:horizon:benchmark``, one key part of a forecast row."""
        return (
            f"{adset_id}:{self.impressions_per_day}:{as_of.isoformat()}:"
            f"{self.horizon_days}d:{self.benchmark.strip().lower()}"
        )


@dataclass
class ForecastResult:
    """The rows written and what produced them."""

    model_run_id: str
    as_of: date
    rows: pa.Table
    calibration: ColdStartCalibration
    concepts: list[Concept] = field(default_factory=list)

    def table(self, limit: int = 12) -> str:
        """A short fixed-width table of the best-ranked rows."""
        header = (
            f"{'rank':>4}  {'concept':<22} {'adset':<19} {'ctr_u':>7} {'80% interval':>17} "
            f"{'P(>=1)':>7} {'P(>=bm)':>8} {'bench':>7} {'conv':>6} {'CAC':>8}"
        )
        lines = [
            f"model run {self.model_run_id}, as of {self.as_of}, "
            f"{self.calibration.launches} held-out launches calibrate the intervals",
            header,
        ]
        rows = sorted(
            self.rows.to_pylist(),
            key=lambda r: (-r["p_ctr_u_ge_benchmark"], r["concept_file"], r["adset_id"]),
        )
        for r in rows[:limit]:
            cac = f"{r['expected_cac']:.2f}" if r["expected_cac"] is not None else "n/a"
            conv = (
                f"{r['expected_conversions']:.1f}"
                if r["expected_conversions"] is not None
                else "n/a"
            )
            lines.append(
                f"{r['rank_in_scenario']:>4}  {r['concept_file'][:22]:<22} {r['adset_id']:<19} "
                f"{r['predicted_ctr_u']:>7.4f} "
                f"{r['predicted_ctr_u_lower']:>8.4f}-{r['predicted_ctr_u_upper']:<8.4f} "
                f"{r['p_click_ge1']:>7.3f} {r['p_ctr_u_ge_benchmark']:>8.3f} "
                f"{r['benchmark_ctr_u']:>7.4f} {conv:>6} {cac:>8}"
            )
        if len(rows) > limit:
            lines.append(f"... {len(rows) - limit} more rows in ml.concept_forecasts")
        return "\n".join(lines)


def forecast_concepts(
    settings: Settings,
    warehouse: Warehouse,
    folder: Path,
    scenario: Scenario,
    *,
    model_run_id: str | None = None,
    level: float = DEFAULT_LEVEL,
    folds: int = DEFAULT_FOLDS,
    num_threads: int = 1,
    forecast_at: datetime | None = None,
    pairs: Mapping[str, str] | None = None,
) -> ForecastResult:
    """Forecast every concept under ``folder`` in ``scenario`` and upsert the rows.

    The folder's content features must already be extracted and in
    ``ml_concept_content_features`` (the command does both first). Rows are keyed by
    (model run, content hash, scenario), so a re-run replaces its own rows. ``pairs``
    (content hash → ad set) keeps only those concept × ad set rows (the benchmark forecasts
    each held-out concept in the ad set it launches in).
    """
    concepts = scan_concepts(folder)
    if not concepts:
        raise MissingInputError(f"no images or videos under {folder}")
    if model_run_id is None:
        model_run_id, uri = latest_model_run(warehouse)
    else:
        uri = artifact_uri_of(warehouse, model_run_id)
    artifact = load_artifact(settings, model_run_id, uri)
    spec = artifact.features
    as_of, context = read_scenario_context(
        settings, warehouse, scenario.as_of, spec, list(scenario.adset_ids or []) or None
    )
    history = read_history(settings, warehouse, as_of, spec.columns)
    calibration = fit_cold_start(
        artifact, history, as_of, horizon_days=scenario.horizon_days, folds=folds,
        num_threads=num_threads, content_columns=[c for c in spec.columns if is_content_column(c)],
    )  # fmt: skip
    content = read_content_features(settings, warehouse, [c.content_sha256 for c in concepts])
    features = concept_feature_rows(concepts, content, context, spec, calibration.launch_age_days)
    if pairs is not None:
        keep = [
            pairs.get(h) == a
            for h, a in zip(
                features.column("content_sha256").to_pylist(),
                features.column("adset_id").to_pylist(),
                strict=True,
            )
        ]
        features = features.filter(pa.array(keep))
    model_p = predict_ctr_u(artifact, features)
    cold_p = calibration.cold_start_rate(
        model_p, model_frame(features, spec), features.column("adset_id").to_pylist()
    )
    rule = parse_benchmark(scenario.benchmark)
    benchmarks = account_benchmarks(rule, running_ad_rates(settings, warehouse, as_of))
    if rule.value is None:
        missing = sorted(set(features.column("account_id").to_pylist()) - set(benchmarks))
        if missing:
            raise MissingInputError(
                f"accounts {missing} have no running ads to take {rule.text} from"
            )
    economics = read_adset_economics(settings, warehouse, as_of)
    rows = forecast_rows(
        model_run_id, as_of, scenario, features, model_p, calibration, benchmarks, rule.value,
        economics, level, forecast_at or datetime.now(UTC), cold_p,
    )  # fmt: skip
    warehouse.upsert(CONCEPT_FORECASTS, rows)
    log.info(
        "ml.concept_forecasts: %d rows (%d concepts x %d ad sets) with %s",
        rows.num_rows, len(concepts), context.num_rows, model_run_id,
    )  # fmt: skip
    return ForecastResult(model_run_id, as_of, rows, calibration, concepts)


def forecast_rows(
    model_run_id: str,
    as_of: date,
    scenario: Scenario,
    features: pa.Table,
    model_p: np.ndarray,
    calibration: ColdStartCalibration,
    benchmarks: dict[str, tuple[float, int]],
    fixed_benchmark: float | None,
    economics: Mapping[str, AdsetEconomics],
    level: float,
    forecast_at: datetime,
    cold_p: np.ndarray | None = None,
) -> pa.Table:
    """The ``ml.concept_forecasts`` rows of one forecast run (pure apart from its inputs).

    ``model_p`` is the CTR model's prediction, ``cold_p`` the calibration's cold-start rate
    that the predictive distribution is centred on (default: ``model_p``).
    """
    n = features.num_rows
    accounts = features.column("account_id").to_pylist()
    adsets = features.column("adset_id").to_pylist()
    bench, bench_ads = _benchmarks(accounts, benchmarks, fixed_benchmark)
    centre = model_p if cold_p is None else cold_p
    predicted = calibration.mean_rate(centre)
    lower, upper = calibration.interval(centre, level)
    p_hit = calibration.p_at_least(centre, bench)
    impressions = float(scenario.impressions_per_day * scenario.horizon_days)
    clicks = impressions * predicted
    money = _economics(adsets, clicks, impressions, economics)
    scenario_ids = [scenario.scenario_id(a, as_of) for a in adsets]
    rank = rank_in_scenario(scenario_ids, features.column("content_sha256").to_pylist(), p_hit)
    return pa.table(
        {
            "model_run_id": pa.array([model_run_id] * n, pa.string()),
            "content_sha256": features.column("content_sha256"),
            "scenario_id": pa.array(scenario_ids, pa.string()),
            "concept_file": features.column("concept_file"),
            "media_type": features.column("media_type"),
            "as_of_date": pa.array([as_of] * n, pa.date32()),
            "horizon_days": pa.array([scenario.horizon_days] * n, pa.int64()),
            "account_id": pa.array(accounts, pa.string()),
            "campaign_id": features.column("campaign_id"),
            "adset_id": pa.array(adsets, pa.string()),
            "account_currency": pa.array(money["currency"], pa.string()),
            "planned_impressions_per_day": pa.array([scenario.impressions_per_day] * n, pa.int64()),
            "benchmark_rule": pa.array([scenario.benchmark.strip().lower()] * n, pa.string()),
            "benchmark_ctr_u": pa.array(bench, pa.float64()),
            "benchmark_ads": pa.array(bench_ads, pa.int64()),
            "model_ctr_u": pa.array(model_p, pa.float64()),
            "predicted_ctr_u": pa.array(predicted, pa.float64()),
            "predicted_ctr_u_lower": pa.array(lower, pa.float64()),
            "predicted_ctr_u_upper": pa.array(upper, pa.float64()),
            "interval_level": pa.array([level] * n, pa.float64()),
            "p_click_ge1": pa.array(
                p_click_at_least_one(predicted, scenario.impressions_per_day), pa.float64()
            ),
            "p_ctr_u_ge_benchmark": pa.array(p_hit, pa.float64()),
            "planned_spend": pa.array(money["spend"], pa.float64()),
            "expected_link_clicks": pa.array(clicks, pa.float64()),
            "click_to_conversion_rate": pa.array(money["click_to_conversion"], pa.float64()),
            "expected_conversions": pa.array(money["conversions"], pa.float64()),
            "expected_cac": pa.array(money["cac"], pa.float64()),
            "rank_in_scenario": pa.array(rank, pa.int64()),
            "calibration_ads": pa.array([calibration.launches] * n, pa.int64()),
            "calibration_method": pa.array([calibration.method] * n, pa.string()),
            "creative_extractor_version": features.column("creative_extractor_version"),
            "creative_clip_weights": features.column("creative_clip_weights"),
            "creative_yolo_weights": features.column("creative_yolo_weights"),
            "forecast_at": pa.array([forecast_at] * n, pa.timestamp("us", tz="UTC")),
        },
        schema=CONCEPT_FORECASTS.schema,
    )


def _benchmarks(
    accounts: list[str], benchmarks: Mapping[str, tuple[float, int]], fixed: float | None
) -> tuple[np.ndarray, list[int | None]]:
    """Each row's benchmark ctr_u (the fixed value, else its account's) and how many running
    ads the account's benchmark was taken from."""
    bench = np.array(
        [fixed if fixed is not None else benchmarks[a][0] for a in accounts], dtype=np.float64
    )
    return bench, [benchmarks[a][1] if a in benchmarks else None for a in accounts]


def _economics(
    adsets: list[str],
    clicks: np.ndarray,
    impressions: float,
    economics: Mapping[str, AdsetEconomics],
) -> dict[str, list[Any]]:
    """Per row from its ad set's economics: planned spend (CPM × impressions), the
    click-to-conversion rate, expected conversions, CAC and the currency (None when the ad set
    has no such history)."""
    out: dict[str, list[Any]] = {
        k: [] for k in ("spend", "click_to_conversion", "conversions", "cac", "currency")
    }
    for i, adset in enumerate(adsets):
        econ = economics.get(adset)
        cpm = econ.cpm if econ else None
        rate = econ.click_to_conversion_rate if econ else None
        spend = impressions * cpm / 1000.0 if cpm is not None else None
        conversions = clicks[i] * rate if rate is not None else None
        out["spend"].append(spend)
        out["click_to_conversion"].append(rate)
        out["conversions"].append(conversions)
        out["cac"].append(spend / conversions if spend is not None and conversions else None)
        out["currency"].append(econ.currency if econ else None)
    return out


def rank_in_scenario(
    scenario_ids: list[str], content_hashes: list[str], p_hit: np.ndarray
) -> np.ndarray:
    """1 = the highest P(hit) within each scenario; ties broken by content hash."""
    rank = np.zeros(len(scenario_ids), dtype=np.int64)
    hashes = np.array(content_hashes, dtype=object)
    for sid in set(scenario_ids):
        idx = np.array([i for i, s in enumerate(scenario_ids) if s == sid])
        order = idx[np.lexsort((hashes[idx], -p_hit[idx]))]
        rank[order] = np.arange(1, idx.size + 1)
    return rank
