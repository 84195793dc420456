# Two entry points (see README): `make demo` runs the main job, `make test` runs the tests.
# Both create .venv and install the pinned dependencies first when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: demo test dev bench

$(INSTALLED): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(VENV)/bin/python -m pip install --quiet -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	$(VENV)/bin/python -c "import monitr_pipeline, dagster, dlt, dbt.version"
	touch $(INSTALLED)

demo: $(INSTALLED)
	$(VENV)/bin/monitr demo

# Two workers, each module on one of them (modules share an emulator world); PYTEST_ARGS adds to it.
TEST_WORKERS ?= 2

test: $(INSTALLED)
	$(VENV)/bin/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

dev: $(INSTALLED)
	$(VENV)/bin/monitr dev

bench: $(INSTALLED)
	$(VENV)/bin/python bench/ingest_throughput.py
