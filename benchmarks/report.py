"""How long does `slagen report` take on a million tickets, against reading the CSV alone?

Run:  .venv/bin/python benchmarks/report.py [--tickets N] [--months N] [--runs N] [--seed N]

A synthetic export for examples/acme-dental.yaml (Europe/London, support hours, English bank
holidays; P1 on a 24x7 clock) is written to a temporary file: ``--months`` months of tickets
ending with March 2027 (so the spring DST change and Easter fall inside), times in ISO 8601,
a third with an explicit offset, one ticket in ten with one or two pauses, one in fifty still
open, one in ten thousand with an unknown priority (reported and left out). Then, best of ``--runs`` each:

* baseline: ``list(csv.reader(file))``, the standard CSV reader alone reading every row;
* slagen:   read, check and parse the export (delimiter, encoding and date layout detected, as
  a user gets them), compute every figure for 2027-03 (per priority, overall, monthly trend,
  breaches) and serialise the JSON report.

The goal is slagen within 2x of the baseline. With ``--xlsx`` the same tickets are also written
as a workbook (times as Excel date cells, as Zammad and Excel save them) and timed against
python-calamine reading the sheet alone; the goal there is 1.5x.
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slagen.library.contracts import load_contract  # noqa: E402
from slagen.report import build_report, report_json  # noqa: E402

CONTRACT = ROOT / "examples" / "acme-dental.yaml"
LONDON = __import__("zoneinfo").ZoneInfo("Europe/London")


def iso(values: np.ndarray) -> np.ndarray:
    """datetime64[s] -> 'YYYY-MM-DDTHH:MM:SS' text."""
    return np.datetime_as_string(values, unit="s")


def write_export(path: Path, count: int, months: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    first = np.datetime64("2027-04-01T00:00:00") - np.timedelta64(31 * months, "D")
    span = int((np.datetime64("2027-03-31T23:00:00") - first).astype(np.int64))
    logged = first + np.sort(rng.integers(0, span, count)).astype("timedelta64[s]")
    respond = logged + rng.exponential(1800, count).astype(np.int64).astype("timedelta64[s]")
    resolve = respond + rng.exponential(6 * 3600, count).astype(np.int64).astype("timedelta64[s]")
    priority = rng.choice(np.array(["P1", "P2", "P3", "P4"]), count, p=[0.02, 0.08, 0.5, 0.4])
    priority[rng.random(count) < 1e-4] = "P9"  # about a hundred bad rows, reported and left out
    logged_text, respond_text, resolve_text = iso(logged), iso(respond), iso(resolve)
    with_offset = rng.random(count) < 1 / 3  # the same instants read as UTC, written with Z or +00:00
    logged_text = np.where(with_offset, np.char.add(logged_text, "Z"), logged_text)
    respond_text = np.where(with_offset, np.char.add(respond_text, "Z"), respond_text)
    resolve_text = np.where(with_offset, np.char.add(resolve_text, "+00:00"), resolve_text)
    resolve_text = np.where(rng.random(count) < 0.02, "", resolve_text)
    paused = np.full(count, "", dtype=object)
    for i in np.flatnonzero(rng.random(count) < 0.1).tolist():
        a = logged[i] + np.timedelta64(int(rng.integers(0, 3600)), "s")
        b = a + np.timedelta64(int(rng.integers(600, 4 * 3600)), "s")
        piece = f"{iso(a)}/{iso(b)}"
        if rng.random() < 0.3:
            c = b + np.timedelta64(int(rng.integers(0, 7200)), "s")
            piece += f";{iso(c)}/{iso(c + np.timedelta64(1800, 's'))}"
        paused[i] = piece
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "priority", "logged_at", "first_response_at", "resolved_at", "paused"])
        out.writerows(zip((f"T{i:07d}" for i in range(count)), priority.tolist(), logged_text.tolist(),
                          respond_text.tolist(), resolve_text.tolist(), paused.tolist()))


def write_workbook(csv_path: Path, path: Path) -> None:
    """The CSV's tickets as an XLSX sheet: text cells, and times as date cells in wall time."""
    sys.path.insert(0, str(ROOT / "tests" / "data" / "report" / "presets"))
    from make_fixtures import xlsx_bytes

    from datetime import datetime

    def cell(text: str):
        if 19 <= len(text) <= 25 and text[4] == "-" and text[10] == "T":  # a time, not a pause (start/end)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:  # a workbook has no offsets: write the London wall time
                moment = moment.astimezone(LONDON).replace(tzinfo=None)
            return moment
        return text

    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = [[cell(v) for v in row] for row in csv.reader(handle)]
    path.write_bytes(xlsx_bytes(rows))


def same_figures(first: str, second: str) -> bool:
    """Two JSON reports agree on everything but the names of the files they read."""
    import json

    def figures(text: str) -> dict:
        data = json.loads(text)
        data["tickets"].pop("file")
        for row in data["rejected_rows"]:
            row.pop("file")
        return data

    return figures(first) == figures(second)


def best_of(runs: int, job) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--xlsx", action="store_true", help="also time the same tickets as an XLSX workbook")
    args = parser.parse_args()

    contract = load_contract(CONTRACT)
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "tickets.csv"
        write_export(export, args.tickets, args.months, args.seed)
        size = export.stat().st_size
        print(f"export:   {args.tickets:,} tickets over {args.months} months, {size / 1e6:.1f} MB")

        def read_only():
            with export.open(newline="", encoding="utf-8") as handle:
                return len(list(csv.reader(handle)))

        def full_report():
            return report_json(build_report(contract, export, period="2027-03"))

        def read_only_without_gc():
            gc.disable()
            try:
                return read_only()
            finally:
                gc.enable()

        full_report()  # warm-up: builds the calendars' years and imports once
        baseline, rows = best_of(args.runs, read_only)
        baseline_no_gc, _ = best_of(args.runs, read_only_without_gc)
        ours, text = best_of(args.runs, full_report)
        if args.xlsx:
            from python_calamine import CalamineWorkbook

            workbook = Path(tmp) / "tickets.xlsx"
            write_workbook(export, workbook)

            def read_workbook():
                return len(CalamineWorkbook.from_path(str(workbook)).get_sheet_by_index(0).to_python())

            def workbook_report():
                return report_json(build_report(contract, workbook, period="2027-03"))

            xlsx_base, _ = best_of(args.runs, read_workbook)
            xlsx_ours, xlsx_text = best_of(args.runs, workbook_report)
    print(f"baseline: csv.reader alone             {baseline:6.3f} s  ({rows - 1:,} rows)")
    print(f"          (the same with the garbage collector paused, as slagen reads: {baseline_no_gc:.3f} s)")
    print(f"slagen:   CSV -> JSON report (2027-03) {ours:6.3f} s  ({len(text) / 1e3:.0f} kB of JSON)")
    print(f"ratio:    {ours / baseline:.2f}x the CSV reader alone (goal: at most 2x); "
          f"{ours / baseline_no_gc:.2f}x the reader with the collector paused")
    if args.xlsx:
        print(f"xlsx:     calamine alone {xlsx_base:6.3f} s; XLSX -> JSON report {xlsx_ours:6.3f} s "
              f"({xlsx_ours / xlsx_base:.2f}x, goal: at most 1.5x; the same figures: "
              f"{same_figures(xlsx_text, text)})")


if __name__ == "__main__":
    main()
