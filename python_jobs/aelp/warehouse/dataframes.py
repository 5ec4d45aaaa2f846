"""Large BigQuery reads through BigQuery DataFrames (``bigframes``).

With ``AELP_BIGQUERY_READS=bigframes`` (and the ``dataframes`` extra installed), the
BigQuery warehouse streams large reads — training examples, scoring features — as
bigframes DataFrames: the query runs as a BigQuery job with the warehouse's labels and
``maximum_bytes_billed`` guard, results larger than a query response may hold are written
to a temporary table (``allow_large_results``), and pages come back one pandas batch at
a time, which this module turns into Arrow record batches. The default
(``client``) reads through the BigQuery client (Storage Read API when installed).

Only :class:`FramesSession`'s two calls cross into bigframes, so the boundary can be
tested with a stand-in session; bigframes itself needs a real BigQuery.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

from aelp.warehouse.base import WarehouseError

READS_ENV = "AELP_BIGQUERY_READS"
READERS = ("client", "bigframes")


class FramesDataFrame(Protocol):
    """The part of ``bigframes.dataframe.DataFrame`` a read uses."""

    def to_pandas_batches(
        self,
        page_size: int | None = None,
        max_results: int | None = None,
        *,
        allow_large_results: bool | None = None,
    ) -> Iterable[pd.DataFrame]: ...


class FramesSession(Protocol):
    """The part of ``bigframes.session.Session`` a read uses."""

    def read_gbq_query(
        self, query: str, *, configuration: dict[str, Any] | None = None
    ) -> FramesDataFrame: ...


def reader_from_env() -> str:
    """The configured reader: ``client`` (default) or ``bigframes``."""
    value = os.environ.get(READS_ENV, "client").strip().lower() or "client"
    if value not in READERS:
        raise WarehouseError(f"{READS_ENV} must be one of {', '.join(READERS)}; got {value!r}")
    return value


def job_configuration(labels: dict[str, str], maximum_bytes_billed: int | None) -> dict[str, Any]:
    """The REST job configuration bigframes passes to BigQuery: labels, standard SQL and
    the bytes-billed guard."""
    query: dict[str, Any] = {"useLegacySql": False}
    if maximum_bytes_billed:
        query["maximumBytesBilled"] = str(int(maximum_bytes_billed))
    return {"labels": dict(labels), "query": query}


def open_session(project: str, location: str | None, credentials: Any) -> FramesSession:
    """A bigframes session on ``project`` with the warehouse's credentials.

    Fails with a clear message when the ``dataframes`` extra is not installed.
    """
    try:
        bigframes = importlib.import_module("bigframes")
    except ImportError as error:
        raise WarehouseError(
            f"{READS_ENV}=bigframes needs BigQuery DataFrames: pip install 'aelp[dataframes]'"
        ) from error
    options = bigframes.BigQueryOptions(credentials=credentials, project=project, location=location)
    session: FramesSession = bigframes.connect(options)
    return session


def batches_from_frames(
    frames: Iterable[pd.DataFrame], schema: pa.Schema | None = None
) -> Iterator[pa.RecordBatch]:
    """Arrow record batches from pandas batches (index dropped; empty batches skipped).

    Every batch is cast to ``schema`` (default: the first batch's) so the stream has one
    schema even when a later batch's all-null columns infer differently.
    """
    for frame in frames:
        if frame.empty:
            continue
        batch = pa.RecordBatch.from_pandas(frame, preserve_index=False)
        if schema is None:
            schema = batch.schema
        elif batch.schema != schema:
            try:
                batch = batch.cast(schema)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                changed = [f.name for f in batch.schema if f.type != schema.field(f.name).type]
                raise WarehouseError(
                    f"bigframes page changed the type of {', '.join(changed)}: {error}"
                ) from error
        yield batch


def read_batches(
    session: FramesSession,
    sql: str,
    batch_rows: int,
    labels: dict[str, str],
    maximum_bytes_billed: int | None,
) -> Iterator[pa.RecordBatch]:
    """Run ``sql`` through bigframes and stream its rows as Arrow batches of at most
    ``batch_rows`` rows."""
    frame = session.read_gbq_query(
        sql, configuration=job_configuration(labels, maximum_bytes_billed)
    )
    pages = frame.to_pandas_batches(page_size=batch_rows, allow_large_results=True)
    yield from batches_from_frames(pages)
