"""``aelp bench model``: the CTR model's quality on several demo worlds, and its cost at scale.

Per seed the whole pipeline runs in its own folder (world → raw tables → creative
features → dbt build → train → evaluate) and the headline figures are read back from
``ml.model_evaluations``. The scale run trains on a synthetic mart of ``scale_rows``
examples as wide as the real one, in a child process whose peak memory is measured.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("gain", "overall", "model", "share_of_achievable_gain"),
    ("gain cold", "cold_start", "model", "share_of_achievable_gain"),
    ("gain EB", "overall", "baseline_eb_shrinkage", "share_of_achievable_gain"),
    ("LL model", "overall", "model", "logloss"),
    ("LL EB", "overall", "baseline_eb_shrinkage", "logloss"),
    ("LL mean", "overall", "baseline_global_mean", "logloss"),
    ("LL truth", "overall", "truth", "logloss"),
    ("ECE", "overall", "model", "ece"),
    ("cover obs", "overall", "model", "interval_coverage_observed"),
    ("cover truth", "overall", "model", "interval_coverage_truth"),
    ("AUC clf", "overall", "classifier", "auc"),
    ("NDCG@10", "overall", "model", "ndcg_at_10_vs_observed"),
    ("cold rows", "cold_start", "model", "logloss"),
)


@dataclass
class BenchResult:
    """Figures per seed, and the scale run's time and memory."""

    seeds: dict[int, dict[str, float | None]] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)

    def markdown(self) -> str:
        """A Markdown table per seed (plus the mean) and the scale run's line."""
        names = [name for name, *_ in FIGURES]
        lines = [
            "| seed | " + " | ".join(names) + " | beats both baselines |",
            "|---" * (len(names) + 2) + "|",
        ]
        for seed, figures in self.seeds.items():
            cells = [_cell(name, figures.get(name)) for name in names]
            lines.append(f"| {seed} | " + " | ".join(cells) + f" | {_beats(figures)} |")
        if self.seeds:
            means = []
            for name in names:
                values = [v for f in self.seeds.values() if (v := f.get(name)) is not None]
                means.append(_cell(name, float(np.mean(values)) if values else None))
            lines.append("| mean | " + " | ".join(means) + " | |")
        if self.scale:
            s = self.scale
            lines.append("")
            lines.append(
                f"Scale: {s['rows']:,.0f} training-mart rows ({s['train_rows']:,.0f} train), "
                f"{s['features']:.0f} features: `aelp train` in {s['seconds']:.0f} s, "
                f"peak memory {s['peak_rss_gb']:.2f} GB, {s['threads']:.0f} threads."
            )
        return "\n".join(lines)


def _beats(figures: dict[str, float | None]) -> str:
    model, eb, mean = figures.get("LL model"), figures.get("LL EB"), figures.get("LL mean")
    if model is None or eb is None or mean is None:
        return "n/a"
    return "yes" if model < eb and model < mean else "no"


