# The two commands of the README: `make sync` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check -q

.PHONY: sync test lint query benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.tests-installed: setup.py | $(BIN)/python
	$(PIP) -e '.[tests]'
	touch $@

$(VENV)/.local-installed: setup.py | $(BIN)/python
	$(PIP) -e '.[local]'
	touch $@

## sync: sync sheets into .local/smartsheets.duckdb (the demo workspace, or CONFIG=your-config.json)
sync: $(VENV)/.local-installed
	$(BIN)/python -m local_sync $(if $(CONFIG),--config $(CONFIG)) $(if $(FULL_REFRESH),--full-refresh)

## query: run SQL against the local DuckDB file, e.g. make query SQL='SELECT * FROM website_relaunch_plan'
query: $(VENV)/.local-installed
	$(BIN)/python -m local_sync --query "$(SQL)"

## test: lint, type-check and run every test (unit, emulator, end-to-end)
test: $(VENV)/.tests-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

## benchmark: this connector vs the official one vs a floor, on the large and many worlds
benchmark: $(VENV)/.tests-installed
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
