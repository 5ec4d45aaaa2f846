"""Plain-language reasons for each line of a slate."""

from __future__ import annotations

FEW_IMPRESSIONS = 10_000


def exploit_reason(
    top_k: int, p_top_k: float, p_best: float, impressions: float, currency: str, days: int
) -> str:
    """Why an ad gets exploit budget: how often the draws rank it among the best."""
    rank = "best" if top_k == 1 else f"in the top {top_k}"
    tail = "" if top_k == 1 else f" (best in {p_best:.0%})"
    return (
        f"exploit: {rank} by sampled conversions per {currency} in {p_top_k:.0%} of draws"
        f"{tail}; {impressions:,.0f} impressions in the last {days} days"
    )


def explore_reason(
    top_k: int, p_top_k: float, value_cv: float, impressions: float, currency: str, days: int
) -> str:
    """Why an ad gets explore budget: how little is known about it."""
    seen = (
        f"only {impressions:,.0f} impressions in the last {days} days"
        if impressions < FEW_IMPRESSIONS
        else f"{impressions:,.0f} impressions in the last {days} days"
    )
    return (
        f"explore: {seen}; conversions per {currency} uncertain to ±{value_cv:.0%}; "
        f"in the top {top_k} in {p_top_k:.0%} of draws"
    )


def learning_note(days: int, conversions: float) -> str:
    """Why a new ad is explored rather than exploited."""
    return (
        f"in learning (first delivery under {days} days ago, fewer than "
        f"{conversions:,.0f} conversions): explored, not exploited"
    )


def frequency_note(frequency: float, cap: float) -> str:
    """Why an ad's share stops where it does."""
    return f"held at the frequency cap ({frequency:.2f} per person expected, cap {cap:g})"
