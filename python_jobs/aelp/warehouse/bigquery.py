"""The production engine: BigQuery through load jobs, MERGE and labelled queries."""

from __future__ import annotations

import importlib
import io
import logging
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from aelp.config import Target
from aelp.schemas import TableSpec
from aelp.warehouse.base import (
    Warehouse,
    WarehouseError,
    check_filter_columns,
    conform,
    missing_fields,
)
from aelp.warehouse.dataframes import FramesSession, open_session, read_batches, reader_from_env
from aelp.warehouse.types import bigquery_ddl_type, bigquery_type

log = logging.getLogger(__name__)

DEFAULT_LABELS = {"app": "aelp"}
STAGING_TABLE_TTL_HOURS = 6


def schema_fields(schema: pa.Schema | pa.StructType) -> list[Any]:
    """BigQuery ``SchemaField``s for an Arrow schema (nested structs and lists included)."""
    from google.cloud import bigquery

    fields = []
    for field in schema:
        bq_type, mode = bigquery_type(field.type)
        if mode != "REPEATED" and not field.nullable:
            mode = "REQUIRED"
        value_type = field.type.value_type if mode == "REPEATED" else field.type
        sub = schema_fields(value_type) if pa.types.is_struct(value_type) else ()
        fields.append(bigquery.SchemaField(field.name, bq_type, mode=mode, fields=sub))
    return fields


def _label_value(value: str) -> str:
    """A string made valid as a BigQuery label value (lowercase, ``[a-z0-9_-]``, ≤ 63)."""
    return re.sub(r"[^a-z0-9_-]", "_", value.lower())[:63]


