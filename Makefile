# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs slagen with its dev extras when missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m slagen.demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/clock.py
	$(BIN)/python benchmarks/docx.py

schema: $(STAMP)
	$(BIN)/slagen schema > schema/slagen.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache
