# Floorline: `make demo` runs the product, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYS_PACKAGES := libzbar0 chromium poppler-utils fonts-dejavu-core nginx-light
HOST ?= 127.0.0.1
PORT ?= 5000
STEP_SECONDS ?= 12
# Parallel workers (pytest-xdist): most tests wait on server subprocesses and Chromium, so
# 4 workers pay on 2 cores. Not --dist loadgroup/loadscope: they key work by node id, and the
# schemathesis items share one node id, so all but one of its operations would silently not run.
# worksteal hands items out by index like load, and lets an idle worker take a busy one's queue,
# so the suite does not wait on one worker's tail of long tests.
PYTEST_ARGS ?= -n 4 --dist worksteal
# Genealogy edges bench/trace.py generates (CI passes a small number: 2000 runs in seconds).
TRACE_EDGES ?= 1000000

.PHONY: demo test sysdeps services assets translations messages lint bench clean screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# System packages: installed when run as root and missing (CI and fresh machines).
sysdeps:
	@missing=""; for p in $(SYS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (run as root or install them)"; fi; \
	fi

# PostgreSQL and Redis: started where installed but stopped.
services:
	@if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; fi
	@if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; fi

assets: translations
	@if [ -f kiosk_ui/package.json ]; then $(MAKE) --no-print-directory kiosk_ui/static/vendor/.built; fi

kiosk_ui/static/vendor/.built: kiosk_ui/package.json kiosk_ui/package-lock.json kiosk_ui/build.mjs
	cd kiosk_ui && npm ci --no-audit --no-fund --loglevel=error && node build.mjs
	touch $@

# Compiled catalogues (.mo files, not kept in git); without one the app compiles the .po in memory.
translations: $(STAMP)
	@$(BIN)/python -m server.i18n_tools compile

# Re-extract every marked string (templates, browser modules, kiosk answers) into the .pot and
# merge it into each language's .po; then translate the new entries (docs/languages.md).
messages: $(STAMP)
	$(BIN)/python -m server.i18n_tools messages

# Where PYTHONDONTWRITEBYTECODE is set (as on the CI machine) no import writes the project's
# bytecode, so each worker and each of the hundreds of server and station subprocesses a run
# starts compiled the modules again (about 0.6 s of a server's 3.7 s of import CPU). Once here.
test: sysdeps services $(STAMP) assets lint
	$(BIN)/python -m compileall -q server station labels tests >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the README's screenshots from the browser tests.
screenshots: sysdeps $(STAMP) assets
	FLOORLINE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check server station labels tests bench
	$(BIN)/mypy

demo: $(STAMP) assets
	$(BIN)/floorline demo --host $(HOST) --port $(PORT) --step-seconds $(STEP_SECONDS)

# The figures of the README's tables (PostgreSQL and Redis as `make services` starts them);
# CI runs each bench once at a tiny size instead (tests/bench/).
bench: services $(STAMP)
	$(BIN)/python bench/ingest.py --pg --processes 1,3 --compare-sync
	$(BIN)/python bench/decode.py
	$(BIN)/python bench/labels.py
	$(BIN)/python bench/jobs.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/trace.py --edges $(TRACE_EDGES)

clean:
	rm -rf $(VENV) instance kiosk_ui/node_modules kiosk_ui/static/vendor .pytest_cache
