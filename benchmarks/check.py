"""Time `slagen check` against `slagen validate` on the reference contract, each as a fresh process.

The issue's budget: check takes at most 1.5x the time of validate. Each command runs several
times, alternating, and the medians are compared. Only the standard library times anything.

    python benchmarks/check.py [--runs N] [FILE]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.5


def once(command: str, file: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "slagen", command, str(file)], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"slagen {command} {file} exited {done.returncode}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=ROOT / "examples" / "acme-dental.yaml")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    once("validate", args.file)  # warm the file system cache and .pyc files
    once("check", args.file)
    times: dict[str, list[float]] = {"validate": [], "check": []}
    for _ in range(args.runs):
        for command in times:
            times[command].append(once(command, args.file))
    validate = statistics.median(times["validate"])
    check = statistics.median(times["check"])
    ratio = check / validate
    print(f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}")
    print(f"runs: {args.runs} each, fresh processes, medians")
    print(f"slagen validate: {validate * 1000:.0f} ms (min {min(times['validate']) * 1000:.0f})")
    print(f"slagen check:    {check * 1000:.0f} ms (min {min(times['check']) * 1000:.0f})")
    print(f"ratio check/validate: {ratio:.2f} (budget {BUDGET})")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
