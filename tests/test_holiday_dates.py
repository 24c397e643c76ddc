"""Public holidays come from the holidays package; a cache only saves time, never changes them."""

from datetime import date

import holidays

from slagen.model.holiday_dates import public_holidays


def test_english_bank_holidays_of_2027_including_substitute_days():
    # Christmas 2027 is a Saturday and Boxing Day a Sunday: both days are listed, and so are the
    # Monday and Tuesday after, on which they are observed.
    assert public_holidays("GB", "ENG", range(2027, 2028)) == {
        date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
        date(2027, 8, 30), date(2027, 12, 25), date(2027, 12, 26), date(2027, 12, 27), date(2027, 12, 28),
    }


def test_a_second_ask_reads_the_cache_and_gives_the_same_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SLAGEN_CACHE_DIR", str(tmp_path))
    first = public_holidays("US", "CA", range(2026, 2029))
    assert len(list(tmp_path.rglob("US-CA-*.json"))) == 3
    monkeypatch.setattr("slagen.model.holiday_dates._ask_package", lambda *a: (_ for _ in ()).throw(AssertionError))
    assert public_holidays("US", "CA", range(2026, 2029)) == first
    assert first == set(holidays.country_holidays("US", subdiv="CA", years=range(2026, 2029)))


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SLAGEN_CACHE_DIR", str(blocker))
    assert date(2027, 12, 25) in public_holidays("DE", None, range(2027, 2028))
