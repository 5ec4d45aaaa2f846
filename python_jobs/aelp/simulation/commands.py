"""``aelp simulate`` and ``aelp bench slate``.

Heavy modules are imported inside the commands so that the CLI starts fast.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

POLICY_NAMES = "thompson|greedy|uniform|oracle"


def _policies(values: tuple[str, ...]) -> tuple[str, ...]:
    from aelp.simulation.config import POLICIES

    chosen = [p.strip() for value in values for p in value.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in POLICIES]
    if unknown:
        raise click.BadParameter(f"unknown {unknown}; choose from {', '.join(POLICIES)}")
    return tuple(p for p in POLICIES if p in chosen) if chosen else POLICIES


def slate_options(function: Any) -> Any:
    """The slate knobs of ``aelp slate``, and those a simulation passes to its Thompson and
    greedy policies (each None unless given: the :class:`SlateConfig` default)."""
    options = [
        click.option("--exploit-share", default=None, type=float, help="Slate exploit share."),
        click.option("--top-k", default=None, type=int, help="Slate top k."),
        click.option(
            "--exploit-weighting",
            default=None,
            type=click.Choice(["fill", "p_top_k"]),
            help="Exploit weights: the draws' best-first fill or P(top k).",
        ),
        click.option("--explore-ads", default=None, type=int, help="Ads in the explore arm."),
        click.option(
            "--max-explore-share",
            default=None,
            type=float,
            help="Explore arm may grow to this share, one ad in learning per min share.",
        ),
        click.option("--min-share", default=None, type=float, help="Smallest funded share."),
        click.option("--max-share", default=None, type=float, help="Largest share of one ad."),
        click.option(
            "--samples", default=None, type=int, help="Thompson draws (per day in a simulation)."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def slate_config(base: Any, options: dict[str, Any]) -> Any:
    """``base`` (a :class:`SlateConfig`) with the knobs given on the command line."""
    from dataclasses import replace

    names = {
        "exploit_share": "exploit_share",
        "top_k": "top_k",
        "exploit_weighting": "exploit_weighting",
        "explore_ads": "explore_ads",
        "max_explore_share": "max_explore_share",
        "min_share": "min_share",
        "max_share": "max_share",
        "samples": "n_samples",
    }
    changes = {field: options[key] for key, field in names.items() if options.get(key) is not None}
    return replace(base, **changes)


@click.command("simulate")
@click.option(
    "--policy",
    "policy",
    multiple=True,
    help=f"Policies to compare, repeated or comma-separated: {POLICY_NAMES} (default: all).",
)
@click.option("--days", default=30, show_default=True, type=int, help="Simulated days.")
@click.option("--seeds", "n_seeds", default=5, show_default=True, type=int, help="Worlds.")
@click.option("--budget", default=1000.0, show_default=True, type=float, help="Spend a day.")
@click.option("--ads", "n_ads", default=150, show_default=True, type=int, help="Ads per world.")
@click.option("--world-seed", default=7, show_default=True, type=int, help="Seed of world 1.")
@click.option("--history-days", default=28, show_default=True, type=int)
@slate_options
@click.option(
    "--write/--no-write",
    default=True,
    show_default=True,
    help="Write ml.policy_simulations and ml.off_policy_estimates.",
)
@click.option("--plot/--no-plot", default=True, show_default=True, help="Write a PNG.")
@click.pass_context
def simulate(
    ctx: click.Context,
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
    from aelp.cli import _settings, _warehouse
    from aelp.simulation.config import SimulationConfig
    from aelp.simulation.loop import run_simulation
    from aelp.simulation.plot import simulation_plot
    from aelp.simulation.store import write_simulation
    from aelp.slate.config import SlateConfig

    try:
        config = SimulationConfig(
            policies=_policies(policy),
            days=days,
            n_seeds=n_seeds,
            world_seed=world_seed,
            n_ads=n_ads,
            history_days=history_days,
            budget=budget,
            slate=slate_config(SlateConfig(), options),
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    result = run_simulation(config)
    click.echo(result.table_text())
    if write:
        rows = write_simulation(_warehouse(ctx), result, datetime.now(UTC))
        click.echo(f"ml.policy_simulations: {rows:,} rows for {result.simulation_id}")
    if plot:
        path = _settings(ctx).artifacts_dir / "simulations" / f"{result.simulation_id}.png"
        title = f"{config.n_seeds} world(s), {config.days} days, {config.budget:,.0f} a day"
        click.echo(f"plot: {simulation_plot(result.daily, path, title)}")


@click.command("slate")
@click.option("--seeds", "n_seeds", default=5, show_default=True, type=int, help="Worlds.")
@click.option("--days", default=30, show_default=True, type=int)
@click.option("--ads", "n_ads", default=150, show_default=True, type=int)
@click.option("--world-seed", default=7, show_default=True, type=int)
@click.option("--budget", default=1000.0, show_default=True, type=float)
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

    config = bench_config(n_seeds, days, world_seed, n_ads, budget)
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


def register(main: click.Group, bench_group: click.Group) -> None:
    """Add ``aelp simulate`` and ``aelp bench slate``."""
    main.add_command(simulate)
    bench_group.add_command(bench_slate)
