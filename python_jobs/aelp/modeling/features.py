"""Model inputs: features chosen by column prefix and encoded the same way at train and score.

The marts mark features by name alone: ``f_*`` columns are numeric features and
``fc_*`` columns categorical ones. Nothing else (labels, ids, spend, delivery) is ever
a model input, which keeps the pre-serve-only rule in one place: the mart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NUMERIC_PREFIX = "f_"
CATEGORICAL_PREFIX = "fc_"


@dataclass(frozen=True)
class FeatureSpec:
    """The model's inputs in order, and the category list of each categorical feature."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    categories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """All feature columns, numeric first, in the order the model sees them."""
        return [*self.numeric, *self.categorical]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, saved in the model artifact."""
        return {
            "numeric": list(self.numeric),
            "categorical": list(self.categorical),
            "categories": {name: list(values) for name, values in self.categories.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSpec:
        """Rebuild a spec saved with :meth:`to_dict`."""
        return cls(
            numeric=tuple(data["numeric"]),
            categorical=tuple(data["categorical"]),
            categories={k: tuple(v) for k, v in data["categories"].items()},
        )


def select_feature_columns(column_names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split column names into (numeric ``f_*``, categorical ``fc_*``), keeping their order."""
    names = list(column_names)
    numeric = [name for name in names if name.startswith(NUMERIC_PREFIX)]
    categorical = [name for name in names if name.startswith(CATEGORICAL_PREFIX)]
    return numeric, categorical


def fit_feature_spec(table: pa.Table) -> FeatureSpec:
    """The feature spec of a training table: its prefixed columns and sorted category lists.

    Categories are the distinct non-null values seen in ``table`` (pass the training
    split only); values first seen later are encoded as missing.
    """
    numeric, categorical = select_feature_columns(table.column_names)
    if not numeric and not categorical:
        raise ValueError(
            f"no feature columns: expected names starting with {NUMERIC_PREFIX!r} or "
            f"{CATEGORICAL_PREFIX!r}, got {table.column_names}"
        )
    categories = {}
    for name in categorical:
        values = pc.unique(table.column(name).cast(pa.string())).drop_null()
        categories[name] = tuple(sorted(str(v) for v in values.to_pylist()))
    return FeatureSpec(tuple(numeric), tuple(categorical), categories)


def model_frame(table: pa.Table, spec: FeatureSpec) -> pd.DataFrame:
    """The LightGBM-ready frame of ``table``: float64 numerics, categoricals with fixed categories.

    Missing numeric values become NaN; categorical values outside the saved category list
    become missing, so a frame built at scoring time encodes exactly as at training time.
    """
    missing = [name for name in spec.columns if name not in table.column_names]
    if missing:
        raise ValueError(f"feature columns missing from the input: {missing}")
    data: dict[str, Any] = {}
    for name in spec.numeric:
        column = table.column(name)
        data[name] = _as_float(column)
    for name in spec.categorical:
        values = table.column(name).cast(pa.string()).to_pylist()
        data[name] = pd.Categorical(values, categories=list(spec.categories[name]))
    return pd.DataFrame(data, columns=spec.columns)


def _as_float(column: pa.ChunkedArray) -> np.ndarray:
    """A numeric (or boolean, or decimal) column as float64 with NaN for nulls."""
    as_float = column.cast(pa.float64())
    return np.asarray(as_float.to_numpy(zero_copy_only=False), dtype=np.float64)
