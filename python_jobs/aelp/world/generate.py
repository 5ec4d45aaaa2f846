"""Generate a whole sample world: entities, creative files, insights and the truth."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from aelp import schemas
from aelp.world.attributes import attributes_table
from aelp.world.concepts import add_holdout_concepts, write_concepts_dir
from aelp.world.config import WorldConfig
from aelp.world.delivery import block_bounds, block_rng, simulate_block
from aelp.world.entities import Entities, draw_entities
from aelp.world.render import render_media
from aelp.world.tables import ad_effects_table, entity_tables, insights_batch, truth_batch

logger = logging.getLogger(__name__)


@dataclass
class World:
    """A generated world: raw tables in the contract, and the truth kept apart.

    ``tables`` is keyed by :attr:`aelp.schemas.TableSpec.name` (ad_accounts, campaigns,
    adsets, ads, adcreatives, insights, creative_assets). ``truth`` has one row per
    insights row. ``creative_attributes`` and ``ad_effects`` are the hidden parameters
    behind the data, for debugging and tests; none of them may feed a model.
    """

    config: WorldConfig
    tables: dict[str, pa.Table]
    truth: pa.Table
    creative_attributes: pa.Table
    ad_effects: pa.Table | None = None

    @property
    def insights(self) -> pa.Table:
        """The daily insights table."""
        return self.tables[schemas.INSIGHTS.name]


def creative_attributes_of(ent: Entities) -> pa.Table:
    """Ground-truth attributes and effects per creative."""
    return attributes_table(ent.creative_ids, ent.creative_media, ent.media, ent.copy, ent.effects)


def iter_delivery_tables(ent: Entities) -> Iterator[tuple[pa.Table, pa.Table]]:
    """Insights and truth tables of each delivery block, in order."""
    bounds = block_bounds(ent)
    for b, (i0, i1) in enumerate(
        tqdm(bounds, desc="world delivery", unit="block", disable=None, leave=False)
    ):
        block = simulate_block(ent, i0, i1, block_rng(ent.config.seed, b))
        yield insights_batch(ent, block), truth_batch(ent, block)


def delivery_tables(ent: Entities) -> tuple[pa.Table, pa.Table]:
    """Insights and truth for the whole world."""
    insights: list[pa.Table] = [schemas.INSIGHTS.schema.empty_table()]
    truth: list[pa.Table] = [schemas.SIM_TRUTH.schema.empty_table()]
    for ins, tru in iter_delivery_tables(ent):
        insights.append(ins)
        truth.append(tru)
    return pa.concat_tables(insights), pa.concat_tables(truth)


def prepare_world(
    config: WorldConfig, out_dir: Path | None
) -> tuple[Entities, dict[str, pa.Table]]:
    """Draw the entities, render the creative files if asked, and build the entity tables."""
    if config.render and out_dir is None:
        raise ValueError("render=True needs out_dir: creative files go to out_dir/creatives/")
    ent = add_holdout_concepts(draw_entities(config))
    files = None
    if config.render:
        assert out_dir is not None
        files = render_media(
            ent.media,
            config.seed,
            Path(out_dir),
            config.image_size,
            config.video_size,
            config.video_fps,
        )
        if config.holdout_concepts:
            write_concepts_dir(ent, files, Path(out_dir))
    return ent, entity_tables(ent, files)


def raw_table_order(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The raw tables in contract order (those present)."""
    names = [spec.name for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS)]
    return {name: tables[name] for name in names if name in tables}


def generate_world(config: WorldConfig, out_dir: Path | None = None) -> World:
    """Generate the world ``config`` describes.

    With ``config.render`` the creative files are written to ``out_dir/creatives/`` (so
    ``out_dir`` is then required); the tables are returned, not written: see
    :func:`aelp.world.io.write_world`.
    """
    ent, tables = prepare_world(config, out_dir)
    insights, truth = delivery_tables(ent)
    tables[schemas.INSIGHTS.name] = insights
    ordered = raw_table_order(tables)
    logger.info(
        "world seed=%d: %d ads, %d creatives, %d insights rows",
        config.seed,
        ent.n_ads,
        len(ent.creative_ids),
        insights.num_rows,
    )
    return World(
        config=config,
        tables=ordered,
        truth=truth,
        creative_attributes=creative_attributes_of(ent),
        ad_effects=ad_effects_table(ent),
    )
