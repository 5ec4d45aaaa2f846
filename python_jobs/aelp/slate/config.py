"""Knobs of the budget slate, with the defaults the daily job uses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlateConfig:
    """How priors are weighted, how many draws are taken and how budget is bounded.

    Prior strengths are pseudo-counts: ``prior_strength`` impressions at the model's
    predicted ctr_u, ``c2s_prior_strength`` link clicks at the account's pooled
    click-to-conversion rate, ``cpm_prior_impressions`` impressions at the account's CPM,
    ``ratio_prior_clicks`` unique link clicks at the account's link/unique click ratio.
    An ad's ctr_u, CPM and click ratio learn from its last ``lookback_days``; its
    click-to-conversion rate and every account prior from ``account_lookback_days``.
    """

    exploit_share: float = 0.8
    prior_strength: float = 2000.0
    c2s_prior_strength: float = 200.0
    cpm_prior_impressions: float = 5000.0
    ratio_prior_clicks: float = 50.0
    lookback_days: int = 7
    account_lookback_days: int = 28
    top_k: int = 3
    explore_ads: int = 3
    min_share: float = 0.02
    max_share: float = 0.4
    n_samples: int = 4000

    def __post_init__(self) -> None:
        if not 0.0 <= self.exploit_share <= 1.0:
            raise ValueError(f"exploit_share must lie in [0, 1], got {self.exploit_share}")
        if not 0.0 <= self.min_share <= self.max_share <= 1.0:
            raise ValueError(
                f"need 0 <= min_share <= max_share <= 1, got {self.min_share}, {self.max_share}"
            )
        if self.prior_strength <= 0 or self.c2s_prior_strength <= 0:
            raise ValueError("prior strengths must be positive")
        if self.top_k < 1 or self.n_samples < 1 or self.lookback_days < 1:
            raise ValueError("top_k, n_samples and lookback_days must be at least 1")
        if self.account_lookback_days < self.lookback_days:
            raise ValueError("account_lookback_days must be at least lookback_days")
