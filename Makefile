# Two commands on a fresh clone: `make serve` and `make test`. Everything else is set up on the way.
# Prerequisites: Python 3.11 or newer (as `python3`, or PYTHON=...), make, git; for the tests, Chromium,
# Node.js with npm (axe-core and the Nu HTML Checker, from package-lock.json) and Java 11 or newer.

# The first of these that is 3.11 or newer; PYTHON=/path/to/python overrides it.
PYTHON ?= $(firstword $(foreach candidate,python3 python3.13 python3.12 python3.11,$(if $(shell $(candidate) -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null | grep True),$(candidate))))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian's chromium, or the browser named by TROMBI_CHROMIUM; SKIP_BROWSER=1 runs the tests without it.
CHROMIUM := $(or $(TROMBI_CHROMIUM),$(shell command -v chromium || command -v chromium-browser))

.PHONY: serve test check build validate lint reference vendor bench bench-relevance lock upgrade-test clean

# Every dependency comes from requirements.lock, pinned and checked by hash; Trombi itself is
# installed without build isolation, so that its build backend is the locked hatchling too.
$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Trombi needs Python 3.11 or newer as python3 (or set PYTHON=/path/to/python3.11)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The accessibility checks' tools, from the npm registry, pinned and checked by package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { printf '%s\n' \
		"error: the accessibility tests need Node.js and npm (axe-core, the Nu HTML Checker), and none was found." \
		"  Debian/Ubuntu: sudo apt-get install nodejs npm default-jre-headless" \
		"  or run the rest without them: make test SKIP_BROWSER=1." >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The JSON Schema validator and the YAML parser the profile form runs in the browser, committed under generator/assets/vendor/
# so that a build needs no npm: copied from node_modules/ as package-lock.json pins it. Run it after
# changing its version in package.json (npm install), and commit the result; tests/test_form_vendor.py
# fails while the two differ.
VALIDATOR := node_modules/@cfworker/json-schema
VENDORED := generator/assets/vendor/cfworker-json-schema
YAML_PARSER := node_modules/yaml
VENDORED_YAML := generator/assets/vendor/yaml
vendor: $(NODE_STAMP)
	rm -f $(VENDORED)/*.js
	cp $(VALIDATOR)/dist/esm/*.js $(VENDORED)/
	version=$$(node -p 'require("./$(VALIDATOR)/package.json").version') && \
		sed -i -E "s/^# @cfworker\/json-schema .*/# @cfworker\/json-schema $$version/; s/^- Version: [^,]*,/- Version: $$version,/" $(VENDORED)/README.md
	find $(VENDORED_YAML) -name '*.js' -delete
	cp -r $(YAML_PARSER)/browser/dist/. $(VENDORED_YAML)/
	cp $(YAML_PARSER)/LICENSE $(VENDORED_YAML)/LICENSE
	version=$$(node -p 'require("./$(YAML_PARSER)/package.json").version') && \
		sed -i -E "s/^# yaml .*/# yaml $$version/; s/^- Version: [^,]*,/- Version: $$version,/" $(VENDORED_YAML)/README.md

serve: $(STAMP)
	$(BIN)/trombi serve --host $(HOST) --port $(PORT)

# The suite on every core: each test module on one worker, so that the sites it builds are built once.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: $(STAMP)
ifeq ($(SKIP_BROWSER),1)
	TROMBI_REQUIRE_BROWSER=0 $(PYTEST)
else
	@test -n "$(CHROMIUM)" || { printf '%s\n' \
		"error: the browser tests need Chromium, and none was found." \
		"  Debian/Ubuntu: sudo apt-get install chromium" \
		"  Fedora: sudo dnf install chromium    macOS: brew install --cask chromium" \
		"  or point TROMBI_CHROMIUM at a Chromium binary;" \
		"  or run the rest without it: make test SKIP_BROWSER=1 (the browser tests are then skipped)." >&2; exit 1; }
	@$(MAKE) --no-print-directory $(NODE_STAMP)
	TROMBI_REQUIRE_BROWSER=1 TROMBI_CHROMIUM="$(CHROMIUM)" $(PYTEST)
endif

# For quick iterations: lint, types and the tests that build no site (about 30 s); `make test` runs everything.
check: $(STAMP)
	$(BIN)/ruff check generator hooks tests benchmarks
	$(BIN)/mypy
	$(PYTEST) -m "not integration"

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

# How well both searches rank the judged queries of benchmarks/relevance.yaml; writes its block of RESULTS.md.
bench-relevance: $(STAMP)
	$(BIN)/python -m benchmarks.relevance

# requirements.lock from pyproject.toml: one resolution for every Python 3.11+ and platform, with
# hashes. uv resolves it (universal markers, which pip-compile cannot do); plain pip installs it.
lock:
	test -x .tools/bin/uv || { $(PYTHON) -m venv .tools && .tools/bin/python -m pip install --quiet uv; }
	printf 'hatchling>=1.27\n' | .tools/bin/uv pip compile pyproject.toml - --extra test --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet -o requirements.lock

# The newest versions pyproject.toml allows, not the lock's, in a venv of their own: what the
# scheduled CI job runs to see a breaking release before a user does. Material is pinned to one
# release (generator/overrides/ copies its templates), so MATERIAL, its newest 9.x, is installed
# over the pin: when that is a newer release, pip says the pin is not met and tests/test_upstream.py
# names what to re-check before the pin moves. MATERIAL=mkdocs-material==X.Y.Z tries a given one.
MATERIAL ?= mkdocs-material<10
upgrade-test:
	rm -rf .venv-latest && $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "$(MATERIAL)"
	TROMBI_REQUIRE_BROWSER=1 .venv-latest/bin/python -m pytest

clean:
	rm -rf $(VENV) .venv-latest site .trombi node_modules
