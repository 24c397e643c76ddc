"""Each priority's counts, medians and 90th percentiles, and the breach list, against plain Python.

The figures: met, breached and pending per priority and target, the median of the business
times of the tickets done (the mean of the two middle ones for an even count) and their 90th
percentile by nearest rank. The breach list: every breached target in priority, then logging
order, response before resolution for the same ticket, at most ``limit`` of them, and how many
there were in all. The oracles are these rules written out over every ticket in Python.
"""

from __future__ import annotations

import random
from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest

import math

from slagen.report.attainment import Outcome, breaches, priority_figures


class _Tickets:
    def __init__(self, n: int, rng: random.Random):
        self.ids = [f"T{i}" for i in range(n)]
        self.priority = np.array([rng.randrange(3) for _ in range(n)], np.int64)
        # Few distinct times, so that ties between tickets are common.
        self.logged = np.array([np.datetime64("2027-03-01T09:00", "s") + np.timedelta64(rng.randrange(6) * 600, "s")
                                for _ in range(n)])
        self.lines = np.arange(2, n + 2, dtype=np.int64)
        self.no_response = False

    def __len__(self) -> int:
        return len(self.ids)


def _contract():
    return SimpleNamespace(priorities=[
        SimpleNamespace(id=f"P{k + 1}", name=f"Priority {k + 1}", clock="24x7", response=timedelta(hours=k + 1),
                        resolution=timedelta(hours=4 * (k + 1))) for k in range(3)])


@pytest.mark.parametrize("seed,limit", [(1, 1000), (2, 5), (3, 0), (4, 1)])
def test_breaches_are_listed_in_the_plain_order(seed, limit):
    rng = random.Random(seed)
    n = 60
    tickets, contract = _Tickets(n, rng), _contract()
    flags = {kind: np.array([rng.random() < 0.4 for _ in range(n)]) for kind in ("response", "resolution")}
    seconds = {kind: np.array([rng.randrange(10 ** 5) for _ in range(n)], np.int64) for kind in flags}
    done = {kind: np.array([rng.random() < 0.7 for _ in range(n)]) for kind in flags}
    outcome = Outcome(seconds["response"], done["response"], ~flags["response"], flags["response"],
                      seconds["resolution"], done["resolution"], ~flags["resolution"], flags["resolution"])
    rows = np.array(sorted(rng.sample(range(n), 45)), np.int64)

    found, total = breaches(tickets, contract, outcome, rows, limit)

    pairs = [(i, kind) for i in rows.tolist() for kind in ("response", "resolution") if flags[kind][i]]
    pairs.sort(key=lambda pair: (int(tickets.priority[pair[0]]), tickets.logged[pair[0]], pair[1] != "response",
                                 pair[0]))
    assert total == len(pairs)
    assert [(b.ticket, b.target) for b in found] == [(f"T{i}", kind) for i, kind in pairs[:limit]]
    for b in found:
        i = int(b.ticket[1:])
        p = contract.priorities[int(tickets.priority[i])]
        assert (b.priority, b.business_seconds, b.open, b.line) == (p.id, seconds[b.target][i], not done[b.target][i],
                                                                    i + 2)
        assert b.target_seconds == int(getattr(p, b.target).total_seconds())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_priority_figures_are_the_plain_counts_medians_and_percentiles(seed):
    rng = random.Random(seed)
    n = 300
    tickets, contract = _Tickets(n, rng), _contract()
    outcome_parts = {}
    for kind in ("response", "resolution"):
        seconds = np.array([rng.choice([rng.randrange(10 ** 6), rng.randrange(50)]) for _ in range(n)], np.int64)
        done = np.array([rng.random() < 0.8 for _ in range(n)])
        state = [rng.choice(["met", "breached", "pending"]) for _ in range(n)]
        outcome_parts[kind] = (seconds, done, np.array([s == "met" for s in state]),
                               np.array([s == "breached" for s in state]))
    outcome = Outcome(*outcome_parts["response"], *outcome_parts["resolution"])
    rows = np.array(sorted(rng.sample(range(n), 250)), np.int64)

    figures = priority_figures(tickets, contract, outcome, rows)

    for k, f in enumerate(figures):
        mine = [i for i in rows.tolist() if tickets.priority[i] == k]
        assert f.tickets == len(mine)
        for kind in ("response", "resolution"):
            seconds, done, met, breached = outcome_parts[kind]
            times = sorted(int(seconds[i]) for i in mine if done[i])
            target = getattr(f, kind)
            assert (target.met, target.breached, target.pending) == (
                sum(bool(met[i]) for i in mine), sum(bool(breached[i]) for i in mine),
                sum(not met[i] and not breached[i] for i in mine))
            if times:
                middle = len(times) // 2
                median = times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2
                assert target.median_seconds == median
                assert target.p90_seconds == times[math.ceil(0.9 * len(times)) - 1]
            else:
                assert target.median_seconds is None and target.p90_seconds is None
