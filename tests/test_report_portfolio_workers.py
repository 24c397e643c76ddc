"""`slagen report --portfolio --workers 2`: the PDF reports built by a pool of two processes.

Each customer's PDF must be written, and be byte for byte the PDF one worker builds from the
same figures (each worker process imports the writer and loads the fonts itself; nothing of
that may change a document).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from slagen.pipeline.portfolio import write_portfolio
from slagen.report.portfolio import portfolio_figures
from slagen.report.presets import column_map

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COLUMNS = {"id": "Ticket", "priority": "Priority", "logged_at": "Logged", "first_response_at": "Responded",
           "resolved_at": "Resolved"}
# Each contract's customer named by its agreement reference, which a contract always answers to.
CUSTOMERS = {"acme-dental.yaml": "NW-ACME-2027-01", "lakeshore-legal-us.yaml": "PMI-LSL-2027-02"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("workers")
    (root / "contracts").mkdir()
    for name in CUSTOMERS:
        shutil.copy(EXAMPLES / name, root / "contracts" / name)
    with (root / "all.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Ticket", "Company", "Priority", "Logged", "Responded", "Resolved"])
        for n, reference in enumerate(CUSTOMERS.values()):
            for day in range(1, 11):
                out.writerow([f"T{n}{day:02d}", reference, f"P{day % 4 + 1}", f"2027-03-{day + 3:02d}T09:{day:02d}",
                              f"2027-03-{day + 3:02d}T09:{day + 20:02d}", f"2027-03-{day + 3:02d}T1{day % 8}:00"])
    return root


def _written(folder: Path, out: Path, workers: int) -> dict[str, bytes]:
    # Figures made afresh for each run: writing records its outputs on them.
    book = portfolio_figures(folder / "contracts", folder / "all.csv", period="2027-03",
                             columns=column_map(None, COLUMNS))
    assert [c.error for c in book.customers] == [None, None]
    write_portfolio(book, out, document_format="pdf", workers=workers)
    assert [c.error for c in book.customers] == [None, None]  # no customer's document failed
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def test_two_workers_write_every_customers_pdf_as_one_worker_does(folder, tmp_path):
    one = _written(folder, tmp_path / "one", workers=1)
    two = _written(folder, tmp_path / "two", workers=2)
    assert sorted(two) == ["NW-ACME-2027-01-report-2027-03.pdf", "PMI-LSL-2027-02-report-2027-03.pdf"]
    for name, data in two.items():
        assert data.startswith(b"%PDF-") and len(data) > 10_000
        assert data == one[name], name
