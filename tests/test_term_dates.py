"""Renewal dates and notice deadlines, worked out by hand on a calendar."""

from datetime import date

import pytest

from slagen.model.term_dates import add_months, contract_renewal_dates, renewal_dates


@pytest.mark.parametrize("start, months, expected", [
    (date(2027, 1, 1), 12, date(2028, 1, 1)),
    (date(2027, 1, 31), 1, date(2027, 2, 28)),   # February 2027 has 28 days
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # 2028 is a leap year
    (date(2027, 11, 15), 3, date(2028, 2, 15)),  # across a year end
    (date(2027, 5, 31), 0, date(2027, 5, 31)),
])
def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_first_renewal_deadline_is_notice_days_before_the_first_renewal():
    # 1 Jan 2027 + 12 months -> renews 1 Jan 2028; 90 days before: December has 31 days, November 30,
    # October 31 (92 days back to 1 Oct 2027), so 90 days back is 3 Oct 2027.
    got = renewal_dates(date(2027, 1, 1), 12, 12, True, 90, today=date(2027, 6, 1))
    assert got.term_end == date(2028, 1, 1)
    assert got.renewal_date == date(2028, 1, 1)
    assert got.notice_deadline == date(2027, 10, 3)


def test_the_deadline_day_itself_still_counts():
    got = renewal_dates(date(2027, 1, 1), 12, 12, True, 90, today=date(2027, 10, 3))
    assert got.notice_deadline == date(2027, 10, 3)


def test_after_the_deadline_the_next_renewal_is_the_one_that_can_still_be_stopped():
    # 4 Oct 2027 is too late for 1 Jan 2028; the next renewal is 1 Jan 2029 (12-month renewals),
    # and 90 days before it is 3 Oct 2028 (2028 is a leap year but February is not in the 90 days).
    got = renewal_dates(date(2027, 1, 1), 12, 12, True, 90, today=date(2027, 10, 4))
    assert got.renewal_date == date(2029, 1, 1)
    assert got.notice_deadline == date(2028, 10, 3)


def test_renewals_are_counted_from_the_effective_date_so_month_ends_do_not_drift():
    # 31 Aug 2027 + 6 months = 29 Feb 2028 (leap); the next renewal is 31 Aug 2028, not 29 Aug.
    got = renewal_dates(date(2027, 8, 31), 6, 6, True, 0, today=date(2028, 3, 1))
    assert got.renewal_date == date(2028, 8, 31)
    assert got.notice_deadline == date(2028, 8, 31)


def test_no_automatic_renewal_means_no_deadline():
    got = renewal_dates(date(2027, 1, 1), 24, 12, False, 30, today=date(2027, 1, 1))
    assert (got.term_end, got.renewal_date, got.notice_deadline) == (date(2029, 1, 1), None, None)
    assert renewal_dates(date(2027, 1, 1), 24, None, True, 30, today=date(2027, 1, 1)).notice_deadline is None


def test_the_reference_contract_renews_on_1_january_2028_with_notice_by_3_october_2027():
    from slagen.library.contracts import load_contract

    contract = load_contract("examples/acme-dental.yaml")  # 2027-01-01, 12 months, auto 12, 90 days
    got = contract_renewal_dates(contract, today=date(2027, 1, 1))
    assert (got.renewal_date, got.notice_deadline) == (date(2028, 1, 1), date(2027, 10, 3))
