"""Public holiday dates from the holidays package, cached on disk between runs.

Asking the holidays package for one country imports the modules of every country it knows
(a tenth of a second or more), which would dominate light commands such as ``slagen check``.
The dates for a country, region and year never change for a given release of the package,
so they are kept in the user's cache folder, keyed by that release. Where the cache cannot be
read or written the package is simply asked each time.
"""

from __future__ import annotations

import json
import os
from datetime import date
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path


def cache_folder() -> Path:
    explicit = os.environ.get("SLAGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "slagen"


@lru_cache(maxsize=1)
def _package_release() -> str:
    """The installed holidays release, read from its files without importing it."""
    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return "unknown"
    version_file = Path(spec.origin).with_name("version.py")
    try:
        return version_file.read_text(encoding="utf-8").split("__version__", 1)[1].split('"')[1]
    except (OSError, IndexError):
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
    cached: dict[int, list[str]] = {}
    for year in years:
        try:
            cached[year] = json.loads((folder / f"{name}-{year}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            break
    else:
        return {date.fromisoformat(text) for days in cached.values() for text in days}

    by_year = _ask_package(country, subdivision, years)
    if release != "unknown":
        _store(folder, name, by_year)
    return {date.fromisoformat(text) for days in by_year.values() for text in days}


def _store(folder: Path, name: str, by_year: dict[int, list[str]]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for year, days in by_year.items():
            target = folder / f"{name}-{year}.json"
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(days), encoding="utf-8")
            os.replace(temporary, target)  # atomic: a concurrent reader sees all or nothing
    except OSError:
        pass  # a read-only home folder only costs speed
