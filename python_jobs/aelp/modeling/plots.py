"""Evaluation plots saved as PNG: reliability diagram and lift chart."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt


def reliability_plot(tables: Mapping[str, list[dict[str, float]]], path: Path) -> Path:
    """Observed against predicted ctr_u per bin, one line per scorer, the diagonal for reference."""
    fig, ax = plt.subplots(figsize=(5, 5))
    top = 0.0
    for name, table in tables.items():
        predicted = [row["predicted"] for row in table]
        observed = [row["observed"] for row in table]
        ax.plot(predicted, observed, marker="o", label=name)
        top = max(top, *predicted, *observed)
    ax.plot([0, top], [0, top], color="grey", linestyle="--", linewidth=1, label="perfect")
    ax.set_xlabel("predicted ctr_u (impression-weighted, per bin)")
    ax.set_ylabel("observed ctr_u (pooled, per bin)")
    ax.set_title("Reliability on the test window")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def lift_table(
    clicks: npt.ArrayLike, impressions: npt.ArrayLike, score: npt.ArrayLike, n_bins: int = 10
) -> list[float]:
    """Observed ctr_u over the overall rate in ``n_bins`` equal-impression groups by score.

    Groups run from the highest score to the lowest, so a useful score starts above 1.
    """
    k = np.asarray(clicks, dtype=np.float64)
    n = np.asarray(impressions, dtype=np.float64)
    order = np.argsort(-np.asarray(score, dtype=np.float64), kind="stable")
    overall = k.sum() / n.sum()
    share = np.cumsum(n[order]) / n.sum()
    bin_of = np.minimum((share * n_bins - 1e-12).astype(int), n_bins - 1)
    lifts = []
    for b in range(n_bins):
        rows = order[bin_of == b]
        if n[rows].sum() > 0 and overall > 0:
            lifts.append(float(k[rows].sum() / n[rows].sum() / overall))
    return lifts


def lift_plot(lifts: Mapping[str, list[float]], path: Path) -> Path:
    """Lift per score decile (1 = the overall rate), one line per scorer."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, values in lifts.items():
        ax.plot(range(1, len(values) + 1), values, marker="o", label=name)
    ax.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("decile of impressions, highest predicted ctr_u first")
    ax.set_ylabel("observed ctr_u / overall ctr_u")
    ax.set_title("Lift on the test window")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
