"""The access token appears in no log line, no table and no error message."""

from __future__ import annotations

import logging
import traceback

import pytest
from meta_stand_in import TOKEN, Loader

from aelp import schemas
from aelp.meta import MetaAuthError, MetaError
from aelp.meta.checkpoints import CHECKPOINTS
from aelp.meta.redact import redact
from aelp.world.graph_api import GraphApiServer


def _error_text(error: BaseException) -> str:
    return "".join([str(error), repr(error), *traceback.format_exception(error)])


def test_token_is_in_no_log_line_and_no_table(
    loader: Loader, server: GraphApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.configure(rate_limited_calls=2, server_error_calls=2, failing_async_jobs=1)
    with caplog.at_level(logging.DEBUG):
        loader.fetch()
    assert any("access_token=[REDACTED]" in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS, CHECKPOINTS):
        table = loader.warehouse.query(f"select * from {loader.warehouse.spec_ref(spec)}")
        assert table.num_rows > 0
        assert TOKEN not in str(table.to_pylist()), spec.qualified


def test_token_is_in_no_error_message(
    loader: Loader, server: GraphApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.configure(token_expires_after_calls=12)
    with caplog.at_level(logging.DEBUG), pytest.raises(MetaAuthError) as raised:
        loader.fetch()
    assert "code 190" in str(raised.value)
    assert TOKEN not in _error_text(raised.value)
    assert TOKEN not in caplog.text


def test_token_is_redacted_from_transport_errors(
    loader: Loader, server: GraphApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.stop()  # nothing listens any more: every call is a connection error with its URL
    with caplog.at_level(logging.DEBUG), pytest.raises(MetaError) as raised:
        loader.fetch()
    text = _error_text(raised.value)
    assert "access_token=[REDACTED]" in text
    assert TOKEN not in text
    assert TOKEN not in caplog.text


def test_config_repr_hides_the_token(loader: Loader) -> None:
    assert TOKEN not in repr(loader.config)


def test_redact_covers_query_strings_json_and_literal_secrets() -> None:
    text = (
        f"GET /v26.0/act_1/insights?access_token={TOKEN}&limit=5 "
        f"{{'access_token': '{TOKEN}'}} appsecret_proof=abc123 and {TOKEN}"
    )
    cleaned = redact(text, [TOKEN])
    assert TOKEN not in cleaned
    assert "abc123" not in cleaned
    assert cleaned.count("[REDACTED]") == 4
