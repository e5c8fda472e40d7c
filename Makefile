# Pitwall: two commands on a fresh machine (Python 3.11 and make are all it assumes).
#   make demo   start the stack on embedded defaults and write a sample PDF report
#   make test   run every test
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
SYNCED := .venv/.synced
HAS_NPM := $(shell command -v npm >/dev/null 2>&1 && echo yes)
FRONTEND_BUILT := frontend/dist/index.html

.PHONY: setup run demo test test-python test-frontend test-browser lint format bench frontend clean \
	compose-test

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(SYNCED): $(UV) pyproject.toml uv.lock $(wildcard */pyproject.toml)
	$(UV) sync --all-packages --frozen
	@touch $@

setup: $(SYNCED)

# The web app is optional for the API: built when npm is present, served by the gateway.
frontend:
ifeq ($(HAS_NPM),yes)
	@if [ -f frontend/package.json ]; then \
		cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi
else
	@echo "npm not found: skipping the web app (the API works without it)"
endif

run: setup frontend
	$(PY) scripts/stack.py run

demo: setup frontend
	$(PY) scripts/demo.py

test: setup test-python test-frontend test-browser

test-python: setup
	$(PY) scripts/run_tests.py

test-frontend:
ifeq ($(HAS_NPM),yes)
	@if [ -f frontend/package.json ]; then \
		cd frontend && npm ci --no-audit --no-fund && npm test && npm run build; \
	fi
endif

# Browser tests drive Debian's Chromium against a real stack on free ports.
test-browser: setup
	@if [ -f frontend/package.json ] && [ -x /usr/bin/chromium ]; then \
		$(PY) scripts/browser_tests.py; \
	else \
		echo "skipping browser tests: needs frontend/ and /usr/bin/chromium"; \
	fi

# The compose stack built and run for real: installs and starts the Docker engine when missing
# (root), builds the five images (stand-in base images from Debian packages when no registry
# answers), runs the demo and tests/compose through the containers, always tears down.
compose-test: setup
	deploy/compose-test.sh

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy -p pitwall_shared -p pitwall_gateway -p pitwall_auth -p pitwall_telemetry -p pitwall_analysis -p pitwall_report

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

BENCHES := telemetry_warm_requests telemetry_cold_ingest telemetry_payload_size telemetry_rss \
	telemetry_gateway_latency analysis_lap_comparison report_bench gateway_overhead auth_login_timing \
	ask_tools

bench: setup
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || exit 1; done

clean:
	rm -rf var out .pytest_cache .mypy_cache .ruff_cache
