"""The day-by-day loop: every policy replays the same days of the same worlds.

Per seed: one world, its own logged history, then ``days`` days on which each policy
splits the same budget, its spend is delivered by the world's rates and what it sees
(delivery next day, conversions over a week) feeds its next decision. The oracle's
expected conversions on each day are the yardstick for regret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from tqdm import tqdm

from aelp.simulation.config import POLICIES, SimulationConfig
from aelp.simulation.environment import Environment, history_delivery, world_for
from aelp.simulation.feedback import Ledger, history_ledger
from aelp.simulation.ope import LoggedDay, total_estimates
from aelp.simulation.policies import (
    POLICY_FUNCTIONS,
    Day,
    oracle,
    posterior_values,
    slate_frames,
)
from aelp.slate.posteriors import ad_posteriors, c2s_posterior, c2s_prior

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
SHARE_TOLERANCE = 1e-6


@dataclass
class SeedRun:
    """One seed: daily rows per policy, each policy's shares and what it saw."""

    seed: int
    env: Environment
    rows: list[dict[str, object]] = field(default_factory=list)
    shares: dict[str, FloatArray] = field(default_factory=dict)
    ledgers: dict[str, Ledger] = field(default_factory=dict)
    oracle_expected: FloatArray | None = None


@dataclass
class SimulationResult:
    """Daily rows, per-seed totals, the summary over seeds and the off-policy estimates."""

    config: SimulationConfig
    daily: pd.DataFrame
    totals: pd.DataFrame
    summary: pd.DataFrame
    ope: pd.DataFrame

    @property
    def simulation_id(self) -> str:
        return self.config.simulation_id

    def table_text(self) -> str:
        """A plain-text table of the summary (means and 95 % intervals over seeds)."""
        cfg = self.config
        lines = [
            f"{self.simulation_id}: {cfg.n_seeds} seed(s) x {cfg.days} days, "
            f"{cfg.n_ads}-ad worlds from seed {cfg.world_seed}, budget {cfg.budget:,.0f}/day",
            f"{'policy':<9} {'conversions':>20} {'CAC':>18} {'vs uniform':>18} "
            f"{'of oracle':>18} {'regret':>16}",
        ]
        for _, row in self.summary.iterrows():
            lines.append(
                f"{row['policy']:<9} {_ci(row, 'conversions', '{:,.0f}'):>20} "
                f"{_ci(row, 'cac', '{:,.2f}'):>18} {_ci(row, 'lift_vs_uniform', '{:+.1%}'):>18} "
                f"{_ci(row, 'share_of_oracle', '{:.1%}'):>18} {_ci(row, 'regret', '{:,.0f}'):>16}"
            )
        if len(self.ope):
            lines.append("off-policy estimates from the uniform log (error vs simulated truth):")
            grouped = self.ope.groupby(["policy", "estimator"], sort=False)["relative_error"]
            for (policy, estimator), errors in grouped:
                lines.append(
                    f"  {policy:<9} {estimator:<9} mean {errors.mean():+.1%}, "
                    f"worst |{errors.abs().max():.1%}| over {len(errors)} seed(s)"
                )
        return "\n".join(lines)


def _ci(row: pd.Series, name: str, fmt: str) -> str:
    mean = row[f"{name}_mean"]
    if pd.isna(mean):
        return "n/a"
    half = row[f"{name}_ci"]
    return fmt.format(mean) + ("" if pd.isna(half) else " ±" + fmt.format(half).lstrip("+"))


def _check_shares(policy: str, t: int, shares: FloatArray, live: np.ndarray, day: Day) -> None:
    total = float(shares.sum())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise AssertionError(f"{policy} day {t}: shares sum to {total}")
    funded = shares > 0
    if (funded & ~live).any():
        raise AssertionError(f"{policy} day {t}: budget on an ad that cannot run")
    cap = max(day.slate.max_share, 1.0 / max(int(live.sum()), 1))
    if (shares > cap + SHARE_TOLERANCE).any():
        raise AssertionError(f"{policy} day {t}: a share above max_share")


