"""Graph API objects (numbers as strings) into Arrow tables in the raw contract, strictly."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa

from aelp import schemas
from aelp.meta.errors import MetaParseError

_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_MONEY_QUANT = Decimal("0.0001")


@dataclass(frozen=True)
class Where:
    """Which value is being parsed, for error messages."""

    account_id: str
    object_id: str
    day: str | None = None

    def say(self, field: str) -> str:
        day = f", date {self.day}" if self.day else ""
        return f"account {self.account_id}, object {self.object_id}{day}, field {field}"


def parse_int(value: Any, where: Where, field: str) -> int:
    """An integer sent as a string (``"123"``); anything else is an error."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MetaParseError(f"{where.say(field)}: {value!r} is not an integer")
    if isinstance(value, int):
        return value
    if not _INT.match(value.strip()):
        raise MetaParseError(f"{where.say(field)}: {value!r} is not an integer")
    return int(value)


def parse_float(value: Any, where: Where, field: str) -> float:
    """A decimal number sent as a string (``"1.25"``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str) or not _FLOAT.match(value.strip()):
        raise MetaParseError(f"{where.say(field)}: {value!r} is not a number")
    return float(value)


def parse_money(value: Any, where: Where, field: str) -> Decimal:
    """An amount in the account currency (``"12.34"``), kept exact."""
    if not isinstance(value, str) or not _FLOAT.match(value.strip()):
        raise MetaParseError(f"{where.say(field)}: {value!r} is not an amount")
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise MetaParseError(f"{where.say(field)}: {value!r} is not an amount") from error
    if amount != amount.quantize(_MONEY_QUANT):
        raise MetaParseError(f"{where.say(field)}: {value!r} has more than 4 decimals")
    return amount


def parse_time(value: Any, where: Where, field: str) -> datetime.datetime:
    """A Graph API timestamp (``2026-01-01T09:00:00+0000``) as an aware UTC datetime."""
    try:
        parsed = datetime.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError as error:
        raise MetaParseError(f"{where.say(field)}: {value!r} is not a timestamp") from error
    return parsed.astimezone(datetime.UTC)


def parse_day(value: Any, where: Where, field: str) -> datetime.date:
    """An account-local date (``2026-01-01``)."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise MetaParseError(f"{where.say(field)}: {value!r} is not a date") from error


def parse_actions(
    value: Any, windows: Sequence[str], where: Where, field: str
) -> list[dict[str, Any]] | None:
    """Meta's action objects into one struct per (action type, window); ``default`` first."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise MetaParseError(f"{where.say(field)}: {value!r} is not a list of actions")
    out: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict) or "action_type" not in item:
            raise MetaParseError(f"{where.say(field)}: {item!r} is not an action")
        action_type = str(item["action_type"])
        label = f"{field}[{action_type}]"
        if "value" in item:
            out.append(
                {
                    "action_type": action_type,
                    "action_window": "default",
                    "value": parse_float(item["value"], where, label),
                }
            )
        for window in windows:
            if window in item:
                out.append(
                    {
                        "action_type": action_type,
                        "action_window": window,
                        "value": parse_float(item[window], where, f"{label}.{window}"),
                    }
                )
    return out or None


_INSIGHT_INTS = (
    "impressions",
    "reach",
    "clicks",
    "inline_link_clicks",
    "unique_inline_link_clicks",
)
_INSIGHT_FLOATS = ("frequency", "cpm")
_INSIGHT_REQUIRED = (
    "ad_id",
    "adset_id",
    "campaign_id",
    "date_start",
    "date_stop",
    "account_currency",
    "impressions",
    "clicks",
    "inline_link_clicks",
    "unique_inline_link_clicks",
    "spend",
)
_ZERO_WHEN_MISSING = ("clicks", "inline_link_clicks", "unique_inline_link_clicks")


def insight_row(obj: dict[str, Any], account_id: str, windows: Sequence[str]) -> dict[str, Any]:
    """One insights object as a raw-contract row (without the loader columns)."""
    where = Where(account_id, str(obj.get("ad_id")), obj.get("date_start"))
    obj = {**{k: "0" for k in _ZERO_WHEN_MISSING if k not in obj}, **obj}
    missing = [f for f in _INSIGHT_REQUIRED if obj.get(f) is None]
    if missing:
        raise MetaParseError(f"{where.say(missing[0])}: missing")
    row: dict[str, Any] = {
        "account_id": str(obj.get("account_id") or account_id.removeprefix("act_")),
        "campaign_id": str(obj["campaign_id"]),
        "adset_id": str(obj["adset_id"]),
        "ad_id": str(obj["ad_id"]),
        "date_start": parse_day(obj["date_start"], where, "date_start"),
        "date_stop": parse_day(obj["date_stop"], where, "date_stop"),
        "account_currency": str(obj["account_currency"]),
        "spend": parse_money(obj["spend"], where, "spend"),
        "actions": parse_actions(obj.get("actions"), windows, where, "actions"),
        "action_values": parse_actions(obj.get("action_values"), windows, where, "action_values"),
        "attribution_setting": obj.get("attribution_setting"),
        "_requested_action_windows": ",".join(windows),
    }
    for name in _INSIGHT_INTS:
        row[name] = None if obj.get(name) is None else parse_int(obj[name], where, name)
    for name in _INSIGHT_FLOATS:
        row[name] = None if obj.get(name) is None else parse_float(obj[name], where, name)
    if row["date_stop"] != row["date_start"]:
        raise MetaParseError(f"{where.say('date_stop')}: not a daily row (time_increment=1)")
    return row


def _entity_value(field: pa.Field, value: Any, where: Where) -> Any:
    if value is None:
        return None
    if pa.types.is_timestamp(field.type):
        return parse_time(value, where, field.name)
    if pa.types.is_integer(field.type):
        return parse_int(value, where, field.name)
    if field.name == "targeting":
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    if pa.types.is_string(field.type):
        return str(value)
    return value


def entity_row(spec: schemas.TableSpec, obj: dict[str, Any], account_id: str) -> dict[str, Any]:
    """One entity object (campaign, ad set, ad, creative, account) as a raw-contract row."""
    obj = dict(obj)
    if "creative" in obj and "creative_id" not in obj:
        obj["creative_id"] = (obj.pop("creative") or {}).get("id")
    obj.setdefault("account_id", account_id.removeprefix("act_"))
    where = Where(account_id, str(obj.get("id")))
    row: dict[str, Any] = {}
    for field in spec.schema:
        if field.name.startswith("_"):
            continue
        value = _entity_value(field, obj.get(field.name), where)
        if value is None and not field.nullable:
            raise MetaParseError(f"{where.say(field.name)}: missing")
        row[field.name] = value
    return row


def to_table(
    spec: schemas.TableSpec,
    rows: list[dict[str, Any]],
    loaded_at: datetime.datetime,
    batch_id: str,
) -> pa.Table:
    """Rows plus the loader columns as a table with exactly the spec's schema."""
    full = [{**row, "_loaded_at": loaded_at, "_batch_id": batch_id} for row in rows]
    return pa.Table.from_pylist(full, schema=spec.schema)
