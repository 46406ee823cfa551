# The two commands of the README: `make sync` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check -q
LOCK := $(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: sync test lint query benchmark spec lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Everything a developer runs (tests, the local sync) installs the locked versions of requirements/dev.lock.
$(VENV)/.installed: requirements/dev.lock setup.py | $(BIN)/python
	$(PIP) -r requirements/dev.lock
	$(PIP) --no-deps -e .
	touch $@

## sync: sync sheets into DuckDB (the demo workspace, WORLD=edge|many|large, or CONFIG=your-config.json; MERGE=template merges sheets)
sync: $(VENV)/.installed
	$(BIN)/python -m local_sync $(if $(CONFIG),--config $(CONFIG)) $(if $(WORLD),--world $(WORLD)) $(if $(FULL_REFRESH),--full-refresh) $(if $(MERGE),--merge "$(MERGE)")

# SQL exactly as typed: $(value) keeps make from expanding `$HOME`, and single quotes are escaped for the shell,
# so double quotes (quoted identifiers) and dollars reach DuckDB unchanged.
SQL_AS_TYPED = '$(subst ','\'',$(value SQL))'

## query: run SQL against the local DuckDB file, e.g. make query SQL='SELECT * FROM website_relaunch_plan' (ROWS=200 shows more rows)
query: $(VENV)/.installed
	$(BIN)/python -m local_sync --query=$(SQL_AS_TYPED) $(if $(ROWS),--rows $(ROWS)) $(if $(DB),--db $(DB)) $(if $(CONFIG),--config $(CONFIG)) $(if $(WORLD),--world $(WORLD)) $(if $(MERGE),--merge "$(MERGE)")

## test: lint, type-check and run every test (unit, emulator, end-to-end)
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

## benchmark: this connector vs the official one vs a floor, on the large and many worlds
benchmark: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run

## spec: regenerate source_smartsheets/spec.json and the README's configuration table from the config model
spec: $(VENV)/.installed
	$(BIN)/python -c 'from source_smartsheets.spec import write_spec_file; write_spec_file()'

## lock: refresh the locked versions from setup.py's ranges (the image installs main.lock, developers dev.lock)
lock: $(VENV)/.installed
	$(LOCK) -o requirements/main.lock setup.py
	$(LOCK) --extra tests --extra local -o requirements/dev.lock setup.py

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
