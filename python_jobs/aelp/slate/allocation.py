"""Batched Thompson sampling: from posterior draws to budget shares per ad.

Each draw samples every ad's conversions per unit of spend; how often an ad lands in
the top k decides its exploit share, and the ads with the widest beliefs outside the
leaders share the explore budget. Shares are bounded per ad and sum to one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from aelp.slate.config import SlateConfig

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
DRAW_CHUNK = 1000


@dataclass(frozen=True)
class DrawSummary:
    """What the draws say per ad: chance of being best / top-k, and the value's spread."""

    p_best: FloatArray
    p_top_k: FloatArray
    value_mean: FloatArray
    value_sd: FloatArray
    top_k: int

    @property
    def value_cv(self) -> FloatArray:
        """Relative width of the conversions-per-spend belief (sd / mean)."""
        return np.asarray(self.value_sd / np.maximum(self.value_mean, 1e-300), dtype=np.float64)


@dataclass(frozen=True)
class Allocation:
    """Budget shares per ad, split by arm (an ad is in at most one arm)."""

    exploit: FloatArray
    explore: FloatArray

    @property
    def shares(self) -> FloatArray:
        return np.asarray(self.exploit + self.explore, dtype=np.float64)


def sample_values(posteriors: pd.DataFrame, n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` draws per ad (ads × n) of conversions per unit of spend.

    value = ctr_u × (inline / unique link clicks) × c2s × 1000 / CPM.
    """
    ctr = rng.beta(
        posteriors["ctr_alpha"].to_numpy(float)[:, None],
        posteriors["ctr_beta"].to_numpy(float)[:, None],
        size=(len(posteriors), n),
    )
    c2s = rng.beta(
        posteriors["c2s_alpha"].to_numpy(float)[:, None],
        posteriors["c2s_beta"].to_numpy(float)[:, None],
        size=(len(posteriors), n),
    )
    per_spend = (
        posteriors["link_per_unique"].to_numpy(float) * 1000 / posteriors["cpm"].to_numpy(float)
    )
    return np.asarray(ctr * c2s * per_spend[:, None], dtype=np.float64)


def summarize_draws(
    posteriors: pd.DataFrame, n_samples: int, top_k: int, rng: np.random.Generator
) -> DrawSummary:
    """Draw in chunks (bounded memory) and count best / top-k finishes per ad."""
    n_ads = len(posteriors)
    k = min(top_k, n_ads)
    best = np.zeros(n_ads)
    top = np.zeros(n_ads)
    total = np.zeros(n_ads)
    total_sq = np.zeros(n_ads)
    done = 0
    while done < n_samples:
        size = min(DRAW_CHUNK, n_samples - done)
        values = sample_values(posteriors, size, rng)
        np.add.at(best, values.argmax(axis=0), 1)
        leaders = np.argpartition(-values, k - 1, axis=0)[:k]
        np.add.at(top, leaders.ravel(), 1)
        total += values.sum(axis=1)
        total_sq += (values**2).sum(axis=1)
        done += size
    mean = total / n_samples
    variance = np.maximum(total_sq / n_samples - mean**2, 0.0)
    return DrawSummary(best / n_samples, top / n_samples, mean, np.sqrt(variance), k)


def bounded_shares(
    weights: npt.ArrayLike, total: float, min_share: float, max_share: float
) -> FloatArray:
    """Split ``total`` in proportion to ``weights`` with every funded share in [min, max].

    Shares over ``max_share`` are capped and the excess goes to the others in proportion
    to their weights; funded shares under ``min_share`` are dropped (smallest weight
    first) while the rest can still absorb ``total``. When the positive weights cannot
    absorb ``total`` under the cap, zero-weight entries share the remainder; when no
    assignment fits, the cap is raised to ``total / len(weights)``.
    """
    w = np.clip(np.asarray(weights, dtype=np.float64), 0.0, None)
    shares = np.zeros(len(w))
    if total <= 0 or len(w) == 0:
        return shares
    cap = max_share
    if len(w) * cap < total:
        cap = total / len(w)
        log.warning(
            "%d ads cannot take %.3f at a %.3f cap; cap raised to %.3f",
            len(w),
            total,
            max_share,
            cap,
        )
    if (w > 0).sum() * cap < total:
        floor = (w[w > 0].min() if (w > 0).any() else 1.0) * 1e-9
        w = np.where(w > 0, w, floor)
    capped = np.zeros(len(w), dtype=bool)
    dropped = w <= 0
    while True:
        free = ~capped & ~dropped
        remaining = total - cap * capped.sum()
        shares = np.where(capped, cap, 0.0)
        shares[free] = remaining * w[free] / w[free].sum()
        over = free & (shares > cap * (1 + 1e-12))
        if over.any():
            capped |= over
            continue
        under = free & (shares < min_share * (1 - 1e-12))
        if under.any() and (capped.sum() + free.sum() - 1) * cap >= total:
            candidates = np.flatnonzero(under)
            dropped[candidates[np.argmin(w[candidates])]] = True
            continue
        return shares


def choose_explore(summary: DrawSummary, impressions: npt.ArrayLike, n_explore: int) -> FloatArray:
    """Indicator of the ads to explore: the widest beliefs outside the top-k leaders.

    Width is the standard deviation of the sampled conversions per unit of spend, so an
    ad with few impressions (prior-dominated) or a promising but unsettled one ranks
    first; fewer recent impressions break ties.
    """
    n_ads = len(summary.p_top_k)
    chosen = np.zeros(n_ads)
    if n_explore <= 0 or n_ads <= summary.top_k:
        return chosen
    leaders = np.argsort(-summary.p_top_k, kind="stable")[: summary.top_k]
    candidates = np.setdiff1d(np.arange(n_ads), leaders)
    seen = np.asarray(impressions, dtype=float)[candidates]
    order = np.lexsort((seen, -summary.value_sd[candidates]))
    chosen[candidates[order[:n_explore]]] = 1.0
    return chosen


def allocate(summary: DrawSummary, impressions: npt.ArrayLike, config: SlateConfig) -> Allocation:
    """Exploit share in proportion to P(top k), explore share evenly over the chosen ads."""
    explore_mask = choose_explore(summary, impressions, config.explore_ads) > 0
    exploit_total = config.exploit_share
    if not explore_mask.any():
        if config.exploit_share < 1:
            log.warning(
                "no ad left to explore beyond the top %d: all budget exploits", summary.top_k
            )
        exploit_total = 1.0
    exploit = np.zeros(len(explore_mask))
    exploit[~explore_mask] = bounded_shares(
        summary.p_top_k[~explore_mask], exploit_total, config.min_share, config.max_share
    )
    explore = np.zeros(len(exploit))
    if explore_mask.any():
        explore[explore_mask] = bounded_shares(
            np.ones(int(explore_mask.sum())),
            1.0 - exploit_total,
            config.min_share,
            config.max_share,
        )
    return Allocation(exploit, explore)
