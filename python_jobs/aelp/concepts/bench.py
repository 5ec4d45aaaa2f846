"""``aelp bench concepts``: forecasts of held-out concepts scored against what they did.

Per seed, in its own folder: a world whose ``n_concepts`` held-out concepts launch in the
last 7 days (``aelp world generate --holdout-concepts``), loaded, file statistics extracted,
``dbt build``, ``aelp train``; then every concept is forecast as of its launch day in the ad
set it launches in, and the forecasts are resolved by the launched ads' first 7 days. The
default forward split trains up to 14 days before the end, so the model never saw a concept.
Figures: expected calibration error (10 equal-width bins) and Brier skill score of
``P(ctr_u ≥ benchmark)`` against the base-rate forecast, and the top quartile's hit rate over
the base rate.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from aelp.concepts.metrics import expected_calibration_error, reliability, summarise
from aelp.markdown_sections import write_marked_section
from aelp.modeling.bench import BIN, run_step, world_env

log = logging.getLogger(__name__)

SECTION_BEGIN = "<!-- concept-forecasts:begin -->"
SECTION_END = "<!-- concept-forecasts:end -->"
GOAL_ECE = 0.05
GOAL_LIFT = 2.0
PLANNED_IMPRESSIONS = 1000


@dataclass
class ConceptsBenchResult:
    """Per-seed summaries and reliability bins, and the settings behind them."""

    settings: dict[str, Any]
    seeds: dict[int, dict[str, float]] = field(default_factory=dict)
    bins: dict[int, list[dict[str, float]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"settings": self.settings, "seeds": self.seeds, "bins": self.bins}

    def markdown(self) -> str:
        """The per-seed table with the goals checked, and the pooled reliability bins."""
        lines = [
            "| seed | concepts | hit rate | mean P(hit) | Brier | Brier skill | ECE | "
            "ECE if calibrated (mean / 90th pct) | "
            "top-quartile hit rate | top-quartile lift | lift, ranked by true creative + "
            "audience effect | lift, ranked by true rate | goals met |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for seed, s in self.seeds.items():
            met = (
                s["ece"] <= GOAL_ECE
                and s["brier_skill"] > 0
                and s["top_quartile_lift"] >= GOAL_LIFT
            )
            lines.append(
                f"| {seed} | {s['concepts']:.0f} | {s['hit_rate']:.3f} | {s['mean_forecast']:.3f} "
                f"| {s['brier']:.4f} | {s['brier_skill']:+.3f} | {s['ece']:.3f} "
                f"| {s.get('ece_if_calibrated_mean', float('nan')):.3f} / "
                f"{s.get('ece_if_calibrated_p90', float('nan')):.3f} "
                f"| {s['top_quartile_hit_rate']:.3f} | {s['top_quartile_lift']:.2f} "
                f"| {s.get('effects_top_quartile_lift', float('nan')):.2f} "
                f"| {s.get('oracle_top_quartile_lift', float('nan')):.2f} "
                f"| {'yes' if met else 'no'} |"
            )
        if self.bins:
            lines += ["", "Reliability, all seeds pooled (bins of P(hit)):", ""]
            lines += ["| P(hit) bin | forecasts | mean P(hit) | hit rate |", "|---|---|---|---|"]
            pooled: dict[int, list[float]] = {}
            for bins in self.bins.values():
                for row in bins:
                    acc = pooled.setdefault(int(row["bin"]), [0.0, 0.0, 0.0])
                    acc[0] += row["count"]
                    acc[1] += row["count"] * row["mean_forecast"]
                    acc[2] += row["count"] * row["hit_rate"]
            for b, (n, p, h) in sorted(pooled.items()):
                lines.append(
                    f"| {b / 10:.1f}–{(b + 1) / 10:.1f} | {n:.0f} | {p / n:.3f} | {h / n:.3f} |"
                )
        return "\n".join(lines)


def concept_launch_pairs(world: Path) -> tuple[dict[str, str], date]:
    """Content hash → ad set of each held-out concept's ad, and the launch day."""
    manifest = json.loads((world / "concepts" / "concepts.json").read_text())
    hashes = {c["content_sha256"] for c in manifest["concepts"]}
    ads = pq.read_table(world / "meta" / "ads.parquet", columns=["adset_id", "creative_id"])
    assets = pq.read_table(
        world / "meta" / "creative_assets.parquet", columns=["creative_id", "content_sha256"]
    )
    sha = dict(
        zip(
            assets.column("creative_id").to_pylist(),
            assets.column("content_sha256").to_pylist(),
            strict=True,
        )
    )
    pairs: dict[str, str] = {}
    for adset, creative in zip(
        ads.column("adset_id").to_pylist(), ads.column("creative_id").to_pylist(), strict=True
    ):
        digest = sha.get(creative)
        if digest is not None and digest in hashes:
            pairs[str(digest)] = str(adset)
    return pairs, date.fromisoformat(manifest["launch_date"])


