"""Whole-process timing shared by the benchmarks: interleaved runs, median and spread."""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def time_commands(commands: dict[str, list[str]], runs: int = 15, ok_codes=(0,)) -> dict[str, list[float]]:
    """Run each command ``runs`` times, interleaved so machine noise falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, argv in commands.items():  # one warm-up each: the first run pays for cold disk caches
        subprocess.run(argv, cwd=ROOT, capture_output=True)
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            done = subprocess.run(argv, cwd=ROOT, capture_output=True)
            times[name].append(time.perf_counter() - start)
            if done.returncode not in ok_codes:
                raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.decode()[:500]}")
    return times


def summary(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:7.1f} ms  (min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f})"
