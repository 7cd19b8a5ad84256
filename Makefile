# The two commands: `make run` (portal with demo data) and `make test` (the whole suite); `make up` and `make demo`
# for the full stack.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

# Tests and the full stack run on PostgreSQL and Redis on localhost unless told otherwise.
PG_URL ?= postgres://postgres@127.0.0.1:5432/portal
REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test lint up demo bench install install-test system-packages clean messages

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test system-packages tests/oidc/node_modules/.installed

# The suite's OpenID provider (EU Login's stand-in, tests/oidc/), from the npm registry at the locked version.
tests/oidc/node_modules/.installed: tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --silent
	touch $@

# Chromium for the browser tests and Pango for WeasyPrint, from Debian's packages.
system-packages:
	@bin/ensure-system-packages

# The demo's second factor: its admin, reviewer and lead reporters type this code (allauth refuses it unless DEBUG).
run: export DEBUG = 1
run: export DEMO_SECOND_FACTOR_CODE ?= 000000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving the portal at http://127.0.0.1:8000 (Ctrl+C stops it)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: export DEBUG = 1
test: export DATABASE_URL ?= $(PG_URL)
test: export CELERY_BROKER_URL ?= $(REDIS_URL)
# A queue of the suite's own, so that a developer's running worker never takes its tasks.
test: export CELERY_TASK_DEFAULT_QUEUE ?= portal-test
# The live server's request threads would keep their connections open, and the suite's teardown must drop the
# test database; production keeps them (DB_CONN_MAX_AGE, 60 s by default).
test: export DB_CONN_MAX_AGE ?= 0
# The suite runs in one process per core (pytest-xdist); each process has its own test database, Celery queue and
# worker (tests/conftest.py). Tests are handed out in the suite's order, so each process keeps pytest-django's: the
# tests that roll back first, then those that empty the tables; the tests marked `long` start each group, so that
# both processes finish together (--dist worksteal would break that order). TEST_PROCESSES=0 runs it alone.
test: TEST_PROCESSES ?= $(shell nproc)
test: install-test lint
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --verbosity 0
	$(PY) manage.py preflight --require-postgresql --require-broker
	$(PY) -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# After changing a user-facing string: the catalogues of locale/ extracted again and compiled (needs gettext).
messages: export DEBUG = 1
messages: export DATABASE_URL = sqlite:///:memory:
messages: install
	$(PY) manage.py translations

# The habits CI enforces: lint, the apps' import contracts, and no model change without its migration.
lint: export DEBUG = 1
lint: export DATABASE_URL = sqlite:///:memory:
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# The full stack (gunicorn, Celery worker, Celery beat, the S3 server) on PostgreSQL and Redis. Locally it runs with
# DEBUG=1 (plain http); in production set DEBUG=0 with SECRET_KEY and ALLOWED_HOSTS (see docs/operations.md).
# `make demo` seeds (or restores) the demo data set into the same database, with the same environment.
up demo: export DEBUG ?= 1
up demo: export DATABASE_URL ?= $(PG_URL)
up demo: export CELERY_BROKER_URL ?= $(REDIS_URL)
# Rate limits and used second-factor codes shared by every gunicorn worker.
up demo: export CACHE_URL ?= redis://127.0.0.1:6379/1
# The demo's second factor, as for `make run`: the seed gives the demo accounts an authenticator only when it is set,
# and the web process accepts the code only when it is set for it too (and DEBUG is on; production ignores it).
up demo: export DEMO_SECOND_FACTOR_CODE ?= 000000
# Attachments and exports in the S3 server the Procfile starts (bin/storage-server: SeaweedFS on 127.0.0.1:8333 and
# the seven ports after it, its data in var/seaweedfs), as on more than one host (docs/operations.md).
up: export STORAGE_URL ?= http://portal:portal-dev-secret@127.0.0.1:8333/portal
up: install
	mkdir -p var
	$(PY) manage.py preflight --require-postgresql --require-broker --create-database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

demo: install
	$(PY) manage.py preflight --require-postgresql --require-broker --create-database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# The coordinated review's build against a hand-written SQL floor (throwaway database portal_bench).
bench: install
	$(PY) bench/review_build.py --member-states $(or $(SIZES),27 1000 10000)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 var/runtime-venv-*
