"""Features are chosen by name prefix alone and encoded identically at train and score time."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest

from aelp.modeling.features import (
    FeatureSpec,
    fit_feature_spec,
    model_frame,
    select_feature_columns,
)

MART_COLUMNS = [
    "ad_id",
    "date_day",
    "account_id",
    "impressions",
    "unique_inline_link_clicks",
    "ctr_u",
    "spend",
    "split",
    "f_prior_ctr_u_7d",
    "fc_format",
    "feature_x",
    "fcx",
    "F_upper",
    "f_age_days",
]


def test_only_f_and_fc_prefixed_columns_are_features() -> None:
    numeric, categorical = select_feature_columns(MART_COLUMNS)
    assert numeric == ["f_prior_ctr_u_7d", "f_age_days"]
    assert categorical == ["fc_format"]


def test_fit_feature_spec_refuses_a_table_without_features() -> None:
    table = pa.table({"ad_id": ["a"], "spend": [1.0], "unique_inline_link_clicks": [3]})
    with pytest.raises(ValueError, match="no feature columns"):
        fit_feature_spec(table)


def test_categories_are_sorted_and_unseen_values_encode_as_missing() -> None:
    train = pa.table({"f_x": [1.0, 2.0, 3.0], "fc_format": ["video", "image", None]})
    spec = fit_feature_spec(train)
    assert spec.categories == {"fc_format": ("image", "video")}

    later = pa.table({"fc_format": ["story", "video", "image"], "f_x": [None, 5.0, 6.0]})
    frame = model_frame(later, spec)
    assert list(frame.columns) == ["f_x", "fc_format"]
    assert list(frame["fc_format"].cat.categories) == ["image", "video"]
    assert frame["fc_format"].cat.codes.tolist() == [-1, 1, 0]
    assert np.isnan(frame["f_x"].iloc[0])


def test_feature_spec_survives_a_json_round_trip() -> None:
    spec = FeatureSpec(("f_a", "f_b"), ("fc_c",), {"fc_c": ("x", "y")})
    assert FeatureSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_decimal_and_boolean_features_become_float64() -> None:
    table = pa.table(
        {
            "f_money": pa.array([Decimal("1.25"), None], pa.decimal128(18, 4)),
            "f_is_video": pa.array([True, False]),
        }
    )
    frame = model_frame(table, fit_feature_spec(table))
    assert frame.dtypes.tolist() == [np.float64, np.float64]
    assert frame["f_money"].iloc[0] == 1.25
    assert np.isnan(frame["f_money"].iloc[1])
    assert frame["f_is_video"].tolist() == [1.0, 0.0]


def test_model_frame_names_missing_feature_columns() -> None:
    spec = FeatureSpec(("f_a",), (), {})
    with pytest.raises(ValueError, match="f_a"):
        model_frame(pa.table({"f_b": [1.0]}), spec)
