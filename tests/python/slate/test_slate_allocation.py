"""Pure parts of the slate: posteriors from counts, Thompson draws, bounded shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aelp.slate.allocation import (
    DrawSummary,
    allocate,
    bounded_shares,
    choose_explore,
    expected_fill,
    explore_size,
    summarize_draws,
)
from aelp.slate.config import SlateConfig
from aelp.slate.posteriors import (
    ad_posteriors,
    c2s_posterior,
    c2s_prior,
    ctr_posterior,
    link_per_unique,
    matured_clicks,
    shrunk_cpm,
)

ACCOUNTS = pd.DataFrame(
    {
        "impressions": [100_000.0],
        "unique_link_clicks": [1000.0],
        "link_clicks": [1250.0],
        "conversions": [49.5],
        "spend": [1000.0],
    },
    index=pd.Index(["act_1"], name="account_id"),
)


def ads_frame(**columns: list[float]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "ad_id": [f"ad{i}" for i in range(n)],
        "account_id": ["act_1"] * n,
        "predicted_ctr_u": [0.01] * n,
        "impressions": [0.0] * n,
        "unique_link_clicks": [0.0] * n,
        "link_clicks": [0.0] * n,
        "conversions": [0.0] * n,
        "spend": [0.0] * n,
        "link_clicks_long": [0.0] * n,
        "conversions_long": [0.0] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_ctr_posterior_adds_observed_counts_to_prior_pseudo_impressions() -> None:
    ads = ads_frame(impressions=[1000.0, 0.0], unique_link_clicks=[30.0, 0.0])
    alpha, beta = ctr_posterior(ads, prior_strength=2000)
    # prior 0.01 × 2000 = 20 clicks, 1980 misses; plus 30 clicks and 970 misses
    np.testing.assert_allclose(alpha, [50.0, 20.0])
    np.testing.assert_allclose(beta, [2950.0, 1980.0])
    assert alpha[0] / (alpha[0] + beta[0]) == pytest.approx(50 / 3000)


def test_c2s_prior_without_groups_is_the_account_rate_updated_by_capped_conversions() -> None:
    ads = ads_frame(
        link_clicks=[0.0, 10.0],
        conversions=[0.0, 1.0],
        link_clicks_long=[10.0, 1241.0],
        conversions_long=[15.0, 40.0],
    )
    config = SlateConfig(c2s_prior_strength=200)
    prior = c2s_prior(ads, config)
    # pooled over the account: (10 capped + 40 + 0.5) / (1251 + 1); two ads are too few to
    # estimate a strength, so the fallback of 200 link clicks applies
    np.testing.assert_allclose(prior.mean, [50.5 / 1252] * 2)
    np.testing.assert_allclose(prior.strength, [200.0, 200.0])
    alpha, beta = c2s_posterior(ads, prior)
    prior_alpha = 200 * 50.5 / 1252
    np.testing.assert_allclose(alpha, [prior_alpha + 10, prior_alpha + 40])
    np.testing.assert_allclose(beta, [200 - prior_alpha, 200 - prior_alpha + 1201])


def test_cpm_and_click_ratio_shrink_to_the_account_without_delivery() -> None:
    ads = ads_frame(
        impressions=[0.0, 1_000_000.0],
        spend=[0.0, 20_000.0],
        unique_link_clicks=[0.0, 10_000.0],
        link_clicks=[0.0, 20_000.0],
    )
    cpm = shrunk_cpm(ads, ACCOUNTS, prior_impressions=5000)
    assert cpm[0] == pytest.approx(10.0)
    assert cpm[1] == pytest.approx(1000 * (20_000 + 50) / 1_005_000)
    ratio = link_per_unique(ads, ACCOUNTS, prior_clicks=50)
    assert ratio[0] == pytest.approx(1.25)
    assert ratio[1] == pytest.approx((20_000 + 62.5) / 10_050)


def test_an_ad_without_delivery_is_priced_like_its_ad_set_not_the_account() -> None:
    # the account pays 10 per 1,000 overall; ad set s1 pays 4 (its ad with 1M impressions
    # over the account window), s2 has no delivery at all
    ads = ads_frame(
        impressions=[0.0, 250_000.0, 0.0],
        spend=[0.0, 1000.0, 0.0],
        impressions_long=[0.0, 1_000_000.0, 0.0],
        spend_long=[0.0, 4000.0, 0.0],
    ).assign(adset_id=["s1", "s1", "s2"])
    cpm = shrunk_cpm(ads, ACCOUNTS, prior_impressions=5000)
    set_cpm = 1000 * (4000 + 50) / 1_005_000
    assert cpm[0] == pytest.approx(set_cpm)
    assert cpm[1] == pytest.approx(1000 * (1000 + set_cpm * 5) / 255_000)
    assert cpm[2] == pytest.approx(10.0)
    # without ad set ids the account's CPM is the prior, as before
    assert shrunk_cpm(ads.drop(columns="adset_id"), ACCOUNTS, 5000)[0] == pytest.approx(10.0)


def test_bounded_shares_caps_and_passes_the_excess_on_by_weight() -> None:
    np.testing.assert_allclose(bounded_shares([10, 2, 1], 1.0, 0.0, 0.5), [0.5, 1 / 3, 1 / 6])


def test_bounded_shares_drops_slivers_below_the_minimum() -> None:
    shares = bounded_shares([50, 30, 19, 1], 1.0, 0.05, 1.0)
    np.testing.assert_allclose(shares, [50 / 99, 30 / 99, 19 / 99, 0.0])


def test_bounded_shares_lets_unweighted_ads_absorb_what_capped_ones_cannot() -> None:
    np.testing.assert_allclose(bounded_shares([1, 0, 0], 1.0, 0.0, 0.4), [0.4, 0.3, 0.3])


def test_bounded_shares_raises_an_impossible_cap_to_an_even_split() -> None:
    np.testing.assert_allclose(bounded_shares([3, 1], 0.8, 0.0, 0.3), [0.4, 0.4])


def test_bounded_shares_never_drops_below_what_the_cap_requires() -> None:
    shares = bounded_shares([100, 1, 1], 1.0, 0.4, 0.4)
    np.testing.assert_allclose(shares.sum(), 1.0)
    assert shares.max() <= 0.4 + 1e-12


def test_top_k_chances_sum_to_k_and_draws_repeat_for_a_seed() -> None:
    config = SlateConfig()
    rates = [0.03, 0.02, 0.018, 0.01, 0.01, 0.011, 0.009]
    seen = [0.0 if i == 3 else 50_000.0 for i in range(7)]
    unique = [r * n for r, n in zip(rates, seen, strict=True)]
    ads = ads_frame(
        predicted_ctr_u=rates,
        impressions=seen,
        unique_link_clicks=unique,
        link_clicks=[1.2 * u for u in unique],
        conversions=[0.06 * u for u in unique],
        link_clicks_long=[4.8 * u for u in unique],
        conversions_long=[0.24 * u for u in unique],
        spend=[n / 100 for n in seen],
    )
    posteriors = ad_posteriors(ads, ACCOUNTS, config)
    first = summarize_draws(posteriors, 3000, 3, np.random.default_rng(1))
    again = summarize_draws(posteriors, 3000, 3, np.random.default_rng(1))
    assert first.p_top_k.sum() == pytest.approx(3.0)
    assert first.p_best.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(first.p_top_k, again.p_top_k)
    assert first.p_best[0] > 0.99
    # the ad with no delivery has the widest belief and is chosen to explore
    explore = choose_explore(first, posteriors["impressions"], 1)
    assert explore.tolist() == [0, 0, 0, 1, 0, 0, 0]


def test_allocate_splits_exploit_and_explore_and_keeps_arms_apart() -> None:
    summary = DrawSummary(
        p_best=np.array([0.9, 0.1, 0.0, 0.0, 0.0, 0.0]),
        p_top_k=np.array([1.0, 0.9, 0.6, 0.3, 0.2, 0.0]),
        value_mean=np.ones(6),
        value_sd=np.array([0.1, 0.1, 0.1, 0.2, 0.5, 0.4]),
        top_k=3,
    )
    config = SlateConfig(explore_ads=2, min_share=0.0, max_share=1.0)
    allocation = allocate(summary, np.zeros(6), config)
    assert allocation.shares.sum() == pytest.approx(1.0)
    assert allocation.exploit.sum() == pytest.approx(0.8)
    np.testing.assert_allclose(allocation.explore, [0, 0, 0, 0, 0.1, 0.1])
    assert not np.any((allocation.exploit > 0) & (allocation.explore > 0))
    np.testing.assert_allclose(allocation.exploit[:4], 0.8 * np.array([1.0, 0.9, 0.6, 0.3]) / 2.8)


def test_with_no_ad_beyond_the_leaders_all_budget_exploits() -> None:
    summary = DrawSummary(
        p_best=np.array([0.6, 0.4]),
        p_top_k=np.array([1.0, 1.0]),
        value_mean=np.ones(2),
        value_sd=np.ones(2),
        top_k=2,
    )
    allocation = allocate(summary, np.zeros(2), SlateConfig(top_k=2, max_share=0.6))
    np.testing.assert_allclose(allocation.exploit, [0.5, 0.5])
    assert allocation.explore.sum() == 0


def test_the_explore_arm_grows_with_ads_in_learning_up_to_its_ceiling() -> None:
    base = SlateConfig(exploit_share=0.95, explore_ads=2, min_share=0.02)
    grows = SlateConfig(exploit_share=0.95, explore_ads=2, min_share=0.02, max_explore_share=0.06)
    assert explore_size(base, 10) == (2, 0.95)
    assert explore_size(grows, 2) == (2, 0.95)
    n, exploit = explore_size(grows, 10)
    assert n == 3
    assert exploit == pytest.approx(0.94)
    n_ads = 10
    summary = DrawSummary(
        p_best=np.array([0.7, 0.3] + [0.0] * 8),
        p_top_k=np.array([1.0, 1.0] + [0.0] * 8),
        value_mean=np.ones(n_ads),
        value_sd=np.linspace(0.1, 1.0, n_ads),
        top_k=2,
    )
    learning = np.array([False] * 4 + [True] * 6)
    allocation = allocate(summary, np.zeros(n_ads), grows, learning=learning)
    assert allocation.shares.sum() == pytest.approx(1.0)
    # three ads in learning (the widest beliefs) at the minimum share each; none exploit
    np.testing.assert_allclose(allocation.explore, [0.0] * 7 + [0.02] * 3)
    assert allocation.exploit.sum() == pytest.approx(0.94)
    assert not allocation.exploit[learning].any()
    # with no more ads in learning than explore slots, nothing changes
    few = np.array([False] * 8 + [True] * 2)
    np.testing.assert_allclose(
        allocate(summary, np.zeros(n_ads), grows, learning=few).shares,
        allocate(summary, np.zeros(n_ads), base, learning=few).shares,
    )


def test_config_rejects_bounds_that_make_no_sense() -> None:
    with pytest.raises(ValueError, match="min_share"):
        SlateConfig(min_share=0.5, max_share=0.2)
    with pytest.raises(ValueError, match="exploit_share"):
        SlateConfig(exploit_share=1.5)
    with pytest.raises(ValueError, match="max_explore_share"):
        SlateConfig(max_explore_share=1.5)


def _two_leaders_and_a_tail() -> pd.DataFrame:
    rates = [0.03, 0.0295, 0.01, 0.009]
    seen = [200_000.0] * 4
    unique = [r * n for r, n in zip(rates, seen, strict=True)]
    return ad_posteriors(
        ads_frame(
            predicted_ctr_u=rates,
            impressions=seen,
            unique_link_clicks=unique,
            link_clicks=unique,
            conversions=[0.05 * u for u in unique],
            link_clicks_long=[4 * u for u in unique],
            conversions_long=[0.2 * u for u in unique],
            spend=[n / 100 for n in seen],
        ),
        ACCOUNTS,
        SlateConfig(),
    )


def test_expected_fill_gives_sure_winners_their_caps_and_keeps_ineligible_ads_out() -> None:
    posteriors = _two_leaders_and_a_tail()
    fill = expected_fill(
        posteriors, [True, True, True, False], [0.4] * 4, 0.95, 2000, np.random.default_rng(0)
    )
    assert fill.sum() == pytest.approx(0.95)
    # the two close leaders (each ~3× the tail) share the first 80 % between them at their
    # caps; the third eligible ad takes the remainder, the ineligible one nothing
    np.testing.assert_allclose(fill, [0.4, 0.4, 0.15, 0.0], atol=1e-9)
    # P(top 2) would weight the third ad as zero and split 95 % evenly: a fill keeps the caps
    again = expected_fill(
        posteriors, [True, True, True, False], [0.4] * 4, 0.95, 2000, np.random.default_rng(0)
    )
    np.testing.assert_array_equal(fill, again)


def test_expected_fill_follows_how_often_each_ad_wins_when_beliefs_overlap() -> None:
    posteriors = _two_leaders_and_a_tail()
    fill = expected_fill(posteriors, [True] * 4, [0.5] * 4, 0.5, 4000, np.random.default_rng(1))
    # one slot of 50 %: each leader gets it in the draws it wins; the slightly better one more
    assert fill[2] == fill[3] == 0.0
    assert fill[0] + fill[1] == pytest.approx(0.5)
    assert 0.25 < fill[0] < 0.5 and 0.0 < fill[1] < 0.25


def test_matured_clicks_discount_recent_days_by_the_share_of_conversions_reported() -> None:
    ads = ads_frame(
        link_clicks_long=[1000.0, 1000.0],
        conversions_long=[50.0, 40.0],
        link_clicks_age_1=[0.0, 200.0],
        link_clicks_age_2=[0.0, 100.0],
    )
    config = SlateConfig(reporting_curve=(0.5, 0.8))
    # ad 1's last two days count 200 × 0.5 + 100 × 0.8 clicks: 1000 − 100 − 20 = 880
    np.testing.assert_allclose(matured_clicks(ads, config), [1000.0, 880.0])
    np.testing.assert_allclose(matured_clicks(ads, SlateConfig(reporting_curve=())), [1000.0] * 2)
    np.testing.assert_allclose(
        matured_clicks(ads.drop(columns="link_clicks_age_2"), config), [1000.0] * 2
    )
    prior = c2s_prior(ads, config)
    alpha, beta = c2s_posterior(ads, prior, config)
    np.testing.assert_allclose(alpha + beta - prior.strength, [1000.0, 880.0])


def test_config_rejects_a_reporting_curve_that_falls_or_exceeds_one() -> None:
    with pytest.raises(ValueError, match="reporting_curve"):
        SlateConfig(reporting_curve=(0.6, 0.5))
    with pytest.raises(ValueError, match="reporting_curve"):
        SlateConfig(reporting_curve=(0.5, 1.2))
    with pytest.raises(ValueError, match="exploit_weighting"):
        SlateConfig(exploit_weighting="best")
