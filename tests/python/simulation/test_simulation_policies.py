"""Every policy splits the whole budget over live ads within the shared bounds."""

from __future__ import annotations

import numpy as np
import pytest

from aelp.simulation.environment import Environment, history_delivery, world_for
from aelp.simulation.feedback import history_ledger
from aelp.simulation.policies import (
    POLICY_FUNCTIONS,
    Day,
    fill_by_rank,
    predicted_ctr_u,
    slate_frames,
    uniform,
)
from aelp.slate.config import SlateConfig

CONFIG = SlateConfig(exploit_share=0.9, explore_ads=2, n_samples=300)


@pytest.fixture(scope="module")
def env_and_ledger():
    ent = world_for(seed=3, n_ads=60, history_days=28, days=3)
    env = Environment(ent, first_day=28, days=3, seed=3)
    ledger = history_ledger(ent.n_ads, ent.config.n_days, history_delivery(ent), 28, seed=3)
    return env, ledger


@pytest.mark.parametrize("policy", sorted(POLICY_FUNCTIONS))
def test_shares_sum_to_one_within_bounds_on_live_ads_only(env_and_ledger, policy) -> None:
    env, ledger = env_and_ledger
    day = Day(env, ledger, 1, 1000.0, CONFIG, np.random.default_rng(0))
    shares = POLICY_FUNCTIONS[policy](day)
    funded = shares > 0
    assert shares.sum() == pytest.approx(1.0)
    assert not (funded & ~env.live[:, 1]).any()
    assert shares[funded].min() >= CONFIG.min_share - 1e-9
    assert shares.max() <= CONFIG.max_share + 1e-9


def test_each_policy_is_deterministic_for_a_seed(env_and_ledger) -> None:
    env, ledger = env_and_ledger
    for policy in POLICY_FUNCTIONS.values():
        a = policy(Day(env, ledger, 2, 1000.0, CONFIG, np.random.default_rng(4)))
        b = policy(Day(env, ledger, 2, 1000.0, CONFIG, np.random.default_rng(4)))
        assert np.array_equal(a, b)


def test_oracle_buys_at_least_as_many_expected_conversions_as_any_other_policy(
    env_and_ledger,
) -> None:
    env, ledger = env_and_ledger
    live = env.live_ads(0)
    value = {}
    for name, policy in POLICY_FUNCTIONS.items():
        shares = policy(Day(env, ledger, 0, 1000.0, CONFIG, np.random.default_rng(1)))
        value[name] = env.expected_conversions(0, live, shares[live] * 1000.0, typical=True).sum()
    assert value["oracle"] >= max(value.values()) - 1e-9
    assert value["oracle"] > 1.5 * value["uniform"]


def test_uniform_funds_a_random_subset_when_the_minimum_share_allows_no_more() -> None:
    ent = world_for(seed=3, n_ads=60, history_days=28, days=3)
    env = Environment(ent, first_day=28, days=3, seed=3)
    ledger = history_ledger(ent.n_ads, ent.config.n_days, [], 28, seed=3)
    tight = SlateConfig(min_share=0.1, max_share=0.4)
    shares = uniform(Day(env, ledger, 0, 1000.0, tight, np.random.default_rng(0)))
    assert len(env.live_ads(0)) > 10
    assert (shares > 0).sum() == 10
    assert np.allclose(shares[shares > 0], 0.1)


def test_fill_by_rank_gives_the_best_the_cap_and_lifts_a_small_remainder_to_the_minimum() -> None:
    assert fill_by_rank(np.array([1.0, 3.0, 2.0, 0.5]), 0.02, 0.4).tolist() == pytest.approx(
        [0.2, 0.4, 0.4, 0.0]
    )
    shares = fill_by_rank(np.array([3.0, 2.0, 1.0]), 0.05, 0.49)
    assert shares.tolist() == pytest.approx([0.49, 0.46, 0.05])
    assert fill_by_rank(np.array([1.0, 2.0]), 0.02, 0.4).tolist() == [0.5, 0.5]


def test_predicted_ctr_u_shrinks_each_ad_to_its_ad_set_and_ignores_who_got_the_budget() -> None:
    clicks = np.array([300.0, 0.0, 10.0, 0.0])
    impressions = np.array([10_000.0, 0.0, 1_000.0, 0.0])
    ad_adset = np.array([0, 0, 1, 1])
    adset_campaign = np.array([0, 1])
    predicted = predicted_ctr_u(clicks, impressions, ad_adset, adset_campaign)
    # the unseen ad of a strong ad set inherits its ad set's rate, not the account's pool
    assert predicted[1] > predicted[3]
    assert predicted[0] == pytest.approx((300 + 5000 * predicted[1]) / 15_000)
    # the top level is the median ad rate, so a heavily funded ad does not set it alone
    assert 0.01 <= predicted[3] <= 0.03


def test_slate_frames_carry_ids_reach_and_the_account_pool(env_and_ledger) -> None:
    env, ledger = env_and_ledger
    ads, accounts = slate_frames(Day(env, ledger, 0, 1000.0, CONFIG, np.random.default_rng(0)))
    assert {
        "campaign_id",
        "adset_id",
        "reach",
        "days_delivered",
        "days_since_first_delivery",
    } <= set(ads.columns)
    assert len(ads) == len(env.live_ads(0))
    assert accounts.index.tolist() == [env.ent.account_ids[0]]
    assert accounts["impressions"].iloc[0] > 0
