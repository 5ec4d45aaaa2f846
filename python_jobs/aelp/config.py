"""Configuration in one place: the dbt profile decides the engine, dbt vars the settings.

The Python jobs read the very same ``profiles.yml`` target that dbt uses, and the
``vars:`` block of ``dbt_project.yml``, so dbt and Python can never disagree about
where the data lives or which conversion action counts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from aelp.errors import AelpError

PROJECT_FILE = "dbt_project.yml"
PROFILES_FILE = "profiles.yml"
PROFILES_EXAMPLE_FILE = "profiles.example.yml"


class ConfigError(AelpError, RuntimeError):
    """The profile or project configuration is missing or invalid."""


@dataclass(frozen=True)
class Target:
    """One resolved dbt output: the engine and its connection settings."""

    name: str
    type: str
    settings: dict[str, Any]
    schema: str

    @property
    def is_duckdb(self) -> bool:
        """Whether this target is the embedded DuckDB engine."""
        return self.type == "duckdb"

    @property
    def is_bigquery(self) -> bool:
        """Whether this target is BigQuery."""
        return self.type == "bigquery"


@dataclass(frozen=True)
class Settings:
    """Everything a job needs: project root, target, and the dbt vars."""

    project_dir: Path
    profiles_dir: Path
    target: Target
    vars: dict[str, Any] = field(default_factory=dict)

    def var(self, name: str, default: Any = None) -> Any:
        """A dbt var from ``dbt_project.yml`` (the shared configuration)."""
        return self.vars.get(name, default)

    @property
    def marts_schema(self) -> str:
        """Schema (dataset) holding the dbt marts that Python jobs read."""
        return self.target.schema

    @property
    def artifacts_dir(self) -> Path:
        """Where model artifacts are written (``AELP_ARTIFACTS_DIR`` overrides)."""
        override = os.environ.get("AELP_ARTIFACTS_DIR")
        return Path(override) if override else self.project_dir / "artifacts"


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigError(f"environment variable {name} is required by the dbt profile")
    return value


def _render(value: Any, env: jinja2.Environment) -> Any:
    """Render dbt-style ``{{ env_var(...) }}`` templates inside a YAML value."""
    if isinstance(value, str) and "{{" in value:
        rendered = env.from_string(value).render()
        return yaml.safe_load(rendered) if rendered.strip() else rendered
    if isinstance(value, dict):
        return {k: _render(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, env) for v in value]
    return value


def find_project_dir(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (or ``AELP_PROJECT_DIR``) with dbt_project.yml."""
    override = os.environ.get("AELP_PROJECT_DIR")
    if override:
        return Path(override).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).exists():
            return folder
    raise ConfigError(f"no {PROJECT_FILE} found at or above {here}")


def find_profiles_dir(project_dir: Path) -> Path:
    """``DBT_PROFILES_DIR``, else the project folder, else ``~/.dbt`` (dbt's own order)."""
    candidates = []
    if os.environ.get("DBT_PROFILES_DIR"):
        candidates.append(Path(os.environ["DBT_PROFILES_DIR"]))
    candidates += [project_dir, Path.home() / ".dbt"]
    for folder in candidates:
        if (folder / PROFILES_FILE).exists():
            return folder
    raise ConfigError(
        f"no {PROFILES_FILE} in {', '.join(str(c) for c in candidates)}; "
        f"copy {PROFILES_EXAMPLE_FILE} to {project_dir / PROFILES_FILE}"
    )


def read_project(project_dir: Path) -> dict[str, Any]:
    """The parsed ``dbt_project.yml``."""
    with (project_dir / PROJECT_FILE).open() as handle:
        project: dict[str, Any] = yaml.safe_load(handle)
    return project


def resolve_target(profile: dict[str, Any], target_name: str | None) -> Target:
    """Pick and render one output of a dbt profile."""
    env = jinja2.Environment(autoescape=False)
    env.globals["env_var"] = _env_var
    name = target_name or os.environ.get("DBT_TARGET") or _render(profile.get("target"), env)
    outputs = profile.get("outputs", {})
    if name not in outputs:
        raise ConfigError(f"target {name!r} is not in the profile (have: {sorted(outputs)})")
    settings = _render(outputs[name], env)
    schema = settings.get("schema") or settings.get("dataset")
    if not schema:
        raise ConfigError(f"target {name!r} names no schema/dataset")
    return Target(name=str(name), type=str(settings["type"]), settings=settings, schema=schema)


def load_settings(target: str | None = None, project_dir: Path | None = None) -> Settings:
    """Read the project, its profile and the chosen target."""
    root = project_dir or find_project_dir()
    project = read_project(root)
    profiles_dir = find_profiles_dir(root)
    with (profiles_dir / PROFILES_FILE).open() as handle:
        profiles = yaml.safe_load(handle) or {}
    profile_name = project.get("profile", "aelp")
    if profile_name not in profiles:
        raise ConfigError(f"profile {profile_name!r} not in {profiles_dir / PROFILES_FILE}")
    resolved = resolve_target(profiles[profile_name], target)
    return Settings(
        project_dir=root,
        profiles_dir=profiles_dir,
        target=resolved,
        vars=dict(project.get("vars") or {}),
    )
