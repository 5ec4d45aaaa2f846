"""The daily run's cost before it runs: compile it for a BigQuery target and dry-run each model.

``aelp plan`` compiles what ``dbt build`` would run now (the incremental form of a model once its
table exists) and asks BigQuery for a dry run of every table and incremental model's select:
bytes processed, nothing billed. Views cost nothing to create and are listed without a scan.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp

from aelp.config import Settings
from aelp.transform.runner import run_dbt

log = logging.getLogger(__name__)

SCANNED_MATERIALIZATIONS = ("table", "incremental")


@dataclass(frozen=True)
class ModelPlan:
    """One model of the daily run: how it is built and what its select would scan."""

    name: str
    materialized: str
    bytes_processed: int | None
    window: tuple[str, str] | None = None
    partitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Every model of the run, and whether the estimates came from the local emulator."""

    target: str
    models: tuple[ModelPlan, ...]
    is_emulator: bool

    @property
    def total_bytes(self) -> int:
        """Bytes all dry-run selects would process together."""
        return sum(m.bytes_processed or 0 for m in self.models)

    def render(self) -> str:
        """A plain-text table of the plan."""
        lines = [f"daily run on target {self.target}: dry-run bytes per model"]
        for model in self.models:
            kind = model.materialized + (" (incremental run)" if model.window else "")
            scanned = (
                "no scan at build"
                if model.bytes_processed is None
                else format_bytes(model.bytes_processed)
            )
            lines.append(f"  {model.name:<40} {kind:<28} {scanned:>16}")
            if model.window:
                lines.append(
                    f"  {'':<40} reads {model.window[0]} .. {model.window[1]}, "
                    f"overwrites {len(model.partitions)} partitions"
                )
        lines.append(f"  {'total':<40} {'':<28} {format_bytes(self.total_bytes):>16}")
        if self.is_emulator:
            lines.append(
                "  (emulator estimate: the local BigQuery answers every dry run with 0 bytes)"
            )
        return "\n".join(lines)


def format_bytes(n: int) -> str:
    """Bytes in binary units, e.g. ``1.5 GiB``."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def compile_run(
    settings: Settings, selector: str | None = None, dbt_vars: str | None = None
) -> list[Any]:
    """``dbt compile`` of the run's models for the settings' target; the compiled nodes."""
    args = [
        *(["--selector", selector] if selector else []),
        *(["--vars", dbt_vars] if dbt_vars else []),
    ]
    results: Any = run_dbt(settings, "compile", args)
    return [r.node for r in results.results if r.node.resource_type == "model"]


def dry_run_bytes(client: Any, sql: str, labels: dict[str, str]) -> int:
    """Bytes a query would process, from a BigQuery dry run (no job runs, nothing billed)."""
    from google.cloud import bigquery

    config = bigquery.QueryJobConfig(dry_run=True, use_query_cache=False, labels=labels)
    job = client.query(sql, job_config=config)
    return int(job.total_bytes_processed or 0)


def plan_run(settings: Settings, client: Any, nodes: Iterable[Any]) -> Plan:
    """Dry-run the select of every table and incremental model among the compiled nodes."""
    models = []
    for node in sorted(nodes, key=lambda n: n.name):
        materialized = str(node.config.materialized)
        scanned = None
        if materialized in SCANNED_MATERIALIZATIONS:
            scanned = dry_run_bytes(client, node.compiled_code, {"app": "aelp", "job": "plan"})
        window = None
        partition_by = node.config.get("partition_by") or {}
        if materialized == "incremental" and partition_by.get("field"):
            windows = restricted_days(node.compiled_code, partition_by["field"])
            window = windows[0] if windows else None
        models.append(
            ModelPlan(
                name=node.name,
                materialized=materialized,
                bytes_processed=scanned,
                window=window,
                partitions=tuple(node.config.get("partitions") or ()) if window else (),
            )
        )
    return Plan(
        target=settings.target.name,
        models=tuple(models),
        is_emulator=bool(settings.target.settings.get("api_endpoint")),
    )


# --------------------------------------------------------------------------- SQL checks
def _date_literals(node: exp.Expression) -> list[str]:
    found = []
    for literal in node.find_all(exp.Literal):
        if literal.is_string and re.fullmatch(r"\d{4}-\d{2}-\d{2}", literal.this):
            found.append(literal.this)
    return found


def restricted_days(sql: str, column: str, dialect: str = "bigquery") -> list[tuple[str, str]]:
    """Every ``column BETWEEN low AND high`` in the WHERE clauses of a query (BigQuery, or
    ``dialect``), as the BigQuery text of its bounds."""
    windows = []
    for where in sqlglot.parse_one(sql, read=dialect).find_all(exp.Where):
        for between in where.find_all(exp.Between):
            target = between.this
            if isinstance(target, exp.Column) and target.name == column:
                windows.append(
                    (between.args["low"].sql("bigquery"), between.args["high"].sql("bigquery"))
                )
    return windows


def overwritten_partitions(merge_sql: str, column: str) -> list[str]:
    """The days a BigQuery insert_overwrite MERGE deletes: its ``column IN (...)`` list, the
    column possibly wrapped (dbt-bigquery writes ``date(column)``)."""
    days: list[str] = []
    for statement in sqlglot.parse(merge_sql, read="bigquery"):
        if statement is None:
            continue
        for merge in statement.find_all(exp.Merge):
            for in_list in merge.find_all(exp.In):
                if any(c.name == column for c in in_list.this.find_all(exp.Column)):
                    for value in in_list.expressions:
                        days += _date_literals(value)
    return days
