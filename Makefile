# Two commands for a fresh machine:  `make run`  and  `make test`.
# Both create ./.venv on first use and install arbook into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?= 2026-10-31
PORT   ?= 8866

.PHONY: run test lint hooks bench aging review arbook clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the message catalogue, compiled when a translation changes (arbook.core.catalogue)
MO := $(patsubst %.po,%.mo,$(wildcard arbook/locale/*/LC_MESSAGES/arbook.po))
$(MO) &: $(MO:.mo=.po) $(STAMP)
	$(BIN)/python -m arbook.core.catalogue compile >/dev/null

run: $(STAMP) $(MO)
	$(BIN)/arbook dashboard data/sample --port $(PORT)

test: $(STAMP) $(MO)
	$(BIN)/python -m pytest -n 2 -q

# ruff (lint and format), mypy (strict on arbook/core) and the import layers; .ci/run runs it first
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# the same checks on every commit: pre-commit's hooks run lint's tools from .venv
hooks: $(STAMP)
	$(BIN)/pre-commit install

# any arbook command without activating .venv: make arbook ARGS="check data/sample"
arbook: $(STAMP)
	$(BIN)/arbook $(ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_aging.py
	$(BIN)/python benchmarks/bench_review.py
	$(BIN)/python benchmarks/bench_dashboard.py

aging: $(STAMP)
	$(BIN)/arbook aging data/sample --as-of $(AS_OF)

review: $(STAMP)
	$(BIN)/arbook review data/sample --as-of $(AS_OF) --out reports

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
