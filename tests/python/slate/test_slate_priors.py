"""Hierarchical empirical-Bayes priors, frequency caps, learning and paused ads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aelp.config import Settings
from aelp.slate import SlateConfig, make_slate
from aelp.slate.allocation import DrawSummary, allocate, bounded_shares
from aelp.slate.frequency import frequency_slope, max_impressions, planned_frequency
from aelp.slate.hierarchy import StrengthBounds, hierarchical_prior, moment_strength
from aelp.slate.posteriors import calibrated_ctr_strength, in_learning
from aelp.warehouse.duckdb import DuckDBWarehouse

BOUNDS = StrengthBounds(low=1.0, high=1e6, fallback=200.0)


def test_moment_strength_recovers_the_beta_concentration_of_known_spread() -> None:
    # rates 0.05 / 0.15 around 0.1: variance 0.0025 = 0.09 / (κ + 1), so κ = 35
    n = np.full(4, 1e6)
    k = np.array([0.05, 0.15, 0.05, 0.15]) * n
    assert moment_strength(k, n, np.full(4, 0.1), BOUNDS) == pytest.approx(35.0, rel=1e-3)


def test_moment_strength_uses_the_upper_bound_without_spread_and_the_fallback_without_data() -> (
    None
):
    n = np.full(5, 1000.0)
    assert moment_strength(0.1 * n, n, np.full(5, 0.1), BOUNDS) == 1e6
    assert moment_strength([5.0, 7.0], [100.0, 100.0], [0.06, 0.06], BOUNDS) == 200.0
    assert moment_strength([0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.1] * 3, BOUNDS) == 200.0


def test_a_few_huge_members_no_longer_decide_the_spread_of_the_many_small_ones() -> None:
    # 100 members with 2,000 trials each spread around 0.05 with κ = 100; five members with
    # 10^7 trials sit exactly on their means (as ads whose prediction already tracks their
    # own delivery do). Weighted by counts alone the five say "no spread" (κ ≈ 25,000);
    # reweighted by inverse variance the estimate follows the members it matters for.
    rng = np.random.default_rng(1)
    small_n = np.full(100, 2000.0)
    small_k = rng.binomial(2000, rng.beta(0.05 * 100, 0.95 * 100, 100)).astype(float)
    n = np.concatenate([small_n, np.full(5, 1e7)])
    k = np.concatenate([small_k, np.full(5, 0.05 * 1e7)])
    kappa = moment_strength(k, n, np.full(105, 0.05), BOUNDS)
    assert 50 < kappa < 200


def test_moment_strength_is_clipped_to_the_lower_bound_for_wild_spread() -> None:
    n = np.full(4, 1e6)
    k = np.array([0.0, 1.0, 0.0, 1.0]) * n
    assert moment_strength(k, n, np.full(4, 0.5), StrengthBounds(5.0, 1e6, 200.0)) == 5.0


def hierarchy_frame() -> pd.DataFrame:
    """One account, two campaigns; campaign c1 converts at 10 %, c2 at 2 %; a new ad in each."""
    rows = []
    for campaign, rate in (("c1", 0.10), ("c2", 0.02)):
        for s in range(3):
            for a in range(3):
                clicks = 200_000.0
                jitter = (a - 1) * 0.002 + (s - 1) * 0.003
                rows.append((campaign, f"{campaign}s{s}", clicks, (rate + jitter) * clicks))
        rows.append((campaign, f"{campaign}s0", 0.0, 0.0))
    return pd.DataFrame(
        {
            "account_id": "act",
            "campaign_id": [r[0] for r in rows],
            "adset_id": [r[1] for r in rows],
            "link_clicks_long": [r[2] for r in rows],
            "conversions_long": [r[3] for r in rows],
        }
    )


def test_a_new_ad_borrows_its_ad_sets_rate_not_the_accounts() -> None:
    frame = hierarchy_frame()
    prior = hierarchical_prior(
        frame,
        ["account_id", "campaign_id", "adset_id"],
        "conversions_long",
        "link_clicks_long",
        BOUNDS,
    )
    new_c1, new_c2 = np.flatnonzero(frame["link_clicks_long"].to_numpy() == 0)
    # the account pools to ~6 %; each new ad's prior sits near its own ad set (c1s0 ≈ 9.7 %,
    # c2s0 ≈ 1.7 %), far from the account
    assert prior.mean[new_c1] == pytest.approx(0.097, abs=0.002)
    assert prior.mean[new_c2] == pytest.approx(0.017, abs=0.002)
    assert set(prior.level_strengths) == {"campaign_id", "adset_id", "row"}
    # ad sets and ads differ by more than binomial noise on 200,000 clicks each: every
    # level's strength is estimated (finite), not the bound
    assert all(10 < kappa < 1e6 for kappa in prior.level_strengths.values())


def test_an_ad_that_dominates_its_ad_set_still_shows_the_spread_between_ads() -> None:
    # 30 ad sets, each one big ad (100,000 clicks) and two small ones (2,000); every ad's
    # rate is Beta-distributed around its ad set's with κ = 100. Measured against ad-set
    # means that contain the big ad itself, big ads look exactly like their ad set and the
    # spread vanishes (κ ≈ 1,000); with each ad left out of its parent it is found again.
    rng = np.random.default_rng(0)
    rows = []
    for s in range(30):
        set_rate = rng.uniform(0.03, 0.08)
        for clicks in (100_000.0, 2000.0, 2000.0):
            rate = rng.beta(set_rate * 100, (1 - set_rate) * 100)
            rows.append(("act", f"s{s}", clicks, float(rng.binomial(int(clicks), rate))))
    frame = pd.DataFrame(rows, columns=["account_id", "adset_id", "n", "k"])
    prior = hierarchical_prior(frame, ["account_id", "adset_id"], "k", "n", BOUNDS)
    assert 30 < prior.level_strengths["row"] < 300
    assert 30 < prior.level_strengths["adset_id"] < 300


def test_without_group_columns_the_prior_is_the_pooled_account_rate() -> None:
    frame = hierarchy_frame()
    prior = hierarchical_prior(
        frame, ["account_id"], "conversions_long", "link_clicks_long", BOUNDS
    )
    pooled = (frame["conversions_long"].sum() + 0.5) / (frame["link_clicks_long"].sum() + 1)
    np.testing.assert_allclose(prior.mean, pooled)


def test_calibrated_ctr_strength_trusts_good_predictions_more_than_poor_ones() -> None:
    rng = np.random.default_rng(0)
    true = rng.uniform(0.005, 0.03, 200)
    n = np.full(200, 20_000.0)
    k = rng.binomial(n.astype(int), true).astype(float)
    good = pd.DataFrame({"predicted_ctr_u": true, "impressions": n, "unique_link_clicks": k})
    poor = good.assign(predicted_ctr_u=np.full(200, true.mean()))
    config = SlateConfig()
    assert calibrated_ctr_strength(good, config) > 100 * calibrated_ctr_strength(poor, config)
    assert calibrated_ctr_strength(good, SlateConfig(prior_strength=321.0)) == 321.0


def test_frequency_slope_and_cap_follow_the_square_root_model() -> None:
    # 7 days of 10,000 impressions a day at frequency 1.5: c = 0.5 / 100 = 0.005
    slope = frequency_slope([70_000.0, 0.0], [70_000 / 1.5, 0.0], [7.0, 0.0])
    assert slope[0] == pytest.approx(0.005)
    assert np.isnan(slope[1])
    limit = max_impressions(slope, [70_000.0, 0.0], [7.0, 0.0], cap=2.5)
    assert limit[0] == pytest.approx((1.5 / 0.005) ** 2)
    assert planned_frequency(slope, limit)[0] == pytest.approx(2.5)
    assert np.isinf(limit[1])
    # already above a cap of 1.2: keep the recent 10,000 a day, no more
    assert max_impressions(slope[:1], [70_000.0], [7.0], cap=1.2)[0] == pytest.approx(10_000.0)


def test_bounded_shares_respects_a_cap_per_ad_and_still_spends_everything() -> None:
    shares = bounded_shares([5.0, 3.0, 1.0, 1.0], 1.0, 0.0, [0.1, 0.6, 0.6, 0.6])
    assert shares.sum() == pytest.approx(1.0)
    assert shares[0] == pytest.approx(0.1)
    np.testing.assert_allclose(shares[1:], [0.54, 0.18, 0.18])
    # caps that cannot hold the budget are raised by one factor
    raised = bounded_shares([1.0, 1.0], 1.0, 0.0, [0.2, 0.3])
    np.testing.assert_allclose(raised, [0.4, 0.6])


def summary(p_top_k: list[float], sd: list[float]) -> DrawSummary:
    n = len(p_top_k)
    return DrawSummary(
        p_best=np.asarray(p_top_k) / 3,
        p_top_k=np.asarray(p_top_k),
        value_mean=np.ones(n),
        value_sd=np.asarray(sd),
        top_k=2,
    )


def test_learning_ads_are_explored_first_and_never_exploited() -> None:
    config = SlateConfig(top_k=2, explore_ads=1, min_share=0.0, max_share=1.0)
    draws = summary([0.9, 0.8, 0.2, 0.1], [0.1, 0.1, 0.5, 0.01])
    learning = np.array([True, False, False, True])
    allocation = allocate(draws, np.zeros(4), config, learning=learning)
    # ad 0 leads the draws but is learning: never exploited; the one explore slot goes to a
    # learning ad (ad 0, the wider of the two) before the widest non-learning belief (ad 2);
    # the other learning ad waits
    assert allocation.exploit[0] == 0
    assert allocation.explore[0] == pytest.approx(0.2)
    assert allocation.explore[2] == 0 and allocation.shares[3] == 0
    assert allocation.exploit[[1, 2]].sum() == pytest.approx(0.8)
    assert allocation.shares.sum() == pytest.approx(1.0)


def test_a_frequency_limit_holds_an_ads_share_down() -> None:
    config = SlateConfig(top_k=2, explore_ads=0, min_share=0.0, max_share=1.0, exploit_share=1.0)
    draws = summary([0.9, 0.8, 0.2, 0.1], [0.1, 0.1, 0.1, 0.1])
    free = allocate(draws, np.zeros(4), config)
    capped = allocate(draws, np.zeros(4), config, max_shares=np.array([0.05, 1, 1, 1]))
    assert free.shares[0] > 0.4
    assert capped.shares[0] == pytest.approx(0.05)
    assert capped.shares.sum() == pytest.approx(1.0)


def test_in_learning_needs_youth_and_few_conversions() -> None:
    ads = pd.DataFrame(
        {
            "days_since_first_delivery": [2.0, 2.0, 30.0, np.nan],
            "conversions_long": [3.0, 80.0, 3.0, 0.0],
        }
    )
    assert in_learning(ads, SlateConfig()).tolist() == [True, False, False, True]


def test_paused_ads_get_no_budget(settings: Settings, warehouse: DuckDBWarehouse) -> None:
    before = make_slate(settings, warehouse, budget=1000.0)
    assert "ad_best" in before.column("ad_id").to_pylist()
    warehouse.execute(
        "update aelp.dim_ads set ad_effective_status = 'ADSET_PAUSED' where ad_id = 'ad_best'"
    )
    after = make_slate(settings, warehouse, budget=1000.0)
    assert "ad_best" not in after.column("ad_id").to_pylist()
    act_1 = [r for r in after.to_pylist() if r["account_id"] == "act_1"]
    assert sum(r["budget_share"] for r in act_1) == pytest.approx(1.0)


def test_slate_lines_carry_hierarchy_priors_and_learning(
    settings: Settings, warehouse: DuckDBWarehouse
) -> None:
    rows = make_slate(settings, warehouse, budget=1000.0).to_pylist()
    new = next(r for r in rows if r["ad_id"] == "ad_new")
    assert new["is_learning"] and new["arm"] == "explore"
    assert "in learning" in new["reason"]
    assert {r["adset_id"] for r in rows if r["account_id"] == "act_1"} == {
        "act_1_set0",
        "act_1_set1",
    }
    assert all(r["ctr_prior_strength"] > 0 and 0 < r["c2s_prior_mean"] < 1 for r in rows)
    assert all(r["planned_frequency"] is None or r["planned_frequency"] >= 1 for r in rows)
