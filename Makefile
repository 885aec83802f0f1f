# The two commands of the README. Both create .venv/ on first use and install into it; they install
# again only when setup.cfg or pyproject.toml changed (the stamps below).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ./archive-data
WORKERS ?= 2

.PHONY: run test quick install install-test system-packages bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools>=68" wheel

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e . 2> $(VENV)/install.log || { cat $(VENV)/install.log; exit 1; }
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]' 2> $(VENV)/install.log || { cat $(VENV)/install.log; exit 1; }
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Install, load the demo testimonies (once; repeating imports nothing new) and serve on 127.0.0.1:5000.
run: install
	$(BIN)/archive --data $(DATA) init
	$(BIN)/archive --data $(DATA) demo
	$(BIN)/archive --data $(DATA) serve

# Debian packages the PDF export needs: Pango for WeasyPrint, Noto fonts for Arabic and Cyrillic;
# and Chromium's headless build, which the browser tests (tests/browser) drive through Playwright (never a browser
# Playwright downloads). Installed only when missing (CI runs as root on a fresh machine).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core chromium-headless-shell
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; fi

# The suite starts hundreds of Python processes (its workers, and the CLI runs the crash and start-up
# tests make): each compiles the archive's modules and rewrites the tests' asserts again unless their
# bytecode is kept, so it is kept even where the environment says otherwise (PYTHONDONTWRITEBYTECODE).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

# Install the test dependencies and run the whole suite, on WORKERS processes (what .ci/run calls).
test: install-test system-packages
	$(PYTEST) -n $(WORKERS) --dist loadfile

# The quick loop while working: everything but the browser, the slow and the crash tests.
quick: install-test
	$(PYTEST) -n $(WORKERS) --dist loadfile -m "not browser and not slow" -q

# The peer benchmark (bench/run.py): installs Datasette (the `bench` extra), appends to bench/results/peers.md.
SIZES ?= 10000
bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.run $(SIZES)
