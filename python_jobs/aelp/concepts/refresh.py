"""Rebuild the dbt models a forecast reads after new files were extracted."""

from __future__ import annotations

from aelp.config import ConfigError, Settings

CONTENT_SELECTION = "+ml_concept_content_features"


def refresh_content_features(settings: Settings) -> None:
    """``dbt build --select +ml_concept_content_features`` on the settings' target.

    The CLIP/YOLO pivot upstream is a table, so freshly extracted files reach the mart only
    through a build; the selection is the creative staging branch only (seconds).
    """
    from dbt.cli.main import dbtRunner

    args = [
        "run",
        "--project-dir", str(settings.project_dir),
        "--profiles-dir", str(settings.profiles_dir),
        "--target", settings.target.name,
        "--select", CONTENT_SELECTION,
        "--quiet",
    ]  # fmt: skip
    result = dbtRunner().invoke(args)
    if not result.success:
        raise ConfigError(f"dbt run {CONTENT_SELECTION} failed: {result.exception or 'see logs'}")
