"""The command line: ``aelp world serve`` + ``aelp meta fetch``, and ``aelp world fetch``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from meta_stand_in import TOKEN

from aelp.world import World

REPO = Path(__file__).resolve().parents[3]
AELP = str(Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "aelp")

pytestmark = pytest.mark.integration


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    shutil.copy(REPO / "profiles.example.yml", tmp_path / "profiles.yml")
    return {
        **os.environ,
        "AELP_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "DBT_PROFILES_DIR": str(tmp_path),
        "DBT_TARGET": "dev",
        "AELP_ASSET_STORE": str(tmp_path / "assets"),
    }


@pytest.fixture
def served(world_dir: Path, tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    """``aelp world serve`` in the background; yields its base URL."""
    ready = tmp_path / "graph_url"
    process = subprocess.Popen(
        [
            AELP,
            "world",
            "serve",
            "--world",
            str(world_dir),
            "--port",
            "0",
            "--token",
            TOKEN,
            "--ready-file",
            str(ready),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            if ready.exists() and ready.read_text().strip():
                break
            time.sleep(0.1)
        yield ready.read_text().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _count(env: dict[str, str], table: str) -> int:
    with duckdb.connect(env["AELP_DUCKDB_PATH"], read_only=True) as con:
        found = con.execute(f"select count(*) from {table}").fetchone()
    return int(found[0]) if found else 0


def _aelp(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AELP, *args], env=env, capture_output=True, text=True, check=False)


def test_meta_fetch_from_a_served_world_loads_every_row(
    served: str, world: World, env: dict[str, str]
) -> None:
    accounts = ",".join(world.tables["ad_accounts"].column("id").to_pylist())
    env = {
        **env,
        "META_ACCESS_TOKEN": TOKEN,
        "META_AD_ACCOUNT_IDS": accounts,
        "META_GRAPH_URL": served,
    }
    done = _aelp(
        env,
        "meta",
        "fetch",
        "--since",
        world.config.start_date.isoformat(),
        "--until",
        world.config.end_date.isoformat(),
        "--no-progress",
    )
    assert done.returncode == 0, done.stderr
    assert "raw_meta.insights" in done.stdout
    assert _count(env, "raw_meta.insights") == world.tables["insights"].num_rows
    assert _count(env, "raw_meta.creative_assets") == world.tables["creative_assets"].num_rows
    assert TOKEN not in done.stdout + done.stderr


def test_meta_fetch_with_a_bad_token_fails_with_one_clear_line(
    served: str, world: World, env: dict[str, str]
) -> None:
    env = {
        **env,
        "META_ACCESS_TOKEN": "EAAB-wrong-token-123456",
        "META_AD_ACCOUNT_IDS": world.tables["ad_accounts"].column("id")[0].as_py(),
        "META_GRAPH_URL": served,
    }
    done = _aelp(env, "meta", "fetch", "--no-progress")
    assert done.returncode == 1
    assert "access denied" in done.stderr and "code 190" in done.stderr
    assert "EAAB-wrong-token-123456" not in done.stdout + done.stderr


def test_world_fetch_serves_and_fetches_in_one_command(
    world_dir: Path, world: World, env: dict[str, str]
) -> None:
    done = _aelp(env, "world", "fetch", "--world", str(world_dir), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert _count(env, "raw_meta.insights") == world.tables["insights"].num_rows
    assert _count(env, "sim.truth") == world.truth.num_rows
    assert any(Path(env["AELP_ASSET_STORE"]).rglob("*.png"))
