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

# The performance suite: `make bench SIZES=1000,10000` to choose the sizes; writes benchmarks/RESULTS.md.
SIZES ?= 1000,10000,100000
RUNS ?= 3
bench: $(STAMP)
	$(BIN)/python -m benchmarks --sizes $(SIZES) --runs $(RUNS)

clean:
	rm -rf $(VENV) site .trombi
