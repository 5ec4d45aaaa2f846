"""A PNG of cumulative conversions and CAC to date per policy (mean over seeds, with range)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd


def simulation_plot(daily: pd.DataFrame, path: Path, title: str) -> Path:
    """Two panels over simulated days: cumulative conversions and CAC to date."""
    frame = daily.sort_values(["policy", "seed", "day_index"]).copy()
    grouped = frame.groupby(["policy", "seed"], sort=False)
    frame["cum_conversions"] = grouped["conversions"].cumsum()
    frame["cum_spend"] = grouped["spend"].cumsum()
    frame["cac"] = frame["cum_spend"] / frame["cum_conversions"].where(frame["cum_conversions"] > 0)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for policy in daily["policy"].drop_duplicates():
        part = frame[frame["policy"] == policy]
        for ax, column in zip(axes, ("cum_conversions", "cac"), strict=True):
            by_day = part.groupby("day_index")[column]
            days = by_day.mean().index + 1
            (line,) = ax.plot(days, by_day.mean().to_numpy(), label=policy)
            ax.fill_between(
                days, by_day.min().to_numpy(), by_day.max().to_numpy(), alpha=0.15,
                color=line.get_color(),
            )  # fmt: skip
    axes[0].set_ylabel("cumulative conversions")
    axes[1].set_ylabel("CAC to date (spend / conversions)")
    for ax in axes:
        ax.set_xlabel("simulated day")
    axes[0].legend()
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
