"""Rebuild the dbt models a forecast reads after new files were extracted."""

from __future__ import annotations

from aelp.config import Settings
from aelp.transform.runner import run_dbt

CONTENT_SELECTION = "+ml_concept_content_features"


def refresh_content_features(settings: Settings) -> None:
    """``dbt run --select +ml_concept_content_features`` on the settings' target.

    The CLIP/YOLO pivot upstream is a table, so freshly extracted files reach the mart only
    through a build; the selection is the creative staging branch only (seconds).
    """
    run_dbt(settings, "run", ["--select", CONTENT_SELECTION])
