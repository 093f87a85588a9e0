# Two commands for a fresh machine:  `make run`  and  `make test`.
# Both create ./.venv on first use and install arbook into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?= 2026-10-31
PORT   ?= 8866

.PHONY: run test bench aging review clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/arbook dashboard data/sample --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

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
