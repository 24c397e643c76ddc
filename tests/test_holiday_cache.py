"""The holiday cache only ever saves time: keyed by the installed release of the holidays package,
checked on every read, rebuilt whenever an entry is in any doubt. A broken or poisoned cache
never gives a traceback and never changes an answer."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import holidays
import pytest

from slagen.model import holiday_dates
from slagen.model.holiday_dates import public_holidays

ENGLAND_2027 = {date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
                date(2027, 8, 30), date(2027, 12, 25), date(2027, 12, 26), date(2027, 12, 27), date(2027, 12, 28)}


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SLAGEN_CACHE_DIR", str(tmp_path))
    return tmp_path


def entry(cache: Path) -> Path:
    public_holidays("GB", "ENG", range(2027, 2028))
    [path] = cache.rglob("GB-ENG-2027.json")
    return path


def test_the_cache_is_keyed_by_the_installed_release(cache):
    path = entry(cache)
    assert path.parent.name == f"holidays-{version('holidays')}"
    assert path.parent.name != "holidays-holidays"  # what reading version.py by hand used to give


def test_an_upgrade_of_the_package_does_not_read_the_old_releases_dates(cache, monkeypatch):
    old = cache / "holidays-0.0.1"
    old.mkdir()
    (old / "GB-ENG-2027.json").write_text(json.dumps([]), encoding="utf-8")
    assert public_holidays("GB", "ENG", range(2027, 2028)) == ENGLAND_2027


@pytest.mark.parametrize("content", [
    b"\x00\xff not json",
    b"",
    b'{"dates": 5}',
    b"[1, 2, 3]",
    b'"2027-12-25"',
    json.dumps({"country": "GB", "subdivision": "ENG", "year": 2027, "dates": ["2027-02-30"]}).encode(),
    json.dumps({"country": "GB", "subdivision": "ENG", "year": 2027, "dates": ["2031-12-25"]}).encode(),
    json.dumps({"country": "FR", "subdivision": None, "year": 2027, "dates": ["2027-12-25"]}).encode(),
    # poisoned: every day of the year a holiday, which would make every support-hours clock answer 0m
    json.dumps({"country": "GB", "subdivision": "ENG", "year": 2027,
                "dates": [(date(2027, 1, 1) + timedelta(days=n)).isoformat() for n in range(365)]}).encode(),
], ids=["binary", "empty", "wrong-shape", "numbers", "a-string", "not-a-date", "another-year", "another-country",
        "every-day"])
def test_a_doubtful_entry_is_rebuilt_from_the_package(cache, content):
    path = entry(cache)
    path.write_bytes(content)
    assert public_holidays("GB", "ENG", range(2027, 2028)) == ENGLAND_2027
    assert public_holidays("GB", "ENG", range(2027, 2028)) == ENGLAND_2027  # and the entry was repaired
    assert sorted(p.name for p in path.parent.iterdir()) == ["GB-ENG-2027.json"]


def test_a_poisoned_cache_does_not_make_the_clock_answer_zero(cache, tmp_path):
    from slagen.calendar.clock import Calendar

    hours = tmp_path / "hours.yaml"
    hours.write_text("support_hours:\n  timezone: Europe/London\n  weekly:\n    monday-friday: '09:00-17:00'\n"
                     "  holidays:\n    country: GB\n    subdivision: ENG\n", encoding="utf-8")
    path = entry(cache)
    path.write_text(json.dumps({"country": "GB", "subdivision": "ENG", "year": 2027, "dates": [
        (date(2027, 1, 1) + timedelta(days=n)).isoformat() for n in range(365)]}), encoding="utf-8")
    calendar = Calendar.load(hours)
    # Tuesday 2 March 2027, 10:00 to 11:30: an ordinary working morning, 90 minutes.
    start = datetime(2027, 3, 2, 10, 0)
    assert calendar.elapsed(start, start + timedelta(minutes=90), []) == timedelta(minutes=90)


def test_the_entry_written_says_what_it_holds(cache):
    data = json.loads(entry(cache).read_text(encoding="utf-8"))
    assert data["country"] == "GB" and data["subdivision"] == "ENG" and data["year"] == 2027
    assert {date.fromisoformat(d) for d in data["dates"]} == ENGLAND_2027 == set(
        holidays.country_holidays("GB", subdiv="ENG", years=2027))


def test_a_cache_folder_that_is_a_file_only_costs_time(cache):
    (cache / f"holidays-{version('holidays')}").write_text("in the way")
    assert public_holidays("GB", "ENG", range(2027, 2028)) == ENGLAND_2027


def test_no_temporary_is_left_beside_the_entries(cache):
    public_holidays("US", "CA", range(2026, 2029))
    names = sorted(p.name for p in cache.rglob("*") if p.is_file())
    assert names == ["US-CA-2026.json", "US-CA-2027.json", "US-CA-2028.json"]


def test_the_release_is_read_once_per_process():
    holiday_dates._package_release.cache_clear()
    assert holiday_dates._package_release() == version("holidays")
