"""Error classification, usage headers, backoff, chunk planning and checkpoint rules."""

from __future__ import annotations

import datetime
import itertools
import json
import random

import pytest

from aelp.meta.checkpoints import Checkpoint, Chunk, can_skip, plan_chunks
from aelp.meta.config import config_from_env
from aelp.meta.errors import MetaConfigError, classify
from aelp.meta.fetch import fetch_window
from aelp.meta.insights import InsightsQuery
from aelp.meta.retry import RetryPolicy
from aelp.meta.usage import insights_throttle_pct, regain_access_seconds

D = datetime.date


def _body(code: int, subcode: int | None = None, transient: bool = False) -> dict[str, object]:
    error: dict[str, object] = {"message": "m", "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["is_transient"] = transient
    return {"error": error}


@pytest.mark.parametrize(
    ("status", "code", "subcode", "kind"),
    [
        (400, 4, None, "rate_limit"),
        (400, 17, None, "rate_limit"),
        (400, 32, None, "rate_limit"),
        (400, 613, None, "rate_limit"),
        (400, 80000, None, "rate_limit"),
        (400, 80014, None, "rate_limit"),
        (500, 1, 1487534, "reduce_data"),
        (400, 100, 1487534, "reduce_data"),
        (400, 190, 463, "auth"),
        (403, 200, None, "auth"),
        (400, 10, None, "auth"),
        (500, 2, None, "transient"),
        (503, 1, None, "transient"),
        (400, 100, 33, "fatal"),
    ],
)
def test_classify_maps_meta_codes_to_what_happens_next(
    status: int, code: int, subcode: int | None, kind: str
) -> None:
    assert classify(status, json.dumps(_body(code, subcode)), {}).kind == kind


def test_regain_access_and_throttle_headers_are_read() -> None:
    headers = {
        "x-business-use-case-usage": json.dumps(
            {"1": [{"type": "ads_insights", "estimated_time_to_regain_access": 3}]}
        ),
        "x-ad-account-usage": json.dumps({"acc_id_util_pct": 10, "reset_time_duration": 60}),
        "x-fb-ads-insights-throttle": json.dumps({"app_id_util_pct": 40, "acc_id_util_pct": 97}),
    }
    assert regain_access_seconds(headers) == 180.0
    assert insights_throttle_pct(headers) == 97.0
    assert regain_access_seconds({}) == 0.0


def test_backoff_is_full_jitter_under_an_exponential_cap() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=20.0, rng=random.Random(3))
    for attempt in range(1, 10):
        waits = [policy.backoff(attempt) for _ in range(50)]
        assert all(0.0 <= w <= min(20.0, 2.0**attempt) for w in waits)
        assert len(set(waits)) == 50


def test_chunks_lie_on_a_fixed_grid_so_overlapping_runs_line_up() -> None:
    first = plan_chunks(D(2026, 1, 1), D(2026, 1, 31), 7)
    second = plan_chunks(D(2026, 1, 10), D(2026, 2, 6), 7)
    assert first[0].start == D(2026, 1, 1) and first[-1].end == D(2026, 1, 31)
    assert all(b.start - a.end == datetime.timedelta(days=1) for a, b in itertools.pairwise(first))
    inner_first = set(first[1:-1])
    assert inner_first & set(second)


def test_settled_chunks_and_unfinished_runs_are_skipped_others_reread() -> None:
    chunk = Chunk(D(2026, 1, 1), D(2026, 1, 7))
    settled = Checkpoint(chunk, "other", D(2026, 2, 10), 5, run_finished=True)
    recent = Checkpoint(chunk, "other", D(2026, 1, 20), 5, run_finished=True)
    unfinished = Checkpoint(chunk, "mine", D(2026, 1, 20), 5, run_finished=False)
    assert can_skip(chunk, [settled], "mine", 28)
    assert not can_skip(chunk, [recent], "mine", 28)
    assert can_skip(chunk, [unfinished], "mine", 28)
    assert not can_skip(chunk, [unfinished], "another", 28)


def test_every_run_rereads_the_lookback_window() -> None:
    assert fetch_window(D(2026, 3, 31), D(2026, 3, 30), 28) == (D(2026, 3, 4), D(2026, 3, 31))
    assert fetch_window(D(2026, 3, 31), D(2026, 1, 1), 28) == (D(2026, 1, 1), D(2026, 3, 31))


def test_queries_split_by_date_then_by_campaign() -> None:
    query = InsightsQuery("act_1", D(2026, 1, 1), D(2026, 1, 5))
    halves = query.halves(["c1", "c2", "c3"])
    assert halves is not None
    assert [(h.since, h.until) for h in halves] == [
        (D(2026, 1, 1), D(2026, 1, 2)),
        (D(2026, 1, 3), D(2026, 1, 5)),
    ]
    day = InsightsQuery("act_1", D(2026, 1, 1), D(2026, 1, 1))
    by_campaign = day.halves(["c1", "c2", "c3"])
    assert by_campaign is not None
    assert [h.campaign_ids for h in by_campaign] == [("c1",), ("c2", "c3")]
    assert InsightsQuery("act_1", D(2026, 1, 1), D(2026, 1, 1), ("c1",)).halves(["c1"]) is None


def test_config_comes_from_the_environment() -> None:
    config = config_from_env(
        {
            "META_ACCESS_TOKEN": "t",
            "META_AD_ACCOUNT_IDS": "123, act_456",
            "META_API_VERSION": "25.0",
            "META_GRAPH_URL": "http://127.0.0.1:9/",
        }
    )
    assert config.account_ids == ("act_123", "act_456")
    assert config.api_version == "v25.0"
    assert config.graph_url == "http://127.0.0.1:9"
    with pytest.raises(MetaConfigError, match="META_ACCESS_TOKEN"):
        config_from_env({})
    with pytest.raises(MetaConfigError, match="not act_<digits>"):
        config_from_env({"META_ACCESS_TOKEN": "t", "META_AD_ACCOUNT_IDS": "abc"})
