"""Time write_docx on a large agreement, against the 0.3 s goal and a python-docx floor.

    .venv/bin/python benchmarks/docx_writer.py

The floor is python-docx opening its default template and saving it with no content: the
least any DOCX written through python-docx costs. Figures are medians of several in-process
runs (imports and the first, warming run are not counted).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path

import docx  # noqa: E402

from slagen.document import (  # noqa: E402
    Cover,
    Document,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Table,
    TableOfContents,
    text,
)
from slagen.writers.docx import write_docx  # noqa: E402

GOAL_SECONDS = 0.3
RUNS = 9

CLAUSE = (
    "The Supplier shall provide the Services in accordance with this Agreement, with the skill, care "
    "and diligence of a competent provider of such services, and shall meet or exceed each Service "
    "Level set out in the Service Level table below during every Measurement Period."
)


def _clause(n: int) -> tuple:
    return (
        Paragraph((Run(f"{n}. ", bold=True), Run(CLAUSE))),
        Paragraph(text(CLAUSE + " {{ not a template }} <b>not markup</b>")),
        ListBlock(tuple((Paragraph(text(f"obligation {i} of clause {n}")),) for i in range(4)), ordered=n % 2 == 0),
    )


def _table(rows: int, caption: str) -> Table:
    return Table(
        header=(text("Priority"), text("Description"), text("Response"), text("Resolution"), text("Hours")),
        rows=tuple(
            (text(f"P{i % 4 + 1}"), text(f"Incident class {i}: {CLAUSE[:60]}"), text(f"{i % 8 + 1} h"),
             text(f"{(i % 8 + 1) * 4} h"), text("24×7" if i % 2 else "business hours"))
            for i in range(rows)
        ),
        caption=caption,
        widths=(1, 4, 1.2, 1.2, 1.6),
    )


def large_agreement() -> Document:
    """About 40 pages: 12 clauses of 4 subclauses of 2 sub-subclauses, 3 long tables, 3 annexes."""
    sections = []
    for s in range(12):
        subsections = []
        for t in range(4):
            subsub = tuple(Section(f"c{s}-{t}-{u}", f"Detail {u + 1}", _clause(u)) for u in range(2))
            subsections.append(Section(f"c{s}-{t}", f"Subclause {t + 1}", _clause(t) + subsub))
        children = tuple(subsections)
        if s in (3, 6, 9):
            children += (_table(80, f"Table {s // 3} — Service levels"),)
        sections.append(Section(f"c{s}", f"Clause {s + 1}", children, numbered=s != 0))
    sections.append(Section("sign", "Signatures", (SignatureBlock(("Acme Dental Ltd", "Globex IT plc", "Initech")),)))
    annexes = tuple(
        Section(f"annex-{a}", f"Schedule {a}", (Paragraph((Run(CLAUSE), LineBreak(), Run(CLAUSE))),
                                                 Section(f"annex-{a}-1", "Contacts", _clause(a)),
                                                 _table(30, f"Annex table {a}")), annex=True)
        for a in range(3)
    )
    return Document(
        kind="agreement", title="Managed Services Agreement", reference="MSA-2027-042",
        cover=Cover("Managed Services Agreement", "Schedule of service levels", ("Acme Dental Ltd", "Globex IT plc"),
                    "MSA-2027-042", "2.1", date(2027, 1, 1), True),
        blocks=(TableOfContents(), PageBreak(), *sections, *annexes),
        date=date(2027, 1, 1), author="Globex IT plc", subject="Managed services", keywords=("sla",), draft=True,
    )


def _median(fn, runs: int = RUNS) -> float:
    fn()  # warm caches and lazy imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _floor() -> None:
    document = docx.Document()
    document.save(BytesIO())


def main() -> None:
    tree = large_agreement()
    start = time.perf_counter()
    size = len(write_docx(tree))  # the first in a process subsets the brand's four font faces to embed
    first = time.perf_counter() - start
    blocks = sum(1 for _ in __import__("slagen.document", fromlist=["walk"]).walk(tree.blocks))
    ours = _median(lambda: write_docx(tree))
    floor = _median(_floor, runs=3 * RUNS)  # short, so noisier: more runs
    print(f"write_docx, large agreement ({blocks} blocks, {size / 1024:.0f} KiB): median {ours * 1000:.1f} ms "
          f"over {RUNS} runs; goal {GOAL_SECONDS * 1000:.0f} ms -> {'OK' if ours < GOAL_SECONDS else 'TOO SLOW'}")
    print(f"first write_docx in this process, which subsets the embedded fonts (later ones reuse them): "
          f"{first * 1000:.0f} ms, fontTools' import included")
    print(f"floor, python-docx saving an empty Document(): median {floor * 1000:.1f} ms")
    print(f"ratio write_docx / floor: {ours / floor:.1f}x; goal / write_docx: {GOAL_SECONDS / ours:.1f}x headroom")


if __name__ == "__main__":
    main()
