# Two commands on a fresh clone: `make serve` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test build validate lint reference bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/trombi serve

test: $(STAMP)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/trombi build

validate: $(STAMP)
	$(BIN)/trombi validate

lint: $(STAMP)
	$(BIN)/ruff check generator hooks tests benchmarks
	$(BIN)/mypy

reference: $(STAMP)
	$(BIN)/trombi reference

clean:
	rm -rf $(VENV) site .trombi
