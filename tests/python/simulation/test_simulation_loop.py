"""A small simulation end to end: Thompson beats uniform, reruns are identical and idempotent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_simulation import SMALL

from aelp.cli.main import main
from aelp.simulation.bench import SlateBench, write_section
from aelp.simulation.loop import SimulationResult, run_simulation
from aelp.simulation.plot import simulation_plot
from aelp.simulation.store import write_simulation
from aelp.simulation.tables import OFF_POLICY_ESTIMATES, POLICY_SIMULATIONS
from aelp.warehouse.duckdb import DuckDBWarehouse


def test_thompson_gets_more_conversions_than_uniform_at_equal_spend(
    small_result: SimulationResult,
) -> None:
    totals = small_result.totals.set_index("policy")
    assert totals.loc["thompson", "spend"] == pytest.approx(
        totals.loc["uniform", "spend"], rel=0.02
    )
    assert totals.loc["thompson", "conversions"] > 1.2 * totals.loc["uniform", "conversions"]
    assert totals.loc["thompson", "cac"] < totals.loc["uniform", "cac"]
    assert totals.loc["oracle", "regret"] == pytest.approx(0.0, abs=1e-6)
    assert (totals["regret"] >= -1e-6).all()


def test_every_day_spends_the_same_budget_under_every_policy(small_result) -> None:
    daily = small_result.daily
    assert len(daily) == SMALL.days * len(SMALL.policies)
    assert daily["spend"].to_numpy() == pytest.approx(SMALL.budget, rel=0.05)
    assert (daily["largest_share"] <= SMALL.slate.max_share + 1e-9).all()


def test_the_same_config_gives_the_same_numbers_and_the_same_id(small_result) -> None:
    again = run_simulation(replace(SMALL, policies=("thompson",)), progress=False)
    first = small_result.daily
    mine = first[first["policy"] == "thompson"].reset_index(drop=True)
    assert again.daily[mine.columns].equals(mine)
    assert SMALL.simulation_id == replace(SMALL).simulation_id
    assert SMALL.simulation_id != replace(SMALL, budget=501.0).simulation_id


def test_off_policy_estimates_land_near_the_simulated_truth(small_result) -> None:
    ope = small_result.ope
    assert set(ope["estimator"]) == {"ipw", "snipw", "dr", "dr_clicks"}
    assert set(ope["policy"]) == {"thompson", "greedy", "oracle"}
    assert (ope["relative_error"].abs() < 0.3).all()


def test_writing_twice_replaces_the_simulation_rows(small_result, tmp_path: Path) -> None:
    with DuckDBWarehouse(tmp_path / "sim.duckdb") as warehouse:
        for _ in range(2):
            write_simulation(warehouse, small_result, datetime(2026, 1, 1, tzinfo=UTC))
        assert warehouse.count("ml", "policy_simulations") == len(small_result.daily)
        assert warehouse.count("ml", "off_policy_estimates") == len(small_result.ope)
        ref = warehouse.spec_ref(POLICY_SIMULATIONS)
        last = warehouse.query(
            f"select cumulative_conversions from {ref} where policy = 'thompson' "
            f"and day_index = {SMALL.days - 1}"
        )
        totals = small_result.totals.set_index("policy")
        assert last.column(0)[0].as_py() == totals.loc["thompson", "conversions"]
        assert warehouse.table_exists(OFF_POLICY_ESTIMATES.dataset, OFF_POLICY_ESTIMATES.name)


def test_summary_plot_and_bench_section(small_result, tmp_path: Path) -> None:
    text = small_result.table_text()
    assert "thompson" in text and "oracle" in text and "dr" in text
    png = simulation_plot(small_result.daily, tmp_path / "sim.png", "small")
    assert png.stat().st_size > 1000
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nkept\n")
    bench = SlateBench(small_result, seconds=1.0)
    write_section(doc, "## Budget slates\n\n" + bench.markdown())
    write_section(doc, "## Budget slates\n\n" + bench.markdown())
    content = doc.read_text()
    assert content.count("<!-- budget-slates:begin -->") == 1 and "kept" in content
    assert "| mean |" in content


def test_simulate_command_prints_the_summary() -> None:
    result = CliRunner().invoke(
        main,
        ["simulate", "--days", "2", "--seeds", "1", "--ads", "30", "--samples", "100",
         "--exploit-weighting", "p_top_k", "--policy", "thompson,uniform", "--no-write",
         "--no-plot"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "thompson" in result.output and "uniform" in result.output


def test_simulate_command_rejects_an_unknown_exploit_weighting() -> None:
    result = CliRunner().invoke(
        main, ["simulate", "--days", "1", "--exploit-weighting", "best", "--no-write"]
    )
    assert result.exit_code != 0 and "best" in result.output
