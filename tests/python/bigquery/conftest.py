"""A BigQuery client on the local emulator, skipped when `make pytest` has not started one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bq_emulator import PROJECT, emulator_url


@pytest.fixture(scope="module")
def bq_client() -> Iterator[Any]:
    """A BigQuery client on the emulator (anonymous credentials)."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    client = bigquery.Client(
        project=PROJECT,
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options=ClientOptions(api_endpoint=emulator_url()),
    )
    yield client
    client.close()
