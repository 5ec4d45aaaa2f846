"""Reading the ML marts: only the columns and rows a job needs, filtered in SQL."""

from __future__ import annotations

import logging
from datetime import date

import pyarrow as pa

from aelp.config import Settings
from aelp.modeling.features import select_feature_columns
from aelp.schemas import SIM_TRUTH
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import (
    SCORING_FEATURES,
    TRAINING_EXAMPLES,
    MissingInputError,
    column_names,
    mart_ref,
    read_all,
)

log = logging.getLogger(__name__)


SPLITS = ("train", "valid", "test")
LABEL_COLUMNS = ("impressions", "unique_inline_link_clicks")
ID_COLUMNS = ("ad_id", "date_day", "account_id")
GROUP_COLUMNS = ("adset_id", "campaign_id")


def read_training_examples(
    settings: Settings, warehouse: Warehouse, since: date | None = None
) -> pa.Table:
    """Delivered training rows with ids (and ad set, campaign), label counts, split, features.

    Rows without impressions or outside the three splits are dropped in SQL; so are
    rows before ``since`` when given.
    """
    ref = mart_ref(settings, warehouse, TRAINING_EXAMPLES)
    names = column_names(warehouse, ref)
    numeric, categorical = select_feature_columns(names)
    groups = [name for name in GROUP_COLUMNS if name in names]
    wanted = [*ID_COLUMNS, *groups, *LABEL_COLUMNS, "split", *numeric, *categorical]
    splits = ", ".join(sql.text(s) for s in SPLITS)
    where = ["impressions > 0", f"split in ({splits})"]
    if since is not None:
        where.append(f"date_day >= {sql.day(since)}")
    query = (
        f"select {sql.columns(wanted)} from {ref} where {' and '.join(where)} "
        "order by date_day, ad_id"
    )
    return read_all(warehouse, query, f"reading {TRAINING_EXAMPLES}")


DEFAULT_TRAINING_MAX_ROWS = 500_000
"""Most delivered rows ``aelp train`` reads (dbt var ``training_max_rows``; 0 = no limit)."""


def training_since(
    settings: Settings, warehouse: Warehouse, max_rows: int | None = None
) -> date | None:
    """The first day of the newest whole days of training examples that fit in ``max_rows``.

    Training reads the most recent history when the mart holds more delivered rows than
    ``max_rows`` (default: the ``training_max_rows`` var): whole days counted back from the
    newest, so the valid and test windows are always complete and memory stays bounded
    whatever the account's history. None when every row fits (or the limit is 0).
    """
    limit = int(
        max_rows
        if max_rows is not None
        else settings.var("training_max_rows", DEFAULT_TRAINING_MAX_ROWS) or 0
    )
    if limit <= 0:
        return None
    ref = mart_ref(settings, warehouse, TRAINING_EXAMPLES)
    splits = ", ".join(sql.text(s) for s in SPLITS)
    counts = warehouse.query(
        f"select date_day, count(*) as n from {ref} "
        f"where impressions > 0 and split in ({splits}) "
        "group by date_day order by date_day desc"
    )
    days = counts.column("date_day").to_pylist()
    rows = counts.column("n").to_pylist()
    if sum(rows) <= limit:
        return None
    since, total = None, 0
    for day, n in zip(days, rows, strict=True):
        if total + int(n) > limit:
            break
        total += int(n)
        since = day
    if since is None:  # one day alone exceeds the limit: keep that day
        since = days[0]
    log.info(
        "training on the %d newest delivered rows (from %s) of %d: var training_max_rows = %d",
        total,
        since,
        sum(rows),
        limit,
    )
    return since


def read_scoring_features(
    settings: Settings,
    warehouse: Warehouse,
    feature_columns: list[str],
    prediction_date: date | None = None,
) -> tuple[date, pa.Table]:
    """The scoring rows of one date (the mart's latest when None) with ids and features."""
    ref = mart_ref(settings, warehouse, SCORING_FEATURES)
    if prediction_date is None:
        latest = warehouse.query(f"select max(date_day) as d from {ref}").column("d")[0].as_py()
        if latest is None:
            raise MissingInputError(f"{settings.marts_schema}.{SCORING_FEATURES} is empty")
        prediction_date = latest
    assert prediction_date is not None
    available = set(column_names(warehouse, ref))
    missing = [c for c in feature_columns if c not in available]
    if missing:
        raise MissingInputError(
            f"{settings.marts_schema}.{SCORING_FEATURES} lacks the model's features {missing}; "
            "retrain or rebuild the mart"
        )
    wanted = [*ID_COLUMNS, *feature_columns]
    query = (
        f"select {sql.columns(wanted)} from {ref} "
        f"where date_day = {sql.day(prediction_date)} order by ad_id"
    )
    return prediction_date, warehouse.query(query)


def read_truth(warehouse: Warehouse, start: date, end: date) -> pa.Table | None:
    """``sim.truth`` true unique link CTRs between two dates, or None outside the sample world."""
    if not warehouse.table_exists(SIM_TRUTH.dataset, SIM_TRUTH.name):
        return None
    query = (
        f"select ad_id, date_day, true_ctr_u from {warehouse.spec_ref(SIM_TRUTH)} "
        f"where date_day between {sql.day(start)} and {sql.day(end)}"
    )
    return warehouse.query(query)
