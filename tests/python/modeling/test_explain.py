"""Element levels used to group LightGBM contributions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aelp.modeling.explain import element_group, element_levels


def test_zero_one_features_are_present_or_absent_and_nan_is_missing() -> None:
    levels = element_levels(pd.Series([1.0, 0.0, np.nan, 1.0]))
    assert levels.tolist() == ["present", "absent", "missing", "present"]


def test_other_numbers_split_at_the_median() -> None:
    levels = element_levels(pd.Series([0.1, 0.5, 0.9, 2.0]))
    assert levels.tolist() == ["low", "low", "high", "high"]


def test_categories_keep_their_value() -> None:
    values = pd.Series(pd.Categorical(["video", None, "image"], categories=["image", "video"]))
    assert element_levels(values).tolist() == ["video", "missing", "image"]


def test_history_and_setup_features_are_not_creative_elements() -> None:
    assert element_group("f_ad_ctr_u_prior_7d") == "history"
    assert element_group("f_weekday") == "calendar"
    assert element_group("fc_call_to_action_type") == "setup"
    assert element_group("f_colourfulness") == "creative"
    assert element_group("f_has_person") == "creative"
