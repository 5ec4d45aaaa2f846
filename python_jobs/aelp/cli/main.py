"""The composition root: the ``aelp`` group and every package's commands, assembled.

This module only assembles; each command lives with its pipeline package, in that
package's ``commands`` module, and reaches shared state through :mod:`aelp.cli.context`.
"""

from __future__ import annotations

import logging
import sys

import click

from aelp import __version__
from aelp.bench.commands import bench
from aelp.cli.context import App, group, log_level_default
from aelp.concepts.commands import bench_concepts, concepts
from aelp.creative.commands import bench_creative, creative
from aelp.lookml.commands import lookml
from aelp.meta.commands import meta
from aelp.modeling.commands import bench_model, evaluate, score, train
from aelp.report.commands import report, summary
from aelp.scale.commands import bench_scale
from aelp.simulation.commands import bench_slate, simulate
from aelp.slate.commands import slate
from aelp.transform.commands import plan
from aelp.world.commands import world


@group("aelp", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aelp")
@click.option("--target", "-t", default=None, help="dbt profile target (default: the profile's).")
@click.option(
    "--log-level",
    default=log_level_default,
    show_default="INFO",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
@click.pass_context
def main(ctx: click.Context, target: str | None, log_level: str) -> None:
    """AELP: Meta Ads link CTR, creative features, models and budget plans."""
    logging.basicConfig(
        level=log_level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    ctx.obj = App(target=target)


for command in (
    world, meta, creative, train, evaluate, score, slate, simulate, concepts,
    plan, summary, report, lookml, bench,
):  # fmt: skip
    main.add_command(command)
for command in (bench_model, bench_scale, bench_slate, bench_concepts, bench_creative):
    bench.add_command(command)


def run() -> None:
    """Entry point: the command line with the error rule of :mod:`aelp.cli.context`."""
    main(prog_name="aelp")
