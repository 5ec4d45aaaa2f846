"""Run dbt in-process on the settings' project, profile and target.

Every Python job that needs dbt (a forecast refreshing the content features, the cost plan
compiling the daily run, the benchmarks) goes through :func:`run_dbt`, so the project,
profile and target always match what the job itself reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aelp.config import Settings
from aelp.errors import AelpError


class DbtRunError(AelpError, RuntimeError):
    """A dbt command failed; the message names the command and where its log is."""


def dbt_args(settings: Settings, command: str, args: Sequence[str] = ()) -> list[str]:
    """The argument list of ``dbt <command>`` on the settings' project, profile and target."""
    return [
        command,
        "--project-dir", str(settings.project_dir),
        "--profiles-dir", str(settings.profiles_dir),
        "--target", settings.target.name,
        *args,
    ]  # fmt: skip


def run_dbt(settings: Settings, command: str, args: Sequence[str] = (), quiet: bool = True) -> Any:
    """Run ``dbt <command> ARGS`` and return dbt's result object; raise when it fails."""
    from dbt.cli.main import dbtRunner

    full = dbt_args(settings, command, [*args, *(["--quiet"] if quiet else [])])
    result = dbtRunner().invoke(full)
    if not result.success:
        cause = result.exception or f"see {settings.project_dir / 'logs' / 'dbt.log'}"
        raise DbtRunError(f"dbt {command} {' '.join(args)} failed: {cause}")
    return result.result
