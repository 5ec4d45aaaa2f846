"""Every command refuses bad option values at the boundary: one line, exit code 2, no work.

The table below holds bad values for every leaf command of ``aelp``; a test checks that the
table covers the whole command tree, so a new command cannot go without one.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aelp.cli.main import main

BAD: dict[str, list[list[str]]] = {
    "world generate": [
        ["--out", "{tmp}/w", "--ads", "0"],
        ["--out", "{tmp}/w", "--days", "-1"],
        ["--out", "{tmp}/w", "--start", "2026-02-30"],
        ["--out", "{tmp}/w", "--seed", "-3"],
        ["--out", "{tmp}/w", "--holdout-concepts", "2", "--holdout-days", "90"],
    ],
    "world load": [["--world", "{tmp}/missing"]],
    "world serve": [
        ["--world", "{tmp}/missing"],
        ["--world", "{tmp}", "--port", "70000"],
        ["--world", "{tmp}", "--delay", "nan"],
        ["--world", "{tmp}", "--throttle-pct", "101"],
    ],
    "world fetch": [["--world", "{tmp}/missing"]],
    "meta fetch": [
        ["--since", "2026-13-01"],
        ["--since", "2026-03-02", "--until", "2026-03-01"],
        ["--accounts", "act_x1"],
        ["--lookback-days", "0"],
    ],
    "creative extract": [
        ["--assets", "{tmp}/missing"],
        ["--assets", "{tmp}", "--extractors", "clip,bogus"],
        ["--assets", "{tmp}", "--batch-size", "0"],
        ["--assets", "{tmp}", "--shard", "3/two"],
        ["--assets", "{tmp}", "--yolo-conf", "1.5"],
        ["--assets", "{tmp}", "--device", "tpu"],
    ],
    "train": [["--threads", "0"], ["--seed", "-1"]],
    "evaluate": [["--cold-start-impressions", "-5"], ["--cold-start-impressions", "inf"]],
    "score": [["--date", "2026-13-45"], ["--date", "tomorrow"]],
    "slate": [
        ["--budget", "-5"],
        ["--budget", "0"],
        ["--budget", "nan"],
        ["--budget", "inf"],
        [],
        ["--budget", "100", "--date", "2026-02-31"],
        ["--budget", "100", "--exploit-share", "1.2"],
        ["--budget", "100", "--min-share", "0.5", "--max-share", "0.1"],
        ["--budget", "100", "--exploit-weighting", "best"],
    ],
    "simulate": [
        ["--policy", "foo"],
        ["--days", "0"],
        ["--budget", "-1"],
        ["--ads", "1"],
        ["--history-days", "3"],
    ],
    "concepts forecast": [
        ["--assets", "{tmp}", "--impressions", "-3"],
        ["--assets", "{tmp}", "--impressions", "1000", "--benchmark", "p200"],
        ["--assets", "{tmp}", "--impressions", "1000", "--as-of", "2026-02-30"],
        ["--assets", "{tmp}", "--impressions", "1000", "--days", "0"],
        ["--assets", "{tmp}", "--impressions", "1000", "--extractors", "ocr"],
        ["--assets", "{tmp}/missing", "--impressions", "1000"],
    ],
    "concepts hit-rate": [["--bins", "0"], ["--limit", "-1"]],
    "plan": [["--vars", "run_date"], ["--vars", "{run_date: [unclosed"]],
    "summary": [["--bogus"]],
    "report": [["--out", "{tmp}"]],
    "lookml": [["--out", "{tmp}/l", "--manifest", "{tmp}/missing.json"]],
    "bench model": [["--out", "{tmp}/b", "--seeds", "a,b"], ["--out", "{tmp}/b", "--ads", "0"]],
    "bench scale": [["--out", "{tmp}/b", "--rows", "1X"], ["--out", "{tmp}/b", "--steps", "fly"]],
    "bench slate": [["--seeds", "0"], ["--budget", "nan"]],
    "bench concepts": [
        ["--out", "{tmp}/b", "--seeds", ""],
        ["--out", "{tmp}/b", "--benchmark", "best"],
    ],
    "bench creative": [["--assets", "{tmp}", "--limit", "0"]],
}


def leaf_commands(group: click.Group, prefix: str = "") -> list[str]:
    """Every runnable command under ``group``, as ``"group sub"`` paths."""
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            paths += leaf_commands(command, path + " ")
        else:
            paths.append(path)
    return paths


CASES = [(path, args) for path, cases in BAD.items() for args in cases]


def test_every_command_has_bad_option_cases() -> None:
    assert sorted(leaf_commands(main)) == sorted(BAD)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse path and artifacts folder that a command must not create."""
    monkeypatch.setenv("AELP_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("AELP_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    monkeypatch.setenv("META_ACCESS_TOKEN", "not-used")
    monkeypatch.setenv("META_AD_ACCOUNT_IDS", "act_1")
    return tmp_path


@pytest.mark.parametrize(("path", "args"), CASES, ids=[f"{p} {' '.join(a)}" for p, a in CASES])
def test_bad_option_is_one_line_exit_2_and_nothing_written(
    isolated: Path, path: str, args: list[str]
) -> None:
    before = sorted(isolated.rglob("*"))
    argv = [*path.split(), *(a.replace("{tmp}", str(isolated)) for a in args)]
    result = CliRunner().invoke(main, argv, prog_name="aelp")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"aelp {path}: error: ") or lines[0].startswith("aelp: error: ")
    assert "Traceback" not in result.output
    assert sorted(isolated.rglob("*")) == before


def test_bad_option_message_names_the_option_and_the_accepted_values(isolated: Path) -> None:
    result = CliRunner().invoke(main, ["slate", "--budget", "nan"], prog_name="aelp")
    assert result.output.strip() == (
        "aelp slate: error: invalid value for '--budget': 'nan' is not a finite number > 0"
    )
