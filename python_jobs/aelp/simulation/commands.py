"""``aelp simulate`` and ``aelp bench slate``.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from aelp.cli.context import App, pass_app
from aelp.cli.options import NON_NEGATIVE_INT, POSITIVE, POSITIVE_INT
from aelp.simulation.config import POLICIES
from aelp.slate.commands import slate_config, slate_options


def _policies(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    """``--policy`` values (repeated or comma-separated) in report order; all when none."""
    chosen = [p.strip() for value in values for p in value.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in POLICIES]
    if unknown:
        raise click.BadParameter(f"unknown {unknown}; choose from {', '.join(POLICIES)}")
    return tuple(p for p in POLICIES if p in chosen) if chosen else POLICIES


def _config(**fields: Any) -> Any:
    """A :class:`SimulationConfig`; a combination it refuses is a usage error."""
    from aelp.simulation.config import SimulationConfig

    try:
        return SimulationConfig(**fields)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@click.command("simulate")
@click.option(
    "--policy",
    "policy",
    multiple=True,
    callback=_policies,
    help=f"Policies to compare, repeated or comma-separated: {'|'.join(POLICIES)} (default: all).",
)
@click.option("--days", default=30, show_default=True, type=POSITIVE_INT, help="Simulated days.")
@click.option("--seeds", "n_seeds", default=5, show_default=True, type=POSITIVE_INT, help="Worlds.")
@click.option("--budget", default=1000.0, show_default=True, type=POSITIVE, help="Spend a day.")
@click.option("--ads", "n_ads", default=150, show_default=True, type=POSITIVE_INT,
              help="Ads per world.")  # fmt: skip
@click.option(
    "--world-seed", default=7, show_default=True, type=NON_NEGATIVE_INT, help="Seed of world 1."
)
@click.option("--history-days", default=28, show_default=True, type=POSITIVE_INT)
@slate_options
@click.option(
    "--write/--no-write",
    default=True,
    show_default=True,
    help="Write ml.policy_simulations and ml.off_policy_estimates.",
)
@click.option("--plot/--no-plot", default=True, show_default=True, help="Write a PNG.")
@pass_app
def simulate(
    app: App,
    policy: tuple[str, ...],
    days: int,
    n_seeds: int,
    budget: float,
    n_ads: int,
    world_seed: int,
    history_days: int,
    write: bool,
    plot: bool,
    **options: Any,
) -> None:
    """Replay budget policies day by day in the sample world; print volume, CAC and regret."""
    from aelp.simulation.loop import run_simulation
    from aelp.simulation.plot import simulation_plot
    from aelp.simulation.store import write_simulation
    from aelp.slate.config import SlateConfig

    config = _config(
        policies=policy,
        days=days,
        n_seeds=n_seeds,
        world_seed=world_seed,
        n_ads=n_ads,
        history_days=history_days,
        budget=budget,
        slate=slate_config(SlateConfig(), options),
    )
    result = run_simulation(config)
    click.echo(result.table_text())
    if write:
        rows = write_simulation(app.warehouse, result, datetime.now(UTC))
        click.echo(f"ml.policy_simulations: {rows:,} rows for {result.simulation_id}")
    if plot:
        path = app.settings.artifacts_dir / "simulations" / f"{result.simulation_id}.png"
        title = f"{config.n_seeds} world(s), {config.days} days, {config.budget:,.0f} a day"
        click.echo(f"plot: {simulation_plot(result.daily, path, title)}")


@click.command("slate")
@click.option("--seeds", "n_seeds", default=5, show_default=True, type=POSITIVE_INT, help="Worlds.")
@click.option("--days", default=30, show_default=True, type=POSITIVE_INT)
@click.option("--ads", "n_ads", default=150, show_default=True, type=POSITIVE_INT)
@click.option("--world-seed", default=7, show_default=True, type=NON_NEGATIVE_INT)
@click.option("--budget", default=1000.0, show_default=True, type=POSITIVE)
@click.option(
    "--write",
    "write_to",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Markdown file whose budget-slates section gets the results.",
)
@click.option(
    "--json",
    "json_to",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file for every figure.",
)
def bench_slate(
    n_seeds: int,
    days: int,
    n_ads: int,
    world_seed: int,
    budget: float,
    write_to: Path | None,
    json_to: Path | None,
) -> None:
    """Thompson slate vs uniform, greedy and oracle over seeds; OPE against the truth."""
    from aelp.simulation.bench import SlateBench, bench_config, write_json, write_section
    from aelp.simulation.loop import run_simulation

    try:
        config = bench_config(n_seeds, days, world_seed, n_ads, budget)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    start = time.perf_counter()
    result = run_simulation(config)
    bench = SlateBench(result, time.perf_counter() - start)
    text = bench.markdown()
    click.echo(text)
    if write_to is not None:
        write_section(write_to, "## Budget slates\n\n" + text)
        click.echo(f"written to {write_to}")
    if json_to is not None:
        write_json(json_to, bench)
        click.echo(f"written to {json_to}")
