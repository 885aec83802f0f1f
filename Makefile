# The two commands of the README. Both create .venv/ on first use and install into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ./archive-data

.PHONY: run test install install-test bench

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
test: install-test
	$(BIN)/python -m pytest

# The peer benchmark (bench/run.py): installs Datasette (the `bench` extra), appends to bench/results/peers.md.
SIZES ?= 10000
bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.run $(SIZES)
