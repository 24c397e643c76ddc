"""How often the garbage collector runs in slagen's processes.

A check builds tens of thousands of short-lived containers (instants tried, repairs followed,
YAML nodes), and nearly all are freed by reference counting the moment they are done with.
With CPython's default threshold (a collection every 700 allocations) the collector still runs
hundreds of times per check, and now and then walks every object the process holds: the holiday
tables, the schemas, the clause library. In the workspace, where someone waits for inline
diagnostics as they type, that was a third of the time of a check and most of its slowest cases.

A higher first threshold keeps cycles collected (the collector still runs, a few dozen times
less often), and freezing what a server holds at start moves it out of every later walk.
"""

from __future__ import annotations

import gc

#: Allocations between young collections, and the two older generations' ratios.
THRESHOLDS = (20_000, 20, 20)


def collect_less_often() -> None:
    """For any slagen process: the thresholds above."""
    gc.set_threshold(*THRESHOLDS)


def freeze_what_is_loaded() -> None:
    """For a long-running server, once it has imported and warmed what it serves with: what is
    alive now stays alive, so no collection need walk it again."""
    gc.collect()
    gc.freeze()
