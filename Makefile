# AELP — every target is a thin call to the `aelp` CLI or to dbt.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AELP := $(BIN)/aelp
DBT := $(BIN)/dbt
STAMP := $(VENV)/.installed
BQEMU_VENV ?= .venv-bqemulator
BQEMU_STAMP := $(BQEMU_VENV)/.installed

SEED ?= 7
ADS ?= 300
DAYS ?= 90
BUDGET ?= 1000
BQ_TARGET ?= prod
WORLD ?= data/world
ASSETS ?= $(WORLD)/creatives
# e.g. EXTRACT_ARGS='--device cuda --shard 1/4' or '--clip-weights laion2b_s34b_b79k --clip-model ViT-B-32'
EXTRACT_ARGS ?=
BENCH_LIMIT ?= 64
ASSET_STORE ?= data/assets
PORT ?= 8765
# Test processes; each test module stays in one process (module fixtures build once).
PYTEST_ARGS ?= -n 2 --dist loadfile
REPORT ?= artifacts/report/report.html
LOOKML_DIR ?= artifacts/lookml

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR ?= $(CURDIR)
export YOLO_OFFLINE := 1
export HF_HUB_OFFLINE := 1

.PHONY: help install profiles world load serve fetch extract dbt-build dbt-daily dbt-parse train score slate \
        summary demo test pytest lint format clean install-bqemulator plan-bq report lookml \
        install-browser

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,creative,creative-test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools and the creative models

$(BQEMU_STAMP): tests/bqemulator/requirements.txt
	$(PYTHON) -m venv $(BQEMU_VENV)
	$(BQEMU_VENV)/bin/pip install --quiet --upgrade pip
	$(BQEMU_VENV)/bin/pip install --quiet -r tests/bqemulator/requirements.txt
	$(BQEMU_VENV)/bin/python -c "import duckdb_extensions; duckdb_extensions.import_extension('spatial')"
	touch $(BQEMU_STAMP)

install-bqemulator: $(BQEMU_STAMP) ## Install the local BigQuery emulator in its own venv (for tests)

install-browser: ## Install Debian's chromium (headless, for the report's browser test) when missing
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)

profiles.yml:
	cp profiles.example.yml profiles.yml

profiles: profiles.yml ## Create ./profiles.yml from profiles.example.yml when missing

world: install ## Generate the sample world into $(WORLD) (SEED, ADS, DAYS)
	$(AELP) world generate --seed $(SEED) --ads $(ADS) --days $(DAYS) --out $(WORLD)

load: install profiles ## Load the sample world straight into the raw tables (fast path)
	$(AELP) world load --world $(WORLD)

serve: install ## Serve $(WORLD) as a local Graph API stand-in on 127.0.0.1:$(PORT)
	$(AELP) world serve --world $(WORLD) --port $(PORT)

fetch: install profiles ## Fetch from the Meta Marketing API (META_* environment) into raw_meta
	AELP_ASSET_STORE=$(ASSET_STORE) $(AELP) meta fetch

extract: install profiles ## Extract creative features from ASSETS into raw_creative (EXTRACT_ARGS)
	$(AELP) creative extract --assets $(ASSETS) $(EXTRACT_ARGS)

.PHONY: bench-extract
bench-extract: install profiles ## Time creative decoding vs models on ASSETS; writes docs/benchmarks.md
	$(AELP) bench creative --assets $(ASSETS) --limit $(BENCH_LIMIT) $(EXTRACT_ARGS) \
		--write docs/benchmarks.md

dbt-build: install profiles ## dbt build (models, tests, seeds) on the profile's target
	$(DBT) build

# The scheduled daily run: the restatement window's days up to RUN_DATE (default: today) are
# rebuilt, data tests read those days; unit tests stay in CI (make test), tests tagged
# full_history (they must scan all history) in full builds. Both settings travel as
# environment variables (AELP_RUN_DATE, AELP_TESTS_SCOPE), not --vars: dbt then re-parses only
# the few files that read them instead of the whole project.
RUN_DATE ?=
dbt-daily: install profiles ## Daily run: rebuild and test the restatement window up to RUN_DATE
	AELP_TESTS_SCOPE=restatement_window $(if $(RUN_DATE),AELP_RUN_DATE=$(RUN_DATE)) \
		$(DBT) build --selector daily --exclude-resource-type unit_test

dbt-parse: install profiles ## dbt parse (writes target/manifest.json)
	$(DBT) parse

train: install profiles ## Train the ctr_u model and record the run in ml.model_runs
	$(AELP) train

score: install profiles ## Write ml.ctr_predictions for every active ad
	$(AELP) score

slate: install profiles ## Write tomorrow's budget slate to ml.budget_slates (BUDGET)
	$(AELP) slate --budget $(BUDGET)

summary: install profiles ## Print rows per table, best/worst ads and model quality
	$(AELP) summary

report: install profiles ## Write the dashboards as one offline HTML file (REPORT) from the rpt_ views
	$(AELP) report --out $(REPORT) --assets $(ASSET_STORE) --assets $(WORLD)/concepts

lookml: install profiles ## Write LookML views of the rpt_ models into LOOKML_DIR
	$(AELP) lookml --out $(LOOKML_DIR)

