"""``aelp bench scale``: wall time and peak memory of every pipeline step as the account grows.

For each world size the benchmark generates a world (creative files not rendered), then runs
each step as its own child process and records its wall time and peak resident memory
(``wait4``'s ``ru_maxrss`` of that child and the children it waited for):

``load``            ``aelp world load`` of the whole world (the last day is then held back)
``floor``           the dbt build's core work as plain SQL in DuckDB (:mod:`aelp.scale.floor`)
``dbt build``       the full ``dbt build`` (models, data and unit tests) on DuckDB
``daily load``      the new day and the restatement window's days upserted into raw insights
``dbt incremental`` the daily run (``make dbt-daily``) with ``AELP_RUN_DATE`` = the new day:
                    data tests read the restatement window, unit tests are left to CI; the
                    run dates travel as environment variables, as in ``make dbt-daily``
``examples``        reading the training examples as ``aelp train`` does
``train``, ``score``, ``slate``  the ``aelp`` commands

A second world with the largest size's daily volume but a third of its history (1 year
instead of 3) runs the load and dbt steps only: the incremental run should not grow with
history. Results go to a JSON file and to the ``scale`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from aelp.markdown_sections import write_marked_section

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
ROWS_PER_AD_3Y = 38.0
"""Insights rows per ad in a 3-year world (the generator's ad life cycles; measured)."""
DAYS_3Y = 1095
DAYS_1Y = 365
DEMO = "demo"
SECTION_BEGIN = "<!-- scale:begin -->"
SECTION_END = "<!-- scale:end -->"

FULL_STEPS = (
    "generate",
    "load",
    "floor",
    "dbt build",
    "daily load",
    "dbt incremental",
    "examples",
    "train",
    "score",
    "slate",
)
HISTORY_STEPS = ("generate", "load", "dbt build", "daily load", "dbt incremental")
PYTHON_JOBS = ("examples", "train", "score", "slate")

FLOOR_FACTOR = 4.0
PEAK_LIMIT_GB = 4.0
INCREMENTAL_SHARE = 0.10
FLAT_RATIO = 1.25
"""The incremental run on 3 years of history may take at most this times the 1-year run."""


@dataclass(frozen=True)
class WorldSize:
    """One world of the benchmark: its label, ads and days."""

    label: str
    n_ads: int
    n_days: int
    steps: tuple[str, ...] = FULL_STEPS

    @property
    def key(self) -> str:
        return f"{self.label} ({self.n_days} d)"


@dataclass
class StepResult:
    """One step on one world: seconds, peak memory, what it reported."""

    world: str
    step: str
    wall_s: float
    peak_rss_gb: float
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ScaleReport:
    """Machine, worlds and step results of one benchmark run."""

    machine: dict[str, Any]
    worlds: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: list[StepResult] = field(default_factory=list)
    bigquery: dict[str, Any] = field(default_factory=dict)
    total_s: float = 0.0
    checkpoint: Path | None = None
    """Where the JSON is rewritten after every step, so an interrupted run keeps its figures."""

    def save(self) -> None:
        """Write the JSON to :attr:`checkpoint` (when set)."""
        if self.checkpoint is not None:
            self.checkpoint.parent.mkdir(parents=True, exist_ok=True)
            self.checkpoint.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n")

    def step(self, world: str, name: str) -> StepResult | None:
        """The step's result when it ran to the end (a failed step has no figures to judge)."""
        for result in self.steps:
            if result.world == world and result.step == name and result.ok:
                return result
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "worlds": self.worlds,
            "steps": [asdict(s) for s in self.steps],
            "goals": goals(self),
            "bigquery": self.bigquery,
            "total_s": round(self.total_s, 1),
        }


def report_from_json(doc: dict[str, Any]) -> ScaleReport:
    """Rebuild a report from its JSON (e.g. the checkpoint of an interrupted run)."""
    return ScaleReport(
        machine=doc.get("machine", {}),
        worlds=doc.get("worlds", {}),
        steps=[StepResult(**step) for step in doc.get("steps", [])],
        bigquery=doc.get("bigquery", {}),
        total_s=float(doc.get("total_s", 0.0)),
    )


