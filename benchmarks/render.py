"""How long does a render take, against WeasyPrint alone on the same final HTML?

Run:  .venv/bin/python benchmarks/render.py [--runs N] [--contract FILE]

All in one warm process (imports and the first layout paid before timing), interleaved runs:

- slagen PDF:       assemble the agreement (clauses, clock examples) + HTML writer + WeasyPrint
                    with slagen's asset-only fetcher, pinned dates, and the layout-text capture
                    the output check reads. Goal: at most 1.2x WeasyPrint alone.
- WeasyPrint alone: weasyprint.HTML(string=<the same final HTML>).write_pdf(), default options.
- slagen DOCX:      the DOCX writer on the already-assembled agreement. Goal: under 0.3 s.

And in fresh processes, what loading WeasyPrint costs before the first page: a plain
``import weasyprint`` (its cffi library search runs ``ctypes.util.find_library``, which spawns
ldconfig, gcc and ld for every library name that does not open directly) against slagen's
``import_weasyprint`` (slagen/writers/weasy.py), counting the processes each one starts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slagen.compose.assemble import assemble  # noqa: E402
from slagen.library.contracts import load_contract  # noqa: E402
from slagen.writers.html import ASSETS, write_html  # noqa: E402
from slagen.writers.pdf import render_pdf  # noqa: E402
from slagen.writers.weasy import import_weasyprint  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--contract", type=Path, default=ROOT / "examples" / "acme-dental.yaml")
    args = parser.parse_args()

    import logging

    library_lookup(runs=5)
    weasyprint = import_weasyprint()

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    contract = load_contract(args.contract)

    def slagen_pdf() -> None:
        render_pdf(assemble(contract, "agreement"))

    document = assemble(contract, "agreement")
    html = write_html(document)

    def weasyprint_alone() -> None:
        weasyprint.HTML(string=html, base_url=ASSETS.as_uri() + "/").write_pdf()

    try:
        from slagen.writers.docx import write_docx
    except ModuleNotFoundError as exc:  # a build without the DOCX writer
        if exc.name != "slagen.writers.docx":
            raise
        write_docx = None

    def slagen_docx() -> None:
        write_docx(document)

    cases = {"slagen PDF (assemble + HTML + WeasyPrint)": slagen_pdf, "WeasyPrint alone, same HTML": weasyprint_alone}
    if write_docx is not None:
        cases["slagen DOCX (writer, in-process)"] = slagen_docx
    times: dict[str, list[float]] = {name: [] for name in cases}
    for func in cases.values():  # warm-up: imports, font loading, first Jinja compile
        func()
    for _ in range(args.runs):
        for name, func in cases.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)

    pages = len(weasyprint.HTML(string=html, base_url=ASSETS.as_uri() + "/").render().pages)
    print(f"{args.contract.name}: agreement, {pages} pages, {args.runs} runs each, median (min-max)")
    for name, samples in times.items():
        print(f"  {name:44s} {statistics.median(samples) * 1000:8.1f} ms  "
              f"({min(samples) * 1000:.1f}-{max(samples) * 1000:.1f})")
    names = list(cases)
    ratio = statistics.median(times[names[0]]) / statistics.median(times[names[1]])
    print(f"  PDF ratio slagen / WeasyPrint alone: {ratio:.2f}x (goal: at most 1.20x)")
    if write_docx is not None:
        docx_median = statistics.median(times[names[2]])
        print(f"  DOCX: {docx_median:.3f} s (goal: under 0.3 s) -> {'met' if docx_median < 0.3 else 'missed'}")


# Runs in a fresh interpreter: counts every process started while WeasyPrint loads.
_LOOKUP = """
import subprocess, sys, time
started = 0
real_init = subprocess.Popen.__init__
def counting_init(self, *args, **kwargs):
    global started
    started += 1
    real_init(self, *args, **kwargs)
subprocess.Popen.__init__ = counting_init
start = time.perf_counter()
if sys.argv[1] == "slagen":
    from slagen.writers.weasy import import_weasyprint
    import_weasyprint()
else:
    import weasyprint
print(started, time.perf_counter() - start)
"""


def library_lookup(runs: int) -> None:
    import subprocess

    samples: dict[str, list[tuple[int, float]]] = {"plain": [], "slagen": []}
    for _ in range(runs):
        for way in samples:
            done = subprocess.run([sys.executable, "-c", _LOOKUP, way], capture_output=True, text=True, cwd=ROOT,
                                  check=True)
            count, seconds = done.stdout.split()
            samples[way].append((int(count), float(seconds)))
    print(f"loading WeasyPrint in a fresh process, {runs} runs each, median:")
    for way, label in (("plain", "import weasyprint"), ("slagen", "slagen's import_weasyprint")):
        counts = [c for c, _ in samples[way]]
        seconds = statistics.median(s for _, s in samples[way])
        print(f"  {label:28s} {seconds * 1000:8.1f} ms, {max(counts)} processes started")
    saved = statistics.median(s for _, s in samples["plain"]) - statistics.median(s for _, s in samples["slagen"])
    print(f"  saved per render command: {saved * 1000:.0f} ms")


if __name__ == "__main__":
    main()
