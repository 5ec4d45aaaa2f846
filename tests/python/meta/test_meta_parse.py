"""Strict parsing of what Meta sends: numbers as strings, actions per window, timestamps."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from aelp import schemas
from aelp.meta import MetaParseError
from aelp.meta.parse import Where, entity_row, insight_row, parse_int, parse_money

WINDOWS = ("1d_click", "7d_click", "1d_view")


def _insight(**changes: Any) -> dict[str, Any]:
    base = {
        "account_id": "42",
        "campaign_id": "1",
        "adset_id": "2",
        "ad_id": "3",
        "date_start": "2026-01-05",
        "date_stop": "2026-01-05",
        "account_currency": "EUR",
        "impressions": "1000",
        "reach": "800",
        "frequency": "1.25",
        "clicks": "30",
        "inline_link_clicks": "12",
        "unique_inline_link_clicks": "10",
        "spend": "9.87",
        "cpm": "9.87",
        "actions": [
            {"action_type": "purchase", "value": "3", "7d_click": "2", "1d_view": "1"},
        ],
        "attribution_setting": "7d_click_1d_view",
    }
    base.update(changes)
    return base


def test_insight_numbers_are_parsed_exactly() -> None:
    row = insight_row(_insight(), "act_42", WINDOWS)
    assert row["impressions"] == 1000
    assert row["frequency"] == 1.25
    assert row["spend"] == Decimal("9.87")
    assert row["date_start"] == datetime.date(2026, 1, 5)
    assert row["_requested_action_windows"] == "1d_click,7d_click,1d_view"


def test_actions_become_one_struct_per_type_and_window_default_first() -> None:
    row = insight_row(_insight(), "act_42", WINDOWS)
    assert row["actions"] == [
        {"action_type": "purchase", "action_window": "default", "value": 3.0},
        {"action_type": "purchase", "action_window": "7d_click", "value": 2.0},
        {"action_type": "purchase", "action_window": "1d_view", "value": 1.0},
    ]
    assert row["action_values"] is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("impressions", "12.5"),
        ("impressions", "lots"),
        ("clicks", ""),
        ("spend", "1,234.00"),
        ("spend", "0.00001"),
        ("frequency", "NaN"),
        ("date_start", "05/01/2026"),
    ],
)
def test_a_bad_value_names_account_ad_date_and_field(field: str, value: str) -> None:
    with pytest.raises(MetaParseError) as raised:
        insight_row(_insight(**{field: value}), "act_42", WINDOWS)
    message = str(raised.value)
    assert "account act_42" in message
    assert "object 3" in message
    assert f"field {field}" in message
    if field != "date_start":
        assert "date 2026-01-05" in message


def test_a_bad_action_value_names_the_action_and_window() -> None:
    actions = [{"action_type": "purchase", "value": "3", "7d_click": "two"}]
    with pytest.raises(MetaParseError, match=r"field actions\[purchase\]\.7d_click"):
        insight_row(_insight(actions=actions), "act_42", WINDOWS)


def test_a_multi_day_row_is_refused() -> None:
    with pytest.raises(MetaParseError, match="not a daily row"):
        insight_row(_insight(date_stop="2026-01-06"), "act_42", WINDOWS)


def test_integers_and_money_reject_floats_and_bools() -> None:
    where = Where("act_1", "9")
    with pytest.raises(MetaParseError):
        parse_int(True, where, "x")
    with pytest.raises(MetaParseError):
        parse_money(1.5, where, "spend")
    assert parse_int("-3", where, "x") == -3


def test_entities_parse_times_budgets_targeting_and_the_creative_id() -> None:
    ad = entity_row(
        schemas.ADS,
        {
            "id": "7",
            "campaign_id": "1",
            "adset_id": "2",
            "name": "ad",
            "status": "PAUSED",
            "effective_status": "ARCHIVED",
            "creative": {"id": "55"},
            "created_time": "2026-01-01T09:30:00-0800",
        },
        "act_42",
    )
    assert ad["creative_id"] == "55"
    assert ad["account_id"] == "42"
    assert ad["created_time"] == datetime.datetime(2026, 1, 1, 17, 30, tzinfo=datetime.UTC)
    adset = entity_row(
        schemas.ADSETS,
        {
            "id": "2",
            "campaign_id": "1",
            "daily_budget": "1800",
            "targeting": {"age_min": 18, "geo_locations": {"countries": ["US"]}},
        },
        "act_42",
    )
    assert adset["daily_budget"] == 1800
    assert adset["targeting"] == '{"age_min":18,"geo_locations":{"countries":["US"]}}'
    with pytest.raises(MetaParseError, match="field daily_budget"):
        entity_row(
            schemas.ADSETS, {"id": "2", "campaign_id": "1", "daily_budget": "18.5"}, "act_42"
        )
