"""Model artifacts on disk: the LightGBM model text beside a JSON file that explains it."""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import lightgbm as lgb

import aelp
from aelp.config import Settings
from aelp.modeling.features import FeatureSpec
from aelp.warehouse.marts import MissingInputError

log = logging.getLogger(__name__)

MODEL_FILE = "model.txt"
CLASSIFIER_FILE = "classifier.txt"
METADATA_FILE = "metadata.json"
RUN_ID_PREFIX = "ctr"
TRACKED_PACKAGES = ("aelp", "lightgbm", "numpy", "pandas", "pyarrow", "scipy", "duckdb")


@dataclass(frozen=True)
class ModelArtifact:
    """A trained model and what it needs to score: features, categories, best iteration."""

    model_run_id: str
    booster: lgb.Booster
    features: FeatureSpec
    best_iteration: int
    metadata: dict[str, Any]
    classifier: lgb.Booster | None = None

    @property
    def interval_kappa(self) -> float | None:
        """The Beta pseudo-count of the prediction intervals, when the run fitted one."""
        interval = self.metadata.get("interval") or {}
        return float(interval["kappa"]) if "kappa" in interval else None

    @property
    def interval_level(self) -> float | None:
        """The intervals' nominal coverage (e.g. 0.8), when the run fitted them."""
        interval = self.metadata.get("interval") or {}
        return float(interval["level"]) if "level" in interval else None


def models_dir(settings: Settings) -> Path:
    """The folder holding one sub-folder per model run."""
    return settings.artifacts_dir / "models"


def make_model_run_id(trained_at: datetime, identity: dict[str, Any]) -> str:
    """``ctr-<yyyymmddThhmmss>-<8 hex>``: readable time plus a hash of window, features, seed."""
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()
    stamp = trained_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{RUN_ID_PREFIX}-{stamp}-{digest[:8]}"


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape a model."""
    versions = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_version(project_dir: Path) -> str:
    """``git describe`` of the project when it is a git checkout, else the package version."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return f"aelp-{aelp.__version__}"
    return described.stdout.strip() or f"aelp-{aelp.__version__}"


def save_artifact(
    folder: Path,
    booster: lgb.Booster,
    best_iteration: int,
    meta: dict[str, Any],
    classifier: lgb.Booster | None = None,
) -> Path:
    """Write the model text (and the classifier's), and the metadata into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(folder / MODEL_FILE), num_iteration=best_iteration)
    if classifier is not None:
        classifier.save_model(
            str(folder / CLASSIFIER_FILE),
            num_iteration=int(meta.get("classifier_best_iteration") or -1),
        )
    (folder / METADATA_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True, default=str))
    log.info("saved model artifact to %s", folder)
    return folder


class MissingArtifactError(MissingInputError, FileNotFoundError):
    """A model run whose files are not in the artifacts folder (nor at its recorded URI)."""


def load_artifact(
    settings: Settings, model_run_id: str, artifact_uri: str | None = None
) -> ModelArtifact:
    """Load a run's model from the artifacts folder (or from ``artifact_uri`` as a fallback)."""
    candidates = [models_dir(settings) / model_run_id]
    if artifact_uri:
        candidates.append(Path(artifact_uri.removeprefix("file://")))
    for folder in candidates:
        if (folder / MODEL_FILE).exists() and (folder / METADATA_FILE).exists():
            meta = json.loads((folder / METADATA_FILE).read_text())
            booster = lgb.Booster(model_file=str(folder / MODEL_FILE))
            classifier = (
                lgb.Booster(model_file=str(folder / CLASSIFIER_FILE))
                if (folder / CLASSIFIER_FILE).exists()
                else None
            )
            return ModelArtifact(
                model_run_id=model_run_id,
                booster=booster,
                features=FeatureSpec.from_dict(meta["features"]),
                best_iteration=int(meta["best_iteration"]),
                metadata=meta,
                classifier=classifier,
            )
    tried = ", ".join(str(c) for c in candidates)
    raise MissingArtifactError(
        f"no model artifact for {model_run_id} (looked in {tried}): pass a --model-run-id "
        "of ml.model_runs whose artifact is here, or run `aelp train`"
    )