class BigQueryWarehouse(Warehouse):
    """A BigQuery project; datasets play the role of DuckDB schemas.

    Writes load Parquet into a short-lived staging table and apply one ``MERGE`` (or a
    delete-and-insert transaction) so that a write is atomic and re-running it changes
    nothing. Every job carries labels and the ``maximum_bytes_billed`` guard.
    """

    engine = "bigquery"

    def __init__(
        self,
        client: Any,
        project: str,
        location: str | None = None,
        maximum_bytes_billed: int | None = None,
        labels: dict[str, str] | None = None,
        use_storage_api: bool = True,
        frames: FramesSession | None = None,
    ) -> None:
        self.client = client
        self.frames = frames
        self.project = project
        self.location = location
        self.maximum_bytes_billed = maximum_bytes_billed
        self.labels = {**DEFAULT_LABELS, **(labels or {})}
        self.use_storage_api = use_storage_api

    @classmethod
    def from_target(cls, target: Target) -> BigQueryWarehouse:
        """Build a client from a dbt-bigquery profile output."""
        from google.cloud import bigquery

        settings = target.settings
        project = str(settings.get("project") or settings.get("database"))
        credentials = _credentials(settings)
        options = (
            {"api_endpoint": settings["api_endpoint"]} if settings.get("api_endpoint") else None
        )
        client = bigquery.Client(
            project=project,
            credentials=credentials,
            location=settings.get("location"),
            client_options=options,
        )
        max_bytes = settings.get("maximum_bytes_billed")
        frames = (
            open_session(project, settings.get("location"), credentials)
            if reader_from_env() == "bigframes"
            else None
        )
        return cls(
            client,
            project=project,
            location=settings.get("location"),
            maximum_bytes_billed=int(max_bytes) if max_bytes else None,
            labels={"target": _label_value(target.name)},
            use_storage_api=not settings.get("api_endpoint"),
            frames=frames,
        )

    # ------------------------------------------------------------------ reads
    def table_ref(self, dataset: str, name: str) -> str:
        return f"`{self.project}.{dataset}.{name}`"

    def _job_config(self, params: dict[str, Any] | None, job: str) -> Any:
        from google.cloud import bigquery

        config = bigquery.QueryJobConfig(
            labels={**self.labels, "job": _label_value(job)},
            query_parameters=[_query_parameter(k, v) for k, v in (params or {}).items()],
        )
        if self.maximum_bytes_billed:
            config.maximum_bytes_billed = self.maximum_bytes_billed
        return config

    def _run(
        self, sql: str, params: dict[str, Any] | None, job: str, page_size: int | None = None
    ) -> Any:
        from google.api_core import exceptions

        try:
            query_job = self.client.query(sql, job_config=self._job_config(params, job))
            return query_job.result(page_size=page_size)
        except exceptions.GoogleAPICallError as error:
            raise WarehouseError(f"BigQuery {job} failed: {error.message}") from error
        except OSError as error:  # connection refused, DNS, TLS: requests' errors are OSErrors
            raise self._unreachable(error) from error

    def _unreachable(self, error: OSError) -> WarehouseError:
        return WarehouseError(
            f"cannot reach BigQuery (project {self.project}): {type(error).__name__}; "
            "check the network, the profile's api_endpoint and the credentials"
        )

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
        rows = self._run(sql, params, "query")
        storage = self._storage_client()
        table: pa.Table = rows.to_arrow(
            bqstorage_client=storage, create_bqstorage_client=storage is not None
        )
        return table

    def _storage_client(self) -> Any:
        """A Storage Read API client when enabled and installed, else ``None`` (REST pages)."""
        if not self.use_storage_api:
            return None
        try:
            bigquery_storage = importlib.import_module("google.cloud.bigquery_storage")
        except ImportError:
            return None
        return bigquery_storage.BigQueryReadClient(credentials=self.client._credentials)

    def iter_batches(
        self, sql: str, batch_rows: int = 100_000, params: dict[str, Any] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """Stream a large read: through bigframes when configured (queries without
        parameters; bigframes takes none), else through the client's pages."""
        if self.frames is not None and not params:
            labels = {**self.labels, "job": "read"}
            yield from read_batches(self.frames, sql, batch_rows, labels, self.maximum_bytes_billed)
            return
        rows = self._run(sql, params, "read", page_size=batch_rows)
        yield from rows.to_arrow_iterable(bqstorage_client=self._storage_client())

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._run(sql, params, "dml")

    def table_exists(self, dataset: str, name: str) -> bool:
        from google.api_core import exceptions

        try:
            self.client.get_table(f"{self.project}.{dataset}.{name}")
        except exceptions.NotFound:
            return False
        except OSError as error:
            raise self._unreachable(error) from error
        return True

    # ------------------------------------------------------------------ writes
    def ensure_dataset(self, dataset: str) -> None:
        """Create a dataset in the configured location when missing."""
        from google.cloud import bigquery

        ds = bigquery.Dataset(f"{self.project}.{dataset}")
        if self.location:
            ds.location = self.location
        self.client.create_dataset(ds, exists_ok=True)

    def ensure_table(self, spec: TableSpec) -> None:
        from google.cloud import bigquery

        if self.table_exists(spec.dataset, spec.name):
            self._add_missing_columns(spec)
            return
        self.ensure_dataset(spec.dataset)
        table = bigquery.Table(
            f"{self.project}.{spec.dataset}.{spec.name}", schema_fields(spec.schema)
        )
        if spec.partition_by:
            table.time_partitioning = bigquery.TimePartitioning(
                type_=bigquery.TimePartitioningType.DAY, field=spec.partition_by
            )
        if spec.cluster_by:
            table.clustering_fields = list(spec.cluster_by)
        table.description = spec.description
        table.labels = dict(self.labels)
        self.client.create_table(table, exists_ok=True)

    def _add_missing_columns(self, spec: TableSpec) -> None:
        """Add the spec's new nullable columns to an existing table (``ALTER TABLE``)."""
        table = self.client.get_table(f"{self.project}.{spec.dataset}.{spec.name}")
        for field in missing_fields(spec, {column.name for column in table.schema}):
            self.execute(
                f"alter table {self.spec_ref(spec)} add column if not exists "
                f"`{field.name}` {bigquery_ddl_type(field.type)}"
            )

    def _load_staging(self, spec: TableSpec, data: pa.Table) -> str:
        """Load Arrow rows into a new staging table through a Parquet load job."""
        from google.cloud import bigquery

        self.ensure_dataset(spec.dataset)
        staging = f"{self.project}.{spec.dataset}._stg_{spec.name}_{uuid.uuid4().hex[:12]}"
        buffer = io.BytesIO()
        pq.write_table(data, buffer, compression="zstd")
        buffer.seek(0)
        parquet_options = bigquery.ParquetOptions()
        parquet_options.enable_list_inference = True
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.PARQUET,
            schema=schema_fields(spec.schema),
            write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE,
            labels={**self.labels, "job": "load"},
        )
        config.parquet_options = parquet_options
        # No size argument: the client then uses a resumable upload, which every
        # endpoint accepts for payloads of any size.
        job = self.client.load_table_from_file(buffer, staging, job_config=config)
        try:
            job.result()
        except Exception as error:
            raise WarehouseError(f"{spec.qualified}: load job failed: {error}") from error
        return staging

    def _drop(self, table_id: str) -> None:
        self.client.delete_table(table_id, not_found_ok=True)

    def upsert(self, spec: TableSpec, data: pa.Table) -> int:
        table = conform(spec, data)
        self.ensure_table(spec)
        if table.num_rows == 0:
            return 0
        staging = self._load_staging(spec, table)
        try:
            self.execute(merge_sql(self.spec_ref(spec), f"`{staging}`", spec))
        finally:
            self._drop(staging)
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
        staging = self._load_staging(spec, table) if table.num_rows else None
        columns = ", ".join(f"`{name}`" for name in spec.schema.names)
        in_list = ", ".join(sql_literal(v) for v in values) or "null"
        narrow = "".join(f" and `{c}` = {sql_literal(v)}" for c, v in equal.items())
        insert = (
            f"insert into {self.spec_ref(spec)} ({columns}) select {columns} from `{staging}`;"
            if staging
            else ""
        )
        script = (
            "begin transaction;\n"
            f"delete from {self.spec_ref(spec)} where `{column}` in ({in_list}){narrow};\n"
            f"{insert}\n"
            "commit transaction;"
        )
        try:
            self.execute(script)
        finally:
            if staging:
                self._drop(staging)
        return table.num_rows

    def close(self) -> None:
        self.client.close()


