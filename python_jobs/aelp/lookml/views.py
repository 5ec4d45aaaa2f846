"""What the generator knows of a reporting view: columns, keys, the dashboards that read it.

Two sources give the same structures: ``target/manifest.json`` of a ``dbt parse`` (relation
names as dbt resolved them for the target) and the YAML files under ``models/reporting``
(no dbt run; the relation is built from the target's dataset).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

REPORT_PREFIX = "rpt_"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (several times faster), else the Python one."""
_REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""")


@dataclass(frozen=True)
class ReportColumn:
    """One documented column of a reporting view."""

    name: str
    description: str
    data_type: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    is_unique: bool = False

    @property
    def aggregation(self) -> str:
        """How a dashboard may aggregate the column (``none`` when undeclared)."""
        return str(self.meta.get("aggregation", "none"))


@dataclass(frozen=True)
class Dashboard:
    """A dbt exposure: a dashboard or application that reads reporting views."""

    name: str
    label: str
    url: str | None
    type: str
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class ReportView:
    """A reporting model with its relation, columns, composite key and dashboards."""

    name: str
    description: str
    relation: str
    columns: tuple[ReportColumn, ...]
    key: tuple[str, ...] = ()
    dashboards: tuple[Dashboard, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def window_column(self) -> str | None:
        """The date column whose rows summarise overlapping windows (``meta.window_column``).

        Rows of different days then overlap: measures are only meaningful for one day.
        """
        value = self.meta.get("window_column")
        return str(value) if value else None


def _meta(column: Mapping[str, Any]) -> dict[str, Any]:
    config = column.get("config") or {}
    return {**(column.get("meta") or {}), **(config.get("meta") or {})}


def _attach(views: list[ReportView], dashboards: Iterable[Dashboard]) -> list[ReportView]:
    chosen = list(dashboards)
    out = []
    for view in views:
        using = tuple(d for d in chosen if view.name in d.depends_on)
        out.append(
            ReportView(
                view.name,
                view.description,
                view.relation,
                view.columns,
                view.key,
                using,
                view.meta,
            )
        )
    return sorted(out, key=lambda v: v.name)


# --------------------------------------------------------------------------- manifest
def views_from_manifest(manifest: Mapping[str, Any]) -> list[ReportView]:
    """The ``rpt_`` models of a dbt manifest, with their tests and exposures."""
    nodes: Mapping[str, Any] = manifest.get("nodes", {})
    unique_columns: dict[str, set[str]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for node in nodes.values():
        if node.get("resource_type") != "test" or not node.get("test_metadata"):
            continue
        attached = node.get("attached_node")
        test = node["test_metadata"]
        if test.get("name") == "unique" and node.get("column_name"):
            unique_columns.setdefault(attached, set()).add(node["column_name"])
        elif test.get("name") == "unique_combination_of_columns":
            kwargs = test.get("kwargs", {})
            combination = kwargs.get("combination_of_columns") or kwargs.get("arguments", {}).get(
                "combination_of_columns", []
            )
            keys[attached] = tuple(combination)
    views = []
    for unique_id, node in nodes.items():
        if node.get("resource_type") != "model" or not node["name"].startswith(REPORT_PREFIX):
            continue
        uniques = unique_columns.get(unique_id, set())
        columns = tuple(
            ReportColumn(
                name=name,
                description=(column.get("description") or "").strip(),
                data_type=column.get("data_type"),
                meta=_meta(column),
                is_unique=name in uniques,
            )
            for name, column in node.get("columns", {}).items()
        )
        relation = node.get("relation_name") or f"{node['schema']}.{node['alias']}"
        views.append(
            ReportView(
                name=node["name"],
                description=(node.get("description") or "").strip(),
                relation=relation,
                columns=columns,
                key=keys.get(unique_id, ()),
                meta=_meta(node),
            )
        )
    dashboards = [
        Dashboard(
            name=exposure["name"],
            label=exposure.get("label") or exposure["name"],
            url=exposure.get("url"),
            type=exposure.get("type", "dashboard"),
            depends_on=tuple(
                dep.split(".")[-1] for dep in exposure.get("depends_on", {}).get("nodes", [])
            ),
        )
        for exposure in manifest.get("exposures", {}).values()
    ]
    return _attach(views, dashboards)


# --------------------------------------------------------------------------- YAML
def _test_names(tests: Iterable[Any]) -> list[str]:
    names = []
    for test in tests or []:
        names.append(test if isinstance(test, str) else next(iter(test)))
    return names


def _combination(tests: Iterable[Any]) -> tuple[str, ...]:
    for test in tests or []:
        if isinstance(test, dict) and "unique_combination_of_columns" in test:
            spec = test["unique_combination_of_columns"] or {}
            args = spec.get("arguments") or spec
            return tuple(args.get("combination_of_columns") or [])
    return ()


def views_from_yaml(
    reporting_dir: Path,
    relation_of: Callable[[str], str],
    dbt_vars: Mapping[str, Any] | None = None,
) -> list[ReportView]:
    """The ``rpt_`` models documented in the YAML files of ``reporting_dir``.

    ``relation_of`` names a model's table for SQL; ``dbt_vars`` render ``var()`` in exposure
    URLs (their defaults apply otherwise).
    """
    env = jinja2.Environment(autoescape=False)
    values = dict(dbt_vars or {})
    env.globals["var"] = lambda name, default=None: values.get(name, default)
    views: list[ReportView] = []
    dashboards: list[Dashboard] = []
    for path in sorted(reporting_dir.glob("*.yml")):
        document = yaml.load(path.read_text(), Loader=_LOADER) or {}
        for model in document.get("models", []) or []:
            if not model["name"].startswith(REPORT_PREFIX):
                continue
            columns = tuple(
                ReportColumn(
                    name=column["name"],
                    description=str(column.get("description") or "").strip(),
                    data_type=column.get("data_type"),
                    meta=_meta(column),
                    is_unique="unique" in _test_names(column.get("data_tests") or []),
                )
                for column in model.get("columns", []) or []
            )
            views.append(
                ReportView(
                    name=model["name"],
                    description=str(model.get("description") or "").strip(),
                    relation=relation_of(model["name"]),
                    columns=columns,
                    key=_combination(model.get("data_tests") or []),
                    meta=_meta(model),
                )
            )
        for exposure in document.get("exposures", []) or []:
            url = exposure.get("url")
            dashboards.append(
                Dashboard(
                    name=exposure["name"],
                    label=exposure.get("label") or exposure["name"],
                    url=env.from_string(url).render() if url else None,
                    type=exposure.get("type", "dashboard"),
                    depends_on=tuple(
                        match
                        for dep in exposure.get("depends_on", []) or []
                        for match in _REF.findall(str(dep))
                    ),
                )
            )
    return _attach(views, dashboards)
