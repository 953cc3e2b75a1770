# CSE Portal: `make run` (demo on SQLite, tasks in-process) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock lock-upgrade run test typecheck lint format check-migrations e2e worker backup restore bench bench-quick clean security

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs the pinned, hashed versions of requirements-dev.lock (`make lock` regenerates it
# from pyproject.toml). A lock out of step with pyproject.toml fails in CI; on a developer's
# machine it is said loudly and the missing packages come unpinned from pyproject.toml.
$(STAMP_PY): pyproject.toml requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@$(PY) ops/lock_check.py || { \
	  if [ "$${CI:-}" = true ]; then exit 1; fi; \
	  echo "WARNING: installing from pyproject.toml, unpinned, what the lock lacks"; \
	  $(PY) -m pip install --quiet -e '.[dev]'; }
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Regenerate requirements.lock (production, the Docker image) and requirements-dev.lock after
# changing dependencies in pyproject.toml; keeps every pin that still fits. lock-upgrade moves
# every pin to the newest release pyproject.toml allows. Both need PyPI (a few minutes).
lock: $(PY)
	@$(PY) -m pip show --quiet pip-tools >/dev/null 2>&1 || $(PY) -m pip install --quiet 'pip-tools>=7.4,<8'
	bash ops/lock.sh

lock-upgrade: $(PY)
	@$(PY) -m pip show --quiet pip-tools >/dev/null 2>&1 || $(PY) -m pip install --quiet 'pip-tools>=7.4,<8'
	bash ops/lock.sh --upgrade

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

static/build/app.css: $(STAMP_NPM) $(wildcard static/scss/*.scss) static/scripts/copy-assets.mjs
	npm run --silent build

install: $(STAMP_PY) static/build/app.css

# The demo: SQLite under var/, Celery tasks run in-process, demo banner on. A second run keeps
# the data: seed_demo skips whatever already exists.
run: export DEBUG ?= true
run: export CSE_DEMO ?= true
run: install
	@mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format:
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check-migrations:
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# mypy with django-stubs ([tool.mypy] in pyproject.toml): strict on every app's services,
# selectors and permissions, lenient elsewhere. The cache under var/ keeps reruns quick.
# Part of `make test`: a type error fails the build like a failing test.
typecheck: install
	$(PY) -m mypy --cache-dir var/mypy_cache

# The suite runs on PYTEST_WORKERS processes (pytest-xdist), each with a test database of its
# own; tests that share what only one process may hold (the compose stack) stay together on one
# of them (tests/conftest.py). PYTEST_WORKERS=0: one process, as before.
PYTEST_WORKERS ?= 2
# Two tests change the database under the suite (one migrates the schema back and forth, one
# restarts a PostgreSQL cluster with a copy of the test database): each runs in a pytest
# session of its own, after the rest, so neither can leave state for another test. With
# workers, the browser tests (tests/e2e: their own served app and database, no test database)
# run in a session of their own beside the migration test (on an xdist worker, a test
# database set up after them fails: Playwright's sync API leaves the thread's asyncio loop
# marked as running, which Django refuses); their output follows. The restart test runs
# last and alone, as before: run beside the browser tests, one of its requests during the
# restart was answered 400, which it does not allow.
ISOLATED_TESTS := tests/maog/test_migration_move.py tests/faults/test_postgres_restart.py
ifeq ($(PYTEST_WORKERS),0)
test: install lint check-migrations typecheck
	$(PY) -m pytest $(PYTEST_ARGS) $(foreach t,$(ISOLATED_TESTS),--ignore=$(t))
	$(foreach t,$(ISOLATED_TESTS),$(PY) -m pytest $(PYTEST_ARGS) $(t) &&) true
else
test: install lint check-migrations typecheck
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) \
	  $(foreach t,$(ISOLATED_TESTS) tests/e2e,--ignore=$(t))
	@mkdir -p var
	$(PY) -m pytest $(PYTEST_ARGS) tests/e2e > var/test-e2e.log 2>&1 & e2e=$$!; \
	$(PY) -m pytest $(PYTEST_ARGS) tests/maog/test_migration_move.py; \
	moved=$$?; e2e_status=0; wait $$e2e || e2e_status=$$?; \
	echo "== tests/e2e (in a session of its own, beside the test above)"; cat var/test-e2e.log; \
	[ $$moved -eq 0 ] && [ $$e2e_status -eq 0 ]
	$(PY) -m pytest $(PYTEST_ARGS) tests/faults/test_postgres_restart.py
endif

# bandit (medium severity and up fails; see [tool.bandit]) and pip-audit (see ops/pip_audit.py:
# says so plainly, without failing, when the vulnerability service cannot be reached).
security: install
	$(PY) -m bandit -c pyproject.toml -r . -q --severity-level medium
	$(PY) ops/pip_audit.py

# PostgreSQL only: DATABASE_URL names the database. FILE defaults to var/backups/<time>.dump.
backup:
	@bash ops/backup.sh $(FILE)

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/backup.dump"; exit 2; }
	bash ops/restore.sh "$(FILE)"

worker:
	$(VENV)/bin/celery -A cse_portal worker --loglevel=INFO --concurrency=1

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# What CI runs after the suite (PostgreSQL cse_bench_quick, a few minutes); not part of
# `make test`, which never touches a PostgreSQL database unless DATABASE_URL names one.
bench-quick: install
	$(PY) bench/run.py --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build var
