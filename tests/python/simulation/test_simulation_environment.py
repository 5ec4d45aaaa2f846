"""The environment is the world's own truth: same CPM, ctr_u and c2s model, same life cycle."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logit

from aelp.simulation.environment import Environment, world_for
from aelp.world.delivery import (
    C2S_NOISE_SD,
    DAILY_CTR_NOISE_SD,
    SET_CPM_NOISE_SD,
    iter_delivery,
)


@pytest.fixture(scope="module")
def world_and_env() -> tuple[object, Environment]:
    ent = world_for(seed=5, n_ads=60, history_days=20, days=10)
    return ent, Environment(ent, first_day=0, days=30, seed=5)


def test_environment_rates_match_the_world_truth_up_to_its_daily_noise(world_and_env) -> None:
    ent, env = world_and_env
    ctr_residual, cpm_residual, c2s_residual = [], [], []
    for block in iter_delivery(ent):
        for t in np.unique(block.day):
            rows = block.day == t
            ads = block.ad[rows]
            frequency = block.impressions[rows] / block.reach[rows]
            typical = env.ctr_u(int(t), ads, frequency, typical=True)
            ctr_residual.append(logit(block.true_ctr_u[rows]) - logit(typical))
            cpm_residual.append(np.log(block.true_cpm[rows] / env.typical_cpm[ads, t]))
            c2s_residual.append(logit(block.true_c2s[rows]) - logit(env.typical_c2s[ads, t]))
    ctr, cpm, c2s = (np.concatenate(r) for r in (ctr_residual, cpm_residual, c2s_residual))
    assert len(ctr) > 500
    # what is left is exactly the world's unforeseeable daily noise
    assert abs(ctr.mean()) < 0.02 and ctr.std() == pytest.approx(DAILY_CTR_NOISE_SD, rel=0.15)
    assert abs(cpm.mean()) < 0.03 and cpm.std() == pytest.approx(SET_CPM_NOISE_SD, rel=0.25)
    assert abs(c2s.mean()) < 0.01 and c2s.std() == pytest.approx(C2S_NOISE_SD, rel=0.15)


def test_live_ads_follow_the_world_life_cycle(world_and_env) -> None:
    ent, env = world_and_env
    for t in (0, 9, 29):
        expected = np.flatnonzero((ent.ad_start_day <= t) & (t < ent.ad_stop_day))
        assert env.live_ads(t).tolist() == expected.tolist()


def test_expected_conversions_grow_with_spend_but_less_than_linearly(world_and_env) -> None:
    _, env = world_and_env
    ads = env.live_ads(5)
    low = env.expected_conversions(5, ads, np.full(len(ads), 10.0))
    high = env.expected_conversions(5, ads, np.full(len(ads), 1000.0))
    assert (high > low).all()
    assert (high <= 100 * low * (1 + 1e-12)).all()
    assert (high < 100 * low * 0.999).any()  # frequency fatigue bites somewhere


def test_delivery_refuses_spend_on_an_ad_that_cannot_run(world_and_env) -> None:
    _, env = world_and_env
    spend = np.zeros(env.n_ads)
    spend[np.flatnonzero(~env.live[:, 3])[0]] = 10.0
    with pytest.raises(ValueError, match="cannot run"):
        env.deliver(3, spend, np.random.default_rng(0))


def test_delivery_counts_are_nested_and_centred_on_the_expectation(world_and_env) -> None:
    _, env = world_and_env
    ads = env.live_ads(4)
    spend = np.zeros(env.n_ads)
    spend[ads] = 200.0
    draws = [env.deliver(4, spend, np.random.default_rng(s)) for s in range(30)]
    for d in draws:
        assert (d.reach <= d.impressions).all()
        assert (d.unique_link_clicks <= d.link_clicks).all()
        assert (d.conversions <= d.unique_link_clicks).all()
        assert d.spend.sum() == pytest.approx(200.0 * len(ads), rel=0.05)
    mean = np.mean([d.conversions.sum() for d in draws])
    assert mean == pytest.approx(draws[0].expected_conversions.sum(), rel=0.08)
