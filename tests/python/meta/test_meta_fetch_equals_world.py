"""A fetch through the real SDK from the stand-in reproduces the world, and is idempotent."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from meta_stand_in import Loader, insights_calls, rows

from aelp import schemas
from aelp.world import World
from aelp.world.graph_api import GraphApiServer, restate_insights

ASSET_IGNORED = ("uri", "fetched_at")


def _assert_raw_equals_world(loader: Loader, world: World) -> None:
    for spec in schemas.RAW_META_TABLES:
        assert rows(loader.table(spec), spec) == rows(world.tables[spec.name], spec), spec.name


def test_full_fetch_equals_the_world_table_by_table(loader: Loader, world: World) -> None:
    summary = loader.fetch()
    _assert_raw_equals_world(loader, world)
    assert summary.stats.rows["raw_meta.insights"] == world.tables["insights"].num_rows
    assert summary.stats.retries == 0


def test_every_status_is_fetched_including_deleted_and_archived(
    loader: Loader, world: World
) -> None:
    loader.fetch()
    statuses = set(loader.table(schemas.ADS).column("effective_status").to_pylist())
    assert set(world.tables["ads"].column("effective_status").to_pylist()) == statuses
    assert {"ARCHIVED", "DELETED"} & statuses


def test_creative_files_are_downloaded_by_content_hash(loader: Loader, world: World) -> None:
    loader.fetch()
    got = loader.table(schemas.CREATIVE_ASSETS)
    spec = schemas.CREATIVE_ASSETS
    assert rows(got, spec, ASSET_IGNORED) == rows(world.tables[spec.name], spec, ASSET_IGNORED)
    for row in got.to_pylist():
        data = Path(row["uri"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["content_sha256"]
        assert Path(row["uri"]).is_relative_to(Path(loader.config.asset_store).resolve())
        assert len(data) == row["bytes"]


def test_second_run_changes_nothing_and_downloads_nothing(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    loader.fetch()
    before = {spec.name: rows(loader.table(spec), spec) for spec in schemas.RAW_META_TABLES}
    assets_before = loader.table(schemas.CREATIVE_ASSETS).to_pylist()
    media_before = len([p for p in server.requests if "adimages" in p[1]])
    second = loader.fetch()
    after = {spec.name: rows(loader.table(spec), spec) for spec in schemas.RAW_META_TABLES}
    assert after == before
    assert loader.table(schemas.CREATIVE_ASSETS).to_pylist() == assets_before
    assert len([p for p in server.requests if "adimages" in p[1]]) == media_before
    assert "raw_meta.creative_assets" not in second.stats.rows
    # The whole world lies inside the 28-day restatement window, so every chunk is re-read.
    assert (second.chunks_read, second.chunks_skipped) == (10, 0)


def test_restated_days_are_updated_in_place(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    loader.fetch()
    recent = world.config.end_date - datetime.timedelta(days=6)
    restated = restate_insights(world.tables["insights"], recent, bump=7)
    server.state.catalog.set_insights(restated)
    loader.fetch()
    spec = schemas.INSIGHTS
    got = rows(loader.table(spec), spec)
    assert got == rows(restated, spec)
    assert len(got) == world.tables["insights"].num_rows
    changed = [r for r in got if r["date_start"] >= recent]
    original = {(r["ad_id"], r["date_start"]): r for r in rows(world.tables["insights"], spec)}
    assert changed
    assert all(
        r["impressions"] == original[(r["ad_id"], r["date_start"])]["impressions"] + 7
        for r in changed
    )


def test_settled_chunks_are_not_read_again_but_the_lookback_window_is(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    first = loader.fetch(lookback_days=7)
    calls = insights_calls(server)
    second = loader.fetch(lookback_days=7)
    assert second.chunks_skipped > 0
    assert 0 < second.chunks_read < first.chunks_read
    assert insights_calls(server) - calls == second.chunks_read
    _assert_raw_equals_world(loader, world)


@pytest.mark.parametrize("async_min_days", [1, 100])
def test_sync_and_async_reads_give_the_same_rows(
    loader: Loader, world: World, server: GraphApiServer, async_min_days: int
) -> None:
    loader.fetch(async_min_days=async_min_days)
    _assert_raw_equals_world(loader, world)
    posts = [p for p in server.requests if p[0] == "POST"]
    assert bool(posts) == (async_min_days == 1)


def test_a_row_meta_drops_on_a_restated_day_is_removed(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    loader.fetch()
    insights = world.tables["insights"]
    recent = world.config.end_date - datetime.timedelta(days=2)
    dates = insights.column("date_start").to_pylist()
    dropped = next(i for i, d in enumerate(dates) if d >= recent)
    keep = [i for i in range(insights.num_rows) if i != dropped]
    server.state.catalog.set_insights(insights.take(keep))
    loader.fetch()
    spec = schemas.INSIGHTS
    assert rows(loader.table(spec), spec) == rows(insights.take(keep), spec)
