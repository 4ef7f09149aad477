# The README's two commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_STAMP := $(VENV)/.installed-dev
LOWEST := .venv-lowest
LOWEST_STAMP := $(LOWEST)/.installed

.PHONY: demo test test-lowest lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

$(LINT_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(LINT_STAMP)

# The lowest versions pyproject.toml allows for our direct dependencies (uv resolves them).
$(LOWEST_STAMP): pyproject.toml
	test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install -q uv
	$(LOWEST)/bin/uv pip install -q --python $(LOWEST)/bin/python --reinstall --resolution lowest-direct -e '.[test]'
	touch $(LOWEST_STAMP)

demo: $(STAMP)
	$(BIN)/skema demo

# pytest runs on every core (pytest-xdist, `-n auto` in pyproject.toml)
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# the declared lower bounds are true: the tests that need no LibreOffice, on the lowest versions
test-lowest: $(LOWEST_STAMP)
	$(LOWEST)/bin/python -m pytest -q -n auto -p no:cacheprovider -m "not libreoffice"

lint: $(LINT_STAMP)
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/ruff format --check toolkit tests benchmarks
	$(BIN)/mypy toolkit

bench: $(STAMP)
	$(BIN)/python benchmarks/generer.py

clean:
	rm -rf $(VENV) $(LOWEST) output build *.egg-info
