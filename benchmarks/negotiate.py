"""Time reading back a 30-page marked-up agreement with 200 revisions, against the 1 s goal.

    .venv/bin/python benchmarks/negotiate.py

The agreement is the Acme Dental example with three added clauses of the parties' own text, so
that it runs to at least 30 pages (counted in its PDF). It is marked up as Word saves a reviewer's
edits (tests/negotiate_markup.py): 50 values typed over and 50 phrases replaced, each a deletion
and an insertion (200 revisions), runs split mid-word in 20 paragraphs, and 10 comments.

Timed, as medians of several in-process runs after a warming one:

* read: :func:`slagen.negotiate.reader.read_marked_up` on the customer's file;
* read and classify: the customer's file and the sent file read, and every change mapped onto
  its clause and contract path (:func:`slagen.negotiate.changes.classify`) - what the goal is for;
* the floor: unzipping the customer's document.xml and parsing it with lxml, nothing else.

Composing the agreement again from the contract (which the command does once, to know what was
sent) is rendering, not reading, and is printed apart for information.
"""

from __future__ import annotations

import statistics
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from negotiate_markup import MarkUp  # noqa: E402

from slagen.library.contracts import load_contract  # noqa: E402
from slagen.negotiate.changes import classify, expected_document, value_paths  # noqa: E402
from slagen.negotiate.reader import read_marked_up  # noqa: E402

GOAL_SECONDS = 1.0
RUNS = 7
PARAGRAPH = ("The Provider shall keep a record of every change it makes to the Customer's systems under this "
             "clause, with the date, the person who made it, the reason and the result, and shall give the "
             "Customer a copy of that record within five Business Days of a request. ")


def contract_text() -> str:
    text = (ROOT / "examples" / "acme-dental.yaml").read_text(encoding="utf-8")
    body = "\n\n".join(PARAGRAPH * 3 for _ in range(17))
    added = "\nclauses:\n" + "".join(
        f"  - id: records-{n}\n    action: add\n    title: Records of changes {n}\n    after: maintenance\n"
        f"    reason: Agreed with the customer.\n    text: |\n"
        + "".join(f"      {line}\n" for line in body.splitlines())
        for n in range(1, 4))
    return text + added


def pages(document) -> int:
    import pypdf

    from slagen.writers.pdf import render_pdf

    return len(pypdf.PdfReader(BytesIO(render_pdf(document)[0])).pages)


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def mark_up(docx: bytes, document) -> bytes:
    m = MarkUp(docx)
    for n in range(0, 100, 2):  # every other one of the first 100 values typed over: 50 changes
        m.track_value(n, "changed words")
    replaced = 0
    for p in list(m.paragraphs()):
        if replaced < 50 and _text(p).startswith("The Provider shall keep a record"):
            m.track_replace_in(p, "the person who made it", "the name of the engineer")
            replaced += 1
    assert replaced == 50, replaced
    paragraphs = [p for p in m.paragraphs() if len(_text(p)) > 80]
    for p in paragraphs[10:30]:
        m.split_runs(_text(p)[:40])
    for p in paragraphs[40:140:10]:
        m.comment(_text(p)[:40], _text(p).split()[1], "Please explain.")
    return m.save()


def median(func) -> float:
    func()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acme-long.yaml"
        path.write_text(contract_text(), encoding="utf-8")
        contract = load_contract(path)
    start = time.perf_counter()
    document, sent = expected_document(contract, "agreement")
    compose = time.perf_counter() - start
    theirs = mark_up(sent, document)
    marked = read_marked_up(theirs)
    revisions = len(marked.revisions)
    print(f"agreement: {pages(document)} pages, {len(marked.paragraphs)} paragraphs, {revisions} revisions, "
          f"{len(marked.comments)} comments, {len(value_paths(document))} marked values")

    def floor() -> None:
        with zipfile.ZipFile(BytesIO(theirs)) as z:
            etree.fromstring(z.read("word/document.xml"))

    def read() -> None:
        read_marked_up(theirs, "theirs.docx")

    def read_and_classify() -> None:
        classify(read_marked_up(theirs, "theirs.docx"), read_marked_up(sent), document, "theirs.docx", contract)

    changes = classify(read_marked_up(theirs), read_marked_up(sent), document, "theirs.docx", contract).changes
    t_floor, t_read, t_all = median(floor), median(read), median(read_and_classify)
    print(f"changes found: {len(changes)} ({sum(c.kind == 'value' for c in changes)} values, "
          f"{sum(c.kind == 'wording' for c in changes)} wording, {sum(c.kind == 'note' for c in changes)} notes)")
    print(f"floor (unzip + lxml parse of document.xml): {t_floor * 1000:7.1f} ms")
    print(f"read the marked-up file:                    {t_read * 1000:7.1f} ms  ({t_read / t_floor:.1f}x the floor)")
    print(f"read both files and classify every change:  {t_all * 1000:7.1f} ms  ({t_all / t_floor:.1f}x the floor)")
    print(f"goal: under {GOAL_SECONDS:.1f} s -> {'met' if t_all < GOAL_SECONDS else 'MISSED'}")
    print(f"(composing the agreement again from the contract, once per command: {compose * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
