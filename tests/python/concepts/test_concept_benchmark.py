"""The benchmark rule: a quantile of the account's running ads' ctr_u, or a fixed value."""

from __future__ import annotations

import pyarrow as pa
import pytest

from aelp.concepts.benchmark import account_benchmarks, parse_benchmark


def test_quantile_rules_take_that_quantile_of_the_running_ads_rates() -> None:
    rates = [0.01, 0.02, 0.03, 0.04, 0.05]
    assert parse_benchmark("p50").resolve(rates) == pytest.approx(0.03)
    assert parse_benchmark("P75").resolve(rates) == pytest.approx(0.04)
    assert parse_benchmark("p90").quantile == pytest.approx(0.9)


def test_a_value_rule_ignores_the_running_ads() -> None:
    rule = parse_benchmark("0.012")
    assert rule.value == pytest.approx(0.012)
    assert rule.resolve([]) == pytest.approx(0.012)


@pytest.mark.parametrize("text", ["p", "p100", "1.5", "0", "top"])
def test_bad_rules_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_benchmark(text)


def test_a_quantile_needs_running_ads() -> None:
    with pytest.raises(ValueError, match="no running ads"):
        parse_benchmark("p50").resolve([])


def test_each_account_gets_its_own_benchmark_from_its_running_ads() -> None:
    running = pa.table(
        {
            "account_id": ["a", "a", "a", "b", "b"],
            "ad_id": ["1", "2", "3", "4", "5"],
            "impressions": [1000, 2000, 4000, 1000, 1000],
            "unique_link_clicks": [10, 40, 40, 5, 25],
        }
    )
    got = account_benchmarks(parse_benchmark("p50"), running)
    assert got["a"] == (pytest.approx(0.01), 3)  # rates 0.01, 0.02, 0.01 -> median 0.01
    assert got["b"] == (pytest.approx(0.015), 2)  # rates 0.005, 0.025 -> median 0.015
