"""Reading dbt marts from Python: their names, references that fail clearly, whole reads.

dbt owns every mart; a Python job only reads them. These helpers are shared by the jobs
that do (training, scoring, slates, concept forecasts, the scale benchmark), so that a
mart that dbt has not built yet is always the same one-line error with the fix.
"""

from __future__ import annotations

import logging

import pyarrow as pa
from tqdm import tqdm

from aelp.config import Settings
from aelp.errors import AelpError
from aelp.warehouse.base import Warehouse

log = logging.getLogger(__name__)

AD_DAILY_LINK_CTR = "fct_ad_daily_link_ctr"
DIM_ADS = "dim_ads"
DIM_CREATIVES = "dim_creatives"
TRAINING_EXAMPLES = "ml_ctr_training_examples"
SCORING_FEATURES = "ml_ctr_scoring_features"


class MissingInputError(AelpError, RuntimeError):
    """A mart or table a job reads does not exist or holds no usable rows."""


def mart_ref(settings: Settings, warehouse: Warehouse, name: str) -> str:
    """The identifier of a dbt mart, failing clearly when dbt has not built it."""
    if not warehouse.table_exists(settings.marts_schema, name):
        raise MissingInputError(
            f"{settings.marts_schema}.{name} does not exist: run `dbt build` first"
        )
    return warehouse.table_ref(settings.marts_schema, name)


def column_names(warehouse: Warehouse, ref: str) -> list[str]:
    """A table's column names, read from an empty result (no rows scanned)."""
    return list(warehouse.query(f"select * from {ref} limit 0").column_names)


def read_all(warehouse: Warehouse, query: str, label: str) -> pa.Table:
    """Stream a query into one table with a progress bar (shown on a terminal only).

    Raises :class:`MissingInputError` when the query returns no rows.
    """
    batches = []
    with tqdm(desc=label, unit=" rows", disable=None, leave=False) as bar:
        for batch in warehouse.iter_batches(query):
            batches.append(batch)
            bar.update(batch.num_rows)
    if not batches:
        raise MissingInputError(f"{label}: the query returned no rows")
    table = pa.Table.from_batches(batches)
    log.info("%s: %d rows, %d columns", label, table.num_rows, table.num_columns)
    return table
