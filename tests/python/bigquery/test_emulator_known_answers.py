"""Known answers of the BigQuery functions the models rely on, run on the local emulator.

A change in the emulator's translation shows here first. What the emulator gets wrong
(ENVIRONMENT.md) is compile-checked instead: the BigQuery text must parse with sqlglot's
BigQuery dialect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlglot
from bq_emulator import rows

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("safe_divide(cast(3 as float64), cast(4 as float64))", 0.75),
        ("safe_divide(cast(3 as float64), cast(0 as float64))", None),
        ("unix_date(date '1970-01-11')", 10),
        ("date_add(date '2026-01-31', interval (1) day)", dt.date(2026, 2, 1)),
        ("date_add(date '2026-03-01', interval (-1) day)", dt.date(2026, 2, 28)),
        ("date_diff(date '2026-03-01', date '2026-02-01', day)", 28),
        ("mod(extract(dayofweek from date '2026-01-04') + 5, 7) + 1", 7),
        ('json_value(\'{"age_min": 18, "geo": {"c": "DE"}}\', \'$.geo.c\')', "DE"),
        ("safe_cast(json_value('{\"age_min\": \"x\"}', '$.age_min') as int64)", None),
        ("array_length(json_query_array('{\"g\": [1, 2, 3]}', '$.g'))", 3),
        ("safe_cast('12' as int64)", 12),
    ],
)
def test_function_known_answer(bq_client: Any, expression: str, expected: object) -> None:
    (row,) = rows(bq_client, f"select {expression} as v")
    assert row["v"] == expected


def test_unnest_of_an_array_of_action_structs_sums_per_type(bq_client: Any) -> None:
    found = rows(
        bq_client,
        """
        with insights as (
            select 'a1' as ad_id, [
                struct('purchase' as action_type, '7d_click' as action_window, 2.0 as value),
                struct('purchase' as action_type, '1d_view' as action_window, 1.0 as value),
                struct('landing_page_view' as action_type, 'default' as action_window, 5.0 as value)
            ] as actions
        )
        select action.action_type, sum(action.value) as n
        from insights
        cross join unnest(insights.actions) as action
        group by 1
        order by 1
        """,
    )
    assert [(r["action_type"], r["n"]) for r in found] == [
        ("landing_page_view", 5.0),
        ("purchase", 3.0),
    ]


def test_range_window_over_day_numbers_skips_gaps(bq_client: Any) -> None:
    found = rows(
        bq_client,
        """
        with days as (
            select date '2026-01-01' as d, 1 as n union all
            select date '2026-01-02', 2 union all
            select date '2026-01-09', 4
        )
        select d, sum(n) over (order by unix_date(d) range between 6 preceding and current row) as s
        from days
        order by d
        """,
    )
    assert [r["s"] for r in found] == [1, 3, 4]


@pytest.mark.parametrize(
    "sql",
    [
        # APPROX_QUANTILES values are wrong on the emulator.
        "select approx_quantiles(x, 4)[offset(2)] as median from unnest([1, 2, 3]) as x",
        # DATE_TRUNC(…, MONTH) returns DATETIME there.
        "select date_trunc(date '2026-02-17', month) as m",
        # COUNTIF returns NUMERIC there, and COUNTIF(…) OVER () is missing.
        "select countif(x > 1) over () as n from unnest([1, 2, 3]) as x",
        # ISOWEEK is missing.
        "select extract(isoweek from date '2026-01-04') as w",
        # CLUSTER BY in DDL is not recorded.
        "create table d.t (a int64, day date) partition by day cluster by a "
        "options (require_partition_filter = true)",
    ],
)
def test_what_the_emulator_gets_wrong_is_valid_bigquery_sql(sql: str) -> None:
    parsed = sqlglot.parse_one(sql, read="bigquery")
    assert parsed.sql(dialect="bigquery")