def merge_sql(target: str, source: str, spec: TableSpec) -> str:
    """A ``MERGE`` that replaces rows by key and inserts new ones (idempotent)."""
    on = " and ".join(f"t.`{k}` = s.`{k}`" for k in spec.key)
    names = spec.schema.names
    update = ", ".join(f"`{n}` = s.`{n}`" for n in names if n not in spec.key)
    columns = ", ".join(f"`{n}`" for n in names)
    values = ", ".join(f"s.`{n}`" for n in names)
    return (
        f"merge {target} as t\nusing {source} as s\non {on}\n"
        f"when matched then update set {update}\n"
        f"when not matched then insert ({columns}) values ({values})"
    )


def sql_literal(value: Any) -> str:
    """A BigQuery literal for a date, number or string (quotes escaped)."""
    import datetime as dt

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"timestamp '{value.isoformat()}'"
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def _credentials(settings: dict[str, Any]) -> Any:
    """Credentials for the profile's ``method`` (never logged)."""
    method = settings.get("method", "oauth")
    if method == "service-account":
        from google.oauth2 import service_account

        keyfile = settings.get("keyfile")
        try:
            return service_account.Credentials.from_service_account_file(keyfile)
        except (OSError, ValueError) as error:
            raise WarehouseError(
                f"cannot read the service-account key file named by the profile ({keyfile}): "
                f"{type(error).__name__}; set GOOGLE_APPLICATION_CREDENTIALS to a key file"
            ) from error
    if method == "oauth-secrets":
        from google.oauth2.credentials import Credentials

        return Credentials(token=settings.get("token"))
    if method == "oauth":
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError

        try:
            credentials, _ = google.auth.default(
                scopes=["https://www.googleapis.com/auth/cloud-platform"]
            )
        except DefaultCredentialsError as error:
            raise WarehouseError(
                "no Google credentials found: run `gcloud auth application-default login` "
                "or use the prod_service_account target"
            ) from error
        return credentials
    raise WarehouseError(f"unsupported BigQuery auth method {method!r}")


def _query_parameter(name: str, value: Any) -> Any:
    """A typed BigQuery query parameter from a Python value (lists become arrays)."""
    import datetime as dt

    from google.cloud import bigquery

    def scalar_type(v: Any) -> str:
        if isinstance(v, bool):
            return "BOOL"
        if isinstance(v, int):
            return "INT64"
        if isinstance(v, float):
            return "FLOAT64"
        if isinstance(v, dt.datetime):
            return "TIMESTAMP"
        if isinstance(v, dt.date):
            return "DATE"
        return "STRING"

    if isinstance(value, list | tuple):
        element = scalar_type(value[0]) if value else "STRING"
        return bigquery.ArrayQueryParameter(name, element, list(value))
    return bigquery.ScalarQueryParameter(name, scalar_type(value), value)
