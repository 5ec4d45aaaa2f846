"""``aelp slate``, and the slate knobs it shares with ``aelp simulate``.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import click

from aelp.cli.context import App, pass_app
from aelp.cli.options import DATE, NON_NEGATIVE_INT, POSITIVE, POSITIVE_INT, SHARE
from aelp.slate.config import SlateConfig

F = TypeVar("F", bound=Callable[..., Any])

_KNOBS = {
    "exploit_share": "exploit_share",
    "top_k": "top_k",
    "exploit_weighting": "exploit_weighting",
    "explore_ads": "explore_ads",
    "max_explore_share": "max_explore_share",
    "min_share": "min_share",
    "max_share": "max_share",
    "samples": "n_samples",
}
"""Command-line option → :class:`SlateConfig` field."""


def slate_options(function: F) -> F:
    """The slate knobs of ``aelp slate``, and those a simulation passes to its Thompson and
    greedy policies (each None unless given: the :class:`SlateConfig` default)."""
    options = [
        click.option("--exploit-share", default=None, type=SHARE, help="Slate exploit share."),
        click.option("--top-k", default=None, type=POSITIVE_INT, help="Slate top k."),
        click.option(
            "--exploit-weighting",
            default=None,
            type=click.Choice(["fill", "p_top_k"]),
            help="Exploit weights: the draws' best-first fill or P(top k).",
        ),
        click.option(
            "--explore-ads", default=None, type=NON_NEGATIVE_INT, help="Ads in the explore arm."
        ),
        click.option(
            "--max-explore-share",
            default=None,
            type=SHARE,
            help="Explore arm may grow to this share, one ad in learning per min share.",
        ),
        click.option("--min-share", default=None, type=SHARE, help="Smallest funded share."),
        click.option("--max-share", default=None, type=SHARE, help="Largest share of one ad."),
        click.option(
            "--samples",
            default=None,
            type=POSITIVE_INT,
            help="Thompson draws (per day in a simulation).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def slate_config(base: SlateConfig, options: dict[str, Any]) -> SlateConfig:
    """``base`` with the knobs given on the command line; a usage error when they conflict."""
    changes = {field: options[key] for key, field in _KNOBS.items() if options.get(key) is not None}
    try:
        return replace(base, **changes)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@click.command("slate")
@click.option("--date", "slate_date", default=None, type=DATE,
              help="YYYY-MM-DD; default: the newest scored day.")  # fmt: skip
@click.option("--budget", required=True, type=POSITIVE,
              help="Total spend, account currency (a number > 0).")  # fmt: skip
@click.option("--seed", default=0, show_default=True, type=NON_NEGATIVE_INT)
@slate_options
@pass_app
def slate(app: App, slate_date: date | None, budget: float, seed: int, **options: Any) -> None:
    """Write tomorrow's budget split to ml.budget_slates."""
    from aelp.slate import make_slate, write_slate

    config = slate_config(SlateConfig(), options)
    table = make_slate(
        app.settings, app.warehouse, slate_date=slate_date, budget=budget, seed=seed, config=config
    )
    write_slate(app.warehouse, table)
    click.echo(f"ml.budget_slates: {table.num_rows:,} ads in the slate")
