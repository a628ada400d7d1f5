# The two commands a new user types: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/uv/bin/uv
export UV_CACHE_DIR ?= $(HOME)/.cache/uv
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format install system-deps messages test-sqlite test-postgres worker clean

install: $(VENV)/.installed

$(UV):
	@python3 -m pip install -q --target .tools/uv uv || "$$(scripts/python.sh)" -m pip install -q --target .tools/uv uv

$(VENV)/.installed: requirements.lock $(UV)
	@test -x $(PY) || $(UV) venv -q --python "$$(scripts/python.sh)" $(VENV)
	$(UV) pip sync -q --python $(PY) --require-hashes requirements.lock
	@touch $@

system-deps:
	@scripts/system_deps.sh

## make run: the demo shop on http://127.0.0.1:8000 (SQLite, outbox, worker);
## `make run PORT=8080` serves it on another port (links in emails follow).
PORT ?= 8000
run: install
	@mkdir -p var
	SHOP_DEMO=1 $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=.tools 2>/dev/null || true
	SHOP_DEMO=1 $(PY) manage.py migrate -v0
	SHOP_DEMO=1 SHOP_LINK_PORT=$(PORT) $(PY) manage.py load_demo_data
	@trap 'kill 0' EXIT; \
	SHOP_DEMO=1 SHOP_LINK_PORT=$(PORT) $(PY) manage.py run_worker & \
	SHOP_DEMO=1 SHOP_LINK_PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

worker: install
	SHOP_DEMO=1 $(PY) manage.py run_worker

## make messages: refresh the catalogues from the code, then compile them
## (translate what is new or fuzzy in between, and run it again).
messages: install
	cd shop_accounts && SHOP_TESTING=1 ../$(PY) ../manage.py makemessages -l de -l nl -l nb -l it --ignore=.venv --ignore=.tools --ignore=tests --ignore=bench
	SHOP_TESTING=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SHOP_TESTING=1 $(VENV)/bin/mypy shop_accounts
	$(VENV)/bin/lint-imports
	SHOP_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	SHOP_TESTING=1 $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=.tools
	SHOP_TESTING=1 $(PY) manage.py check --fail-level WARNING

## make test: lint, then every test on SQLite and on a PostgreSQL it starts itself,
## spread over the machine's cores (pytest-xdist; a test file stays on one worker, so
## the production tests' own servers and a browser session's server are not shared).
PYTEST_ARGS ?= --numprocesses auto --dist loadfile
test: install system-deps lint test-sqlite test-postgres

test-sqlite: install
	SHOP_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	@url=$$(scripts/postgres.sh start) && trap 'scripts/postgres.sh stop' EXIT && \
	SHOP_TESTING=1 DATABASE_URL=$$url $(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .tools var
