"""The warehouse interface every job talks to, and checks shared by the engines."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from aelp.errors import AelpError
from aelp.schemas import TableSpec

PARQUET_BATCH_ROWS = 262_144
"""Rows per write when a Parquet file is upserted in slices (one row group of the world files)."""


class WarehouseError(AelpError, RuntimeError):
    """A warehouse operation failed; the message names the table and the cause."""


class Warehouse(ABC):
    """Read with SQL, write Arrow tables idempotently.

    Every write is atomic: it either replaces the rows it targets completely or
    leaves the table as it was.
    """

    engine: str = "abstract"

    @abstractmethod
    def table_ref(self, dataset: str, name: str) -> str:
        """The quoted, fully-qualified identifier of a table, for SQL text."""

    @abstractmethod
    def query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""

    @abstractmethod
    def iter_batches(
        self, sql: str, batch_rows: int = 100_000, params: dict[str, Any] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Stream a query's result in record batches (bounded memory)."""

    @abstractmethod
    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run a statement that returns nothing."""

    @abstractmethod
    def table_exists(self, dataset: str, name: str) -> bool:
        """Whether the table exists."""

    @abstractmethod
    def ensure_table(self, spec: TableSpec) -> None:
        """Create the dataset and the table from its spec when missing."""

    @abstractmethod
    def upsert(self, spec: TableSpec, data: pa.Table) -> int:
        """Insert rows, replacing existing rows with the same key; returns rows written."""

    @abstractmethod
    def replace_where(
        self,
        spec: TableSpec,
        data: pa.Table,
        column: str,
        values: Sequence[Any],
        equal: Mapping[str, Any] | None = None,
    ) -> int:
        """Delete rows whose ``column`` is in ``values``, then insert ``data``, atomically.

        ``equal`` narrows the delete to rows whose other columns equal the given values,
        e.g. ``{"account_id": "123"}`` to restate one account's days.
        """

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def upsert_batches(self, spec: TableSpec, batches: Iterable[pa.Table]) -> int:
        """Upsert slices of one table in turn, each by the key; returns rows written.

        Memory stays bounded by one slice. Each slice is its own atomic write, so a load
        that fails midway keeps the slices already written, and running it again is
        idempotent.
        """
        self.ensure_table(spec)
        return sum(self.upsert(spec, batch) for batch in batches)

    def upsert_parquet(
        self, spec: TableSpec, path: Path, batch_rows: int = PARQUET_BATCH_ROWS
    ) -> int:
        """Upsert a Parquet file into the spec's table by its key; returns rows written.

        The same rows and checks as :meth:`upsert` of the file's contents. This default
        reads the file in slices of ``batch_rows`` rows (:meth:`upsert_batches`); an engine
        that reads Parquet itself overrides it to write the file in one transaction.
        """
        parquet = pq.ParquetFile(path)
        slices = (
            pa.Table.from_batches([batch]) for batch in parquet.iter_batches(batch_size=batch_rows)
        )
        return self.upsert_batches(spec, slices)

    def spec_ref(self, spec: TableSpec) -> str:
        """The identifier of a spec's table."""
        return self.table_ref(spec.dataset, spec.name)

    def count(self, dataset: str, name: str) -> int:
        """Rows in a table (0 when it does not exist)."""
        if not self.table_exists(dataset, name):
            return 0
        result = self.query(f"select count(*) as n from {self.table_ref(dataset, name)}")
        return int(result.column("n")[0].as_py())

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def missing_fields(spec: TableSpec, existing: set[str]) -> list[pa.Field]:
    """The spec's columns an existing table lacks; only nullable ones can be added."""
    missing = [field for field in spec.schema if field.name not in existing]
    required = [field.name for field in missing if not field.nullable]
    if required:
        raise WarehouseError(
            f"{spec.qualified}: existing table lacks required column(s) {required}; "
            "migrate or rebuild it"
        )
    return missing


def check_filter_columns(spec: TableSpec, columns: Sequence[str]) -> None:
    """Raise when a filter names a column the table does not have."""
    unknown = [c for c in columns if c not in spec.schema.names]
    if unknown:
        raise WarehouseError(f"{spec.qualified}: no column(s) {unknown} to replace by")


def conform(spec: TableSpec, data: pa.Table) -> pa.Table:
    """Check ``data`` against the spec and return it with the spec's exact schema.

    Raises a :class:`WarehouseError` naming the table and the field when a column is
    missing, cannot be cast, is null where the contract forbids it, or when two rows
    share a key.
    """
    missing = [f.name for f in spec.schema if f.name not in data.column_names]
    if missing:
        raise WarehouseError(f"{spec.qualified}: missing columns {missing}")
    columns = []
    for field in spec.schema:
        column = data.column(field.name)
        try:
            column = column.cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise WarehouseError(
                f"{spec.qualified}.{field.name}: cannot cast {column.type} to {field.type}: {error}"
            ) from error
        if not field.nullable and column.null_count:
            first = pc.index(pc.is_null(column), True).as_py()
            raise WarehouseError(
                f"{spec.qualified}.{field.name}: {column.null_count} null value(s), "
                f"first at row {first}; the column is required"
            )
        columns.append(column)
    table = pa.Table.from_arrays(columns, schema=spec.schema)
    _check_unique_key(spec, table)
    return table


def _check_unique_key(spec: TableSpec, table: pa.Table) -> None:
    if table.num_rows == 0:
        return
    keys = table.select(list(spec.key))
    grouped = keys.group_by(list(spec.key)).aggregate([([], "count_all")])
    if grouped.num_rows != table.num_rows:
        dupes = grouped.filter(pc.greater(grouped.column("count_all"), 1))
        example = {k: dupes.column(k)[0].as_py() for k in spec.key}
        raise WarehouseError(
            f"{spec.qualified}: {dupes.num_rows} key(s) appear more than once in one "
            f"write, e.g. {example}"
        )