def simulate_seed(config: SimulationConfig, seed: int) -> SeedRun:
    """Run every policy of ``config`` on the world of ``seed``."""
    ent = world_for(seed, config.n_ads, config.history_days, config.days)
    env = Environment(ent, config.history_days, config.days, seed)
    history = history_ledger(
        ent.n_ads, ent.config.n_days, history_delivery(ent), config.history_days, seed
    )
    run = SeedRun(seed=seed, env=env)
    oracle_shares = np.zeros((config.days, env.n_ads))
    oracle_expected = np.zeros(config.days)
    for t in range(config.days):
        day = Day(env, history, t, config.budget, config.slate, np.random.default_rng(0),
                  config.oracle_step)  # fmt: skip
        oracle_shares[t] = oracle(day)
        live = env.live_ads(t)
        oracle_expected[t] = env.expected_conversions(
            t, live, oracle_shares[t][live] * config.budget
        ).sum()
    run.oracle_expected = oracle_expected
    start = ent.config.start_date + timedelta(days=config.history_days)
    for policy in config.policies:
        k = POLICIES.index(policy)
        decide_rng = np.random.default_rng([seed, 1, k])
        world_rng = np.random.default_rng([seed, 2, k])
        lag_rng = np.random.default_rng([seed, 3, k])
        ledger = history.copy()
        shares = np.zeros((config.days, env.n_ads))
        for t in range(config.days):
            day = Day(env, ledger, t, config.budget, config.slate, decide_rng, config.oracle_step)
            chosen = oracle_shares[t] if policy == "oracle" else POLICY_FUNCTIONS[policy](day)
            _check_shares(policy, t, chosen, env.live[:, t], day)
            shares[t] = chosen
            delivered = env.deliver(t, chosen * config.budget, world_rng)
            ledger.record(env.world_day(t), delivered, lag_rng)
            run.rows.append(
                {
                    "seed": seed,
                    "policy": policy,
                    "day_index": t,
                    "sim_date": start + timedelta(days=t),
                    "budget": config.budget,
                    "spend": float(delivered.spend.sum()),
                    "impressions": int(delivered.impressions.sum()),
                    "unique_link_clicks": int(delivered.unique_link_clicks.sum()),
                    "conversions": int(delivered.conversions.sum()),
                    "expected_conversions": float(delivered.expected_conversions.sum()),
                    "oracle_expected_conversions": float(oracle_expected[t]),
                    "funded_ads": int((chosen > 0).sum()),
                    "largest_share": float(chosen.max()),
                }
            )
        run.shares[policy] = shares
        run.ledgers[policy] = ledger
    return run


def logged_click_to_conversion(
    env: Environment, ledger: Ledger, end_day: int, config: SimulationConfig
) -> FloatArray:
    """Each ad's conversions per link click over every day of the log before ``end_day``
    (history included, conversions matured): the slate's hierarchical prior (account →
    campaign → ad set, leave-one-out strengths) updated with the ad's own counts."""
    ent = env.ent
    frame = pd.DataFrame(
        {
            "ad_id": list(ent.ad_ids),
            "account_id": ent.account_ids[0],
            "campaign_id": [ent.campaign_ids[ent.adset_campaign[s]] for s in ent.ad_adset],
            "adset_id": [ent.adset_ids[s] for s in ent.ad_adset],
            "link_clicks_long": ledger.counts["link_clicks"][:, :end_day].sum(axis=1),
            "conversions_long": ledger.conversions[:, :end_day, :].sum(axis=(1, 2)),
        }
    )
    alpha, beta = c2s_posterior(frame, c2s_prior(frame, config.slate))
    return np.asarray(alpha / (alpha + beta), dtype=np.float64)


def ope_rows(config: SimulationConfig, run: SeedRun) -> list[dict[str, object]]:
    """Estimate every other policy's conversions from the logging policy's run.

    The propensities are the logged shares of each day: given the ads the logging policy
    funded that day (the uniform policy's random subset when it cannot fund them all),
    its split is known exactly; ads it left out are outside that day's support. The
    ``dr_clicks`` estimate takes each ad's click-to-conversion rate from the whole log
    (:func:`logged_click_to_conversion`).
    """
    logging_policy = config.logging_policy
    if logging_policy not in run.ledgers:
        return []
    env, ledger = run.env, run.ledgers[logging_policy]
    c2s = logged_click_to_conversion(env, ledger, env.world_day(config.days - 1) + 1, config)
    logged: list[LoggedDay] = []
    for t in range(config.days):
        world_day = env.world_day(t)
        spend = ledger.counts["spend"][:, world_day]
        day = Day(env, ledger, t, config.budget, config.slate, np.random.default_rng(0))
        ads, accounts = slate_frames(day)
        direct = np.zeros(env.n_ads)
        direct[env.live_ads(t)] = posterior_values(ad_posteriors(ads, accounts, config.slate))
        logged.append(
            LoggedDay(
                spend=spend,
                conversions=ledger.matured_conversions(world_day),
                propensity=spend / spend.sum() if spend.sum() > 0 else spend,
                direct=direct,
                clicks=ledger.counts["link_clicks"][:, world_day],
                click_to_conversion=c2s,
            )
        )
    rows = []
    for policy, shares in run.shares.items():
        if policy == logging_policy:
            continue
        candidates = [shares[t] for t in range(config.days)]
        truth = 0.0
        for t in range(config.days):
            live = env.live_ads(t)
            truth += float(env.expected_conversions(t, live, shares[t][live] * config.budget).sum())
        for estimator, estimate in total_estimates(logged, candidates, config.budget).items():
            rows.append(
                {
                    "seed": run.seed,
                    "policy": policy,
                    "logging_policy": logging_policy,
                    "estimator": estimator,
                    "estimate": estimate,
                    "truth": truth,
                    "relative_error": estimate / truth - 1.0 if truth > 0 else None,
                }
            )
    return rows


