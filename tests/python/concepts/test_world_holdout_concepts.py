"""Held-out concepts in the sample world: new creatives that launch only in the last days."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pyarrow.compute as pc
import pytest

from aelp.world import WorldConfig, generate_world
from aelp.world.concepts import CONCEPT_AD_KIND, MANIFEST, add_holdout_concepts
from aelp.world.entities import draw_entities

CONFIG = WorldConfig(seed=4, n_ads=24, n_days=20, holdout_concepts=3, holdout_days=5)


@pytest.fixture(scope="module")
def held_out(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("holdout_world")
    return generate_world(CONFIG, out), out


def test_a_world_without_held_out_concepts_is_unchanged() -> None:
    plain = WorldConfig(seed=4, n_ads=24, n_days=20, render=False)
    ent = draw_entities(plain)
    assert add_holdout_concepts(ent) is ent
    assert "holdout_concepts" not in plain.to_dict()
    with_concepts = draw_entities(WorldConfig(seed=4, n_ads=24, n_days=20, holdout_concepts=2))
    assert with_concepts.ad_ids == ent.ad_ids  # regular ads are drawn exactly as before


def test_concepts_run_only_from_the_launch_day_as_new_ads_of_existing_ad_sets(
    held_out,  # type: ignore[no-untyped-def]
) -> None:
    world, _ = held_out
    ads = world.tables["ads"]
    concept_ads = [a for a in ads.column("id").to_pylist() if a[5] == str(CONCEPT_AD_KIND)]
    assert len(concept_ads) == 3
    adsets = set(ads.column("adset_id").to_pylist())
    insights = world.insights
    rows = insights.filter(
        pc.is_in(insights.column("ad_id"), value_set=pc.cast(concept_ads, "string"))
    )
    launch = CONFIG.concepts_launch_date
    assert rows.num_rows > 0
    assert min(rows.column("date_start").to_pylist()) >= launch
    assert set(rows.column("adset_id").to_pylist()) <= adsets
    assert launch == CONFIG.start_date + timedelta(days=CONFIG.n_days - CONFIG.holdout_days)


def test_concept_files_are_the_launched_creatives_bytes_and_never_ran_before(
    held_out,  # type: ignore[no-untyped-def]
) -> None:
    world, out = held_out
    folder = Path(out) / "concepts"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["launch_date"] == CONFIG.concepts_launch_date.isoformat()
    assets = world.tables["creative_assets"]
    by_sha = dict(
        zip(
            assets.column("content_sha256").to_pylist(),
            assets.column("creative_id").to_pylist(),
            strict=True,
        )
    )
    creative_of_ad = dict(
        zip(
            world.tables["ads"].column("id").to_pylist(),
            world.tables["ads"].column("creative_id").to_pylist(),
            strict=True,
        )
    )
    first_day: dict[str, object] = {}
    for ad, day in zip(
        world.insights.column("ad_id").to_pylist(),
        world.insights.column("date_start").to_pylist(),
        strict=True,
    ):
        creative = creative_of_ad[ad]
        first_day[creative] = min(day, first_day.get(creative, day))
    for concept in manifest["concepts"]:
        data = (folder / concept["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == concept["content_sha256"]
        assert json.loads((folder / (concept["file"] + ".json")).read_text())["title"]
        creative = by_sha[concept["content_sha256"]]  # the launched creative carries these bytes
        assert first_day.get(creative, CONFIG.concepts_launch_date) >= CONFIG.concepts_launch_date
