"""The parsers for values people type by hand: durations, percentages, times, weekly hours, money."""

from datetime import timedelta
from decimal import Decimal

import pytest

from slagen.model.types import (
    Window, format_duration, parse_duration, parse_money, parse_percent, parse_time_of_day, parse_weekly_hours,
)


@pytest.mark.parametrize("text, minutes", [
    ("30m", 30), ("4h", 240), ("1h30m", 90), ("72h", 72 * 60), ("PT4H", 240), ("PT1H30M", 90), ("pt15m", 15),
    ("90s", 1.5),
])
def test_durations_in_hours_and_minutes(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("value, reason", [
    (4, "has no unit"), (4.5, "has no unit"), ("2d", "counts days"), ("P2D", "counts days"), ("3 days", "counts days"),
    ("1w", "counts days"), ("four hours", "is not a duration"), ("", "is not a duration"), ("0h", "is zero"),
    ("4h30", "is not a duration"),
])
def test_ambiguous_or_malformed_durations_are_refused(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_duration(value)


@pytest.mark.parametrize("minutes, text", [(30, "30m"), (240, "4h"), (90, "1h30m"), (4320, "72h")])
def test_durations_print_in_their_short_form(minutes, text):
    assert format_duration(timedelta(minutes=minutes)) == text


@pytest.mark.parametrize("value, expected", [
    ("99.9%", "99.9"), (99.9, "99.9"), ("99.95 %", "99.95"), (100, "100"), ("0%", "0"), (99.999, "99.999"),
])
def test_percentages_are_exact_decimals(value, expected):
    assert parse_percent(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["100.1%", -1, "ninety", True, "nan"])
def test_percentages_outside_0_to_100_are_refused(value):
    with pytest.raises(ValueError):
        parse_percent(value)


def test_money_is_decimal_never_float():
    assert parse_money(5400.00) == Decimal("5400.0")
    assert parse_money("0.10") + parse_money("0.20") == Decimal("0.30")
    with pytest.raises(ValueError, match="two decimal places"):
        parse_money("1.005")


@pytest.mark.parametrize("text, minutes", [("00:00", 0), ("08:30", 510), ("23:59", 1439), ("9:05", 545)])
def test_times_of_day(text, minutes):
    assert parse_time_of_day(text) == minutes


@pytest.mark.parametrize("text", ["25:30", "24:00", "12:60", "noon", "1230"])
def test_impossible_times_are_refused(text):
    with pytest.raises(ValueError):
        parse_time_of_day(text)


def test_a_weekday_range_with_one_window():
    hours = parse_weekly_hours({"monday-friday": "08:30-17:30"})
    assert hours.windows == tuple(Window(d, 510, 1050) for d in range(5))
    assert hours.minutes_per_week == 5 * 9 * 60


def test_several_windows_a_day_and_single_days():
    hours = parse_weekly_hours({"mon-fri": "09:00-12:00, 13:00-17:30", "saturday": "10:00-14:00", "sun": "closed"})
    assert hours.days()[0] == [Window(0, 540, 720), Window(0, 780, 1050)]
    assert hours.days()[5] == [Window(5, 600, 840)]
    assert hours.days()[6] == []
    assert hours.minutes_per_week == 5 * (180 + 270) + 240


def test_a_window_past_midnight_closes_the_next_morning():
    hours = parse_weekly_hours({"monday-friday": "22:00-06:00"})
    assert hours.windows[0] == Window(0, 22 * 60, 30 * 60)  # Monday 22:00 to Tuesday 06:00
    assert hours.minutes_per_week == 5 * 8 * 60


def test_a_range_may_wrap_round_the_week():
    hours = parse_weekly_hours({"friday-monday": "10:00-16:00"})
    assert [w.weekday for w in hours.windows] == [0, 4, 5, 6]


def test_24x7_and_whole_days():
    assert parse_weekly_hours("24x7").is_always
    assert parse_weekly_hours({"monday-sunday": "00:00-24:00"}).is_always
    assert not parse_weekly_hours({"monday-saturday": "00:00-24:00"}).is_always


@pytest.mark.parametrize("spec, reason", [
    ({"monday": "09:00-09:00"}, "opens and closes at the same time"),
    ({"monday": "09:00-13:00, 12:00-17:00"}, "overlap"),
    ({"monday-friday": "09:00-17:00", "friday": "10:00-12:00"}, "friday is given twice"),
    ({"monday": "20:00-08:00", "tuesday": "07:00-12:00"}, "overlaps tuesday's window"),
    ({"someday": "09:00-17:00"}, "not a day of the week"),
    ({"monday": "9-5"}, "not a time of day"),
    ({}, "expected days and hours"),
    ("24/7", "expected days and hours"),
])
def test_weekly_hours_mistakes(spec, reason):
    with pytest.raises(ValueError, match=reason):
        parse_weekly_hours(spec)