.PHONY: bench-model
BENCH_SEEDS ?= 7,8,9
BENCH_OUT ?= data/bench-model
bench-model: install profiles ## Model quality on demo worlds (BENCH_SEEDS) and training cost at 1M rows
	$(AELP) bench model --seeds $(BENCH_SEEDS) --ads $(ADS) --days $(DAYS) --out $(BENCH_OUT)

.PHONY: simulate bench-slate
SIM_DAYS ?= 30
SIM_SEEDS ?= 5
simulate: install profiles ## Replay uniform, greedy, Thompson-slate and oracle budgets in sample worlds (SIM_DAYS, SIM_SEEDS, BUDGET)
	$(AELP) simulate --days $(SIM_DAYS) --seeds $(SIM_SEEDS) --budget $(BUDGET)

bench-slate: install ## Slate vs uniform/oracle over 5 worlds x 30 days, OPE errors; writes docs/benchmarks.md
	$(AELP) bench slate --seeds 5 --days 30 --write docs/benchmarks.md --json docs/benchmarks/budget_slates.json

.PHONY: bench
# Worlds in insights rows (demo = 300 ads x 90 days); BENCH_ROWS=demo takes a few minutes.
BENCH_ROWS ?= demo,100k,1M,10M
BENCH_SCALE_OUT ?= data/bench-scale
bench: install profiles ## Wall time and peak memory of each pipeline step on growing worlds (BENCH_ROWS)
	$(AELP) bench scale --rows $(BENCH_ROWS) --out $(BENCH_SCALE_OUT) \
		--json docs/benchmarks/scale.json --write docs/benchmarks.md

plan-bq: install profiles ## Dry-run bytes of the daily dbt run on BigQuery (BQ_TARGET, default prod)
	$(AELP) --target $(BQ_TARGET) plan

.PHONY: forecast bench-concepts
# New-concept forecasts: the demo world holds CONCEPTS concepts out (they launch in its last 7 days).
CONCEPTS ?= 8
CONCEPTS_DIR ?= $(WORLD)/concepts
IMPRESSIONS ?= 2000
BENCHMARK ?= p75
AS_OF ?=
CONCEPTS_LAUNCH = $$($(BIN)/python -c "import json; print(json.load(open('$(CONCEPTS_DIR)/concepts.json'))['launch_date'])")
BENCH_CONCEPTS_OUT ?= data/bench-concepts
forecast: install profiles ## Forecast the new concepts in CONCEPTS_DIR (IMPRESSIONS per day, BENCHMARK, AS_OF)
	$(AELP) concepts forecast --assets $(CONCEPTS_DIR) --impressions $(IMPRESSIONS) \
		--benchmark $(BENCHMARK) $(if $(AS_OF),--as-of $(AS_OF))

bench-concepts: install profiles ## Held-out concept forecasts over BENCH_SEEDS: ECE, Brier skill, top quartile
	$(AELP) bench concepts --seeds $(BENCH_SEEDS) --out $(BENCH_CONCEPTS_OUT) --write docs/benchmarks.md \
		--json docs/benchmarks/concepts.json

demo: install profiles ## Whole pipeline on DuckDB with the sample world, a summary and the HTML report
	$(AELP) world generate --seed $(SEED) --ads $(ADS) --days $(DAYS) --holdout-concepts $(CONCEPTS) \
		--out $(WORLD)
	AELP_ASSET_STORE=$(ASSET_STORE) $(AELP) world fetch --world $(WORLD)
	$(AELP) creative extract --assets $(ASSET_STORE)
	$(DBT) build --full-refresh
	$(AELP) train
	$(AELP) evaluate
	$(AELP) score
	$(AELP) slate --budget $(BUDGET)
	$(AELP) simulate --days 7 --seeds 2 --ads 60 --budget $(BUDGET)
	$(AELP) concepts forecast --assets $(CONCEPTS_DIR) --impressions $(IMPRESSIONS) \
		--benchmark $(BENCHMARK) --as-of $(CONCEPTS_LAUNCH) --no-refresh
	$(DBT) build --selector ml_outputs
	$(AELP) concepts hit-rate
	$(AELP) summary
	$(AELP) report --out $(REPORT) --assets $(ASSET_STORE) --assets $(WORLD)/concepts

lint: install profiles ## ruff, mypy, sqlfluff and dbt-bouncer
	$(BIN)/ruff check python_jobs tests/python
	$(BIN)/ruff format --check python_jobs tests/python
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/sqlfluff lint models macros tests/dbt
	$(DBT) parse --quiet
	$(BIN)/dbt-bouncer --config-file dbt-bouncer.yml

pytest: install install-bqemulator install-browser profiles ## pytest, with a local BigQuery started for the run
	BQEMU_VENV=$(BQEMU_VENV) tests/bqemulator/run-with.sh $(BIN)/pytest $(PYTEST_ARGS)

test: install lint pytest ## Install and run every check

format: install ## Format Python with ruff
	$(BIN)/ruff format python_jobs tests/python
	$(BIN)/ruff check --fix python_jobs tests/python

clean: ## Remove generated data, artifacts and dbt outputs (keeps .venv)
	rm -rf data artifacts target logs .pytest_cache .mypy_cache .ruff_cache
