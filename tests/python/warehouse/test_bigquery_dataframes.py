"""Large reads through BigQuery DataFrames (bigframes), tested at the session boundary.

bigframes does not run against the local BigQuery, so a session stand-in takes its place:
it receives exactly what bigframes would (the SQL and the REST job configuration), runs
the query on the local BigQuery through the official client with that configuration
parsed by ``QueryJobConfig.from_api_repr``, and hands pages back as pandas batches with
Arrow-backed dtypes and a bigframes-style index.
"""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from aelp.warehouse.base import WarehouseError
from aelp.warehouse.bigquery import BigQueryWarehouse
from aelp.warehouse.dataframes import (
    READS_ENV,
    batches_from_frames,
    job_configuration,
    open_session,
    reader_from_env,
)

EMULATOR_ENV = "AELP_BQ_EMULATOR"


class ClientBackedFrame:
    """A query's result shaped like ``bigframes.dataframe.DataFrame`` for reading."""

    def __init__(self, job: Any, calls: list[dict[str, Any]]) -> None:
        self.job = job
        self.calls = calls

    def to_pandas_batches(
        self,
        page_size: int | None = None,
        max_results: int | None = None,
        *,
        allow_large_results: bool | None = None,
    ) -> Iterator[pd.DataFrame]:
        self.calls.append({"page_size": page_size, "allow_large_results": allow_large_results})
        start = 0
        for arrow_page in self.job.result(page_size=page_size).to_arrow_iterable():
            # bigframes hands back Arrow-backed dtypes: an all-null page keeps its type
            page = arrow_page.to_pandas(types_mapper=pd.ArrowDtype)
            page.index = pd.RangeIndex(start, start + len(page))
            start += len(page)
            yield page


class ClientBackedSession:
    """Stands in for ``bigframes.session.Session``: same two calls, run by the client."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.queries: list[tuple[str, dict[str, Any]]] = []
        self.reads: list[dict[str, Any]] = []
        self.job_configs: list[Any] = []

    def read_gbq_query(
        self, query: str, *, configuration: dict[str, Any] | None = None
    ) -> ClientBackedFrame:
        from google.cloud import bigquery

        self.queries.append((query, configuration or {}))
        config = bigquery.QueryJobConfig.from_api_repr(configuration or {})
        self.job_configs.append(config)
        return ClientBackedFrame(self.client.query(query, job_config=config), self.reads)


@pytest.fixture
def emulator_client() -> Any:
    if EMULATOR_ENV not in os.environ:
        pytest.skip("the local BigQuery is started by `make pytest`")
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    return bigquery.Client(
        project="test-project",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=os.environ[EMULATOR_ENV]),
    )


def test_large_reads_go_through_the_session_with_labels_and_the_bytes_guard(
    emulator_client: Any,
) -> None:
    session = ClientBackedSession(emulator_client)
    warehouse = BigQueryWarehouse(
        emulator_client,
        project="test-project",
        maximum_bytes_billed=5_000_000_000,
        labels={"target": "emulator"},
        use_storage_api=False,
        frames=session,
    )
    dataset = f"frames_{uuid.uuid4().hex[:8]}"
    warehouse.ensure_dataset(dataset)
    warehouse.execute(
        f"create table `test-project.{dataset}.t` as "
        "select x, if(x > 3, 'late', cast(null as string)) as tag "
        "from unnest(generate_array(1, 5)) as x"
    )
    sql = f"select x, tag from `test-project.{dataset}.t` order by x"
    batches = list(warehouse.iter_batches(sql, batch_rows=2))

    query, configuration = session.queries[0]
    assert query == sql
    assert configuration["labels"] == {"app": "aelp", "target": "emulator", "job": "read"}
    config = session.job_configs[0]
    assert config.labels == {"app": "aelp", "target": "emulator", "job": "read"}
    assert config.maximum_bytes_billed == 5_000_000_000
    assert config.use_legacy_sql is False
    assert session.reads == [{"page_size": 2, "allow_large_results": True}]

    table = pa.Table.from_batches(batches)
    assert table.column_names == ["x", "tag"]
    assert sorted(table.column("x").to_pylist()) == [1, 2, 3, 4, 5]
    assert len({b.schema for b in batches}) == 1
    assert all(b.num_rows <= 2 for b in batches)


def test_reads_with_query_parameters_stay_on_the_client(emulator_client: Any) -> None:
    session = ClientBackedSession(emulator_client)
    warehouse = BigQueryWarehouse(
        emulator_client, project="test-project", use_storage_api=False, frames=session
    )
    rows = pa.Table.from_batches(
        list(warehouse.iter_batches("select @n + 1 as m", params={"n": 41}))
    )
    assert rows.column("m").to_pylist() == [42]
    assert session.queries == []


def test_batches_keep_one_schema_and_drop_the_index() -> None:
    frames: Iterable[pd.DataFrame] = [
        pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}, index=[10, 11]),
        pd.DataFrame({"a": [], "b": []}),
        pd.DataFrame({"a": [3], "b": [None]}, index=[12]),
    ]
    batches = list(batches_from_frames(frames))
    assert [b.num_rows for b in batches] == [2, 1]
    assert batches[1].schema == batches[0].schema
    assert "__index_level_0__" not in batches[0].schema.names
    assert pa.Table.from_batches(batches).column("b").to_pylist() == ["x", "y", None]


def test_job_configuration_is_rest_shaped() -> None:
    assert job_configuration({"app": "aelp"}, None) == {
        "labels": {"app": "aelp"},
        "query": {"useLegacySql": False},
    }
    assert job_configuration({}, 10**9)["query"]["maximumBytesBilled"] == "1000000000"


def test_the_reader_switch_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(READS_ENV, raising=False)
    assert reader_from_env() == "client"
    monkeypatch.setenv(READS_ENV, "BigFrames")
    assert reader_from_env() == "bigframes"
    monkeypatch.setenv(READS_ENV, "spark")
    with pytest.raises(WarehouseError, match=READS_ENV):
        reader_from_env()


def test_asking_for_bigframes_without_it_says_how_to_install() -> None:
    try:
        import bigframes  # noqa: F401
    except ImportError:
        with pytest.raises(WarehouseError, match=r"aelp\[dataframes\]"):
            open_session("p", "US", None)
    else:
        pytest.skip("bigframes is installed here")


def test_the_stand_in_matches_the_installed_bigframes_api() -> None:
    bigframes = pytest.importorskip("bigframes")
    read = inspect.signature(bigframes.session.Session.read_gbq_query).parameters
    assert "configuration" in read
    batches = inspect.signature(bigframes.dataframe.DataFrame.to_pandas_batches).parameters
    assert {"page_size", "allow_large_results"} <= set(batches)
