# Pingyi — everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production sets its own environment (see README).
DEV_ENV := DEBUG=$${DEBUG:-true}

.PHONY: setup messages run demo test test-fast lint format clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Compiled translations are build output, not source: made from locale/*.po here.
messages: setup
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0

run: messages
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(DEV_ENV) $(BIN)/python manage.py load_demo --through rectification
	@echo "Pingyi is starting on http://$(HOST):$(PORT)/"
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: messages
	$(DEV_ENV) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-fast: messages
	$(DEV_ENV) $(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(DEV_ENV) $(BIN)/python manage.py check
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(BIN)/mypy .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-* .mypy_cache .ruff_cache
	find . -name "*.mo" -not -path "./.venv/*" -delete
