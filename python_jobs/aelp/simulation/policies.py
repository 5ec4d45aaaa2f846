"""Policies that split a day's budget over the ads that can run, all under the same bounds.

* ``uniform``: an equal split over the live ads (a random subset when there are more than
  ``1 / min_share``, so no share falls under the minimum);
* ``greedy``: exploit only: the slate's posteriors, budget by posterior-mean conversions
  per unit of spend, best first, each up to ``max_share``;
* ``thompson``: the daily slate itself (:func:`aelp.slate.build.account_slate`, which
  runs :func:`~aelp.slate.posteriors.ad_posteriors`,
  :func:`~aelp.slate.allocation.summarize_draws` and :func:`~aelp.slate.allocation.allocate`);
* ``oracle``: knows the world's true rates of the day (every ad's level, weekday, account
  shock, fatigue, and how ctr_u falls as frequency rises with spend) but not the day's
  unforeseeable noise per ad, and adds budget where the next step buys the most expected
  conversions. ``typical_oracle=False`` makes it clairvoyant about that noise too.

The slate and greedy policies learn from what the advertiser has seen (the ledger,
conversions reported late) with a model-like ctr_u forecast from that history as the
prior mean (:func:`predicted_ctr_u`), never the truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from aelp.simulation.environment import Environment
from aelp.simulation.feedback import Ledger
from aelp.slate.allocation import bounded_shares
from aelp.slate.build import account_slate
from aelp.slate.config import SlateConfig
from aelp.slate.posteriors import ad_posteriors, age_columns

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Day:
    """What a policy is given on day ``t``: the world, what has been seen, the bounds."""

    env: Environment
    ledger: Ledger
    t: int
    budget: float
    slate: SlateConfig
    rng: np.random.Generator
    oracle_step: float = 0.005
    typical_oracle: bool = True

    @property
    def decision_day(self) -> int:
        return self.env.world_day(self.t)


Policy = Callable[[Day], FloatArray]
"""Shares per ad of the world (zeros outside the live ads), summing to one."""


def slate_frames(day: Day) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The live ads and the account as the slate job reads them from the mart.

    Ad sums over ``lookback_days``, click-to-conversion sums over
    ``account_lookback_days``, conversions as reported by the decision day; the account
    pools the live ads (all ads when the live ones have no delivery yet). The prior mean
    ``predicted_ctr_u`` is :func:`predicted_ctr_u`. Daily reach sums, days with
    delivery, ``frequency`` (impressions per daily reach) and days since the first
    delivery in the account window are passed along for frequency and learning rules, and
    the link clicks of each of the last ``len(reporting_curve)`` days for the reporting-lag
    correction of click-to-conversion.
    """
    env, cfg = day.env, day.slate
    live = env.live_ads(day.t)
    recent = day.ledger.sums(day.decision_day, cfg.lookback_days)
    long = day.ledger.sums(day.decision_day, cfg.account_lookback_days)
    ent = env.ent
    account_id = ent.account_ids[0]
    pool = live if long.impressions[live].sum() > 0 else np.arange(env.n_ads)
    prediction = predicted_ctr_u(
        long.unique_link_clicks, long.impressions, ent.ad_adset, ent.adset_campaign
    )
    ads = pd.DataFrame(
        {
            "ad_id": [ent.ad_ids[i] for i in live],
            "account_id": account_id,
            "campaign_id": [ent.campaign_ids[ent.adset_campaign[ent.ad_adset[i]]] for i in live],
            "adset_id": [ent.adset_ids[ent.ad_adset[i]] for i in live],
            "predicted_ctr_u": prediction[live],
            "impressions": recent.impressions[live],
            "unique_link_clicks": recent.unique_link_clicks[live],
            "link_clicks": recent.link_clicks[live],
            "conversions": recent.conversions[live],
            "spend": recent.spend[live],
            "reach": recent.reach[live],
            "frequency": recent.impressions[live] / np.maximum(recent.reach[live], 1.0),
            "days_delivered": recent.days_delivered[live],
            "days_since_first_delivery": long.days_since_first_delivery[live],
            "link_clicks_long": long.link_clicks[live],
            "conversions_long": long.conversions[live],
            "impressions_long": long.impressions[live],
            "spend_long": long.spend[live],
            "currency": env.currency,
        }
    )
    clicks_by_age = day.ledger.clicks_by_age(day.decision_day, len(cfg.reporting_curve))
    for age, column in enumerate(age_columns("link_clicks", len(cfg.reporting_curve))):
        ads[column] = clicks_by_age[live, age]
    accounts = pd.DataFrame(
        {
            "impressions": [long.impressions[pool].sum()],
            "unique_link_clicks": [long.unique_link_clicks[pool].sum()],
            "link_clicks": [long.link_clicks[pool].sum()],
            "conversions": [long.conversions[pool].sum()],
            "spend": [long.spend[pool].sum()],
            "reach": [long.reach[pool].sum()],
            "currency": [env.currency],
        },
        index=pd.Index([account_id], name="account_id"),
    )
    return ads, accounts