def seed_totals(daily: pd.DataFrame) -> pd.DataFrame:
    """Per seed and policy: conversions, expected conversions, spend, CAC, regret, lifts."""
    totals = (
        daily.groupby(["seed", "policy"], sort=False)[
            ["spend", "conversions", "expected_conversions", "oracle_expected_conversions"]
        ]
        .sum()
        .reset_index()
    )
    totals["cac"] = totals["spend"] / totals["conversions"].where(totals["conversions"] > 0)
    totals["regret"] = totals["oracle_expected_conversions"] - totals["expected_conversions"]
    totals["share_of_oracle"] = (
        totals["expected_conversions"] / totals["oracle_expected_conversions"]
    )
    by_seed = totals.set_index(["seed", "policy"])
    for name, column in (("uniform", "conversions"), ("oracle", "conversions")):
        if name in set(totals["policy"]):
            base = by_seed.xs(name, level="policy")[column]
            totals[f"conversions_vs_{name}"] = (
                totals["conversions"] / totals["seed"].map(base).to_numpy() - 1.0
            )
    if "uniform" in set(totals["policy"]):
        base_cac = by_seed.xs("uniform", level="policy")["cac"]
        totals["cac_vs_uniform"] = totals["cac"] / totals["seed"].map(base_cac).to_numpy() - 1.0
    if "conversions_vs_uniform" in totals:
        totals["lift_vs_uniform"] = totals["conversions_vs_uniform"]
    else:
        totals["lift_vs_uniform"] = np.nan
    return totals


def summarize(totals: pd.DataFrame, policies: tuple[str, ...]) -> pd.DataFrame:
    """Mean and 95 % t-interval half-width over seeds of each policy's figures."""
    figures = ["conversions", "spend", "cac", "regret", "lift_vs_uniform", "share_of_oracle"]
    rows = []
    for policy in policies:
        part = totals[totals["policy"] == policy]
        row: dict[str, object] = {"policy": policy, "seeds": len(part)}
        for name in figures:
            values = part[name].dropna().to_numpy(float) if name in part else np.array([])
            row[f"{name}_mean"] = float(values.mean()) if len(values) else np.nan
            row[f"{name}_ci"] = (
                float(
                    stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
                )
                if len(values) > 1
                else np.nan
            )
        rows.append(row)
    return pd.DataFrame(rows)


def run_simulation(config: SimulationConfig, progress: bool = True) -> SimulationResult:
    """Every seed of ``config``: daily rows, totals, summary and off-policy estimates."""
    rows: list[dict[str, object]] = []
    ope: list[dict[str, object]] = []
    for seed in tqdm(config.seeds, desc="simulate", unit="seed", disable=not progress or None):
        run = simulate_seed(config, seed)
        rows.extend(run.rows)
        ope.extend(ope_rows(config, run))
        log.info(
            "seed %d simulated: %d policies x %d days", seed, len(config.policies), config.days
        )
    daily = pd.DataFrame(rows)
    daily["regret"] = daily["oracle_expected_conversions"] - daily["expected_conversions"]
    totals = seed_totals(daily)
    columns = [
        "seed",
        "policy",
        "logging_policy",
        "estimator",
        "estimate",
        "truth",
        "relative_error",
    ]
    return SimulationResult(
        config=config,
        daily=daily,
        totals=totals,
        summary=summarize(totals, config.policies),
        ope=pd.DataFrame(ope, columns=columns),
    )