def seed_figures(
    seed: int,
    n_ads: int,
    n_days: int,
    n_concepts: int,
    benchmark: str,
    folder: Path,
    reuse: bool = False,
) -> tuple[dict[str, float], list[dict[str, float]]]:
    """Run world → forecast → launch → hit rate on one world; its summary and bins.

    With ``reuse`` and a finished world in ``folder`` (warehouse and trained model), only the
    forecast and its resolution run again: the steps before are deterministic.
    """
    from aelp.concepts.forecast import Scenario, forecast_concepts
    from aelp.concepts.hitrate import resolve
    from aelp.config import load_settings
    from aelp.warehouse import connect

    done = (folder / "warehouse.duckdb").exists() and (folder / "artifacts" / "models").exists()
    fresh = not (reuse and done)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = world_env(folder)
    aelp, dbt = str(BIN / "aelp"), str(BIN / "dbt")
    world = folder / "world"
    steps = [
        [aelp, "world", "generate", "--seed", str(seed), "--ads", str(n_ads), "--days",
         str(n_days), "--holdout-concepts", str(n_concepts), "--out", str(world)],
        [aelp, "world", "load", "--world", str(world)],
        [aelp, "creative", "extract", "--assets", str(world / "creatives"),
         "--extractors", "file_stats"],
        [dbt, "build", "-q", "--target-path", str(folder / "target"),
         "--log-path", str(folder / "logs")],
        [aelp, "train", "--seed", "0"],
    ]  # fmt: skip
    for step in steps if fresh else []:
        log.info("seed %d: %s", seed, " ".join(step[1:3]))
        run_step(step, env)
    pairs, launch = concept_launch_pairs(world)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        settings = load_settings(target="dev")
        with connect(settings) as warehouse:
            forecast_concepts(
                settings,
                warehouse,
                world / "concepts",
                Scenario(PLANNED_IMPRESSIONS, benchmark=benchmark, as_of=launch),
                pairs=pairs,
            )
            outcomes = [o for o in resolve(settings, warehouse) if o.is_complete]
            truth = warehouse.query(
                "select ad_id, date_day, true_ctr_u from sim.truth where date_day >= "
                f"date '{launch.isoformat()}'"
            ).to_pylist()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    p = np.array([float(o.forecast["p_ctr_u_ge_benchmark"]) for o in outcomes])
    hit = np.array([float(o.is_hit) for o in outcomes])
    bins = [dict(b.__dict__) for b in reliability(p, hit)]
    figures = summarise(p, hit).as_dict()
    figures["oracle_top_quartile_lift"] = oracle_lift(outcomes, truth, hit)
    figures["effects_top_quartile_lift"] = effects_lift(world, outcomes, hit)
    figures["ece_if_calibrated_mean"], figures["ece_if_calibrated_p90"] = ece_noise(p)
    return figures, bins