PREDICTION_STRENGTH = 5000.0
"""Impressions' worth of weight each level's rate carries in :func:`predicted_ctr_u`."""
MIN_IMPRESSIONS = 1000.0


def predicted_ctr_u(
    clicks: FloatArray, impressions: FloatArray, ad_adset: IntArray, adset_campaign: IntArray
) -> FloatArray:
    """A model-like ctr_u forecast per ad from observed history only (never the truth).

    Empirical-Bayes shrinkage ad → ad set → campaign → account: each level's observed
    rate is shrunk to its parent's with ``PREDICTION_STRENGTH`` impressions of weight.
    The account level is the median rate of the ads with at least ``MIN_IMPRESSIONS``,
    not the pooled rate: pooled over a slate's own delivery, the rate would be that of
    the ads the slate already favours, and every unseen ad would inherit it.
    """
    k, n = np.asarray(clicks, dtype=float), np.asarray(impressions, dtype=float)
    seen = n >= MIN_IMPRESSIONS
    top = float(np.median(k[seen] / n[seen])) if seen.any() else 0.01
    n_sets, n_campaigns = int(ad_adset.max()) + 1, int(adset_campaign.max()) + 1
    set_k = np.bincount(ad_adset, weights=k, minlength=n_sets)
    set_n = np.bincount(ad_adset, weights=n, minlength=n_sets)
    camp_k = np.bincount(adset_campaign, weights=set_k, minlength=n_campaigns)
    camp_n = np.bincount(adset_campaign, weights=set_n, minlength=n_campaigns)
    camp = (camp_k + PREDICTION_STRENGTH * top) / (camp_n + PREDICTION_STRENGTH)
    adset = (set_k + PREDICTION_STRENGTH * camp[adset_campaign]) / (set_n + PREDICTION_STRENGTH)
    parent = adset[ad_adset]
    return np.asarray((k + PREDICTION_STRENGTH * parent) / (n + PREDICTION_STRENGTH), dtype=float)


def posterior_values(posteriors: pd.DataFrame) -> FloatArray:
    """Posterior-mean conversions per unit of spend of each ad."""
    return np.asarray(
        posteriors["posterior_ctr_u_mean"].to_numpy(float)
        * posteriors["link_per_unique"].to_numpy(float)
        * posteriors["c2s_mean"].to_numpy(float)
        * 1000.0
        / posteriors["cpm"].to_numpy(float),
        dtype=np.float64,
    )


def _spread(day: Day, live: IntArray, shares: FloatArray) -> FloatArray:
    out = np.zeros(day.env.n_ads)
    out[live] = shares
    return out


