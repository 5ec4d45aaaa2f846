"""Off-policy estimates of a candidate slate's conversions from logged delivery.

A day's budget is a stream of currency units, each spent on one ad; the logging policy
spends a unit on ad ``i`` with propensity ``p0_i`` (its share that day, as logged) and the
outcome of a unit is the conversions it bought. Outcomes are taken as linear in spend
within a day, so a candidate that gives ad ``i`` the share ``p1_i`` of budget ``B1``
gets ``B1 × Σ p1_i r_i`` for conversions per unit ``r_i``. With logged spend ``s_i``
(``B0`` in all) and its conversions ``y_i`` (after the attribution window closed):

* IPW: ``B1 / B0 × Σ (p1_i / p0_i) y_i``;
* self-normalised IPW: ``B1 × Σ (p1_i / p0_i) y_i / Σ (p1_i / p0_i) s_i``;
* doubly robust: ``B1 × [Σ p1_i q_i + Σ (p1_i / p0_i)(y_i − s_i q_i) / B0]`` with ``q_i``
  the slate's posterior-mean conversions per unit of spend, as known before the day;
* doubly robust on clicks (``dr_clicks``): the same with ``y_i`` replaced by the day's
  logged link clicks × the ad's click-to-conversion rate ``c_i``, estimated on all of the
  log's clicks and matured conversions with the slate's hierarchical prior. The weighted
  correction then rests on clicks, ten times as many events as conversions, while the
  conversions' own noise is pooled over every logged day of the ad and shrunk to its ad
  set: a log in which an ad's few conversions ran lucky no longer carries that luck,
  multiplied by the weights, into the estimate. Its bias is the rate model's (c_i).

Each estimator is summed over the days and compared with the simulator's expected
conversions of the candidate's shares (the truth, frequency effects included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

ESTIMATORS: tuple[str, ...] = ("ipw", "snipw", "dr", "dr_clicks")


@dataclass(frozen=True)
class LoggedDay:
    """One logged day: spend and matured conversions per ad, the logging propensities and
    the direct model's conversions per unit of spend (arrays over the same ads); with
    ``clicks`` and ``click_to_conversion``, the day's link clicks and each ad's estimated
    conversions per link click (for ``dr_clicks``)."""

    spend: FloatArray
    conversions: FloatArray
    propensity: FloatArray
    direct: FloatArray
    clicks: FloatArray | None = None
    click_to_conversion: FloatArray | None = None


def day_estimates(logged: LoggedDay, candidate: FloatArray, budget: float) -> dict[str, float]:
    """IPW, SNIPW and DR conversions of ``candidate`` shares at ``budget`` for one day.

    Ads the candidate funds but the logging policy could not (propensity 0) are outside
    the log's support: IPW and SNIPW ignore them, DR values them with the direct model.
    ``dr_clicks`` is returned when the day carries clicks and click-to-conversion rates.
    """
    p1 = np.asarray(candidate, dtype=np.float64)
    p0 = np.asarray(logged.propensity, dtype=np.float64)
    s = np.asarray(logged.spend, dtype=np.float64)
    y = np.asarray(logged.conversions, dtype=np.float64)
    q = np.asarray(logged.direct, dtype=np.float64)
    support = p0 > 0
    w = np.zeros_like(p1)
    w[support] = p1[support] / p0[support]
    logged_budget = s.sum()
    with_clicks = logged.clicks is not None and logged.click_to_conversion is not None
    if logged_budget <= 0:
        dm = float(budget * (p1 * q).sum())
        out = {"ipw": 0.0, "snipw": 0.0, "dr": dm}
        return {**out, "dr_clicks": dm} if with_clicks else out
    ipw = budget / logged_budget * float((w * y).sum())
    weighted_spend = float((w * s).sum())
    snipw = budget * float((w * y).sum()) / weighted_spend if weighted_spend > 0 else 0.0
    direct = float((p1 * q).sum())
    out = {
        "ipw": ipw,
        "snipw": snipw,
        "dr": budget * (direct + float((w * (y - s * q)).sum()) / logged_budget),
    }
    if with_clicks:
        assert logged.clicks is not None and logged.click_to_conversion is not None
        y_clicks = np.asarray(logged.clicks, np.float64) * np.asarray(
            logged.click_to_conversion, np.float64
        )
        correction = float((w * (y_clicks - s * q)).sum()) / logged_budget
        out["dr_clicks"] = budget * (direct + correction)
    return out


def total_estimates(
    logged: list[LoggedDay], candidates: list[FloatArray], budget: float
) -> dict[str, float]:
    """Each estimator summed over the days (``logged[d]`` with ``candidates[d]``); ``dr_clicks``
    only when every day carries clicks and click-to-conversion rates."""
    totals: dict[str, float] = {}
    for day, shares in zip(logged, candidates, strict=True):
        for name, value in day_estimates(day, shares, budget).items():
            totals[name] = totals.get(name, 0.0) + value
    if any(day.clicks is None or day.click_to_conversion is None for day in logged):
        totals.pop("dr_clicks", None)
    return {name: totals[name] for name in ESTIMATORS if name in totals}
