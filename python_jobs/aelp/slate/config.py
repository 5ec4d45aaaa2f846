"""Knobs of the budget slate, with the defaults the daily job uses."""

from __future__ import annotations

from dataclasses import dataclass

from aelp.slate.hierarchy import StrengthBounds

CTR_FALLBACK_STRENGTH = 2000.0
"""ctr_u prior pseudo-impressions when too few ads have delivery to calibrate one."""

REPORTING_CURVE: tuple[float, ...] = (0.45, 0.65, 0.77, 0.86, 0.92, 0.97)
"""Share of a day's 7-day-click conversions reported 1, 2, … 6 days after delivery (all of
them from the 7th): a typical Meta curve. Measure an account's own by comparing a day's
conversions across the daily fetches, which re-read the restatement window."""

EXPLOIT_WEIGHTINGS = ("fill", "p_top_k")
"""How exploit budget is weighted: the draws' mean best-first fill, or P(top k)."""


@dataclass(frozen=True)
class SlateConfig:
    """How priors are weighted, how many draws are taken and how budget is bounded.

    Prior strengths are pseudo-counts. ctr_u: ``prior_strength`` impressions at the model's
    predicted ctr_u, or — when None — a strength calibrated on the day's ads (how far their
    recent ctr_u spread around the predictions beyond binomial noise), clipped to
    [``min_prior_strength``, ``max_prior_strength``]. Click-to-conversion: hierarchical
    empirical-Bayes priors account → campaign → ad set → ad, each level's strength estimated
    the same way and clipped to the same bounds, ``c2s_prior_strength`` link clicks where a
    level has too few groups to estimate one. ``cpm_prior_impressions`` impressions at the
    account's CPM and ``ratio_prior_clicks`` unique link clicks at the account's
    link/unique click ratio. An ad's ctr_u, CPM, click ratio and frequency learn from its
    last ``lookback_days``; its click-to-conversion rate and every account prior from
    ``account_lookback_days``; conversions of the last ``len(reporting_curve)`` days are
    still being reported, so the clicks of the day ``a`` days ago count by
    ``reporting_curve[a - 1]``, the share of its conversions reported by then (empty: no
    correction).

    ``exploit_weighting`` "fill" weights each exploitable ad by its mean share when every
    draw fills the exploit budget best first up to the caps; "p_top_k" by how often it is
    among the ``top_k`` best draws.

    ``max_explore_share`` (None: off) lets the explore arm grow while more ads are in
    learning than ``explore_ads``: one ad in learning per ``min_share`` of budget, each at
    least ``min_share``, up to this share of the budget (taken from the exploit arm), so
    that a burst of new ads is tried within days rather than queueing behind each other.

    ``frequency_cap`` bounds the expected daily frequency at the planned impressions (None:
    no cap). An ad whose first delivery is under ``learning_days`` old and which has fewer
    than ``learning_conversions`` conversions is in learning: it is explored before other
    uncertain ads and never exploited.
    """

    exploit_share: float = 0.8
    exploit_weighting: str = "fill"
    prior_strength: float | None = None
    min_prior_strength: float = 50.0
    max_prior_strength: float = 1_000_000.0
    c2s_prior_strength: float = 200.0
    cpm_prior_impressions: float = 5000.0
    ratio_prior_clicks: float = 50.0
    lookback_days: int = 7
    account_lookback_days: int = 28
    reporting_curve: tuple[float, ...] = REPORTING_CURVE
    top_k: int = 3
    explore_ads: int = 3
    max_explore_share: float | None = None
    min_share: float = 0.02
    max_share: float = 0.4
    frequency_cap: float | None = 2.5
    learning_days: int = 7
    learning_conversions: float = 50.0
    n_samples: int = 4000

    def __post_init__(self) -> None:
        if not 0.0 <= self.exploit_share <= 1.0:
            raise ValueError(f"exploit_share must lie in [0, 1], got {self.exploit_share}")
        if not 0.0 <= self.min_share <= self.max_share <= 1.0:
            raise ValueError(
                f"need 0 <= min_share <= max_share <= 1, got {self.min_share}, {self.max_share}"
            )
        if (self.prior_strength is not None and self.prior_strength <= 0) or (
            self.c2s_prior_strength <= 0
        ):
            raise ValueError("prior strengths must be positive")
        if not 0 < self.min_prior_strength <= self.max_prior_strength:
            raise ValueError("need 0 < min_prior_strength <= max_prior_strength")
        if self.top_k < 1 or self.n_samples < 1 or self.lookback_days < 1:
            raise ValueError("top_k, n_samples and lookback_days must be at least 1")
        curve = self.reporting_curve
        if len(curve) >= self.account_lookback_days or any(
            not 0 < a <= b <= 1 for a, b in zip(curve, (*curve[1:], 1.0), strict=False)
        ):
            raise ValueError(
                "reporting_curve must rise within (0, 1] and be shorter than the account window"
            )
        if self.account_lookback_days < self.lookback_days:
            raise ValueError("account_lookback_days must be at least lookback_days")
        if self.frequency_cap is not None and self.frequency_cap <= 1:
            raise ValueError(f"frequency_cap must exceed 1, got {self.frequency_cap}")
        if self.exploit_weighting not in EXPLOIT_WEIGHTINGS:
            raise ValueError(
                f"exploit_weighting must be in {EXPLOIT_WEIGHTINGS}, got {self.exploit_weighting}"
            )
        if self.max_explore_share is not None and not 0.0 <= self.max_explore_share <= 1.0:
            raise ValueError(f"max_explore_share must lie in [0, 1], got {self.max_explore_share}")
        if self.learning_days < 0 or self.learning_conversions < 0:
            raise ValueError("learning_days and learning_conversions must not be negative")

    def ctr_bounds(self) -> StrengthBounds:
        """Bounds of the calibrated ctr_u prior strength, ``CTR_FALLBACK_STRENGTH`` without data."""
        fallback = min(max(CTR_FALLBACK_STRENGTH, self.min_prior_strength), self.max_prior_strength)
        return StrengthBounds(self.min_prior_strength, self.max_prior_strength, fallback)

    def c2s_bounds(self) -> StrengthBounds:
        """Bounds of each hierarchical click-to-conversion prior strength."""
        fallback = min(
            max(self.c2s_prior_strength, self.min_prior_strength), self.max_prior_strength
        )
        return StrengthBounds(self.min_prior_strength, self.max_prior_strength, fallback)
