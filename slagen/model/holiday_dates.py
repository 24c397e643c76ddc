"""Public holiday dates from the holidays package, cached on disk between runs.

Asking the holidays package for one country imports the modules of every country it knows
(a tenth of a second or more), which would dominate light commands such as ``slagen check``.
The dates for a country, region and year never change for a given release of the package,
so they are kept in the user's cache folder, keyed by that release (its package metadata).
Every entry says what it holds and is checked when read; one in any doubt is rebuilt from the
package. Where the cache cannot be read or written the package is simply asked each time.
"""

from __future__ import annotations

import json
import os
from datetime import date
from functools import lru_cache
from pathlib import Path

from slagen.source.bounded import TooLarge, read_bounded


def cache_folder() -> Path:
    explicit = os.environ.get("SLAGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "slagen"


# No country has anywhere near this many public holidays in a year (the most have about 30); an
# entry with more is not believed, so a cache filled with every day of the year cannot close a desk.
MOST_HOLIDAYS_IN_A_YEAR = 60


@lru_cache(maxsize=1)
def _package_release() -> str:
    """The installed holidays release, from its package metadata (the package is not imported)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "unknown"


def _ask_package(country: str, subdivision: str | None, years: range) -> dict[int, list[str]]:
    import holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=years)
    by_year: dict[int, list[str]] = {year: [] for year in years}
    for day in sorted(found):
        by_year[day.year].append(day.isoformat())
    return by_year


def public_holidays(country: str, subdivision: str | None, years: range) -> set[date]:
    """Every public holiday of ``country`` (and ``subdivision``) in ``years``."""
    release = _package_release()
    folder = cache_folder() / f"holidays-{release}"
    name = f"{country}-{subdivision or 'all'}"
    cached: dict[int, set[date]] = {}
    for year in years:
        dates = _read_entry(folder / f"{name}-{year}.json", country, subdivision, year)
        if dates is None:
            break
        cached[year] = dates
    else:
        return set().union(*cached.values())

    by_year = _ask_package(country, subdivision, years)
    if release != "unknown":
        _store(folder, name, country, subdivision, by_year)
    return {date.fromisoformat(text) for days in by_year.values() for text in days}


def _read_entry(path: Path, country: str, subdivision: str | None, year: int) -> set[date] | None:
    """The dates of one cache entry, or None when there is any doubt about it (missing, corrupt,
    another country or year, dates that are not real or not in the year, implausibly many)."""
    try:
        data = json.loads(read_bounded(path, 64 * 1024))  # a real entry is well under 2 KB
        if not (isinstance(data, dict) and data.get("country") == country
                and data.get("subdivision") == subdivision and data.get("year") == year):
            return None
        texts = data.get("dates")
        if not isinstance(texts, list) or len(texts) > MOST_HOLIDAYS_IN_A_YEAR:
            return None
        dates = {date.fromisoformat(text) for text in texts if isinstance(text, str)}
    except (OSError, ValueError, TypeError, RecursionError, TooLarge):
        return None
    if len(dates) != len(texts) or any(day.year != year for day in dates):
        return None
    return dates


def _store(folder: Path, name: str, country: str, subdivision: str | None, by_year: dict[int, list[str]]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for year, days in by_year.items():
            target = folder / f"{name}-{year}.json"
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            entry = {"country": country, "subdivision": subdivision, "year": year, "dates": days}
            try:
                temporary.write_text(json.dumps(entry), encoding="utf-8")
                os.replace(temporary, target)  # atomic: a concurrent reader sees all or nothing
            finally:
                temporary.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home folder only costs speed
