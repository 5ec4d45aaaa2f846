"""``aelp creative extract`` and ``aelp bench creative``.

Heavy modules are imported inside the commands so that the command line starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from aelp.cli.context import App, group, pass_app
from aelp.cli.options import POSITIVE_INT, SHARE
from aelp.creative.config import EXTRACTOR_NAMES, parse_extractors

F = TypeVar("F", bound=Callable[..., Any])

_ASSETS = click.option(
    "--assets",
    "assets_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of images and videos (searched recursively).",
)


def extractor_names(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    """``--extractors`` as names, refusing unknown ones before any model is built."""
    names = parse_extractors(value)
    if names is not None:
        unknown = sorted(set(names) - set(EXTRACTOR_NAMES))
        if unknown or not names:
            raise click.BadParameter(
                f"unknown {unknown or 'empty list'}; choose from {', '.join(EXTRACTOR_NAMES)}"
            )
    return names


def model_options(function: F) -> F:
    """Options that pick the extractors, models, weights and device (override dbt vars)."""
    options = [
        click.option(
            "--extractors",
            default=None,
            callback=extractor_names,
            help="Comma-separated: file_stats,clip,yolo (default: var creative_extractors).",
        ),
        click.option("--clip-model", default=None, help="open_clip architecture, e.g. ViT-B-32."),
        click.option(
            "--clip-weights",
            default=None,
            help="random-init, an open_clip pretrained tag or a checkpoint path.",
        ),
        click.option("--yolo-model", default=None, help="ultralytics architecture, e.g. yolov8n."),
        click.option("--yolo-weights", default=None, help="random-init or a YOLO checkpoint path."),
        click.option("--yolo-imgsz", default=None, type=POSITIVE_INT, help="YOLO input size (px)."),
        click.option("--yolo-conf", default=None, type=SHARE, help="YOLO confidence threshold."),
        click.option(
            "--device",
            default="auto",
            show_default=True,
            type=click.Choice(["auto", "cuda", "cpu"]),
            help="auto takes CUDA (half precision) when present.",
        ),
        click.option("--threads", default=None, type=POSITIVE_INT, help="CPU threads for models."),
        click.option(
            "--offline/--online",
            default=None,
            help="Keep model libraries off the network (default: var creative_offline).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def build_from_options(app: App, batch_size: int, options: dict[str, Any]) -> list[Any]:
    """The extractors the vars and the command's model options describe."""
    from aelp.creative.config import configured_extractors

    settings = app.settings
    return configured_extractors(
        settings.vars,
        settings.project_dir,
        device=options.pop("device"),
        batch_frames=batch_size,
        threads=options.pop("threads"),
        **options,
    )


@group("creative")
def creative() -> None:
    """Creative content features."""


@creative.command("extract")
@_ASSETS
@click.option("--batch-size", default=32, show_default=True, type=POSITIVE_INT)
@click.option("--workers", default=1, show_default=True, type=POSITIVE_INT,
              help="Decoding processes.")  # fmt: skip
@click.option("--shard", default=None, help="K/N: only files whose content hash is in shard K.")
@click.option("--retry-failed", is_flag=True, help="Retry files recorded as failed.")
@model_options
@pass_app
def extract(
    app: App,
    assets_dir: Path,
    batch_size: int,
    workers: int,
    shard: str | None,
    retry_failed: bool,
    **options: Any,
) -> None:
    """Extract features of every image and video under ASSETS into raw_creative."""
    from aelp.creative import extract_folder
    from aelp.creative.sharding import parse_shard

    try:
        chosen_shard = parse_shard(shard) if shard else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--shard") from error
    extractors = build_from_options(app, batch_size, options)
    summary = extract_folder(
        app.warehouse,
        assets_dir,
        batch_size=batch_size,
        workers=workers,
        extractors=extractors,
        retry_failed=retry_failed,
        shard=chosen_shard,
    )
    click.echo(str(summary))


@click.command("creative")
@_ASSETS
@click.option("--limit", default=64, show_default=True, type=POSITIVE_INT,
              help="Images and videos each.")  # fmt: skip
@click.option("--batch-size", default=32, show_default=True, type=POSITIVE_INT)
@click.option("--workers", default=1, show_default=True, type=POSITIVE_INT,
              help="Decoding processes.")  # fmt: skip
@click.option(
    "--write",
    "write_to",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Markdown file whose creative-extraction section gets the results.",
)
@model_options
@pass_app
def bench_creative(
    app: App,
    assets_dir: Path,
    limit: int,
    batch_size: int,
    workers: int,
    write_to: Path | None,
    **options: Any,
) -> None:
    """Time decoding and each extractor on ASSETS: images/s and video seconds/s."""
    from aelp.creative.bench import run_bench, write_section

    extractors = build_from_options(app, batch_size, options)
    report = run_bench(assets_dir, extractors, limit=limit, batch_size=batch_size, workers=workers)
    text = report.markdown()
    click.echo(text)
    if write_to is not None:
        write_section(write_to, text)
        click.echo(f"written to {write_to}")
