"""Each fault the stand-in injects is survived (nothing lost, nothing duplicated) or reported."""

from __future__ import annotations

from collections import Counter

import pytest
from meta_stand_in import Loader, insights_calls, rows

from aelp import schemas
from aelp.meta import MetaAuthError, MetaParseError, MetaRequestError
from aelp.meta.checkpoints import CHECKPOINTS
from aelp.world import World
from aelp.world.graph_api import GraphApiServer


def _insights_equal_world(loader: Loader, world: World) -> None:
    spec = schemas.INSIGHTS
    assert rows(loader.table(spec), spec) == rows(world.tables[spec.name], spec)


def test_rate_limits_are_retried_and_regain_access_is_honoured(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(rate_limited_calls=5, rate_limit_code=80000, regain_access_minutes=2)
    summary = loader.fetch()
    _insights_equal_world(loader, world)
    assert summary.stats.retries == 5
    assert summary.stats.throttle_waits == 5
    assert loader.sleeps.seconds[:5] == [120.0] * 5


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80004])
def test_every_rate_limit_code_is_retried(
    loader: Loader, world: World, server: GraphApiServer, code: int
) -> None:
    server.faults.configure(rate_limited_calls=2, rate_limit_code=code)
    summary = loader.fetch()
    assert summary.stats.retries == 2
    _insights_equal_world(loader, world)


def test_server_errors_back_off_with_jitter_and_recover(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(server_error_calls=4)
    summary = loader.fetch()
    _insights_equal_world(loader, world)
    assert summary.stats.retries == 4
    waits = loader.sleeps.seconds[:4]
    assert all(0.0 <= w <= 2.0**k for k, w in enumerate(waits, start=1))
    assert len(set(waits)) == 4


def test_retries_give_up_with_a_clear_error_after_the_attempt_limit(
    loader: Loader, server: GraphApiServer
) -> None:
    server.faults.configure(server_error_calls=1000)
    with pytest.raises(MetaRequestError, match=r"act_\d+: account still failing after 8 attempts"):
        loader.fetch()


def test_reduce_the_amount_of_data_splits_by_date_then_by_campaign(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    day_sizes: list[int] = []
    campaign_sizes: list[int] = []
    for acc in server.state.catalog.accounts.values():
        for day in acc.insights_by_day.values():
            day_sizes.append(len(day))
            campaign_sizes += Counter(r["campaign_id"] for r in day).values()
    assert max(campaign_sizes) < max(day_sizes)  # some days need a split by campaign
    server.faults.configure(reduce_data_above_rows=max(campaign_sizes))
    summary = loader.fetch()
    _insights_equal_world(loader, world)
    assert summary.stats.splits > 0
    assert any(params.get("filtering") for params in server.state.insights_queries)


def test_failed_report_run_is_retried(loader: Loader, world: World, server: GraphApiServer) -> None:
    server.faults.configure(failing_async_jobs=1)
    summary = loader.fetch()
    _insights_equal_world(loader, world)
    assert summary.stats.async_failures == 1
    assert summary.stats.splits == 0


def test_report_run_failing_twice_is_split(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(failing_async_jobs=2)
    summary = loader.fetch()
    _insights_equal_world(loader, world)
    assert summary.stats.async_failures == 2
    assert summary.stats.splits == 1


def test_insights_throttle_header_pauses_the_run(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(insights_throttle_pct=95)
    summary = loader.fetch()
    _insights_equal_world(loader, world)
    assert summary.stats.throttle_waits > 0
    assert 30.0 in loader.sleeps.seconds


def test_slow_responses_still_load_everything(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(delay_s=0.01)
    loader.fetch()
    _insights_equal_world(loader, world)


def test_expired_token_stops_at_once_naming_the_account_and_writes_nothing_partial(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(token_expires_after_calls=30)
    with pytest.raises(MetaAuthError, match=r"act_\d+: access denied .*code 190"):
        loader.fetch()
    calls_at_error = server.faults.calls
    assert calls_at_error == 31  # no call after the refusal
    written = loader.table(schemas.INSIGHTS)
    done = loader.warehouse.query(f"select * from {loader.warehouse.spec_ref(CHECKPOINTS)}")
    # Every written row belongs to a checkpointed chunk, and every such chunk is complete.
    spec = schemas.INSIGHTS
    expected = [
        r
        for r in rows(world.tables[spec.name], spec)
        for c in done.to_pylist()
        if c["account_id"] == f"act_{r['account_id']}"
        and c["chunk_start"] <= r["date_start"] <= c["chunk_end"]
    ]
    assert expected
    assert rows(written, spec) == sorted(expected, key=lambda r: (r["ad_id"], str(r["date_start"])))


def test_wrong_token_is_refused_before_anything_is_written(loader: Loader) -> None:
    loader.config = loader.config.with_overrides(access_token="EAAB-not-the-right-one")
    with pytest.raises(MetaAuthError, match="access denied during account"):
        loader.fetch()
    assert loader.warehouse.count("raw_meta", "insights") == 0
    assert loader.warehouse.count("raw_meta", "ads") == 0


def test_failed_media_download_is_recorded_then_retried_next_run(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    server.faults.configure(failing_media_downloads=3)  # one file fails all its attempts
    loader.fetch()
    first = loader.table(schemas.CREATIVE_ASSETS).to_pylist()
    failed = [r for r in first if r["fetch_status"] == "failed"]
    assert len(failed) >= 1
    assert all("download failed" in r["fetch_error"] and r["uri"] is None for r in failed)
    loader.fetch()
    second = loader.table(schemas.CREATIVE_ASSETS).to_pylist()
    assert all(r["fetch_status"] == "ok" for r in second)
    assert len(second) == world.tables["creative_assets"].num_rows


def test_a_run_killed_midway_resumes_from_its_checkpoints(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    class Killed(BaseException):
        pass

    written: list[object] = []

    def kill_after_three(account_id: str, chunk: object) -> None:
        written.append(chunk)
        if len(written) == 3:
            raise Killed

    with pytest.raises(Killed):
        loader.fetch(after_chunk=kill_after_three)
    calls_before = insights_calls(server)
    resumed = loader.fetch()
    _insights_equal_world(loader, world)
    assert resumed.chunks_skipped == 3
    total_chunks = resumed.chunks_read + resumed.chunks_skipped
    assert insights_calls(server) - calls_before == resumed.chunks_read
    assert total_chunks == 10
    # The resumed run finished: a third run re-reads its restatement window again.
    third = loader.fetch()
    assert third.chunks_read == 10


def test_a_malformed_number_is_reported_and_its_chunk_is_not_written(
    loader: Loader, world: World, server: GraphApiServer
) -> None:
    account_id, catalog = next(iter(server.state.catalog.accounts.items()))
    day = max(catalog.insights_by_day)
    bad = dict(catalog.insights_by_day[day][0])
    bad["unique_inline_link_clicks"] = "1,204"
    catalog.insights_by_day[day] = [bad, *catalog.insights_by_day[day][1:]]
    with pytest.raises(MetaParseError) as raised:
        loader.fetch()
    message = str(raised.value)
    assert f"account {account_id}" in message
    assert f"object {bad['ad_id']}" in message
    assert f"date {day}" in message
    assert "field unique_inline_link_clicks" in message
    written = loader.table(schemas.INSIGHTS)
    assert str(day) not in {str(d) for d in written.column("date_start").to_pylist()}
