# Pitwall: two commands on a fresh machine (Python 3.11 and make are all it assumes).
#   make demo   start the stack on embedded defaults and write a sample PDF report
#   make test   run every test (make test-fast: the unit and API suites only)
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
# The venv holds compiled bytecode for every installed package (uv's --compile-bytecode):
# without it, where PYTHONDONTWRITEBYTECODE is set, every process (each test suite, service
# and FastF1 loader process) compiled pandas, FastF1, FastAPI and the rest from source again.
SYNCED := .venv/.synced-compiled
HAS_NPM := $(shell command -v npm >/dev/null 2>&1 && echo yes)
# The web app is built and tested where npm and frontend/ are both present.
WEB := $(and $(HAS_NPM),$(wildcard frontend/package.json))
# `npm ci` runs again only when the lock file (or package.json) is newer than the last install,
# and the app is rebuilt only when a source is newer than the last build: `make test` builds it
# once, for the browser tests, and a second `make frontend` does nothing.
FRONTEND_DEPS := frontend/node_modules/.installed
FRONTEND_BUILT := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/tsconfig.json frontend/vite.config.ts)

.PHONY: help setup run demo test test-fast test-python test-frontend test-frontend-unit test-browser lint \
	format bench frontend clean compose-test
# Plain `make` lists the targets: each says what it does after `## ` on its rule's line.
.DEFAULT_GOAL := help

help: ## List the targets with what each does
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-19s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(SYNCED): $(UV) pyproject.toml uv.lock $(wildcard */pyproject.toml)
	$(UV) sync --all-packages --frozen --compile-bytecode
	@touch $@

setup: $(SYNCED) ## Install uv and the Python workspace into .venv (no-op when current)

$(FRONTEND_DEPS): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

# `npm run build` type-checks (tsc) before vite builds: a failed check leaves no newer build.
$(FRONTEND_BUILT): $(FRONTEND_DEPS) $(FRONTEND_SOURCES)
	cd frontend && npm run build

# The web app is optional for the API: built when npm is present, served by the gateway.
frontend: $(if $(WEB),$(FRONTEND_BUILT)) ## Build the web app into frontend/dist (skipped without npm)
	@$(if $(WEB),:,echo "npm not found: skipping the web app (the API works without it)")

run: setup frontend ## Start the whole stack on this machine (embedded defaults)
	$(PY) scripts/stack.py run

demo: setup frontend ## Start the stack and write a sample PDF report
	$(PY) scripts/demo.py

# The Python suites keep both cores busy; then the web app's unit tests (Vitest, under one
# core on average) run beside its build and, once built, the browser tests (mostly waiting on
# the stack and Chromium), each target's output printed in one piece.
test: setup ## Every test: Python, web app, browser
	@$(MAKE) --no-print-directory test-python
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-frontend test-browser

test-python: setup ## The Python suites, three at a time (scripts/run_tests.py)
	$(PY) scripts/run_tests.py

test-fast: setup ## The unit and API suites only: no whole-stack, client, compose or browser tests
	$(PY) scripts/run_tests.py --fast

test-frontend: test-frontend-unit frontend ## Type-check, unit-test and build the web app

test-frontend-unit: $(if $(WEB),$(FRONTEND_DEPS)) ## The web app's component tests (Vitest)
	@$(if $(WEB),cd frontend && npm test,echo "skipping the web app's tests: needs npm and frontend/")

# Browser tests drive Debian's Chromium against a real stack on free ports.
test-browser: setup frontend ## Browser tests in Chromium against a real stack
	@if [ -f $(FRONTEND_BUILT) ] && [ -x /usr/bin/chromium ]; then \
		$(PY) scripts/browser_tests.py; \
	else \
		echo "skipping browser tests: needs the built web app and /usr/bin/chromium"; \
	fi

# The compose stack built and run for real: installs and starts the Docker engine when missing
# (root), builds the five images (stand-in base images from Debian packages when no registry
# answers), runs the demo and tests/compose through the containers, always tears down.
compose-test: setup ## Build and run the compose stack for real, then tear it down
	deploy/compose-test.sh

lint: setup ## ruff and mypy over the workspace
	$(PY) -m ruff check .
	$(PY) -m mypy -p pitwall_shared -p pitwall_gateway -p pitwall_auth -p pitwall_telemetry -p pitwall_analysis -p pitwall_report -p pitwall_client

format: setup ## Apply ruff fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Every benchmark under bench/ (wrk_load, gateway_upstream and gateway_minimal_proxy are parts of
# others, not benchmarks).
BENCHES := telemetry_warm_requests telemetry_cold_ingest telemetry_payload_size telemetry_rss \
	telemetry_gateway_latency analysis_lap_comparison analysis_race ask_tools report_bench \
	report_race gateway_overhead access_log_cost race_page_gateway auth_login_timing \
	auth_signin_memory frontend_compare_page

bench: setup ## Run every benchmark under bench/
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || exit 1; done

clean: ## Remove run data and tool caches (var, out, caches)
	rm -rf var out .pytest_cache .mypy_cache .ruff_cache
