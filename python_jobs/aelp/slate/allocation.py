"""Batched Thompson sampling: from posterior draws to budget shares per ad.

Each draw samples every ad's conversions per unit of spend. The exploit budget follows
the draws' own best splits: in each draw the budget fills the ads from the highest
sampled value down, each up to its cap, and an ad's exploit weight is its mean share
over the draws (or, with ``exploit_weighting="p_top_k"``, how often it lands in the top k).
The ads with the widest beliefs outside the leaders share the explore budget, ads in
learning first; the explore arm may grow with the number of ads in learning
(:func:`explore_size`). Shares are bounded per ad and sum to one.
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


def expected_fill(
    posteriors: pd.DataFrame,
    eligible: npt.ArrayLike,
    caps: npt.ArrayLike,
    total: float,
    n_samples: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Each ad's mean share of ``total`` when every draw fills ads best first up to their caps.

    A draw samples every ad's conversions per unit of spend; the eligible ads are sorted by
    their draw and each takes its cap until ``total`` is placed (the best split for that
    draw when returns are linear up to the cap). Averaged over ``n_samples`` draws this is
    probability matching on the allocation itself: an ad that is surely best gets its cap,
    close competitors split what a top-k count would spread evenly by how often and how far
    each one wins. Ineligible ads get 0.
    """
    ok = np.asarray(eligible, dtype=bool)
    cap = np.clip(np.asarray(caps, dtype=np.float64), 0.0, None)
    out = np.zeros(len(ok))
    if not ok.any() or total <= 0:
        return out
    index = np.flatnonzero(ok)
    cap = cap[index]
    part = posteriors.iloc[index]
    done = 0
    while done < n_samples:
        size = min(DRAW_CHUNK, n_samples - done)
        values = sample_values(part, size, rng)
        order = np.argsort(-values, axis=0, kind="stable")
        ordered_caps = cap[order]
        before = np.cumsum(ordered_caps, axis=0) - ordered_caps
        give = np.clip(total - before, 0.0, ordered_caps)
        np.add.at(out, index[order.ravel()], give.ravel())
        done += size
    return np.asarray(out / n_samples, dtype=np.float64)


def bounded_shares(
    weights: npt.ArrayLike,
    total: float,
    min_share: float,
    max_share: float | npt.ArrayLike,
) -> FloatArray:
    """Split ``total`` in proportion to ``weights`` with every funded share in [min, max].

    ``max_share`` is one cap for all or a cap per entry. Shares over their cap are capped
    and the excess goes to the others in proportion to their weights; funded shares under
    ``min_share`` are dropped (smallest weight first) while the rest can still absorb
    ``total``. When the positive weights cannot absorb ``total`` under their caps,
    zero-weight entries share the remainder; when no assignment fits, every cap is raised
    by the same factor until one does.
    """
    w = np.clip(np.asarray(weights, dtype=np.float64), 0.0, None)
    shares = np.zeros(len(w))
    if total <= 0 or len(w) == 0:
        return shares
    cap = np.broadcast_to(np.asarray(max_share, dtype=np.float64), w.shape).copy()
    cap = np.clip(cap, 0.0, None)
    if cap.sum() < total:
        factor = total / cap.sum() if cap.sum() > 0 else np.inf
        raised = cap * factor if np.isfinite(factor) else np.full(len(w), total / len(w))
        log.warning(
            "%d ads cannot take %.3f under their caps (%.3f in all); caps raised by %.2fx",
            len(w),
            total,
            float(cap.sum()),
            float(raised.sum() / max(cap.sum(), 1e-300)),
        )
        cap = raised
    if cap[w > 0].sum() < total:
        floor = (w[w > 0].min() if (w > 0).any() else 1.0) * 1e-9
        w = np.where(w > 0, w, floor)
    capped = np.zeros(len(w), dtype=bool)
    dropped = (w <= 0) | (cap <= 0)
    while True:
        free = ~capped & ~dropped
        remaining = total - cap[capped].sum()
        shares = np.where(capped, cap, 0.0)
        shares[free] = remaining * w[free] / w[free].sum()
        over = free & (shares > cap * (1 + 1e-12))
        if over.any():
            capped |= over
            continue
        under = free & (shares < min_share * (1 - 1e-12))
        if under.any():
            candidates = np.flatnonzero(under)
            candidate = candidates[np.argmin(w[candidates])]
            if cap[capped | free].sum() - cap[candidate] >= total:
                dropped[candidate] = True
                continue
        return shares


