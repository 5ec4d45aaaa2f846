"""Arrow types translated to each engine's column types."""

from __future__ import annotations

import pyarrow as pa


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB column type of an Arrow type (lists become ``T[]``, structs ``STRUCT``)."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_int64(arrow_type) or pa.types.is_int32(arrow_type):
        return "BIGINT"
    if pa.types.is_floating(arrow_type):
        return "DOUBLE"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_decimal(arrow_type):
        return f"DECIMAL({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_date32(arrow_type):
        return "DATE"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMPTZ" if arrow_type.tz else "TIMESTAMP"
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return f"{duckdb_type(arrow_type.value_type)}[]"
    if pa.types.is_struct(arrow_type):
        fields = ", ".join(
            f'"{arrow_type.field(i).name}" {duckdb_type(arrow_type.field(i).type)}'
            for i in range(arrow_type.num_fields)
        )
        return f"STRUCT({fields})"
    raise TypeError(f"no DuckDB type for Arrow type {arrow_type}")


def bigquery_type(arrow_type: pa.DataType) -> tuple[str, str]:
    """The BigQuery (type, mode) of an Arrow type; lists become ``REPEATED``."""
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        inner, _ = bigquery_type(arrow_type.value_type)
        return inner, "REPEATED"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "STRING", "NULLABLE"
    if pa.types.is_integer(arrow_type):
        return "INT64", "NULLABLE"
    if pa.types.is_floating(arrow_type):
        return "FLOAT64", "NULLABLE"
    if pa.types.is_boolean(arrow_type):
        return "BOOL", "NULLABLE"
    if pa.types.is_decimal(arrow_type):
        return "NUMERIC", "NULLABLE"
    if pa.types.is_date32(arrow_type):
        return "DATE", "NULLABLE"
    if pa.types.is_timestamp(arrow_type):
        return ("TIMESTAMP" if arrow_type.tz else "DATETIME"), "NULLABLE"
    if pa.types.is_struct(arrow_type):
        return "RECORD", "NULLABLE"
    raise TypeError(f"no BigQuery type for Arrow type {arrow_type}")


def bigquery_ddl_type(arrow_type: pa.DataType) -> str:
    """The BigQuery DDL type of an Arrow type (``ARRAY<STRUCT<...>>`` for nested lists)."""
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return f"ARRAY<{bigquery_ddl_type(arrow_type.value_type)}>"
    if pa.types.is_struct(arrow_type):
        fields = ", ".join(
            f"`{arrow_type.field(i).name}` {bigquery_ddl_type(arrow_type.field(i).type)}"
            for i in range(arrow_type.num_fields)
        )
        return f"STRUCT<{fields}>"
    if pa.types.is_decimal(arrow_type):
        return "NUMERIC"
    name, _ = bigquery_type(arrow_type)
    return name
