"""The same write and read behaviour on DuckDB and on BigQuery (emulated)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from aelp import schemas
from aelp.schemas import TableSpec
from aelp.warehouse import Warehouse, WarehouseError

LOADED_AT = dt.datetime(2026, 1, 2, 6, tzinfo=dt.UTC)


def _spec(base: TableSpec, dataset: str) -> TableSpec:
    return dataclasses.replace(base, dataset=dataset)


def _truth(ads: list[str], day: dt.date, rate: float) -> pa.Table:
    n = len(ads)
    return pa.table(
        {
            "ad_id": ads,
            "date_day": [day] * n,
            "true_ctr_u": [rate] * n,
            "true_link_ctr": [rate * 1.1] * n,
            "true_ctr": [rate * 2] * n,
            "true_c2s": [0.03] * n,
            "true_cpm": [12.5] * n,
        }
    )


def _insight(ad_id: str, day: dt.date, uniques: int) -> dict[str, object]:
    return {
        "account_id": "1001",
        "campaign_id": "c1",
        "adset_id": "s1",
        "ad_id": ad_id,
        "date_start": day,
        "date_stop": day,
        "account_currency": "USD",
        "impressions": 1000,
        "reach": 900,
        "frequency": 1000 / 900,
        "clicks": 20,
        "inline_link_clicks": 12,
        "unique_inline_link_clicks": uniques,
        "spend": Decimal("12.3400"),
        "cpm": 12.34,
        "actions": [
            {"action_type": "link_click", "action_window": "default", "value": 12.0},
            {"action_type": "lead", "action_window": "7d_click", "value": 2.0},
        ],
        "action_values": [],
        "attribution_setting": "7d_click_1d_view",
        "_requested_action_windows": "1d_click,7d_click,1d_view",
        "_loaded_at": LOADED_AT,
        "_batch_id": "b1",
    }


def test_upsert_twice_leaves_one_row_per_key(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    day = dt.date(2026, 1, 1)
    warehouse.upsert(spec, _truth(["a", "b"], day, 0.01))
    warehouse.upsert(spec, _truth(["a", "b"], day, 0.01))
    assert warehouse.count(dataset, spec.name) == 2


def test_upsert_replaces_values_of_existing_keys(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    day = dt.date(2026, 1, 1)
    warehouse.upsert(spec, _truth(["a", "b"], day, 0.01))
    warehouse.upsert(spec, _truth(["b", "c"], day, 0.02))
    rows = warehouse.query(
        f"select ad_id, true_ctr_u from {warehouse.spec_ref(spec)} order by ad_id"
    ).to_pylist()
    assert rows == [
        {"ad_id": "a", "true_ctr_u": 0.01},
        {"ad_id": "b", "true_ctr_u": 0.02},
        {"ad_id": "c", "true_ctr_u": 0.02},
    ]


def test_replace_where_swaps_a_whole_window(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    d1, d2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
    warehouse.upsert(
        spec, pa.concat_tables([_truth(["a", "b"], d1, 0.01), _truth(["a"], d2, 0.01)])
    )
    # A restatement of day 2 in which ad b appears and ad a has gone.
    warehouse.replace_where(spec, _truth(["b"], d2, 0.03), "date_day", [d2])
    rows = warehouse.query(
        f"select ad_id, date_day, true_ctr_u from {warehouse.spec_ref(spec)} "
        "order by date_day, ad_id"
    ).to_pylist()
    assert [(r["ad_id"], r["date_day"], r["true_ctr_u"]) for r in rows] == [
        ("a", d1, 0.01),
        ("b", d1, 0.01),
        ("b", d2, 0.03),
    ]


def test_nested_actions_round_trip(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.INSIGHTS, dataset)
    day = dt.date(2026, 1, 1)
    warehouse.upsert(spec, pa.Table.from_pylist([_insight("a", day, 9)], schema=spec.schema))
    back = warehouse.query(f"select actions, spend from {warehouse.spec_ref(spec)}").to_pylist()
    assert back[0]["actions"] == [
        {"action_type": "link_click", "action_window": "default", "value": 12.0},
        {"action_type": "lead", "action_window": "7d_click", "value": 2.0},
    ]
    assert back[0]["spend"] == Decimal("12.34")


def test_iter_batches_streams_every_row(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    ads = [f"ad{i:03d}" for i in range(250)]
    warehouse.upsert(spec, _truth(ads, dt.date(2026, 1, 1), 0.01))
    batches = list(
        warehouse.iter_batches(f"select ad_id from {warehouse.spec_ref(spec)}", batch_rows=100)
    )
    assert sum(b.num_rows for b in batches) == 250


def test_duplicate_keys_in_one_write_are_refused_and_nothing_is_written(
    warehouse: Warehouse, dataset: str
) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    day = dt.date(2026, 1, 1)
    with pytest.raises(WarehouseError, match="appear more than once"):
        warehouse.upsert(spec, _truth(["a", "a"], day, 0.01))
    assert warehouse.count(dataset, spec.name) == 0


def test_missing_required_value_names_column_and_row(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    table = _truth(["a", "b"], dt.date(2026, 1, 1), 0.01)
    table = table.set_column(2, "true_ctr_u", pa.array([0.01, None], pa.float64()))
    with pytest.raises(WarehouseError, match=r"true_ctr_u: 1 null value\(s\), first at row 1"):
        warehouse.upsert(spec, table)


def test_replace_where_with_equal_leaves_other_accounts_days_alone(
    warehouse: Warehouse, dataset: str
) -> None:
    spec = _spec(schemas.INSIGHTS, dataset)
    day = dt.date(2026, 1, 1)
    rows = [_insight("a1", day, 5), _insight("b1", day, 6)]
    rows[1]["account_id"] = "2002"
    warehouse.upsert(spec, pa.Table.from_pylist(rows, schema=spec.schema))
    # Account 1001 restates the day: ad a1 vanished, a2 appeared. Account 2002 untouched.
    restated = pa.Table.from_pylist([_insight("a2", day, 7)], schema=spec.schema)
    warehouse.replace_where(spec, restated, "date_start", [day], equal={"account_id": "1001"})
    left = warehouse.query(
        f"select account_id, ad_id from {warehouse.spec_ref(spec)} order by ad_id"
    ).to_pylist()
    assert left == [
        {"account_id": "1001", "ad_id": "a2"},
        {"account_id": "2002", "ad_id": "b1"},
    ]


def test_replace_where_refuses_an_unknown_filter_column(warehouse: Warehouse, dataset: str) -> None:
    spec = _spec(schemas.SIM_TRUTH, dataset)
    with pytest.raises(WarehouseError, match="no column"):
        warehouse.replace_where(
            spec, _truth(["a"], dt.date(2026, 1, 1), 0.01), "date_day", [], equal={"nope": 1}
        )


def test_ensure_table_adds_new_nullable_columns_to_an_existing_table(
    warehouse: Warehouse, dataset: str
) -> None:
    old = _spec(schemas.SIM_TRUTH, dataset)
    new = dataclasses.replace(old, schema=old.schema.append(pa.field("note", pa.string())))
    warehouse.upsert(old, _truth(["a"], dt.date(2026, 1, 1), 0.01))
    later = _truth(["b"], dt.date(2026, 1, 1), 0.02).append_column("note", pa.array(["x"]))
    warehouse.upsert(new, later)
    rows = warehouse.query(
        f"select ad_id, note from {warehouse.spec_ref(new)} order by ad_id"
    ).to_pylist()
    assert rows == [{"ad_id": "a", "note": None}, {"ad_id": "b", "note": "x"}]


def test_ensure_table_refuses_to_add_a_required_column(warehouse: Warehouse, dataset: str) -> None:
    old = _spec(schemas.SIM_TRUTH, dataset)
    new = dataclasses.replace(
        old, schema=old.schema.append(pa.field("note", pa.string(), nullable=False))
    )
    warehouse.upsert(old, _truth(["a"], dt.date(2026, 1, 1), 0.01))
    with pytest.raises(WarehouseError, match=r"lacks required column\(s\) \['note'\]"):
        warehouse.ensure_table(new)