def _cell(name: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    if name == "cold rows":
        return f"{value:.0f}"
    if name.startswith("LL"):
        return f"{value:.5f}"
    if name == "ECE":
        return f"{value:.5f}"
    return f"{value:.3f}"


def world_env(folder: Path) -> dict[str, str]:
    profiles = folder / "profiles.yml"
    if not profiles.exists():
        shutil.copy(REPO / "profiles.example.yml", profiles)
    return {
        **os.environ,
        "AELP_DUCKDB_PATH": str(folder / "warehouse.duckdb"),
        "AELP_ARTIFACTS_DIR": str(folder / "artifacts"),
        "DBT_PROFILES_DIR": str(folder),
        "DBT_TARGET": "dev",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "YOLO_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
    }


def run_step(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )


def seed_figures(
    seed: int, n_ads: int, n_days: int, folder: Path, extractors: str = "file_stats"
) -> dict[str, float | None]:
    """Run the pipeline on one demo world and read back the headline figures."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    env = world_env(folder)
    aelp, dbt = str(BIN / "aelp"), str(BIN / "dbt")
    world = folder / "world"
    steps = [
        [aelp, "world", "generate", "--seed", str(seed), "--ads", str(n_ads),
         "--days", str(n_days), "--out", str(world)],
        [aelp, "world", "load", "--world", str(world)],
        [aelp, "creative", "extract", "--assets", str(world / "creatives"),
         "--extractors", extractors],
        [dbt, "build", "-q", "--target-path", str(folder / "target"),
         "--log-path", str(folder / "logs")],
        [aelp, "train", "--seed", "0"],
        [aelp, "evaluate"],
    ]  # fmt: skip
    for step in steps:
        log.info("seed %d: %s", seed, " ".join(step[1:3]))
        run_step(step, env)
    with duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select segment, scorer, metric, metric_value, row_count from ml.model_evaluations"
        ).fetchall()
    found = {(seg, scorer, metric): (value, n) for seg, scorer, metric, value, n in rows}
    figures: dict[str, float | None] = {}
    for name, segment, scorer, metric in FIGURES:
        value, n = found.get((segment, scorer, metric), (None, None))
        figures[name] = float(n) if name == "cold rows" and n is not None else value
    return figures


def scale_examples(rows: int, seed: int = 0) -> pa.Table:
    """A synthetic training mart of ``rows`` ad-days: 33 numeric and 3 categorical features."""
    rng = np.random.default_rng(seed)
    days = 90
    n_ads = -(-rows // days)
    ad = np.repeat(np.arange(n_ads), days)[:rows]
    day = np.tile(np.arange(days), n_ads)[:rows]
    quality = rng.normal(0, 0.4, n_ads)[ad]
    impressions = rng.poisson(rng.uniform(200, 5000, n_ads)[ad]) + 1
    rate = 1 / (1 + np.exp(-(-4.4 + quality - 0.004 * day)))
    clicks = rng.binomial(impressions, rate)
    first = date(2026, 1, 1)
    split = np.where(day < 76, "train", np.where(day < 83, "valid", "test"))
    data: dict[str, Any] = {
        "ad_id": pa.array([f"ad{i}" for i in ad]),
        "date_day": pa.array([first + timedelta(days=int(d)) for d in day], pa.date32()),
        "account_id": pa.array(["act_1"] * rows),
        "adset_id": pa.array([f"as{i // 6}" for i in ad]),
        "campaign_id": pa.array([f"c{i // 30}" for i in ad]),
        "impressions": pa.array(impressions, pa.int64()),
        "unique_inline_link_clicks": pa.array(clicks, pa.int64()),
        "split": pa.array(split),
        "f_quality_proxy": pa.array(quality + rng.normal(0, 0.2, rows)),
        "f_ad_age_days": pa.array(day.astype(np.float64)),
    }
    for j in range(31):
        data[f"f_noise_{j:02d}"] = pa.array(rng.normal(size=rows))
    for j in range(3):
        data[f"fc_category_{j}"] = pa.array(rng.choice(["a", "b", "c", "d"], rows))
    return pa.table(data)


def scale_child(rows: int, folder: str) -> None:
    """Train on a synthetic mart of ``rows`` examples; print seconds and peak memory as JSON."""
    from aelp.config import Settings, Target
    from aelp.modeling.train import train
    from aelp.schemas import TableSpec
    from aelp.warehouse.duckdb import DuckDBWarehouse

    os.environ["AELP_ARTIFACTS_DIR"] = str(Path(folder) / "artifacts")
    settings = Settings(
        project_dir=Path(folder),
        profiles_dir=Path(folder),
        target=Target(name="bench", type="duckdb", settings={"path": ":memory:"}, schema="main"),
        vars={},
    )
    Path(folder).mkdir(parents=True, exist_ok=True)
    warehouse = DuckDBWarehouse(str(Path(folder) / "scale.duckdb"))
    table = scale_examples(rows)
    spec = TableSpec("main", "ml_ctr_training_examples", table.schema, key=("ad_id", "date_day"))
    warehouse.upsert(spec, table)
    del table
    start = time.perf_counter()
    result = train(settings, warehouse, seed=0, num_threads=2)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    out = {
        "rows": rows,
        "train_rows": result.row["train_rows"],
        "features": len(result.feature_list),
        "seconds": seconds,
        "peak_rss_gb": peak,
        "threads": 2,
    }
    sys.stdout.write(json.dumps(out) + "\n")


def scale_figures(rows: int, folder: Path) -> dict[str, float]:
    """Run :func:`scale_child` in a fresh process (so its peak memory is its own)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    code = f"from aelp.modeling.bench import scale_child; scale_child({rows}, {str(folder)!r})"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    if done.returncode != 0:
        raise RuntimeError(f"scale run failed:\n{done.stderr[-4000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run_model_bench(
    seeds: list[int],
    *,
    n_ads: int,
    n_days: int,
    scale_rows: int,
    out_dir: Path,
    extractors: str = "file_stats",
) -> BenchResult:
    """Every seed's figures and, when ``scale_rows`` > 0, the scale run."""
    result = BenchResult()
    for seed in seeds:
        folder = out_dir / f"seed-{seed}"
        result.seeds[seed] = seed_figures(seed, n_ads, n_days, folder, extractors)
        log.info("seed %d: %s", seed, result.seeds[seed])
    if scale_rows > 0:
        result.scale = scale_figures(scale_rows, out_dir / "scale")
        log.info("scale: %s", result.scale)
    return result
