"""Known runtime failures are one line that says how to fix them, exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aelp.cli.main import main


@pytest.fixture
def empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AELP_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("AELP_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "fix"),
    [
        (["train"], "run `dbt build` first"),
        (["score"], "run `aelp train` first"),
        (["slate", "--budget", "100"], "run `aelp score` first"),
        (["evaluate"], "run `aelp train` first"),
        (["concepts", "hit-rate"], "run `aelp concepts forecast` first"),
    ],
)
def test_missing_input_is_one_line_with_the_fix_and_exit_1(
    empty_warehouse: Path, argv: list[str], fix: str
) -> None:
    result = CliRunner().invoke(main, argv, prog_name="aelp")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("aelp: error: "), result.output
    assert fix in lines[0]


def test_unknown_model_run_names_the_run(empty_warehouse: Path) -> None:
    CliRunner().invoke(main, ["score"], prog_name="aelp")
    result = CliRunner().invoke(main, ["score", "--model-run-id", "ctr-nope"], prog_name="aelp")
    assert result.exit_code == 1
    assert result.output.startswith("aelp: error: ")


def test_unknown_target_is_one_line(empty_warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["--target", "nowhere", "summary"], prog_name="aelp")
    assert result.exit_code == 1
    assert result.output.strip().startswith("aelp: error: target 'nowhere' is not in the profile")


def test_a_locked_duckdb_file_is_one_line(empty_warehouse: Path) -> None:
    import duckdb

    holder = duckdb.connect(str(empty_warehouse / "warehouse.duckdb"))
    try:
        import subprocess
        import sys

        done = subprocess.run(
            [sys.executable, "-m", "aelp", "summary"],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        holder.close()
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().startswith("aelp: error: cannot open the DuckDB file")
