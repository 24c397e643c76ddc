"""Notice deadlines out of the register: a CSV for a spreadsheet, an iCalendar file for a calendar.

Both list the contracts the "notice deadlines" view lists (register.py): those approved at
least once, with a notice deadline from today on (within ``due`` days when given), soonest
first. Drafts never approved are left out: there is nothing yet to give notice on.

The iCalendar file (RFC 5545, written with the ``icalendar`` library) has one all-day event on
each deadline, with a reminder two weeks before; its UID is stable per contract and deadline,
so importing the file again updates the events instead of doubling them.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from slagen.workspace.access import Actor, get_db, need
from slagen.workspace.documents import attachment
from slagen.workspace.register import RegisterRow, register_rows

REMIND_DAYS_BEFORE = 14
MOST_DAYS = 366 * 100  # 'due' beyond a century is every deadline anyway

router = APIRouter(include_in_schema=False)


def notice_rows(db: Session, today: date, due: int | None = None) -> list[RegisterRow]:
    """Contracts with a notice deadline to keep, from today on (within ``due`` days), soonest first."""
    within = MOST_DAYS if due is None else max(0, min(due, MOST_DAYS))
    return register_rows(db, sort="notice_deadline", notice_within=within, today=today)


def _cell(value) -> str:
    """A value for a spreadsheet cell: text that a spreadsheet would run as a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def notice_csv(rows: list[RegisterRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Reference", "Customer", "Status", "Notice deadline", "Days left", "Renews on",
                     "Approved version"])
    for r in rows:
        writer.writerow([_cell(r.reference), _cell(r.customer), r.status.replace("_", " "),
                         r.notice_deadline.isoformat(), r.days_left, r.renewal_date.isoformat() if r.renewal_date else "",
                         r.approved_version])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the mark tells Excel the file is UTF-8


def notice_calendar(rows: list[RegisterRow], now: datetime, base_url: str) -> bytes:
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//slagen//workspace notice deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Contract notice deadlines")
    for r in rows:
        event = Event()
        event.add("uid", f"notice-{r.id}-{r.notice_deadline.isoformat()}@slagen")
        event.add("dtstamp", now)
        event.add("dtstart", r.notice_deadline)
        event.add("dtend", r.notice_deadline + timedelta(days=1))
        event.add("summary", f"Notice deadline: {r.reference} ({r.customer})")
        renews = f"renews on {r.renewal_date.isoformat()}" if r.renewal_date else "renews"
        event.add("description", f"Last day to give notice on {r.reference} with {r.customer}; otherwise it "
                                 f"{renews}.\n{base_url}/contracts/{r.id}")
        event.add("url", f"{base_url}/contracts/{r.id}")
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Notice deadline for {r.reference} in {REMIND_DAYS_BEFORE} days")
        alarm.add("trigger", timedelta(days=-REMIND_DAYS_BEFORE))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


@router.get("/register/notice-deadlines.csv")
def deadlines_csv(due: int | None = None, user: Actor = need("view"), db: Session = Depends(get_db)):
    from slagen.workspace.pages import today

    day = today()
    return Response(notice_csv(notice_rows(db, day, due)), media_type="text/csv; charset=utf-8",
                    headers=attachment(f"notice-deadlines-{day.isoformat()}.csv"))


@router.get("/register/notice-deadlines.ics")
def deadlines_ics(request: Request, due: int | None = None, user: Actor = need("view"),
                  db: Session = Depends(get_db)):
    from slagen.workspace.pages import today

    day = today()
    base = str(request.base_url).rstrip("/")
    data = notice_calendar(notice_rows(db, day, due), datetime.now(timezone.utc).replace(microsecond=0), base)
    return Response(data, media_type="text/calendar; charset=utf-8",
                    headers=attachment(f"notice-deadlines-{day.isoformat()}.ics"))
