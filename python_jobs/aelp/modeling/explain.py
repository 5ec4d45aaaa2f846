"""Which elements move ctr_u: LightGBM per-feature contributions aggregated by element value.

``pred_contrib`` splits each prediction's log-odds into one term per feature plus a bias
(SHAP values of the tree model). A feature's effect on a row's ctr_u is how much the
prediction moves when that term is removed: ``σ(raw) − σ(raw − contribution)``. Rows are
grouped by the feature's value — present/absent for 0/1 flags, high/low around the
median for other numbers, the category for categoricals — and the effects averaged.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from aelp.modeling.artifact import ModelArtifact

HISTORY_MARKERS = ("_prior", "ad_age", "days_since")
SETUP_MARKERS = ("targeting", "optimization_goal", "campaign_objective", "call_to_action")
CALENDAR_MARKERS = ("weekday",)


def element_group(feature: str) -> str:
    """``history``, ``calendar``, ``setup`` (targeting, objective, CTA) or ``creative``."""
    if any(marker in feature for marker in HISTORY_MARKERS):
        return "history"
    if any(marker in feature for marker in CALENDAR_MARKERS):
        return "calendar"
    if any(marker in feature for marker in SETUP_MARKERS):
        return "setup"
    return "creative"


def contributions(artifact: ModelArtifact, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Per-row, per-feature log-odds contributions; the last column is the bias."""
    return np.asarray(artifact.booster.predict(frame, pred_contrib=True), dtype=np.float64).reshape(
        len(frame), len(artifact.features.columns) + 1
    )


def element_levels(values: pd.Series) -> pd.Series:
    """The level of each row's value: present/absent, high/low, the category, or missing."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(object).where(values.notna(), "missing").astype(str)
    numbers = pd.to_numeric(values, errors="coerce")
    known = numbers.dropna()
    if known.empty:
        return pd.Series("missing", index=values.index)
    if set(np.unique(known)) <= {0.0, 1.0}:
        level = np.where(numbers == 1.0, "present", "absent")
    else:
        median = float(known.median())
        level = np.where(numbers > median, "high", "low")
    return pd.Series(np.where(numbers.isna(), "missing", level), index=values.index)


def element_effects(
    artifact: ModelArtifact, frame: pd.DataFrame, ad_id: npt.ArrayLike
) -> pd.DataFrame:
    """One row per feature and level: mean effect on ctr_u, mean log-odds term, support.

    Columns: element, element_value, element_group, average_effect_ctr_u,
    average_contribution_logit, support_rows, support_ads; sorted by element, level.
    """
    contrib = contributions(artifact, frame)
    raw = contrib.sum(axis=1)
    p = special.expit(raw)
    ads = np.asarray(ad_id, dtype=object)
    parts = []
    for j, name in enumerate(artifact.features.columns):
        effect = p - special.expit(raw - contrib[:, j])
        rows = pd.DataFrame(
            {
                "element_value": element_levels(frame[name]).to_numpy(),
                "effect": effect,
                "logit": contrib[:, j],
                "ad_id": ads,
            }
        )
        grouped = rows.groupby("element_value", sort=True).agg(
            average_effect_ctr_u=("effect", "mean"),
            average_contribution_logit=("logit", "mean"),
            support_rows=("effect", "size"),
            support_ads=("ad_id", "nunique"),
        )
        parts.append(grouped.reset_index().assign(element=name, element_group=element_group(name)))
    columns = [
        "element",
        "element_value",
        "element_group",
        "average_effect_ctr_u",
        "average_contribution_logit",
        "support_rows",
        "support_ads",
    ]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]
