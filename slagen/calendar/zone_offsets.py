"""When a time zone's UTC offset changes: the one place slagen asks zoneinfo about transitions.

zoneinfo publishes no list of transitions, so the offset is read once a day (real zones change
offset months apart, never twice within a day) and each change found is pinned to the second by
halving the day. The answer for a zone and a range is cached: every calendar and every ticket
export in the same zone shares it.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

_DAY = 86_400


@lru_cache(maxsize=256)
def offset_stretches(zone_name: str, low: int, high: int) -> tuple[tuple[int, int, int], ...]:
    """(start, end, offset) for each stretch of UTC seconds [low, high) with a constant offset.

    ``offset`` is in seconds east of UTC; stretches are in order and cover [low, high) exactly.
    """
    zone = ZoneInfo(zone_name)

    def offset(t: int) -> int:
        return int(datetime.fromtimestamp(t, zone).utcoffset().total_seconds())  # type: ignore[union-attr]

    cuts, offsets = [low], [offset(low)]
    t = low
    while t < high:
        step_end = min(t + _DAY, high)
        if offset(step_end) != offsets[-1]:
            lo, hi = t, step_end  # offset(lo) is the old offset, offset(hi) the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == offsets[-1] else (lo, mid)
            cuts.append(hi)
            offsets.append(offset(hi))
        t = step_end
    return tuple(zip(cuts, cuts[1:] + [high], offsets))
