"""slagen.calendar.clock, case by case. Every expected value is worked out by hand in the comment beside it.

The cases are the ones the field's engines test (zendesk/biz, Znuny, GLPI, osTicket,
businesstimedelta, pandas' business hours), on 2027 dates so the holidays are fixed:
Good Friday 26 March, Easter Monday 29 March, spring bank holiday Monday 31 May; the UK
clocks go forward on Sunday 28 March (01:00 GMT -> 02:00 BST) and back on Sunday 31 October
(02:00 BST -> 01:00 GMT).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from slagen.calendar.clock import Calendar
from slagen.errors import InvalidInput, SlagenError
from slagen.model.hours import SupportHours

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).parent.parent / "examples" / "acme-dental.yaml"
LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def calendar(weekly, tz="Europe/London", holidays=None, closures=()) -> Calendar:
    """A calendar built the way a contract builds one: through the SupportHours model."""
    hours = SupportHours.model_validate(
        {"timezone": tz, "weekly": weekly, "holidays": holidays, "extra_closures": list(closures)}
    )
    return Calendar.from_support_hours(hours)


def t(text: str) -> datetime:
    """A naive wall-clock time: the calendar reads it in its own zone."""
    return datetime.fromisoformat(text)


OFFICE = calendar({"monday-friday": "09:00-17:00"}, holidays={"country": "GB", "subdivision": "ENG"})
LUNCH = calendar({"monday-friday": "09:00-12:00, 13:00-17:00"})
NIGHT = calendar({"monday-friday": "22:00-06:00"}, closures=[date(2027, 3, 9)])


# --------------------------------------------------------------------------------------------
# The issue's own example, weekends and holidays


def test_friday_1655_to_monday_0905_is_ten_minutes():
    # Fri 5 March 16:55-17:00 = 5m; the weekend is closed; Mon 8 March 09:00-09:05 = 5m.
    assert OFFICE.elapsed(t("2027-03-05 16:55"), t("2027-03-08 09:05")) == 10 * M
    assert OFFICE.due(t("2027-03-05 16:55"), 10 * M) == t("2027-03-08 09:05").replace(tzinfo=LONDON)


def test_a_span_inside_one_window_is_plain_subtraction():
    # Wed 3 March 10:15 -> 14:45 = 4h30m, all open.
    assert OFFICE.elapsed(t("2027-03-03 10:15"), t("2027-03-03 14:45")) == 4 * H + 30 * M


def test_a_ticket_logged_and_answered_while_closed_counts_nothing():
    # Sat 6 March 10:00 -> Sun 7 March 18:00: the weekend is closed all through.
    assert OFFICE.elapsed(t("2027-03-06 10:00"), t("2027-03-07 18:00")) == timedelta(0)


def test_easter_holidays_on_friday_and_monday_are_skipped():
    # Thu 25 March 16:00-17:00 = 1h; Good Friday, the weekend and Easter Monday are closed;
    # Tue 30 March 09:00-10:00 = 1h. Total 2h (the clocks also go forward on the Sunday).
    assert OFFICE.elapsed(t("2027-03-25 16:00"), t("2027-03-30 10:00")) == 2 * H
    assert OFFICE.due(t("2027-03-25 16:00"), 2 * H) == datetime(2027, 3, 30, 10, 0, tzinfo=LONDON)


def test_a_substitute_bank_holiday_on_monday_is_closed():
    # Christmas 2026 is a Friday, Boxing Day a Saturday, so Monday 28 December is the substitute
    # holiday. Thu 24 Dec 16:00-17:00 = 1h, then nothing until Tue 29 Dec 09:00-10:00 = 1h.
    assert OFFICE.elapsed(t("2026-12-24 16:00"), t("2026-12-29 10:00")) == 2 * H


def test_three_weeks_over_christmas_and_new_year():
    # Mon 20 Dec 2027 09:00 -> Fri 7 Jan 2028 17:00. Working days: 20-24 Dec (5); 27 and 28 Dec
    # are the substitute Christmas and Boxing Day holidays; 29-31 Dec (3); Mon 3 Jan is the
    # substitute New Year holiday; 4-7 Jan (4). 12 days x 8h = 96h.
    assert OFFICE.elapsed(t("2027-12-20 09:00"), t("2028-01-07 17:00")) == 96 * H


def test_extra_closure_dates_are_closed():
    # The London calendar file also closes Fri 24 Dec 2027. Thu 23 Dec 16:00-17:00 = 1h,
    # then 24 Dec (closure), 25-28 Dec (weekend and substitute holidays) are closed;
    # Wed 29 Dec 09:00-10:00 = 1h.
    london = Calendar.load(DATA / "calendar-london.yaml")
    assert london.elapsed(t("2027-12-23 16:00"), t("2027-12-29 10:00")) == 2 * H
    assert OFFICE.elapsed(t("2027-12-23 16:00"), t("2027-12-29 10:00")) == 10 * H  # + 24 Dec, 8h


def test_a_long_span_counts_whole_weeks():
    # Mon 7 June 09:00 -> Mon 5 July 09:00 2027: four weeks, no English holidays, 4 x 40h.
    assert OFFICE.elapsed(t("2027-06-07 09:00"), t("2027-07-05 09:00")) == 160 * H


# --------------------------------------------------------------------------------------------
# Several windows a day (lunch) and windows past midnight


def test_lunch_break_is_not_counted():
    # 11:30-12:00 = 30m, lunch 12:00-13:00 closed, 13:00-13:30 = 30m.
    assert LUNCH.elapsed(t("2027-03-03 11:30"), t("2027-03-03 13:30")) == H


def test_target_used_up_at_lunch_is_due_when_lunch_starts():
    # 11:30 + 30m reaches 12:00, the closing time of the morning window: due 12:00, not 13:00.
    assert LUNCH.due(t("2027-03-03 11:30"), 30 * M) == datetime(2027, 3, 3, 12, 0, tzinfo=LONDON)
    # One more minute must wait for the afternoon: 13:00 + 1m.
    assert LUNCH.due(t("2027-03-03 11:30"), 31 * M) == datetime(2027, 3, 3, 13, 1, tzinfo=LONDON)


def test_window_past_midnight_runs_into_the_next_day():
    # Friday's window is Fri 22:00 -> Sat 06:00. Fri 23:00 -> Sat 05:00 = 6h, all inside it.
    assert NIGHT.elapsed(t("2027-03-05 23:00"), t("2027-03-06 05:00")) == 6 * H
    # Sat 05:00-06:00 = 1h (Friday's tail); nothing on the weekend; Mon 22:00-23:00 = 1h.
    assert NIGHT.elapsed(t("2027-03-06 05:00"), t("2027-03-08 23:00")) == 2 * H


def test_a_closed_day_closes_the_window_opened_on_it_but_not_the_one_before():
    # Tue 9 March is closed. Monday's window (Mon 22:00 -> Tue 06:00, 8h) still counts in full;
    # Tuesday's (Tue 22:00 -> Wed 06:00) does not. Mon 22:00 -> Wed 06:00 = 8h.
    assert NIGHT.elapsed(t("2027-03-08 22:00"), t("2027-03-10 06:00")) == 8 * H


def test_night_desk_due_crosses_midnight():
    # Logged Mon 8 March 05:00: Sunday has no window, so nothing is open until Monday's
    # window opens at 22:00. 22:00 + 3h = Tue 01:00.
    assert NIGHT.due(t("2027-03-08 05:00"), 3 * H) == datetime(2027, 3, 9, 1, 0, tzinfo=LONDON)


# --------------------------------------------------------------------------------------------
# Closing time, zero and the edges of the arguments


def test_target_used_up_at_closing_time_is_due_at_closing_time():
    # Fri 16:00 + 1h = Fri 17:00 exactly, not Monday 09:00.
    assert OFFICE.due(t("2027-03-05 16:00"), H) == datetime(2027, 3, 5, 17, 0, tzinfo=LONDON)
    # A second more must wait for Monday: 09:00:01.
    assert OFFICE.due(t("2027-03-05 16:00"), H + timedelta(seconds=1)) == datetime(
        2027, 3, 8, 9, 0, 1, tzinfo=LONDON)


def test_a_ticket_logged_while_closed_starts_counting_at_opening():
    # Logged Sat 6 March 11:00; 4h from Mon 09:00 = 13:00.
    assert OFFICE.due(t("2027-03-06 11:00"), 4 * H) == datetime(2027, 3, 8, 13, 0, tzinfo=LONDON)
    # Logged at closing time Fri 17:00: the same.
    assert OFFICE.due(t("2027-03-05 17:00"), 4 * H) == datetime(2027, 3, 8, 13, 0, tzinfo=LONDON)


def test_zero_target_is_due_at_once_even_when_closed():
    assert OFFICE.due(t("2027-03-06 11:00"), timedelta(0)) == datetime(2027, 3, 6, 11, 0, tzinfo=LONDON)


def test_zero_length_span_is_zero():
    assert OFFICE.elapsed(t("2027-03-03 10:00"), t("2027-03-03 10:00")) == timedelta(0)


def test_end_before_start_is_a_clear_error():
    with pytest.raises(SlagenError, match="before the start"):
        OFFICE.elapsed(t("2027-03-03 10:00"), t("2027-03-03 09:59"))


def test_negative_target_is_an_error():
    with pytest.raises(SlagenError, match="negative"):
        OFFICE.due(t("2027-03-03 10:00"), -M)


def test_microseconds_are_exact():
    # Fri 16:59:59.5 -> Mon 09:00:00.25: 0.5s on Friday and 0.25s on Monday.
    assert OFFICE.elapsed(t("2027-03-05 16:59:59.500000"), t("2027-03-08 09:00:00.250000")) == timedelta(
        microseconds=750_000)
    assert OFFICE.due(t("2027-03-05 16:59:59.500000"), timedelta(microseconds=750_000)) == datetime(
        2027, 3, 8, 9, 0, 0, 250_000, tzinfo=LONDON)


def test_a_long_target_is_found_years_ahead():
    # 2340h is 58.5 weeks of 40h: a year and a bit of office hours (with holidays even more).
    start = t("2027-03-03 09:00")
    due = OFFICE.due(start, 2340 * H)
    assert due.year == 2028
    assert OFFICE.elapsed(start, due) == 2340 * H


def test_a_calendar_that_is_never_open_cannot_use_up_a_target():
    # A contract cannot hold one (validate refuses it); the engine, given one directly, says so.
    never = Calendar("Europe/London", ())
    assert never.elapsed(t("2027-03-01 00:00"), t("2027-04-01 00:00")) == timedelta(0)
    with pytest.raises(SlagenError, match="no open hours"):
        never.due(t("2027-03-01 00:00"), H)


# --------------------------------------------------------------------------------------------
# Pauses


def test_pause_across_closed_hours_takes_off_only_business_time():
    # Thu 4 March 16:00 -> Mon 8 March 10:00 is 1h (Thu) + 8h (Fri) + 1h (Mon) = 10h.
    # Paused Thu 16:30 -> Mon 09:30: 30m (Thu) + 8h (Fri) + 30m (Mon) = 9h. Counted: 1h.
    pause = (t("2027-03-04 16:30"), t("2027-03-08 09:30"))
    assert OFFICE.elapsed(t("2027-03-04 16:00"), t("2027-03-08 10:00"), [pause]) == H


def test_overlapping_pauses_are_taken_off_once():
    # The union of the two pauses is Thu 16:30 -> Mon 09:30, as above: counted 1h.
    pauses = [(t("2027-03-05 09:00"), t("2027-03-08 09:30")), (t("2027-03-04 16:30"), t("2027-03-05 10:00"))]
    assert OFFICE.elapsed(t("2027-03-04 16:00"), t("2027-03-08 10:00"), pauses) == H


def test_pauses_outside_the_span_are_cut_to_it():
    # Span Wed 10:00-12:00 = 2h. Pause 08:00-10:30 counts only 10:00-10:30 (30m);
    # pause 11:45-18:00 counts only 11:45-12:00 (15m). Counted: 2h - 45m = 1h15m.
    pauses = [(t("2027-03-03 08:00"), t("2027-03-03 10:30")), (t("2027-03-03 11:45"), t("2027-03-03 18:00"))]
    assert OFFICE.elapsed(t("2027-03-03 10:00"), t("2027-03-03 12:00"), pauses) == H + 15 * M


def test_due_moves_out_by_a_pause_across_closed_hours():
    # Start Thu 16:00 with 1h. 30m run until the pause at 16:30; the pause lasts until
    # Mon 09:30; the other 30m run to Mon 10:00.
    pause = (t("2027-03-04 16:30"), t("2027-03-08 09:30"))
    assert OFFICE.due(t("2027-03-04 16:00"), H, [pause]) == datetime(2027, 3, 8, 10, 0, tzinfo=LONDON)


def test_a_pause_that_starts_at_the_due_instant_changes_nothing():
    # 16:00 + 1h = 17:00; a pause from 17:00 begins after the target is used up.
    pause = (t("2027-03-05 17:00"), t("2027-03-08 12:00"))
    assert OFFICE.due(t("2027-03-05 16:00"), H, [pause]) == datetime(2027, 3, 5, 17, 0, tzinfo=LONDON)


def test_several_pauses_push_the_due_instant_in_turn():
    # Wed 09:00 with 2h: due 11:00 without pauses. The pause 09:30-10:00 begins before 11:00,
    # so due moves out by 30m to 11:30; the pause 11:00-11:15 begins before 11:30, so due moves
    # out by 15m more: 11:45. (The pauses are given out of order on purpose.)
    pauses = [(t("2027-03-03 11:00"), t("2027-03-03 11:15")), (t("2027-03-03 09:30"), t("2027-03-03 10:00"))]
    assert OFFICE.due(t("2027-03-03 09:00"), 2 * H, pauses) == datetime(2027, 3, 3, 11, 45, tzinfo=LONDON)


def test_an_open_ended_pause_after_the_due_instant_is_ignored():
    # Due Fri 17:00 as above; a pause from Monday to 2090 begins after that and changes nothing.
    pause = (t("2027-03-08 09:00"), t("2090-01-01 00:00"))
    assert OFFICE.due(t("2027-03-05 16:00"), H, [pause]) == datetime(2027, 3, 5, 17, 0, tzinfo=LONDON)


def test_a_pause_that_ends_before_it_starts_is_an_error():
    with pytest.raises(SlagenError, match="pause 1 ends"):
        OFFICE.elapsed(t("2027-03-03 09:00"), t("2027-03-03 12:00"), [(t("2027-03-03 11:00"), t("2027-03-03 10:00"))])


# --------------------------------------------------------------------------------------------
# Time zones: 24x7 clocks across DST, windows on DST nights, naive and UTC input


@pytest.mark.parametrize(
    "zone, before, after, hours",
    [
        # Europe: London goes forward on 28 March (the Sunday has 23 hours) and back on 31 October (25).
        ("Europe/London", "2027-03-27 12:00", "2027-03-28 12:00", 23),
        ("Europe/London", "2027-10-30 12:00", "2027-10-31 12:00", 25),
        ("Europe/Berlin", "2027-03-27 12:00", "2027-03-28 12:00", 23),
        # The Americas: New York forward on 14 March, back on 7 November 2027.
        ("America/New_York", "2027-03-13 12:00", "2027-03-14 12:00", 23),
        ("America/New_York", "2027-11-06 12:00", "2027-11-07 12:00", 25),
        # The southern hemisphere: Sydney goes back on 4 April and forward on 3 October 2027;
        # Auckland forward on 26 September.
        ("Australia/Sydney", "2027-04-03 12:00", "2027-04-04 12:00", 25),
        ("Australia/Sydney", "2027-10-02 12:00", "2027-10-03 12:00", 23),
        ("Pacific/Auckland", "2027-09-25 12:00", "2027-09-26 12:00", 23),
        # No DST at all: a day is a day.
        ("Asia/Tokyo", "2027-03-27 12:00", "2027-03-28 12:00", 24),
    ],
)
def test_24x7_clock_counts_real_time_across_dst(zone, before, after, hours):
    clock = Calendar.always(zone)
    assert clock.elapsed(t(before), t(after)) == hours * H
    # And back: the due instant of that many real hours is noon the next day by the wall clock.
    assert clock.due(t(before), hours * H).replace(tzinfo=None) == t(after)


def test_24x7_due_across_dst_is_real_time():
    # Sat 27 March 12:00 GMT + 24h = Sun 28 March 12:00 UTC = 13:00 BST.
    due = Calendar.always("Europe/London").due(t("2027-03-27 12:00"), 24 * H)
    assert due == datetime(2027, 3, 28, 12, 0, tzinfo=timezone.utc)
    assert due.isoformat() == "2027-03-28T13:00:00+01:00"


def test_window_on_the_spring_forward_night_is_shorter():
    # Sunday 01:00-05:00 in London. On 28 March the readings 01:00-01:59 never occur, so the
    # window is 02:00 BST -> 05:00 BST: 3 real hours. A week earlier it is 4.
    early = calendar({"sunday": "01:00-05:00"})
    assert early.elapsed(t("2027-03-28 00:00"), t("2027-03-28 06:00")) == 3 * H
    assert early.elapsed(t("2027-03-21 00:00"), t("2027-03-21 06:00")) == 4 * H
    assert early.open_intervals(t("2027-03-28 00:00"), t("2027-03-28 06:00")) == [
        (datetime(2027, 3, 28, 1, 0, tzinfo=timezone.utc), datetime(2027, 3, 28, 4, 0, tzinfo=timezone.utc))]


def test_window_on_the_fall_back_night_counts_the_repeated_hour_twice():
    # On 31 October the readings 01:00-01:59 occur twice (BST, then GMT), so 01:00-05:00 is
    # 00:00 UTC -> 05:00 UTC: 5 real hours.
    early = calendar({"sunday": "01:00-05:00"})
    assert early.elapsed(datetime(2027, 10, 30, 23, tzinfo=timezone.utc),
                         datetime(2027, 10, 31, 6, tzinfo=timezone.utc)) == 5 * H


def test_window_opening_inside_the_repeated_hour_follows_the_wall_clock():
    # 01:30-05:00 on 31 October. The clock reads 01:30-01:59 BST (00:30-01:00 UTC, open), then
    # falls back to 01:00 GMT: 01:00-01:29 GMT reads before opening (closed), 01:30 GMT -> 05:00
    # GMT is open (01:30-05:00 UTC). 30m + 3h30m = 4h.
    # (Compared in UTC: Python never calls a time in a repeated hour equal to one in another zone.)
    early = calendar({"sunday": "01:30-05:00"})
    got = early.open_intervals(datetime(2027, 10, 30, 23, tzinfo=timezone.utc),
                               datetime(2027, 10, 31, 6, tzinfo=timezone.utc))
    assert [(a.astimezone(timezone.utc), b.astimezone(timezone.utc)) for a, b in got] == [
        (datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc), datetime(2027, 10, 31, 1, 0, tzinfo=timezone.utc)),
        (datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc), datetime(2027, 10, 31, 5, 0, tzinfo=timezone.utc)),
    ]


def test_night_window_across_the_spring_forward_is_an_hour_short():
    # Saturday 22:00-06:00 on 27/28 March: 22:00 GMT -> 06:00 BST is 22:00 UTC -> 05:00 UTC = 7h.
    nights = calendar({"saturday": "22:00-06:00"})
    assert nights.elapsed(t("2027-03-27 20:00"), t("2027-03-28 08:00")) == 7 * H


def test_office_hours_in_utc_input_for_a_new_york_calendar():
    # New York, 09:00-17:00. Fri 5 March 21:55 UTC is 16:55 EST; Mon 8 March 14:05 UTC is
    # 09:05 EST (New York is on UTC-5 until 14 March): 10 minutes.
    new_york = calendar({"monday-friday": "09:00-17:00"}, tz="America/New_York")
    start = datetime(2027, 3, 5, 21, 55, tzinfo=timezone.utc)
    end = datetime(2027, 3, 8, 14, 5, tzinfo=timezone.utc)
    assert new_york.elapsed(start, end) == 10 * M
    assert new_york.due(start, 10 * M) == end
    assert new_york.due(start, 10 * M).isoformat() == "2027-03-08T09:05:00-05:00"


def test_utc_input_in_summer_for_london():
    # Mon 7 June 2027 07:30 UTC is 08:30 BST (closed until 09:00); 16:30 UTC is 17:30 BST.
    # Open 09:00-17:00 BST: 8h.
    assert OFFICE.elapsed(datetime(2027, 6, 7, 7, 30, tzinfo=timezone.utc),
                          datetime(2027, 6, 7, 16, 30, tzinfo=timezone.utc)) == 8 * H


def test_office_week_across_the_new_york_spring_forward():
    # Fri 12 March 16:00 EST -> Mon 15 March 10:00 EDT: 1h + 1h = 2h. Weekend DST changes
    # nothing in office hours, but the same span is 65h of real time (66h of wall clock - 1h).
    new_york = calendar({"monday-friday": "09:00-17:00"}, tz="America/New_York")
    assert new_york.elapsed(t("2027-03-12 16:00"), t("2027-03-15 10:00")) == 2 * H
    assert Calendar.always("America/New_York").elapsed(t("2027-03-12 16:00"), t("2027-03-15 10:00")) == 65 * H


def test_naive_repeated_time_means_its_first_reading():
    # 01:30 on 31 October happens at 00:30 UTC (BST) and 01:30 UTC (GMT): naive means the first.
    assert OFFICE.aware(t("2027-10-31 01:30")).astimezone(timezone.utc) == datetime(
        2027, 10, 31, 0, 30, tzinfo=timezone.utc)
    assert Calendar.always("Europe/London").elapsed(t("2027-10-31 01:30"), t("2027-10-31 02:30")) == 2 * H


def test_naive_time_that_does_not_exist_moves_forward_by_the_gap():
    # 01:30 on 28 March never appears on a London clock; it is read with the offset in force
    # before the jump (GMT), i.e. 01:30 UTC, which the clock shows as 02:30 BST.
    moment = OFFICE.aware(t("2027-03-28 01:30"))
    assert moment.astimezone(timezone.utc) == datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc)
    # 00:30 GMT -> 01:30 (read as 01:30 UTC) is 1 real hour.
    assert Calendar.always("Europe/London").elapsed(t("2027-03-28 00:30"), t("2027-03-28 01:30")) == H


# --------------------------------------------------------------------------------------------
# Many tickets at once


def test_elapsed_many_matches_the_hand_values():
    # The Friday case (10m), the Easter case (2h) and the lunch-free Wednesday span (4h30m),
    # given as UTC datetime64: London is on GMT in early March and on BST from 28 March.
    starts = np.array(["2027-03-05T16:55", "2027-03-25T16:00", "2027-03-03T10:15"], dtype="datetime64[m]")
    ends = np.array(["2027-03-08T09:05", "2027-03-30T09:00", "2027-03-03T14:45"], dtype="datetime64[ns]")
    # 2027-03-30T09:00 UTC is 10:00 BST.
    assert OFFICE.elapsed_many(starts, ends).tolist() == [600, 7200, 16200]


def test_due_many_matches_the_hand_values():
    starts = np.array(["2027-03-05T16:55", "2027-03-05T16:00", "2027-03-06T11:00", "2027-03-06T11:00"],
                      dtype="datetime64[s]")
    targets = np.array([600, 3600, 4 * 3600, 0])
    due = OFFICE.due_many(starts, targets)
    assert due.dtype == np.dtype("datetime64[s]")
    # Monday 09:05; Friday's closing time 17:00; Monday 13:00; zero target: the start itself.
    assert due.astype(str).tolist() == ["2027-03-08T09:05:00", "2027-03-05T17:00:00",
                                        "2027-03-08T13:00:00", "2027-03-06T11:00:00"]
    as_timedeltas = OFFICE.due_many(starts, targets.astype("timedelta64[s]"))
    assert (as_timedeltas == due).all()


def test_many_refuses_backwards_spans_and_missing_times():
    with pytest.raises(SlagenError, match="1 end"):
        OFFICE.elapsed_many(np.array(["2027-03-05T10:00"], "datetime64[s]"),
                            np.array(["2027-03-05T09:00"], "datetime64[s]"))
    with pytest.raises(SlagenError, match="NaT"):
        OFFICE.elapsed_many(np.array(["NaT"], "datetime64[s]"), np.array(["2027-03-05T09:00"], "datetime64[s]"))


def test_many_with_no_tickets():
    empty = np.array([], "datetime64[s]")
    assert OFFICE.elapsed_many(empty, empty).shape == (0,)
    assert OFFICE.due_many(empty, np.array([], np.int64)).shape == (0,)


# --------------------------------------------------------------------------------------------
# Loading calendars


def test_load_a_contract_gives_its_support_hours():
    acme = Calendar.load(EXAMPLE)
    assert acme.timezone == "Europe/London"
    # Fri 5 March 17:25 -> Mon 8 March 08:35 in 08:30-17:30 hours: 5m + 5m.
    assert acme.elapsed(t("2027-03-05 17:25"), t("2027-03-08 08:35")) == 10 * M


def test_for_clock_picks_24x7_or_support_hours():
    from slagen.library.contracts import load_contract

    contract = load_contract(EXAMPLE)
    assert Calendar.for_clock(contract, "24x7").is_always
    assert not Calendar.for_clock(contract, "support_hours").is_always
    with pytest.raises(SlagenError, match="not a clock"):
        Calendar.for_clock(contract, "weekdays")


def test_load_a_calendar_file():
    night = Calendar.load(DATA / "calendar-night.yaml")
    assert night.timezone == "America/New_York"
    # Fri 5 March 23:00 -> Sat 6 March 05:00 EST, inside Friday's night window.
    assert night.elapsed(t("2027-03-05 23:00"), t("2027-03-06 05:00")) == 6 * H


def test_calendar_file_with_other_keys_is_refused_at_the_key():
    with pytest.raises(InvalidInput) as caught:
        Calendar.load(DATA / "calendar-unknown-key.yaml")
    assert str(caught.value).startswith(f"{DATA / 'calendar-unknown-key.yaml'}:5:1: error: unknown key 'priorities'")


def test_calendar_file_with_a_bad_zone_points_at_it():
    with pytest.raises(InvalidInput) as caught:
        Calendar.load(DATA / "calendar-bad-zone.yaml")
    assert f"{DATA / 'calendar-bad-zone.yaml'}:2:13: error: 'Europe/Londres' is not a time zone" in str(caught.value)


def test_missing_calendar_file():
    with pytest.raises(InvalidInput, match="1:1: error: no such file"):
        Calendar.load(DATA / "calendar-none.yaml")


# --------------------------------------------------------------------------------------------
# Helpers other parts use


def test_open_intervals_are_cut_to_the_span():
    # Thu 4 March 12:00 -> Mon 8 March 10:00: Thu 12-17, Fri 09-17, Mon 09-10 (GMT = UTC).
    got = OFFICE.open_intervals(t("2027-03-04 12:00"), t("2027-03-08 10:00"))
    assert [(a.isoformat(), b.isoformat()) for a, b in got] == [
        ("2027-03-04T12:00:00+00:00", "2027-03-04T17:00:00+00:00"),
        ("2027-03-05T09:00:00+00:00", "2027-03-05T17:00:00+00:00"),
        ("2027-03-08T09:00:00+00:00", "2027-03-08T10:00:00+00:00"),
    ]


def test_is_open():
    assert OFFICE.is_open(t("2027-03-03 09:00"))  # opening time is open
    assert not OFFICE.is_open(t("2027-03-03 17:00"))  # closing time is closed
    assert not OFFICE.is_open(t("2027-03-29 12:00"))  # Easter Monday


# --------------------------------------------------------------------------------------------
# Bounds: a question spanning centuries is refused before years are built, never computed for minutes


def test_a_span_of_millennia_is_refused_before_any_year_is_built():
    cal = calendar({"monday-friday": "09:00-17:00"})
    with pytest.raises(SlagenError, match="span the years 1901 to 9997; a clock counts over at most 200 years"):
        cal.elapsed(t("1901-01-05 00:00"), t("9997-01-01 00:00"))
    assert cal._chunks == {}


def test_a_pause_into_the_far_future_stops_growing_after_two_hundred_years():
    cal = calendar({"monday-friday": "09:00-17:00"})
    with pytest.raises(SlagenError, match="not used up before the end of the year 22"):
        cal.due(t("2027-03-01 09:00"), H, [(t("2027-03-01 00:00"), t("9990-01-01 00:00"))])
    assert len(cal._chunks) <= 202  # the 200 years, and a year of margin at either end


def test_an_instant_past_the_last_year_is_an_error_not_an_overflow():
    cal = calendar({"monday-friday": "09:00-17:00"})
    with pytest.raises(SlagenError, match="clocks are kept for the years 1901 to 9997 only"):
        cal.due(datetime(9999, 12, 31, 12, 0), H)


@pytest.mark.parametrize("name", ["Europe/Londres", "A" * 300, "Europe/" + "x" * 5000])
def test_a_name_that_is_no_zone_is_a_plain_error_however_long(name):
    # A name longer than a file name may be makes zoneinfo raise OSError, not KeyError.
    with pytest.raises(SlagenError, match="is not a time zone"):
        Calendar(name, [])
