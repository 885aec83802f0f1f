# The two commands of the README. Both create .venv/ on first use and install into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ./archive-data

.PHONY: run test install install-test chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Install, load the demo testimonies (once; repeating imports nothing new) and serve on 127.0.0.1:5000.
run: install
	$(BIN)/archive --data $(DATA) init
	$(BIN)/archive --data $(DATA) demo
	$(BIN)/archive --data $(DATA) serve

# Install the test dependencies and run the whole suite (what .ci/run calls).
test: install-test chromium
	$(BIN)/python -m pytest

# The browser tests (tests/browser) drive Debian's chromium through Playwright; it is installed
# here when missing (CI is a fresh Debian machine, as root), never downloaded by Playwright.
chromium:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-core; }
