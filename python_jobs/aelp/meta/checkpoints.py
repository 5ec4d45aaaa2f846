"""Which (account, date chunk) pieces are done, so a killed run resumes where it stopped."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import pyarrow as pa

from aelp.schemas import TableSpec
from aelp.warehouse import Warehouse

CHECKPOINTS = TableSpec(
    "raw_meta",
    "_fetch_checkpoints",
    pa.schema(
        [
            pa.field("account_id", pa.string(), nullable=False),
            pa.field("chunk_start", pa.date32(), nullable=False),
            pa.field("chunk_end", pa.date32(), nullable=False),
            pa.field("run_key", pa.string(), nullable=False),
            pa.field("as_of", pa.date32(), nullable=False),
            pa.field("rows", pa.int64(), nullable=False),
            pa.field("run_finished", pa.bool_(), nullable=False),
            pa.field("completed_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    ),
    key=("account_id", "chunk_start", "chunk_end"),
    description=(
        "Loader bookkeeping: each insights date chunk written per account, by which run "
        "(run_key: account, range and windows) and as of which account-local day."
    ),
)


@dataclass(frozen=True)
class Chunk:
    """An inclusive account-local date range read and written as one unit."""

    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Checkpoint:
    """One written chunk."""

    chunk: Chunk
    run_key: str
    as_of: datetime.date
    rows: int
    run_finished: bool


def chunk_days(chunk: Chunk) -> list[datetime.date]:
    """Every day of a chunk, first to last."""
    n = (chunk.end - chunk.start).days + 1
    return [chunk.start + datetime.timedelta(days=i) for i in range(n)]


def plan_chunks(since: datetime.date, until: datetime.date, chunk_days: int) -> list[Chunk]:
    """Chunks on a fixed grid of ``chunk_days`` (counted from 1970-01-01), clipped to the range.

    A fixed grid makes chunks of overlapping runs line up, so their checkpoints match.
    """
    if until < since:
        return []
    epoch = datetime.date(1970, 1, 1)
    chunks: list[Chunk] = []
    start = since
    while start <= until:
        offset = (start - epoch).days % chunk_days
        end = min(until, start + datetime.timedelta(days=chunk_days - 1 - offset))
        chunks.append(Chunk(start, end))
        start = end + datetime.timedelta(days=1)
    return chunks


def run_key(account_id: str, since: datetime.date, until: datetime.date, windows: str) -> str:
    """Identifies a run's request so that the same request, interrupted, can resume."""
    text = f"{account_id}|{since}|{until}|{windows}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_settled(checkpoint: Checkpoint, lookback_days: int) -> bool:
    """Whether Meta can no longer revise the chunk: it ended a full lookback before as_of."""
    return (checkpoint.as_of - checkpoint.chunk.end).days >= lookback_days


def can_skip(chunk: Chunk, done: list[Checkpoint], key: str, lookback_days: int) -> bool:
    """A chunk is skipped when a checkpoint covers it and is settled, or belongs to the
    same request whose run did not finish (a resume)."""
    for cp in done:
        covers = cp.chunk.start <= chunk.start and chunk.end <= cp.chunk.end
        if covers and (
            is_settled(cp, lookback_days) or (cp.run_key == key and not cp.run_finished)
        ):
            return True
    return False


def read_checkpoints(warehouse: Warehouse, account_id: str) -> list[Checkpoint]:
    """Every checkpoint of an account (an empty list before the first run)."""
    if not warehouse.table_exists(CHECKPOINTS.dataset, CHECKPOINTS.name):
        return []
    table = warehouse.query(f"select * from {warehouse.spec_ref(CHECKPOINTS)}")
    return [
        Checkpoint(
            chunk=Chunk(row["chunk_start"], row["chunk_end"]),
            run_key=row["run_key"],
            as_of=row["as_of"],
            rows=row["rows"],
            run_finished=row["run_finished"],
        )
        for row in table.to_pylist()
        if row["account_id"] == account_id
    ]


def write_checkpoints(
    warehouse: Warehouse,
    account_id: str,
    checkpoints: list[Checkpoint],
    completed_at: datetime.datetime,
) -> None:
    """Record chunks as written (or, with ``run_finished``, their run as finished)."""
    rows = [
        {
            "account_id": account_id,
            "chunk_start": cp.chunk.start,
            "chunk_end": cp.chunk.end,
            "run_key": cp.run_key,
            "as_of": cp.as_of,
            "rows": cp.rows,
            "run_finished": cp.run_finished,
            "completed_at": completed_at,
        }
        for cp in checkpoints
    ]
    warehouse.upsert(CHECKPOINTS, pa.Table.from_pylist(rows, schema=CHECKPOINTS.schema))