def choose_explore(
    summary: DrawSummary,
    impressions: npt.ArrayLike,
    n_explore: int,
    learning: npt.ArrayLike | None = None,
) -> FloatArray:
    """Indicator of the ads to explore: ads in learning first, then the widest beliefs
    outside the top-k leaders.

    Width is the standard deviation of the sampled conversions per unit of spend, so an
    ad with few impressions (prior-dominated) or a promising but unsettled one ranks
    first; fewer recent impressions break ties. Learning ads are never leaders: they are
    explored (up to ``n_explore``) or left out.
    """
    n_ads = len(summary.p_top_k)
    chosen = np.zeros(n_ads)
    is_learning = (
        np.zeros(n_ads, dtype=bool) if learning is None else np.asarray(learning, dtype=bool)
    )
    if n_explore <= 0:
        return chosen
    ranked = np.argsort(-summary.p_top_k, kind="stable")
    leaders = ranked[~is_learning[ranked]][: summary.top_k]
    candidates = np.setdiff1d(np.arange(n_ads), leaders)
    if len(candidates) == 0:
        return chosen
    seen = np.asarray(impressions, dtype=float)[candidates]
    order = np.lexsort((seen, -summary.value_sd[candidates], ~is_learning[candidates]))
    chosen[candidates[order[:n_explore]]] = 1.0
    return chosen


def explore_size(config: SlateConfig, n_learning: int) -> tuple[int, float]:
    """How many ads the explore arm takes and the exploit arm's share of the budget.

    ``config.explore_ads`` ads and ``1 - exploit_share`` of the budget, unless more ads
    are in learning and ``config.max_explore_share`` leaves room: then the arm takes one
    ad in learning per ``min_share`` of budget, up to that share, so that new ads are
    tried within days instead of queueing behind each other (the budget of the explore
    arm grows to ``min_share`` per ad and never shrinks below ``1 - exploit_share``).
    """
    n_explore, exploit_total = config.explore_ads, config.exploit_share
    ceiling = config.max_explore_share
    if ceiling is None or config.min_share <= 0 or ceiling <= 1.0 - exploit_total:
        return n_explore, exploit_total
    room = int(np.floor(ceiling / config.min_share + 1e-9))
    grown = min(n_learning, room)
    if grown <= n_explore:
        return n_explore, exploit_total
    explore_total = min(ceiling, max(1.0 - exploit_total, grown * config.min_share))
    return grown, 1.0 - explore_total


def _split(
    summary: DrawSummary,
    impressions: npt.ArrayLike,
    config: SlateConfig,
    learning: npt.ArrayLike | None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """The explored ads, the ads that may exploit (not explored, not learning) and the
    exploit budget's share (all of it when nothing is explored, none when nothing exploits)."""
    n_ads = len(summary.p_top_k)
    is_learning = (
        np.zeros(n_ads, dtype=bool) if learning is None else np.asarray(learning, dtype=bool)
    )
    n_explore, exploit_total = explore_size(config, int(is_learning.sum()))
    explore_mask = choose_explore(summary, impressions, n_explore, is_learning) > 0
    exploitable = ~explore_mask & ~is_learning
    total = exploit_total if explore_mask.any() else 1.0
    return explore_mask, exploitable, total if exploitable.any() else 0.0


def exploit_plan(
    summary: DrawSummary,
    impressions: npt.ArrayLike,
    config: SlateConfig,
    learning: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, float]:
    """Which ads may exploit (not explored, not learning) and the exploit budget's share."""
    _, exploitable, total = _split(summary, impressions, config, learning)
    return exploitable, total


def allocate(
    summary: DrawSummary,
    impressions: npt.ArrayLike,
    config: SlateConfig,
    max_shares: npt.ArrayLike | None = None,
    learning: npt.ArrayLike | None = None,
    exploit_weights: npt.ArrayLike | None = None,
) -> Allocation:
    """Exploit share in proportion to ``exploit_weights`` (default: P(top k)), explore share
    evenly over the chosen ads.

    ``max_shares`` caps each ad (e.g. by its frequency limit) below ``config.max_share``;
    ads in ``learning`` are explored first and never exploited.
    """
    n_ads = len(summary.p_top_k)
    caps = np.full(n_ads, config.max_share)
    if max_shares is not None:
        caps = np.minimum(caps, np.asarray(max_shares, dtype=np.float64))
    explore_mask, exploitable, exploit_total = _split(summary, impressions, config, learning)
    if not explore_mask.any() and config.exploit_share < 1:
        log.warning("no ad left to explore beyond the top %d: all budget exploits", summary.top_k)
    weights = summary.p_top_k if exploit_weights is None else np.asarray(exploit_weights, float)
    exploit = np.zeros(n_ads)
    if exploitable.any():
        exploit[exploitable] = bounded_shares(
            weights[exploitable], exploit_total, config.min_share, caps[exploitable]
        )
    explore = np.zeros(n_ads)
    if explore_mask.any():
        explore[explore_mask] = bounded_shares(
            np.ones(int(explore_mask.sum())),
            1.0 - exploit_total,
            config.min_share,
            caps[explore_mask],
        )
    return Allocation(exploit, explore)