def ece_noise(p: np.ndarray, draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """Mean and 90th percentile of the ECE of perfectly calibrated forecasts ``p``.

    Outcomes drawn as Bernoulli(p): the sampling noise an ECE of this many concepts carries.
    """
    rng = np.random.default_rng(seed)
    values = [
        expected_calibration_error(p, (rng.random(p.size) < p).astype(np.float64))
        for _ in range(draws)
    ]
    return float(np.mean(values)), float(np.quantile(values, 0.9))


def effects_lift(world: Path, outcomes: list[Any], hit: np.ndarray) -> float:
    """Top-quartile lift when concepts are ranked by the world's true creative + audience effect.

    Everything a forecast could know before launch, known exactly: the ceiling for a forecast
    that cannot see the ad's unobserved quality.
    """
    effects = pq.read_table(
        world / "truth" / "ad_effects.parquet",
        columns=["ad_id", "creative_effect", "audience_effect"],
    ).to_pylist()
    known = {r["ad_id"]: r["creative_effect"] + r["audience_effect"] for r in effects}
    x = np.array([known[o.ad_id] for o in outcomes])
    return summarise((x - x.min()) / max(float(np.ptp(x)), 1e-12), hit).top_quartile_lift


def oracle_lift(outcomes: list[Any], truth: list[dict[str, Any]], hit: np.ndarray) -> float:
    """Top-quartile lift when concepts are ranked by the world's true mean ctr_u (a ceiling)."""
    rates: dict[str, list[float]] = {}
    for row in truth:
        rates.setdefault(str(row["ad_id"]), []).append(float(row["true_ctr_u"]))
    true = np.array([np.mean(rates.get(o.ad_id, [0.0])) for o in outcomes])
    return summarise(true / max(float(true.max()), 1e-12), hit).top_quartile_lift


def run_concepts_bench(
    seeds: list[int],
    *,
    n_ads: int,
    n_days: int,
    n_concepts: int,
    benchmark: str,
    out_dir: Path,
    reuse: bool = False,
) -> ConceptsBenchResult:
    """Every seed's figures (``reuse``: forecast again on worlds already built)."""
    result = ConceptsBenchResult(
        settings={
            "ads": n_ads,
            "days": n_days,
            "concepts": n_concepts,
            "benchmark": benchmark,
            "planned_impressions_per_day": PLANNED_IMPRESSIONS,
        }
    )
    for seed in seeds:
        figures, bins = seed_figures(
            seed, n_ads, n_days, n_concepts, benchmark, out_dir / f"seed-{seed}", reuse
        )
        result.seeds[seed] = figures
        result.bins[seed] = bins
        log.info("seed %d: %s", seed, figures)
    return result


def write_section(path: Path, result: ConceptsBenchResult) -> None:
    """Replace the "New-concept forecasts" section of a Markdown file (or append it)."""
    s = result.settings
    section = "\n".join(
        [
            "## New-concept forecasts",
            "",
            "`make bench-concepts` runs `aelp bench concepts`: per seed a world of "
            f"{s['ads']} ads × {s['days']} days with {s['concepts']} held-out concepts (new "
            "creatives launched as new ads in live ad sets 7 days before the end; files in "
            "`WORLD/concepts/`), loaded, file statistics extracted, `dbt build`, `aelp train "
            "--seed 0`; then each concept is forecast as of its launch day in the ad set it "
            f"launches in (benchmark {s['benchmark']} of the account's running ads' 7-day ctr_u), "
            "and resolved by its ad's first 7 days. A hit is realised ctr_u ≥ benchmark. "
            f"Goals: ECE ≤ {GOAL_ECE}, Brier skill > 0 against the base rate, top-quartile hit "
            f"rate ≥ {GOAL_LIFT:.0f}× the base rate. A forecast centres on a stack, fitted on "
            "past launches of new creatives held out by creative, of the CTR model's prediction, "
            "a content model (one row per creative: its clicks against its ad sets' levels, "
            "from its content and copy features) and the ad set's audience level (each of its "
            "ads counted once); P(hit) is the share of those launches' residuals that lift the "
            "centre to the benchmark. Two reference columns rank the same "
            "concepts by the world's hidden truth: by the creative + audience effect (all a "
            "forecast could know before launch, known exactly; the ad's unobserved quality "
            "left out) and by the true rate itself (quality included). *ECE if calibrated* is "
            "the ECE that perfectly calibrated forecasts with the same P(hit) values get from "
            "independent Bernoulli outcomes: the sampling noise of ECE at this many concepts "
            "(a shock shared by the launch week adds to it). ECE uses 10 equal-width bins, as "
            "`rpt_concept_hit_rate` does. Extractors: file statistics only, as in the model "
            "bench (CLIP and YOLO run with random weights here).",
            "",
            result.markdown(),
        ]
    )
    write_marked_section(path, SECTION_BEGIN, SECTION_END, section)
