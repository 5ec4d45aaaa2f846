"""DuckDB restates whole days as BigQuery's partition overwrite does.

The emulator pipeline shows a day deleted from raw insights leaving the BigQuery fact on the
next incremental run; here the same happens on DuckDB (replace_days), for a whole day and for
one row of a day that keeps other rows, while days outside the window stay as they were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[3]
BIN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin"
FACT = "fct_ad_daily_link_ctr"
RUN_DATE = "2026-01-30"  # the world's last day; the window starts on 2026-01-02

pytestmark = pytest.mark.integration


def _run(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(list(args), cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_incremental_run_drops_rows_that_vanished_inside_the_window(tmp_path: Path) -> None:
    shutil.copy(REPO / "profiles.example.yml", tmp_path / "profiles.yml")
    db = tmp_path / "w.duckdb"
    env = {
        **os.environ,
        "AELP_DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(tmp_path),
        "DBT_TARGET": "dev",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    aelp, dbt = str(BIN / "aelp"), str(BIN / "dbt")
    _run(env, aelp, "world", "generate", "--seed", "4", "--ads", "8", "--days", "30",
         "--start", "2026-01-01", "--no-render", "--out", str(tmp_path / "world"))  # fmt: skip
    _run(env, aelp, "world", "load", "--world", str(tmp_path / "world"))
    build = [dbt, "run", "--select", f"+{FACT}", "--vars", f"{{run_date: '{RUN_DATE}'}}"]
    _run(env, *build)
    before = dict(_rows(db, f"select date_day, count(*) from main.{FACT} group by 1"))
    (vanished_ad,) = _rows(
        db, "select min(ad_id) from raw_meta.insights where date_start = date '2026-01-20'"
    )[0]
    with duckdb.connect(str(db)) as con:
        con.execute("delete from raw_meta.insights where date_start = date '2026-01-10'")
        con.execute(
            "delete from raw_meta.insights where date_start = date '2026-01-20' and ad_id = ?",
            [vanished_ad],
        )
        con.execute(f"update main.{FACT} set clicks = -1 where date_day = date '2026-01-01'")
    _run(env, *build)
    after = dict(_rows(db, f"select date_day, count(*) from main.{FACT} group by 1"))
    day = {d.isoformat(): n for d, n in after.items()}
    assert "2026-01-10" not in day
    assert day["2026-01-20"] == before[next(d for d in before if d.isoformat() == "2026-01-20")] - 1
    assert _rows(
        db,
        f"select count(*) from main.{FACT} where date_day = date '2026-01-20' "
        f"and ad_id = '{vanished_ad}'",
    ) == [(0,)]
    # 2026-01-01 is outside the window: the run left the row as it was.
    assert _rows(db, f"select min(clicks) from main.{FACT} where date_day = date '2026-01-01'") == [
        (-1,)
    ]
