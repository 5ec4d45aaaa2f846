"""``aelp concepts forecast`` / ``hit-rate`` and ``aelp bench concepts``.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from aelp.cli.context import App, group, pass_app
from aelp.cli.options import DATE, INT_LIST, POSITIVE_INT
from aelp.concepts.benchmark import parse_benchmark
from aelp.creative.commands import extractor_names


def _benchmark(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        parse_benchmark(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    return value


@group("concepts")
def concepts() -> None:
    """New-concept forecasts and their hit rate once the concepts run."""


@concepts.command("forecast")
@click.option(
    "--assets",
    "assets_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of new images and videos (optional <file>.json sidecar: title, body, CTA).",
)
@click.option(
    "--impressions", required=True, type=POSITIVE_INT, help="Planned impressions per day."
)
@click.option(
    "--audience",
    "adset_ids",
    multiple=True,
    help="Ad set id to launch in (repeatable; default: every ad set with a running ad).",
)
@click.option(
    "--benchmark",
    default="p75",
    show_default=True,
    callback=_benchmark,
    help="p50, p75 (of the account's running ads' 7-day ctr_u) or a ctr_u value.",
)
@click.option(
    "--days", "horizon_days", default=7, show_default=True, type=POSITIVE_INT, help="Horizon K."
)
@click.option(
    "--as-of", default=None, type=DATE, help="YYYY-MM-DD launch day (default: the next day)."
)
@click.option("--model-run-id", default=None, help="Default: the latest run.")
@click.option(
    "--extract/--no-extract",
    default=True,
    show_default=True,
    help="Extract the folder's content features first (extractors: var creative_extractors).",
)
@click.option(
    "--extractors",
    default=None,
    callback=extractor_names,
    help="Comma-separated extractors (default: var creative_extractors).",
)
@click.option(
    "--refresh/--no-refresh",
    default=True,
    show_default=True,
    help="dbt-build ml_concept_content_features (and its parents) after extraction.",
)
@click.option(
    "--limit", default=12, show_default=True, type=POSITIVE_INT, help="Rows in the printed table."
)
@pass_app
def forecast(
    app: App,
    assets_dir: Path,
    impressions: int,
    adset_ids: tuple[str, ...],
    benchmark: str,
    horizon_days: int,
    as_of: date | None,
    model_run_id: str | None,
    extract: bool,
    extractors: tuple[str, ...] | None,
    refresh: bool,
    limit: int,
) -> None:
    """Forecast ctr_u, P(>=1 click), P(ctr_u >= benchmark), conversions and CAC of new concepts."""
    from aelp.concepts.forecast import Scenario, forecast_concepts
    from aelp.concepts.refresh import refresh_content_features
    from aelp.creative import extract_folder
    from aelp.creative.config import configured_extractors

    settings = app.settings
    scenario = Scenario(
        impressions_per_day=impressions,
        adset_ids=adset_ids or None,
        benchmark=benchmark,
        as_of=as_of,
        horizon_days=horizon_days,
    )
    if extract:
        chosen = configured_extractors(settings.vars, settings.project_dir, extractors=extractors)
        summary = extract_folder(app.warehouse, assets_dir, extractors=chosen, progress=False)
        click.echo(f"extracted {assets_dir}: {summary}")
    if refresh:
        app.close()  # dbt opens the same DuckDB file
        refresh_content_features(settings)
    result = forecast_concepts(
        settings, app.warehouse, assets_dir, scenario, model_run_id=model_run_id
    )
    click.echo(result.table(limit))


@concepts.command("hit-rate")
@click.option("--model-run-id", default=None, help="Default: every run's forecasts.")
@click.option("--bins", default=10, show_default=True, type=POSITIVE_INT)
@click.option("--limit", default=12, show_default=True, type=POSITIVE_INT, help="Concepts listed.")
@pass_app
def hit_rate(app: App, model_run_id: str | None, bins: int, limit: int) -> None:
    """Resolve forecasts by the ads launched since and print hits, Brier skill and reliability."""
    from aelp.concepts.hitrate import resolve
    from aelp.concepts.metrics import reliability, summarise

    outcomes = [o for o in resolve(app.settings, app.warehouse, model_run_id) if o.is_complete]
    if not outcomes:
        click.echo("no forecast has a launched ad with its full horizon delivered yet")
        return
    p = [float(o.forecast["p_ctr_u_ge_benchmark"]) for o in outcomes]
    hits = [float(o.is_hit) for o in outcomes]
    summary = summarise(p, hits, bins)
    click.echo(
        f"{summary.concepts} launched concepts resolved: hit rate {summary.hit_rate:.2f}, "
        f"mean P(hit) {summary.mean_forecast:.2f}, Brier {summary.brier:.3f} "
        f"(skill {summary.brier_skill:+.3f}), ECE {summary.ece:.3f}, "
        f"top-quartile hit rate {summary.top_quartile_hit_rate:.2f}"
    )
    ranked = sorted(outcomes, key=lambda x: -float(x.forecast["p_ctr_u_ge_benchmark"]))
    for o in ranked[:limit]:
        click.echo(
            f"  {o.forecast['concept_file'][:22]:<22} ad {o.ad_id}: P(hit) "
            f"{float(o.forecast['p_ctr_u_ge_benchmark']):.2f}, ctr_u {o.realised_ctr_u:.4f} vs "
            f"benchmark {float(o.forecast['benchmark_ctr_u']):.4f} -> "
            + ("hit" if o.is_hit else "miss")
        )
    for b in reliability(p, hits, bins):
        click.echo(
            f"  bin {b.bin}: {b.count} forecasts, mean P {b.mean_forecast:.2f}, "
            f"hits {b.hit_rate:.2f}"
        )


@click.command("concepts")
@click.option("--seeds", default="7,8,9", show_default=True, type=INT_LIST,
              help="Comma-separated world seeds.")  # fmt: skip
@click.option("--ads", "n_ads", default=3000, show_default=True, type=POSITIVE_INT)
@click.option("--days", "n_days", default=60, show_default=True, type=POSITIVE_INT)
@click.option("--concepts", "n_concepts", default=1200, show_default=True, type=POSITIVE_INT)
@click.option("--benchmark", default="p75", show_default=True, callback=_benchmark)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option(
    "--write",
    "write_path",
    default=None,
    type=click.Path(path_type=Path),
    help="Markdown file whose New-concept forecasts section gets the results.",
)
@click.option(
    "--json",
    "json_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures here (default: OUT/concepts_bench.json).",
)
@click.option(
    "--reuse",
    is_flag=True,
    help="Worlds already built and trained under OUT: only forecast and resolve again.",
)
def bench_concepts(
    seeds: tuple[int, ...],
    n_ads: int,
    n_days: int,
    n_concepts: int,
    benchmark: str,
    out_dir: Path,
    write_path: Path | None,
    json_path: Path | None,
    reuse: bool,
) -> None:
    """Forecast held-out concepts on several worlds and score P(ctr_u >= benchmark)."""
    from aelp.concepts.bench import run_concepts_bench, write_section

    result = run_concepts_bench(
        list(seeds),
        n_ads=n_ads, n_days=n_days, n_concepts=n_concepts, benchmark=benchmark, out_dir=out_dir,
        reuse=reuse,
    )  # fmt: skip
    click.echo(result.markdown())
    target = json_path or out_dir / "concepts_bench.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result.as_dict(), indent=2) + "\n")
    if write_path is not None:
        write_section(write_path, result)
