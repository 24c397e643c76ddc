"""Local wall-clock time <-> UTC for one IANA zone, vectorised over numpy arrays.

A ``Zone`` holds the zone's constant-offset stretches (from ``slagen.calendar.zone_offsets``) as two
sorted arrays, fetched a year at a time as times need them, so converting a column of a million
times is a pair of ``searchsorted`` calls rather than a million ``zoneinfo`` look-ups. Local ->
UTC follows Python's ``fold=0`` rule: a repeated hour means its first occurrence, and a time in
the spring gap is moved forward by the gap.
"""

from __future__ import annotations

import numpy as np

from slagen.calendar.zone_offsets import offset_stretches

__all__ = ["Zone", "FIRST_YEAR", "LAST_YEAR"]

FIRST_YEAR, LAST_YEAR = 1970, 2199  # outside these a time is a typo, not a ticket

# Per zone name: (years covered, UTC start of each constant-offset stretch, its offset).
_NOTHING: tuple = (frozenset(), np.zeros(0, np.int64), np.zeros(0, np.int64))
_COVERED: dict[str, tuple] = {}
_ZONE_INFO: dict = {}
# The wall-clock reading of each transition, per coverage (keyed by its starts array, which it holds).
_WALLS: dict[int, tuple] = {}
# UTC midnight starting each year from FIRST_YEAR - 1 to LAST_YEAR + 2.
_YEAR_STARTS = np.array([np.datetime64(f"{y}-01-01", "s").astype(np.int64)
                         for y in range(FIRST_YEAR - 1, LAST_YEAR + 3)], np.int64)


class Zone:
    """UTC offsets of one IANA zone as arrays: local -> UTC (fold=0) and UTC -> local."""

    def __init__(self, name: str):
        from slagen.calendar.clock import Calendar

        self.name = name
        self.zone = _ZONE_INFO.get(name)
        if self.zone is None:
            self.zone = Calendar.always(name).zone  # a SlagenError in plain words for an unknown zone
            _ZONE_INFO[name] = self.zone

    # The stretches already fetched are shared by every Zone of the same name (a portfolio makes
    # several Zones per contract, hundreds in the same few zones); the whole state is replaced
    # at once, so a Zone in another thread sees either the old coverage or the new, both right.
    @property
    def _starts(self) -> np.ndarray:
        return _COVERED.get(self.name, _NOTHING)[1]

    @property
    def _offsets(self) -> np.ndarray:
        return _COVERED.get(self.name, _NOTHING)[2]

    def _cover(self, seconds: np.ndarray) -> None:
        if seconds.size == 0:
            return
        known, starts_now, offsets_now = _COVERED.get(self.name, _NOTHING)
        low, high = (int(v) for v in (seconds.min(), seconds.max()))
        if known and _YEAR_STARTS[0] <= low and high < _YEAR_STARTS[-1]:
            # Years by table look-up: no datetime64 conversion for a column already covered.
            first, last = (int(np.searchsorted(_YEAR_STARTS, v, side="right")) - 1 + FIRST_YEAR - 1
                           for v in (low, high))
            if all(year in known for year in range(first, last + 1)):
                return
        first, last = (int(np.datetime64(v, "s").astype("datetime64[Y]").astype(np.int64)) + 1970 for v in (low, high))
        if all(year in known for year in range(first, last + 1)):
            return  # already covered: no need to look at every time's year
        years = set(np.unique(seconds.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970)
                    .tolist())
        # Times outside the plausible years are typos, rejected once read (``times._implausible``);
        # they only need some offset meanwhile, and asking the zone about year 9999 would fail.
        years = {year for year in years if FIRST_YEAR - 1 <= year <= LAST_YEAR + 1}
        missing = years - known
        if not missing:
            return
        starts, offsets = [starts_now], [offsets_now]
        for year in sorted(missing):
            low = int((np.datetime64(f"{year}-01-01", "s") - np.timedelta64(3, "D")).astype(np.int64))
            high = int((np.datetime64(f"{year + 1}-01-01", "s") + np.timedelta64(3, "D")).astype(np.int64))
            stretches = offset_stretches(self.name, low, high)
            piece_starts = np.array([start for start, _, _ in stretches], np.int64)
            piece_offsets = np.array([offset for _, _, offset in stretches], np.int64)
            starts.append(piece_starts)
            offsets.append(piece_offsets)
        s, o = np.concatenate(starts), np.concatenate(offsets)
        order = np.argsort(s, kind="stable")
        s, o = s[order], o[order]
        keep = np.ones(len(s), bool)
        keep[1:] = o[1:] != o[:-1]  # pieces from neighbouring years overlap; keep only changes
        _COVERED[self.name] = (frozenset(known | missing), s[keep], o[keep])

    def utc_offsets(self, utc_seconds: np.ndarray) -> np.ndarray:
        """The zone's offset (seconds east of UTC) at each UTC instant."""
        self._cover(utc_seconds)
        i = np.maximum(np.searchsorted(self._starts, utc_seconds, side="right") - 1, 0)
        return self._offsets[i]

    def to_utc(self, local_seconds: np.ndarray) -> np.ndarray:
        """Wall-clock readings (seconds on a naive axis) -> UTC seconds, as zoneinfo's fold=0 does.

        zoneinfo places each transition on the wall clock at ``T + max(before, after)``: a
        reading earlier than that uses the offset before the transition. So a repeated reading
        means its first occurrence, and a reading in the spring gap keeps the winter offset
        (which moves it forward by the gap).
        """
        self._cover(local_seconds)
        covered = _COVERED.get(self.name, _NOTHING)
        starts, offsets = covered[1], covered[2]
        if len(starts) == 0:
            return local_seconds
        walls = _WALLS.get(id(starts))
        if walls is None or walls[0] is not starts:  # made once per coverage, kept with its arrays
            walls = (starts, starts[1:] + np.maximum(offsets[:-1], offsets[1:]))
            _WALLS[id(starts)] = walls
        i = np.searchsorted(walls[1], local_seconds, side="right")
        return local_seconds - offsets[i]

    def local_datetime64(self, utc: np.ndarray) -> np.ndarray:
        """UTC datetime64[s] -> the local wall-clock reading, as naive datetime64[s]."""
        seconds = utc.astype("datetime64[s]").astype(np.int64)
        return (seconds + self.utc_offsets(seconds)).astype("datetime64[s]")

    def midnight_utc(self, local_day: np.datetime64) -> np.datetime64:
        """Local midnight starting ``local_day`` (datetime64[D] or text) as UTC datetime64[s]."""
        local = np.array([np.datetime64(local_day, "D").astype("datetime64[s]").astype(np.int64)])
        return self.to_utc(local).astype("datetime64[s]")[0]