def fill_by_rank(values: FloatArray, min_share: float, max_share: float) -> FloatArray:
    """Budget to the highest values first, each up to ``max_share``, all of it spent.

    A last share under ``min_share`` takes the difference from the one before it; when
    the ads cannot absorb everything at ``max_share`` the split is even.
    """
    n = len(values)
    shares = np.zeros(n)
    if n == 0:
        return shares
    if n * max_share < 1.0:
        return np.full(n, 1.0 / n)
    left = 1.0
    order = np.argsort(-np.asarray(values, dtype=float), kind="stable")
    for rank, i in enumerate(order):
        take = min(max_share, left)
        if take <= 1e-12:
            break
        if take < min_share and rank > 0:
            shares[order[rank - 1]] -= min_share - take
            take = min_share
        shares[i] = take
        left -= take
    return shares


def uniform(day: Day) -> FloatArray:
    """Equal shares over the live ads (a random subset when there are too many for the minimum)."""
    live = day.env.live_ads(day.t)
    cap = len(live)
    if day.slate.min_share > 0:
        cap = min(cap, int(np.floor(1.0 / day.slate.min_share + 1e-9)))
    chosen = np.sort(day.rng.choice(live, size=cap, replace=False)) if cap < len(live) else live
    shares = bounded_shares(np.ones(len(chosen)), 1.0, day.slate.min_share, day.slate.max_share)
    return _spread(day, chosen, shares)


def greedy(day: Day) -> FloatArray:
    """Exploit only: rank by posterior-mean conversions per unit of spend."""
    ads, accounts = slate_frames(day)
    posteriors = ad_posteriors(ads, accounts, day.slate)
    shares = fill_by_rank(posterior_values(posteriors), day.slate.min_share, day.slate.max_share)
    return _spread(day, day.env.live_ads(day.t), shares)


def thompson(day: Day) -> FloatArray:
    """The daily slate, by the very function ``aelp slate`` runs for each account
    (:func:`aelp.slate.build.account_slate`: posteriors → top-k Thompson draws → bounded
    exploit/explore shares)."""
    ads, accounts = slate_frames(day)
    lines = account_slate(ads, accounts, day.budget, day.slate, day.rng)
    index = {ad_id: i for i, ad_id in enumerate(day.env.ent.ad_ids)}
    shares = np.zeros(day.env.n_ads)
    for ad_id, share in zip(lines["ad_id"], lines["budget_share"].to_numpy(float), strict=True):
        shares[index[ad_id]] = share
    return shares


def oracle(day: Day) -> FloatArray:
    """The best split under the bounds for the day's true rates.

    Budget goes out in steps of ``oracle_step`` (an ad's first step is ``min_share``) to
    the ad whose next step buys the most expected conversions per unit of spend; the
    world's conversions are concave in spend (frequency fatigue), so this finds the best
    split up to the step size.
    """
    env, cfg = day.env, day.slate
    live = env.live_ads(day.t)
    n = len(live)
    if n * cfg.max_share < 1.0:
        return _spread(day, live, np.full(n, 1.0 / n))
    shares = np.zeros(n)
    value = np.zeros(n)
    left = 1.0
    first = max(cfg.min_share, day.oracle_step)
    while left > 1e-9:
        step = np.where(shares > 0, day.oracle_step, first)
        step = np.minimum(step, cfg.max_share - shares)
        fits = (step > 1e-12) & ((shares > 0) | (step <= left + 1e-12))
        if not fits.any():
            break
        step = np.minimum(step, left)
        new_value = env.expected_conversions(
            day.t, live, (shares + step) * day.budget, typical=day.typical_oracle
        )
        rate = np.where(fits, (new_value - value) / np.maximum(step, 1e-12), -np.inf)
        best = int(np.argmax(rate))
        shares[best] += step[best]
        value[best] = new_value[best]
        left -= step[best]
    if left > 1e-9:
        room = np.flatnonzero(shares < cfg.max_share)
        shares[room] += left * (cfg.max_share - shares[room]) / (cfg.max_share - shares[room]).sum()
    return _spread(day, live, shares)


POLICY_FUNCTIONS: dict[str, Policy] = {
    "thompson": thompson,
    "greedy": greedy,
    "uniform": uniform,
    "oracle": oracle,
}
