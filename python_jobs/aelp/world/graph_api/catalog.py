"""A world's tables as the Graph API serves them: JSON objects with string numbers."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from aelp import schemas

GraphObject = dict[str, Any]

ENTITY_EDGES: dict[str, str] = {
    "campaigns": schemas.CAMPAIGNS.name,
    "adsets": schemas.ADSETS.name,
    "ads": schemas.ADS.name,
    "adcreatives": schemas.ADCREATIVES.name,
}
"""Graph API edge of an ad account → raw table holding its objects."""

HIDDEN_BY_DEFAULT = frozenset({"ARCHIVED", "DELETED"})
"""Effective statuses an edge leaves out unless the request filters for them."""


def graph_time(value: datetime.datetime) -> str:
    """A UTC timestamp the way the Graph API writes it: ``2026-01-01T09:00:00+0000``."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_number(value: float | int | Decimal) -> str:
    """A number as the string Meta sends: integers without a point, money to cents."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _plain(spec: schemas.TableSpec, row: dict[str, Any]) -> GraphObject:
    """A row of an entity table as a Graph object: strings, no loader columns, no nulls."""
    out: GraphObject = {}
    for name, value in row.items():
        if name.startswith("_") or value is None:
            continue
        if isinstance(value, datetime.datetime):
            out[name] = graph_time(value)
        elif name == "targeting":
            out[name] = json.loads(value)
        elif name == "creative_id":
            out["creative"] = {"id": value}
        elif isinstance(value, int) and not isinstance(value, bool) and name != "account_status":
            out[name] = str(value)
        else:
            out[name] = value
    return out


def _actions(structs: list[dict[str, Any]] | None) -> list[GraphObject] | None:
    """Nested (type, window, value) structs back into Meta's one-object-per-type shape."""
    if not structs:
        return None
    by_type: dict[str, GraphObject] = {}
    for item in structs:
        entry = by_type.setdefault(item["action_type"], {"action_type": item["action_type"]})
        key = "value" if item["action_window"] == "default" else item["action_window"]
        entry[key] = graph_number(item["value"])
    return list(by_type.values())


def insight_object(row: dict[str, Any]) -> GraphObject:
    """An insights row as Meta serves it (every number a string)."""
    out: GraphObject = {}
    for name, value in row.items():
        if name.startswith("_") or value is None:
            continue
        if name in ("actions", "action_values"):
            actions = _actions(value)
            if actions is not None:
                out[name] = actions
        elif isinstance(value, datetime.date):
            out[name] = value.isoformat()
        elif isinstance(value, (int, float, Decimal)):
            out[name] = graph_number(value)
        else:
            out[name] = value
    return out


def restate_insights(insights: pa.Table, since: datetime.date, bump: int) -> pa.Table:
    """Revised numbers for days on or after ``since``: impressions + bump, spend + bump cents.

    The stand-in serves this table after a restatement switch; tests compare with it.
    """
    recent = pc.greater_equal(insights.column("date_start"), pa.scalar(since, pa.date32()))
    impressions = pc.if_else(
        recent, pc.add(insights.column("impressions"), bump), insights.column("impressions")
    )
    spend = insights.column("spend").to_pylist()
    flags = recent.to_pylist()
    cents = Decimal(bump) / 100
    new_spend = pa.array(
        [s + cents if f else s for s, f in zip(spend, flags, strict=True)], schemas.MONEY
    )
    table = insights.set_column(
        insights.schema.get_field_index("impressions"), "impressions", impressions
    )
    return table.set_column(table.schema.get_field_index("spend"), "spend", new_spend)


@dataclass
class AccountCatalog:
    """Everything served for one ad account."""

    account: GraphObject
    edges: dict[str, list[GraphObject]] = field(default_factory=dict)
    insights_by_day: dict[str, list[GraphObject]] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)
    """image hash → media path relative to the world dir."""


@dataclass
class Catalog:
    """The whole world, indexed the way the stand-in looks things up."""

    accounts: dict[str, AccountCatalog]
    videos: dict[str, tuple[str, str]]
    """video id → (account id, media path relative to the world dir)."""
    world_dir: Path

    def set_insights(self, insights: pa.Table) -> None:
        """Replace the served insights (a restatement)."""
        for acc in self.accounts.values():
            acc.insights_by_day = {}
        grouped: dict[str, dict[str, list[GraphObject]]] = defaultdict(lambda: defaultdict(list))
        for row in insights.to_pylist():
            grouped[row["account_id"]][row["date_start"].isoformat()].append(insight_object(row))
        for account_id, days in grouped.items():
            self.accounts[f"act_{account_id}"].insights_by_day = dict(days)


def build_catalog(tables: dict[str, pa.Table], world_dir: Path) -> Catalog:
    """Index a world's raw tables (``World.tables``) for serving."""
    accounts: dict[str, AccountCatalog] = {}
    for row in tables[schemas.AD_ACCOUNTS.name].to_pylist():
        accounts[row["id"]] = AccountCatalog(account=_plain(schemas.AD_ACCOUNTS, row))
    specs = {s.name: s for s in schemas.RAW_META_TABLES}
    for edge, table_name in ENTITY_EDGES.items():
        for acc in accounts.values():
            acc.edges[edge] = []
        for row in tables[table_name].to_pylist():
            obj = _plain(specs[table_name], row)
            accounts[f"act_{row['account_id']}"].edges[edge].append(obj)
    videos: dict[str, tuple[str, str]] = {}
    for row in tables[schemas.CREATIVE_ASSETS.name].to_pylist():
        if row["uri"] is None:
            continue
        if row["image_hash"] is not None:
            accounts[f"act_{row['account_id']}"].images[row["image_hash"]] = row["uri"]
        if row["video_id"] is not None:
            videos[row["video_id"]] = (row["account_id"], row["uri"])
    catalog = Catalog(accounts=accounts, videos=videos, world_dir=world_dir)
    catalog.set_insights(tables[schemas.INSIGHTS.name])
    return catalog
