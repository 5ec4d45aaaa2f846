"""Empirical-Bayes Beta priors: how much a rate's group tells about its members.

A member's rate (an ad's click-to-conversion, say) is modelled as Beta(m·κ, (1−m)·κ)
around its group's rate m, with the concentration κ (a pseudo-count) estimated from how
far the members' observed rates spread around m beyond binomial noise (method of
moments). Stacked level by level (account → campaign → ad set → ad), each group's
posterior mean becomes its members' prior mean, so an ad with few clicks borrows from its
ad set, a thin ad set from its campaign, and so on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
RATE_FLOOR = 1e-6
MIN_GROUPS = 3
REWEIGHTING_STEPS = 5
"""Rounds of inverse-variance reweighting after the first, count-weighted estimate."""
"""Fewer groups with data than this give no usable spread: the fallback strength is used."""


@dataclass(frozen=True)
class StrengthBounds:
    """Pseudo-counts an estimate is clipped to, and the one used without enough data."""

    low: float
    high: float
    fallback: float

    def __post_init__(self) -> None:
        if not 0 < self.low <= self.fallback <= self.high:
            raise ValueError(
                f"need 0 < low <= fallback <= high, got {self.low}, {self.fallback}, {self.high}"
            )


def moment_strength(
    successes: npt.ArrayLike,
    trials: npt.ArrayLike,
    prior_mean: npt.ArrayLike,
    bounds: StrengthBounds,
) -> float:
    """Concentration κ of Beta(m·κ, (1−m)·κ) from members' counts around their means m.

    With r = k / n, E[(r − m)²] = m(1 − m) · (1/n + (1 − 1/n) / (κ + 1)). Weighting members
    by n and solving for 1 / (κ + 1) gives a first estimate; members are then reweighted
    by the inverse of their variance under it, 1 / (1/n + (1 − 1/n) / (κ + 1)), and the
    estimate solved again (``REWEIGHTING_STEPS`` times, as in random-effects
    meta-analysis), so a few members with huge counts no longer decide the spread that
    matters for members with little data of their own. Members without trials carry no
    information. Returns ``bounds.fallback`` with fewer than ``MIN_GROUPS`` informative
    members and clips to [``bounds.low``, ``bounds.high``] otherwise (no spread beyond
    noise means the group says everything: the upper bound).
    """
    n = np.asarray(trials, dtype=np.float64)
    k = np.asarray(successes, dtype=np.float64)
    m = np.clip(np.asarray(prior_mean, dtype=np.float64), RATE_FLOOR, 1 - RATE_FLOOR)
    informative = n > 1
    if informative.sum() < MIN_GROUPS:
        return bounds.fallback
    n, k, m = n[informative], np.clip(k[informative], 0, n[informative]), m[informative]
    spread = (k / n - m) ** 2 / (m * (1 - m))
    weights = n
    tau = 0.0
    for _ in range(REWEIGHTING_STEPS + 1):
        scale = float(np.sum(weights * (1 - 1 / n)))
        if scale <= 0:
            return bounds.fallback
        tau = float(np.sum(weights * (spread - 1 / n))) / scale
        if tau <= 1.0 / (bounds.high + 1.0):
            return bounds.high
        weights = 1.0 / (1.0 / n + tau * (1 - 1 / n))
    return float(np.clip(1.0 / tau - 1.0, bounds.low, bounds.high))


@dataclass(frozen=True)
class HierarchicalPrior:
    """Per member: prior mean and pseudo-count; per level: the estimated concentration."""

    mean: FloatArray
    strength: FloatArray
    level_strengths: dict[str, float]


def hierarchical_prior(
    frame: pd.DataFrame,
    levels: Sequence[str],
    successes: str,
    trials: str,
    bounds: StrengthBounds,
) -> HierarchicalPrior:
    """Stacked Beta priors for each row of ``frame`` from its groups at ``levels``.

    ``levels`` go from the broadest (e.g. account_id) to the narrowest group above the row
    (e.g. adset_id); the row itself is the last level. The broadest level's rate is its
    pooled rate, Jeffreys-smoothed so it is never 0 or 1. Each narrower group's posterior
    mean — (k + κ·m) / (n + κ) with m its parent's mean and κ estimated across the level's
    groups — is the prior mean of the next level. Each κ comes from the groups' spread
    around their parent's mean with their own counts left out of it (leave-one-out), so a
    group that makes up most of its parent still shows how far it differs from its
    siblings. The row's prior is its narrowest group's
    posterior mean with the concentration estimated across rows; rows missing a group id
    fall back to the parent's mean.
    """
    if not levels:
        raise ValueError("need at least one grouping level")
    k = np.clip(frame[successes].to_numpy(np.float64), 0, None)
    n = np.clip(frame[trials].to_numpy(np.float64), 0, None)
    k = np.minimum(k, n)
    counts = pd.DataFrame({"k": k, "n": n}, index=frame.index)
    top = frame[levels[0]]
    pooled = counts.groupby(top).sum()
    mean = top.map((pooled["k"] + 0.5) / (pooled["n"] + 1.0)).to_numpy(np.float64)
    # the parent of each row as sums, prior mean and prior weight: leaving a member's own
    # counts out of its parent's mean keeps a member that dominates its parent from looking
    # exactly like it (which would read as no spread at all)
    parent_k = top.map(pooled["k"]).to_numpy(np.float64)
    parent_n = top.map(pooled["n"]).to_numpy(np.float64)
    parent_prior = np.full(len(frame), 0.5)
    parent_weight = np.ones(len(frame))
    strengths: dict[str, float] = {}
    keys = [levels[0]]
    for level in levels[1:]:
        keys = [*keys, level]
        present = frame[level].notna().to_numpy()
        group = frame.groupby(keys, dropna=False, sort=False).ngroup()
        sums = counts.groupby(group).sum()
        first = (
            pd.DataFrame(
                {"mean": mean, "k": parent_k, "n": parent_n, "m": parent_prior, "w": parent_weight},
                index=frame.index,
            )
            .groupby(group)
            .first()
        )
        loo = (first["k"] - sums["k"] + first["w"] * first["m"]) / (
            first["n"] - sums["n"] + first["w"]
        )
        kappa = moment_strength(sums["k"], sums["n"], loo, bounds)
        strengths[level] = kappa
        posterior = (sums["k"] + kappa * first["mean"]) / (sums["n"] + kappa)
        rows_k = group.map(sums["k"]).to_numpy(np.float64)
        rows_n = group.map(sums["n"]).to_numpy(np.float64)
        parent_k = np.where(present, rows_k, parent_k)
        parent_n = np.where(present, rows_n, parent_n)
        parent_prior = np.where(present, mean, parent_prior)
        parent_weight = np.where(present, kappa, parent_weight)
        mean = np.where(present, group.map(posterior).to_numpy(np.float64), mean)
    loo_mean = (parent_k - k + parent_weight * parent_prior) / (parent_n - n + parent_weight)
    kappa = moment_strength(k, n, loo_mean, bounds)
    strengths["row"] = kappa
    log.debug("hierarchical prior on %s/%s: strengths %s", successes, trials, strengths)
    mean = np.clip(mean, RATE_FLOOR, 1 - RATE_FLOOR)
    return HierarchicalPrior(mean, np.full(len(frame), kappa), strengths)
