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
  the slate's posterior-mean conversions per unit of spend, as known before the day.

Each estimator is summed over the days and compared with the simulator's expected
conversions of the candidate's shares (the truth, frequency effects included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

ESTIMATORS: tuple[str, ...] = ("ipw", "snipw", "dr")


@dataclass(frozen=True)
class LoggedDay:
    """One logged day: spend and matured conversions per ad, the logging propensities and
    the direct model's conversions per unit of spend (arrays over the same ads)."""

    spend: FloatArray
    conversions: FloatArray
    propensity: FloatArray
    direct: FloatArray


def day_estimates(logged: LoggedDay, candidate: FloatArray, budget: float) -> dict[str, float]:
    """IPW, SNIPW and DR conversions of ``candidate`` shares at ``budget`` for one day.

    Ads the candidate funds but the logging policy could not (propensity 0) are outside
    the log's support: IPW and SNIPW ignore them, DR values them with the direct model.
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
    if logged_budget <= 0:
        dm = float(budget * (p1 * q).sum())
        return {"ipw": 0.0, "snipw": 0.0, "dr": dm}
    ipw = budget / logged_budget * float((w * y).sum())
    weighted_spend = float((w * s).sum())
    snipw = budget * float((w * y).sum()) / weighted_spend if weighted_spend > 0 else 0.0
    dr = budget * (float((p1 * q).sum()) + float((w * (y - s * q)).sum()) / logged_budget)
    return {"ipw": ipw, "snipw": snipw, "dr": dr}


def total_estimates(
    logged: list[LoggedDay], candidates: list[FloatArray], budget: float
) -> dict[str, float]:
    """Each estimator summed over the days (``logged[d]`` with ``candidates[d]``)."""
    totals = dict.fromkeys(ESTIMATORS, 0.0)
    for day, shares in zip(logged, candidates, strict=True):
        for name, value in day_estimates(day, shares, budget).items():
            totals[name] += value
    return totals
