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

# The demo shows slagen's main job on the bundled example: validate every example, show what the
# checker finds in the first draft (acme-dental-infeasible: exit 1 "found problems" is expected),
# check the reference contract that fixed them (it must pass), render its agreement and statement
# of work into out/, then report March 2027's attainment from the example ticket and outage exports.
demo: $(STAMP)
	$(BIN)/slagen validate examples/*.yaml
	@echo
	$(BIN)/slagen check examples/acme-dental-infeasible.yaml || test $$? -eq 1
	@echo
	$(BIN)/slagen check examples/acme-dental.yaml
	@echo
	$(BIN)/slagen render examples/acme-dental.yaml -o out
	$(BIN)/slagen render examples/lakeshore-legal-us.yaml -o out
	@echo
	$(BIN)/slagen report examples/acme-dental.yaml --period 2027-03 \
	    --tickets examples/acme-dental-tickets-2027-03.csv --outages examples/acme-dental-outages-2027-03.csv \
	    --format pdf -o out/NW-ACME-2027-01-report-2027-03.pdf
	@echo
	@ls -l out

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/clock.py
	$(BIN)/python benchmarks/check.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/docx_writer.py
	$(BIN)/python benchmarks/workspace.py

schema: $(STAMP)
	$(BIN)/slagen schema > schema/slagen.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache
