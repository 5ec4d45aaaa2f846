"""The embedded engine: one DuckDB file, no credentials."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from aelp.config import Target
from aelp.schemas import TableSpec
from aelp.warehouse.base import (
    PARQUET_BATCH_ROWS,
    Warehouse,
    WarehouseError,
    check_filter_columns,
    conform,
    missing_fields,
)
from aelp.warehouse.types import duckdb_type

log = logging.getLogger(__name__)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def insert_order(spec: TableSpec) -> str:
    """The ``order by`` an insert into a spec's table carries: its partition column, if any.

    DuckDB has no partitions, but it keeps rows in insertion order and skips the row groups
    whose min/max of a filtered column cannot match. Rows written in date order make a read of
    a few days (a daily run's restatement window) skip the rest of the history, as BigQuery's
    date partitions do; written in another order, every row group spans every day.
    """
    return f" order by {_quote(spec.partition_by)}" if spec.partition_by else ""


class DuckDBWarehouse(Warehouse):
    """A DuckDB database file (``data/aelp.duckdb`` unless the profile says otherwise)."""

    engine = "duckdb"

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as error:
            raise WarehouseError(
                f"cannot open the DuckDB file {path}: {error} (is another process using it?)"
            ) from error
        self._con.execute("set TimeZone = 'UTC'")
        found = self._con.execute("select current_database()").fetchone()
        self.catalog = str(found[0]) if found else "memory"

    @classmethod
    def from_target(cls, target: Target, project_dir: Path) -> DuckDBWarehouse:
        """Open the file that a dbt-duckdb profile output names (relative to the project)."""
        raw_path = str(target.settings.get("path", "data/aelp.duckdb"))
        if raw_path == ":memory:":
            warehouse = cls(raw_path)
        else:
            path = Path(raw_path)
            warehouse = cls(path if path.is_absolute() else project_dir / path)
        warehouse.apply_settings(target.settings.get("settings") or {})
        return warehouse

    def apply_settings(self, settings: Mapping[str, Any]) -> None:
        """Apply a dbt-duckdb profile's ``settings`` (e.g. ``memory_limit``) to the connection."""
        for name, value in settings.items():
            if not re.fullmatch(r"[a-z_]+", str(name)):
                raise WarehouseError(f"not a DuckDB setting name: {name!r}")
            self._con.execute(f"set {name} = ?", [value])

    def table_ref(self, dataset: str, name: str) -> str:
        # Catalog-qualified: a file named aelp.duckdb is also a catalog called "aelp",
        # which would make "aelp"."table" ambiguous next to the schema "aelp".
        return f"{_quote(self.catalog)}.{_quote(dataset)}.{_quote(name)}"

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
        try:
            return self._con.execute(sql, params or {}).fetch_arrow_table()
        except duckdb.Error as error:
            raise WarehouseError(f"query failed: {error}") from error

    def iter_batches(
        self, sql: str, batch_rows: int = 100_000, params: dict[str, Any] | None = None
    ) -> Iterator[pa.RecordBatch]:
        cursor = self._con.cursor()
        try:
            reader = cursor.execute(sql, params or {}).fetch_record_batch(batch_rows)
            yield from reader
        finally:
            cursor.close()

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        try:
            self._con.execute(sql, params or {})
        except duckdb.Error as error:
            raise WarehouseError(f"statement failed: {error}") from error

    def table_exists(self, dataset: str, name: str) -> bool:
        found = self._con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [self.catalog, dataset, name],
        ).fetchone()
        return bool(found and found[0])

    def ensure_table(self, spec: TableSpec) -> None:
        self._con.execute(
            f"create schema if not exists {_quote(self.catalog)}.{_quote(spec.dataset)}"
        )
        columns = ",\n  ".join(
            f"{_quote(f.name)} {duckdb_type(f.type)}{'' if f.nullable else ' not null'}"
            for f in spec.schema
        )
        self._con.execute(f"create table if not exists {self.spec_ref(spec)} (\n  {columns}\n)")
        found = self._con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [self.catalog, spec.dataset, spec.name],
        ).fetchall()
        for field in missing_fields(spec, {row[0] for row in found}):
            self._con.execute(
                f"alter table {self.spec_ref(spec)} "
                f"add column {_quote(field.name)} {duckdb_type(field.type)}"
            )

    def _insert(self, spec: TableSpec, data: pa.Table) -> None:
        columns = ", ".join(_quote(f.name) for f in spec.schema)
        self._con.register("_aelp_incoming", data)
        try:
            self._con.execute(
                f"insert into {self.spec_ref(spec)} ({columns}) "
                f"select {columns} from _aelp_incoming{insert_order(spec)}"
            )
        finally:
            self._con.unregister("_aelp_incoming")

    def _atomic(self, spec: TableSpec, delete_sql: str, data: pa.Table, params: Any) -> None:
        self._con.execute("begin transaction")
        try:
            self._con.execute(delete_sql, params)
            if data.num_rows:
                self._insert(spec, data)
            self._con.execute("commit")
        except duckdb.Error as error:
            self._con.execute("rollback")
            raise WarehouseError(f"{spec.qualified}: write rolled back: {error}") from error

    def upsert(self, spec: TableSpec, data: pa.Table) -> int:
        table = conform(spec, data)
        self.ensure_table(spec)
        keys = list(spec.key)
        self._con.register("_aelp_keys", table.select(keys))
        try:
            match = " and ".join(f"t.{_quote(k)} = k.{_quote(k)}" for k in keys)
            delete_sql = (
                f"delete from {self.spec_ref(spec)} as t where exists "
                f"(select 1 from _aelp_keys as k where {match})"
            )
            self._atomic(spec, delete_sql, table, [])
        finally:
            self._con.unregister("_aelp_keys")
        log.debug("upserted %d rows into %s", table.num_rows, spec.qualified)
        return table.num_rows

    def replace_where(
        self,
        spec: TableSpec,
        data: pa.Table,
        column: str,
        values: Sequence[Any],
        equal: Mapping[str, Any] | None = None,
    ) -> int:
        table = conform(spec, data)
        equal = dict(equal or {})
        check_filter_columns(spec, [column, *equal])
        self.ensure_table(spec)
        conditions = [f"{_quote(column)} = any(?)", *(f"{_quote(c)} = ?" for c in equal)]
        delete_sql = f"delete from {self.spec_ref(spec)} where " + " and ".join(conditions)
        self._atomic(spec, delete_sql, table, [list(values), *equal.values()])
        return table.num_rows

    def upsert_parquet(
        self, spec: TableSpec, path: Path, batch_rows: int = PARQUET_BATCH_ROWS
    ) -> int:
        """Upsert a Parquet file by its key with DuckDB reading the file itself.

        The same rows and checks as :meth:`upsert` of the file's contents (columns cast to
        the table's types, required columns not null, no key twice), in one transaction,
        without the rows passing through Python: DuckDB streams the file, and writes it in
        the order of the table's partition column (:func:`insert_order`). ``batch_rows`` is
        unused here.
        """
        source = "read_parquet('" + str(path).replace("'", "''") + "')"
        columns = ", ".join(_quote(f.name) for f in spec.schema)
        keys = ", ".join(_quote(k) for k in spec.key)
        found = self.query(
            f"select count(*) as n, count(distinct ({keys})) as k from {source}"
        ).to_pylist()[0]
        if found["n"] != found["k"]:
            raise WarehouseError(
                f"{spec.qualified}: {found['n'] - found['k']} key(s) appear more than once "
                f"in {path}"
            )
        self.ensure_table(spec)
        match = " and ".join(f"t.{_quote(k)} = s.{_quote(k)}" for k in spec.key)
        ref = self.spec_ref(spec)
        self.execute("begin transaction")
        try:
            self.execute(
                f"delete from {ref} as t where exists (select 1 from {source} as s where {match})"
            )
            self.execute(
                f"insert into {ref} ({columns}) select {columns} from {source}{insert_order(spec)}"
            )
            self.execute("commit")
        except WarehouseError:
            self.execute("rollback")
            raise
        return int(found["n"])

    def close(self) -> None:
        self._con.close()