# --------------------------------------------------------------------------- sizes
def parse_rows(text: str) -> int:
    """``100k`` → 100000, ``1M`` → 1000000, ``2.5m`` → 2500000, ``5000`` → 5000."""
    found = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmM]?)\s*", text)
    if not found:
        raise ValueError(f"not a row count: {text!r} (e.g. 100k, 1M, 10M)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2).lower()]
    return int(float(found.group(1)) * scale)


def parse_steps(text: str | None) -> tuple[str, ...] | None:
    """A ``--steps`` list (names of :data:`FULL_STEPS`, comma-separated); None = all."""
    if not text:
        return None
    steps = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [s for s in steps if s not in FULL_STEPS]
    if unknown:
        raise ValueError(f"unknown step(s) {unknown}; choose from {list(FULL_STEPS)}")
    return tuple(s for s in FULL_STEPS if s in steps)


def world_sizes(rows: str, history_pair: bool = True) -> list[WorldSize]:
    """The worlds of a ``--rows`` list (``demo`` = the demo world: 300 ads × 90 days).

    Each row count is a 3-year world with as many ads as give about that many insights
    rows. With ``history_pair`` the largest is followed by a 1-year world of the same
    daily volume (a third of its ads), on which only the load and dbt steps run.
    """
    sizes: list[WorldSize] = []
    for item in (part.strip() for part in rows.split(",")):
        if not item:
            continue
        if item.lower() == DEMO:
            sizes.append(WorldSize(DEMO, 300, 90))
            continue
        n = parse_rows(item)
        sizes.append(WorldSize(item, max(10, round(n / ROWS_PER_AD_3Y)), DAYS_3Y))
    three_year = [s for s in sizes if s.n_days == DAYS_3Y]
    if history_pair and three_year:
        largest = max(three_year, key=lambda s: s.n_ads)
        sizes.append(WorldSize(largest.label, max(10, largest.n_ads // 3), DAYS_1Y, HISTORY_STEPS))
    return sizes


# --------------------------------------------------------------------------- machine
def machine_description() -> dict[str, Any]:
    """CPU, memory, OS and package versions, and the load average now."""
    import duckdb

    cpu_model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError):
        pass
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": memory_gb,
        "os": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt": _version("dbt-core"),
        "dbt_duckdb": _version("dbt-duckdb"),
        "lightgbm": _version("lightgbm"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


# --------------------------------------------------------------------------- running
def measure(args: list[str], env: dict[str, str], log_path: Path) -> tuple[float, float, int]:
    """Run a command; its wall seconds, peak RSS in GB (its own and its waited children's)
    and exit code. Output goes to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return wall, usage.ru_maxrss / 1024**2, code


def _env(folder: Path) -> dict[str, str]:
    profiles = folder / "profiles.yml"
    if not profiles.exists():
        shutil.copy(REPO / "profiles.example.yml", profiles)
    return {
        **os.environ,
        "AELP_DUCKDB_PATH": str(folder / "warehouse.duckdb"),
        "AELP_ARTIFACTS_DIR": str(folder / "artifacts"),
        "DBT_PROFILES_DIR": str(folder),
        "DBT_TARGET": "dev",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "AELP_LOG_LEVEL": "INFO",
        "YOLO_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "TQDM_DISABLE": "1",
    }


def _last_json(log_path: Path) -> dict[str, Any]:
    for line in reversed(log_path.read_text(errors="replace").splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                doc: dict[str, Any] = json.loads(line)
                return doc
            except json.JSONDecodeError:
                continue
    return {}


def step_commands(
    size: WorldSize, folder: Path, first_day: date
) -> dict[str, tuple[list[str], bool]]:
    """Each step's command line and whether it is timed (hold-back is set-up, not a step)."""
    aelp, dbt, py = str(BIN / "aelp"), str(BIN / "dbt"), sys.executable
    world = folder / "world"
    last_day = first_day + timedelta(days=size.n_days - 1)
    before = (last_day - timedelta(days=1)).isoformat()
    dbt_paths = ["--target-path", str(folder / "target"), "--log-path", str(folder / "logs")]
    steps_module = [py, "-m", "aelp.scale.steps"]
    return {
        "generate": (
            [aelp, "world", "generate", "--seed", "7", "--ads", str(size.n_ads),
             "--days", str(size.n_days), "--start", first_day.isoformat(), "--no-render",
             "--out", str(world)],
            True,
        ),
        "load": ([aelp, "world", "load", "--world", str(world)], True),
        "hold back": ([*steps_module, "hold-back", "--day", last_day.isoformat()], False),
        "floor": (
            [*steps_module, "floor", "--warehouse", str(folder / "warehouse.duckdb"),
             "--out", str(folder / "floor.duckdb")],
            True,
        ),
        "dbt build": (
            ["env", f"AELP_RUN_DATE={before}", dbt, "build", "-q", *dbt_paths], True
        ),
        "daily load": (
            [*steps_module, "daily-load", "--world", str(world),
             "--run-date", last_day.isoformat()],
            True,
        ),
        "dbt incremental": (
            ["env", f"AELP_RUN_DATE={last_day.isoformat()}", "AELP_TESTS_SCOPE=restatement_window",
             dbt, "build", "-q", "--selector", "daily", "--exclude-resource-type", "unit_test",
             *dbt_paths],
            True,
        ),
        "examples": ([*steps_module, "examples"], True),
        "train": ([aelp, "train", "--seed", "0"], True),
        "score": ([aelp, "score"], True),
        "slate": ([aelp, "slate", "--budget", "1000"], True),
    }  # fmt: skip


def run_world(size: WorldSize, folder: Path, report: ScaleReport, first_day: date) -> None:
    """Every step of one world, in order; stops at the first failure."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    env = _env(folder)
    commands = step_commands(size, folder, first_day)
    order = list(size.steps)
    if "load" in order and "daily load" in order:
        order.insert(order.index("load") + 1, "hold back")
    report.worlds[size.key] = {"ads": size.n_ads, "days": size.n_days}
    for name in order:
        args, timed = commands[name]
        log.info("%s: %s", size.key, name)
        wall, peak, code = measure(args, env, folder / "logs" / f"{name.replace(' ', '_')}.log")
        detail = _last_json(folder / "logs" / f"{name.replace(' ', '_')}.log")
        if name == "generate" and code == 0:
            doc = json.loads((folder / "world" / "world.json").read_text())
            rows = doc["summary"]["rows"]
            report.worlds[size.key]["insights_rows"] = rows["insights"]
            detail = {"rows": rows["insights"]}
        if name == "hold back":
            report.worlds[size.key]["held_back_rows"] = detail.get("held_back_rows")
        if name.startswith("dbt") and code == 0:
            detail = dbt_detail(folder / "target" / "run_results.json")
        if timed:
            result = StepResult(size.key, name, round(wall, 2), round(peak, 3), code == 0, detail)
            report.steps.append(result)
            report.save()
            log.info("%s: %s %.1f s, peak %.2f GB", size.key, name, wall, peak)
        if code != 0:
            log.error("%s: %s failed (exit %d); see %s", size.key, name, code, folder / "logs")
            break
    if (folder / "world").exists():
        shutil.rmtree(folder / "world")


def dbt_detail(run_results: Path) -> dict[str, Any]:
    """Node counts and the slowest nodes of a dbt run (``run_results.json``)."""
    if not run_results.exists():
        return {}
    doc = json.loads(run_results.read_text())
    results = doc.get("results", [])
    by_kind: dict[str, float] = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + float(r.get("execution_time") or 0.0)
    slowest = sorted(results, key=lambda r: -(r.get("execution_time") or 0.0))[:8]
    return {
        "nodes": len(results),
        "failed": sum(1 for r in results if r.get("status") in ("error", "fail")),
        "seconds_by_kind": {k: round(v, 1) for k, v in sorted(by_kind.items())},
        "slowest": [
            {"node": r["unique_id"].split(".", 2)[-1], "s": round(r["execution_time"], 2)}
            for r in slowest
        ],
    }


# --------------------------------------------------------------------------- goals
def goals(report: ScaleReport) -> list[dict[str, Any]]:
    """Each goal with the measured figure, the limit and whether it is met (largest world)."""
    full = [k for k, w in report.worlds.items() if w["days"] == DAYS_3Y]
    if not full:
        full = list(report.worlds)
    if not full:
        return []
    largest = max(full, key=lambda k: report.worlds[k].get("insights_rows", 0))
    out: list[dict[str, Any]] = []

    def add(name: str, value: float | None, limit: float, unit: str) -> None:
        out.append(
            {
                "goal": name,
                "world": largest,
                "value": None if value is None else round(value, 3),
                "limit": limit,
                "unit": unit,
                "met": value is not None and value <= limit,
            }
        )

    build, floor_ = report.step(largest, "dbt build"), report.step(largest, "floor")
    incremental = report.step(largest, "dbt incremental")
    if build and floor_ and floor_.wall_s:
        add("dbt build wall / floor wall", build.wall_s / floor_.wall_s, FLOOR_FACTOR, "x")
    if build:
        add("dbt build peak memory", build.peak_rss_gb, PEAK_LIMIT_GB, "GB")
    if build and incremental:
        add("incremental wall / full build wall", incremental.wall_s / build.wall_s,
            INCREMENTAL_SHARE, "share")  # fmt: skip
    one_year = [k for k, w in report.worlds.items() if w["days"] == DAYS_1Y]
    if incremental and one_year:
        short = report.step(one_year[0], "dbt incremental")
        if short and short.wall_s:
            add("incremental wall 3 y / 1 y", incremental.wall_s / short.wall_s, FLAT_RATIO, "x")
    for job in PYTHON_JOBS:
        result = report.step(largest, job)
        if result:
            add(f"{job} peak memory", result.peak_rss_gb, PEAK_LIMIT_GB, "GB")
    return out


# --------------------------------------------------------------------------- BigQuery
def bigquery_window_check(folder: Path, run_date: date, restatement_days: int) -> dict[str, Any]:
    """The incremental select of the fact compiled for BigQuery: its partition filters, checked.

    Compiles the fact for the ``emulator`` target's adapter offline is not possible (dbt asks
    the warehouse whether the table exists), so this reads the DuckDB run's compiled select,
    whose window filter is the same macro on both engines, and checks with sqlglot that every
    read of raw insights is restricted to the window's days.
    """
    from aelp.transform.plan import restricted_days

    compiled = folder / "target" / "compiled" / "aelp" / "models" / "marts" / "marketing"
    path = compiled / "fct_ad_daily_link_ctr.sql"
    if not path.exists():
        return {"checked": False, "reason": f"{path} not found"}
    sql = path.read_text()
    first = (run_date - timedelta(days=restatement_days)).isoformat()
    windows = restricted_days(sql, "date_day", dialect="duckdb")
    ok = bool(windows) and all(
        first in low and run_date.isoformat() in high for low, high in windows
    )
    return {
        "checked": True,
        "source": "compiled select of the DuckDB incremental run (same window macro)",
        "windows": windows,
        "expected": [first, run_date.isoformat()],
        "partitions": restatement_days + 1,
        "only_window_partitions": ok,
    }


BQEMU_VENV = REPO / ".venv-bqemulator"
EMULATOR_WORLD = {"ads": 30, "days": 40, "start": date(2026, 1, 1)}


def bigquery_emulator_check(folder: Path) -> dict[str, Any]:
    """The daily run on the local BigQuery (``make install-bqemulator``), checked by code.

    A small world is loaded into a fresh emulator, the fact built, then ``aelp plan``'s dry
    runs and the incremental MERGE of the next run are read back (see ``aelp.scale.steps
    bigquery-window``): dry-run bytes (0 on the emulator), the window of ``date_day`` the
    compiled selects read and the partitions the MERGE overwrites.
    """
    venv = Path(os.environ.get("BQEMU_VENV", BQEMU_VENV))
    if not (venv / "bin" / "bqemulator").exists():
        return {"checked": False, "reason": f"no emulator in {venv} (make install-bqemulator)"}
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    env = {
        **_env(folder),
        "DBT_TARGET": "emulator",
        "AELP_BQ_DATASET": "aelp_scale_bench",
        "BQEMU_VENV": str(venv),
        "BQEMU_LOG_DIR": str(folder / "logs"),
    }
    start = EMULATOR_WORLD["start"]
    assert isinstance(start, date)
    run_date = start + timedelta(days=int(str(EMULATOR_WORLD["days"])) - 1)
    world = folder / "world"
    generate = [
        str(BIN / "aelp"), "world", "generate", "--seed", "5",
        "--ads", str(EMULATOR_WORLD["ads"]), "--days", str(EMULATOR_WORLD["days"]),
        "--start", start.isoformat(), "--no-render", "--out", str(world),
    ]  # fmt: skip
    check = [
        str(REPO / "tests" / "bqemulator" / "run-with.sh"), sys.executable, "-m",
        "aelp.scale.steps", "bigquery-window", "--world", str(world),
        "--run-date", run_date.isoformat(), "--folder", str(folder),
    ]  # fmt: skip
    for name, args in (("generate", generate), ("bigquery", check)):
        wall, _, code = measure(args, env, folder / "logs" / f"{name}.log")
        if code != 0:
            return {"checked": False, "reason": f"{name} failed; see {folder / 'logs'}"}
    doc = _last_json(folder / "logs" / "bigquery.log")
    doc["seconds"] = round(wall, 1)
    return doc


# --------------------------------------------------------------------------- report
def markdown(report: ScaleReport) -> str:
    """The Scale section: machine, one table of steps, goals."""
    m = report.machine
    load = m.get("load_average_at_start") or []
    lines = [
        "## Scale",
        "",
        f"`make bench` on {m.get('measured_at', '?')[:10]}: {m.get('cpu_count')} cores "
        f"({m.get('cpu_model')}), {m.get('memory_gb')} GB RAM, {m.get('os')}, Python "
        f"{m.get('python')}, DuckDB {m.get('duckdb')}, dbt {m.get('dbt')} "
        f"(dbt-duckdb {m.get('dbt_duckdb')}), LightGBM {m.get('lightgbm')}; load average "
        f"{', '.join(str(x) for x in load)} at the start"
        + (f"; {report.total_s / 60:.1f} min in all. " if report.total_s else ". ")
        + "Wall seconds and peak resident memory (GB) per step, each step a process of its own.",
        "",
        "| world | ads | days | insights rows | step | wall s | peak GB |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for result in report.steps:
        w = report.worlds.get(result.world, {})
        status = "" if result.ok else " (failed)"
        lines.append(
            f"| {result.world} | {w.get('ads', 0):,} | {w.get('days', 0):,} | "
            f"{w.get('insights_rows', 0):,} | {result.step}{status} | {result.wall_s:.1f} | "
            f"{result.peak_rss_gb:.2f} |"
        )
    found = goals(report)
    if found:
        lines += ["", "| goal (largest world) | measured | limit | met |", "|---|---:|---:|---|"]
        for g in found:
            value = "n/a" if g["value"] is None else f"{g['value']:.2f} {g['unit']}"
            lines.append(
                f"| {g['goal']} | {value} | {g['limit']} {g['unit']} | "
                f"{'yes' if g['met'] else 'no'} |"
            )
    bq = report.bigquery
    if bq.get("checked") and "models" in bq:
        lines += [
            "",
            f"BigQuery (local emulator, {bq.get('seconds', '?')} s): `aelp plan` dry-runs the "
            f"daily run's incremental selects at {bq['total_dry_run_bytes']} bytes (the emulator "
            "answers every dry run with 0; real BigQuery gives the bytes). Checked by parsing "
            "the compiled SQL: "
            + "; ".join(
                f"`{name}` reads `date_day` {m['window'][0]} .. {m['window'][1]}"
                for name, m in sorted(bq["models"].items())
                if m.get("window")
            )
            + f"; the fact's insert_overwrite MERGE rewrites {bq['merge_partitions']} "
            f"partitions, {'exactly' if bq['merge_partitions_are_the_window'] else 'NOT'} "
            f"the restatement window {bq['expected'][0]} .. {bq['expected'][1]}.",
        ]
    elif bq.get("checked"):
        lines += [
            "",
            f"BigQuery (no emulator run): the incremental select of `fct_ad_daily_link_ctr` "
            f"reads `date_day` between {bq['expected'][0]} and {bq['expected'][1]} only "
            f"({bq['partitions']} partitions; checked by parsing the compiled SQL: "
            f"{'yes' if bq['only_window_partitions'] else 'NO'}).",
        ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Put ``section`` between the scale markers of a Markdown file (text outside is kept)."""
    write_marked_section(path, SECTION_BEGIN, SECTION_END, section)


def run_scale_bench(
    rows: str,
    out_dir: Path,
    *,
    history_pair: bool = True,
    first_day: date = date(2024, 1, 1),
    keep: bool = False,
    steps: tuple[str, ...] | None = None,
    checkpoint: Path | None = None,
    bigquery: bool = True,
) -> ScaleReport:
    """Run every world of ``rows`` (see :func:`world_sizes`) under ``out_dir``.

    ``steps`` runs a subset of :data:`FULL_STEPS` (generate always runs); ``bigquery``
    adds the emulator check of the daily run (:func:`bigquery_emulator_check`).
    """
    started = time.perf_counter()
    report = ScaleReport(machine=machine_description(), checkpoint=checkpoint)
    sizes = world_sizes(rows, history_pair)
    if steps is not None:
        chosen = {"generate", *steps}
        sizes = [replace(s, steps=tuple(x for x in s.steps if x in chosen)) for s in sizes]
    for size in sizes:
        folder = out_dir / f"{size.label}-{size.n_days}d".replace(" ", "_")
        start = first_day
        if size.n_days < DAYS_3Y:  # same calendar end as the 3-year worlds
            start = first_day + timedelta(days=DAYS_3Y - size.n_days)
        run_world(size, folder, report, start)
        incremental = report.step(size.key, "dbt incremental")
        if incremental and incremental.ok and not report.bigquery:
            last_day = start + timedelta(days=size.n_days - 1)
            report.bigquery = bigquery_window_check(folder, last_day, 28)
        if not keep and folder.exists():
            for name in ("warehouse.duckdb", "floor.duckdb", "warehouse.duckdb.wal"):
                (folder / name).unlink(missing_ok=True)
    if bigquery:
        log.info("BigQuery: the daily run on the local emulator")
        emulated = bigquery_emulator_check(out_dir / "bigquery")
        if emulated.get("checked") or not report.bigquery:
            report.bigquery = emulated
    report.total_s = time.perf_counter() - started
    report.save()
    return report
