"""The parts of dbt's Jinja context that sqlfluff's jinja templater lacks.

sqlfluff (``library_path`` in ``.sqlfluff``) exposes every public name of this package to the
templates it lints. With them the models render as dbt renders them for a BigQuery target:
``adapter.dispatch`` resolves a macro's ``bigquery__`` (else ``default__``) variant from the
macros loaded from ``macros/``, ``var`` reads ``dbt_project.yml``, and the few ``dbt.*``
cross-database macros the project calls render their BigQuery SQL. No warehouse is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from jinja2 import pass_context
from jinja2.runtime import Context

_PROJECT_FILE = Path(__file__).resolve().parents[3] / "dbt_project.yml"
_VARS: dict[str, Any] = yaml.safe_load(_PROJECT_FILE.read_text()).get("vars", {})

target = {
    "type": "bigquery",
    "name": "lint",
    "database": "lint-project",
    "project": "lint-project",
    "schema": "aelp",
    "dataset": "aelp",
}


class _Adapter:
    """Stands in for dbt's ``adapter``: dispatch only."""

    @staticmethod
    @pass_context
    def dispatch(context: Context, macro_name: str, macro_namespace: str | None = None) -> Any:
        """The ``bigquery__`` variant of a macro, else its ``default__`` variant."""
        for prefix in ("bigquery__", "default__"):
            macro = context.get(prefix + macro_name)
            if macro is not None:
                return macro
        raise LookupError(f"no bigquery__ or default__ variant of macro {macro_name!r}")


class _DbtNamespace:
    """The ``dbt.*`` cross-database macros the project calls, in their BigQuery form."""

    @staticmethod
    def type_int() -> str:
        return "int64"

    @staticmethod
    def type_bigint() -> str:
        return "int64"

    @staticmethod
    def type_float() -> str:
        return "float64"

    @staticmethod
    def type_numeric() -> str:
        return "numeric"

    @staticmethod
    def type_string() -> str:
        return "string"

    @staticmethod
    def type_boolean() -> str:
        return "bool"

    @staticmethod
    def type_timestamp() -> str:
        return "timestamp"

    @staticmethod
    def safe_cast(field: str, type_name: str) -> str:
        return f"safe_cast({field} as {type_name})"

    @staticmethod
    def split_part(string_text: str, delimiter_text: str, part_number: int) -> str:
        return f"split({string_text}, {delimiter_text})[safe_offset({int(part_number) - 1})]"

    @staticmethod
    def dateadd(datepart: str, interval: Any, from_date_or_timestamp: str) -> str:
        return (
            f"datetime_add(cast({from_date_or_timestamp} as datetime), "
            f"interval {interval} {datepart})"
        )

    @staticmethod
    def datediff(first_date: str, second_date: str, datepart: str) -> str:
        return (
            f"datetime_diff(cast({second_date} as datetime), "
            f"cast({first_date} as datetime), {datepart})"
        )


adapter = _Adapter()
dbt = _DbtNamespace()


def var(name: str, default: Any = None) -> Any:
    """A project variable from dbt_project.yml."""
    if name in _VARS:
        return _VARS[name]
    if default is None:
        raise KeyError(f"var {name!r} is not set in dbt_project.yml")
    return default


def env_var(name: str, default: str | None = None) -> str:
    """An environment variable as a lint run sees it: unset, so its default (lints do not
    depend on the shell they run in)."""
    if default is None:
        raise KeyError(f"env_var {name!r} has no default")
    return default


def config(*args: Any, **kwargs: Any) -> str:
    """Model config renders nothing (dbt also accepts one positional dict)."""
    return ""


def _return(value: Any) -> Any:
    """dbt's ``return``: the value itself (it renders as text inside a macro)."""
    return value


globals()["return"] = _return


# sqlfluff gives a macro loaded from macros/ only this library's names, not the other macros:
# the project macros that other macros call are stood in for here, in their BigQuery form.
def add_days(date_expr: str, n_days: Any) -> str:
    """``macros/add_days.sql`` for BigQuery."""
    return f"date_add({date_expr}, interval ({n_days}) day)"


def days_to_restate(days_after: int = 0) -> list[str]:
    """``macros/days_to_restate.sql`` with run_date unset: counted back from current_date."""
    first = -int(days_after)
    return [
        add_days("current_date", -back) for back in range(first, int(_VARS["restatement_days"]) + 1)
    ]


class _Flags:
    """dbt's ``flags`` as a lint run sees them: not a --full-refresh run."""

    FULL_REFRESH = False


class _Exceptions:
    """dbt's ``exceptions``: a compiler error raises."""

    @staticmethod
    def raise_compiler_error(message: str) -> None:
        raise ValueError(message)


flags = _Flags()
exceptions = _Exceptions()
