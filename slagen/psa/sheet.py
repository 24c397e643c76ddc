"""A setup sheet: the contract's clocks as the screens of a tool without an SLA API ask for them.

Jira Service Management and ServiceNow keep calendars and SLA goals in screens a person fills
in; the sheet walks those screens in order, with every value already in the tool's words
(Jira's calendar, its SLA goals and JQL; ServiceNow's schedule, schedule entries and SLA
definitions). It is one Document tree, so the report's Markdown writer and the agreement's PDF
writer print it.
"""

from __future__ import annotations

from datetime import date

from slagen.document import Cover, Document, ListBlock, Paragraph, Section, Table, text
from slagen.psa.plan import PAUSE_WORDS, SlaPlan, day_name, hhmm

__all__ = ["setup_sheet", "SHEET_TOOLS"]

SHEET_TOOLS = {
    "jira": ("Jira Service Management", [
        "https://support.atlassian.com/jira-service-management-cloud/docs/create-service-level-agreements-slas/",
        "https://support.atlassian.com/jira-service-management-cloud/docs/set-up-sla-calendars/",
    ]),
    "servicenow": ("ServiceNow", [
        "https://www.servicenow.com/docs/ (Service Level Management: SLA definitions; Schedules)",
    ]),
}
_JIRA_PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
_SNOW_PRIORITIES = ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning"]


def _p(value: str) -> Paragraph:
    return Paragraph(text(value))


def _steps(items: list[str]) -> ListBlock:
    return ListBlock(tuple((_p(i),) for i in items), ordered=True)


def _duration(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours}h {mins}m" if hours and mins else (f"{hours}h" if hours else f"{mins}m")


def setup_sheet(plan: SlaPlan, tool: str) -> Document:
    name, sources = SHEET_TOOLS[tool]
    c = plan.contract
    s = plan.settings
    ref = c.agreement.reference
    calendar_name = f"{ref} support hours"
    hours_rows = tuple((text(day_name(d)), text(", ".join(f"{hhmm(a)} to {hhmm(b % 1440)}" for a, b in s.hours[d])
                                                 or "closed")) for d in range(7))
    holiday_rows = tuple((text(day.isoformat()), text(day.strftime("%A")), text(holiday))
                         for day, holiday in sorted(s.holidays.items()))
    labels = _JIRA_PRIORITIES if tool == "jira" else _SNOW_PRIORITIES
    target_rows = []
    for p, label in zip(c.priorities, labels):
        for measure in ("response", "resolution", "update"):
            t = s.targets.get((p.id, measure))
            if t is not None:
                target_rows.append((text(f"{p.id} {p.name}"), text(label), text(measure.capitalize()),
                                    text(_duration(t.minutes)),
                                    text(calendar_name if t.business_hours else "24/7 (no calendar)")))
    # Jira Service Management's own status for waiting on the customer is "Waiting for customer".
    words = {**PAUSE_WORDS, "awaiting_customer": "Waiting for customer"} if tool == "jira" else PAUSE_WORDS
    pauses = [words[r] for r in sorted(s.pauses)]
    years = ", ".join(str(y) for y in plan.years)

    if tool == "jira":
        calendar_steps = [
            "Open the service project, then Project settings > SLAs > Calendars, and choose Add calendar.",
            f"Name: {calendar_name}. Time zone: {s.zone}.",
            "Working days and hours: as in the table below, one row per working day.",
            f"Holidays: add each date in the holiday table (years {years}); leave 'Repeats every year' off, "
            "because moveable holidays fall on other dates next year.",
        ]
        goal_steps = [
            "Project settings > SLAs > Time to first response: Start: Issue created. Pause on: Status: "
            + (", ".join(pauses) if pauses else "nothing") + ". Stop: Comment: For customers.",
            "Time to resolution: Start: Issue created. Pause on: the same statuses. Stop: Entered Status: Resolved.",
            "Goals: one goal per row of the targets table, with the JQL priority = the row's Jira priority "
            "(for example priority = Highest), the time and the calendar given.",
            "Update targets: Jira has no built-in update SLA; add a custom SLA 'Time to update' (Start: Comment: "
            "For customers; Stop: Comment: For customers) if the tool should measure it.",
        ]
    else:
        calendar_steps = [
            "System Scheduler > Schedules > Schedules, New.",
            f"Name: {calendar_name}. Time zone: {s.zone}. Type: leave empty.",
            "Schedule entries (New): one entry per working day in the table below, Repeats: Weekly, "
            "Show as: Busy.",
            f"Holidays: one entry per date in the holiday table (years {years}), Type: Excluded, All day.",
        ]
        goal_steps = [
            "Service Level Management > SLA Definitions, New, one per row of the targets table.",
            "Table: Incident. Duration type: user specified, the duration given. Schedule: the calendar given "
            "(none for 24/7).",
            "Start condition: Priority is the ServiceNow priority given. Stop condition: State is Resolved "
            "(resolution), or First response is not empty (response).",
            "Pause condition: State is On Hold and On hold reason is one of: "
            + (", ".join(pauses) if pauses else "nothing (the contract has no pauses)") + ".",
        ]
    blocks = (
        Section("about", "About this sheet", (
            _p(f"These settings make {name} measure agreement {ref} between {c.provider.name} and "
               f"{c.customer.name} on the same clocks as the agreement and slagen's reports. Where the tool's "
               "flags and the report disagree, run slagen report on the tool's export to see which ticket and why."),
            _p("Sources: " + "; ".join(sources)),
        )),
        Section("calendar", "Calendar", (
            _steps(calendar_steps),
            Table(header=(text("Day"), text("Working hours")), rows=hours_rows, id="hours",
                  caption=f"Working hours, {s.zone}"),
            Table(header=(text("Date"), text("Day"), text("Holiday")), rows=holiday_rows, id="holidays",
                  caption=f"Days closed, {years}"),
        )),
        Section("targets", "SLA goals", (
            _steps(goal_steps),
            Table(header=tuple(text(h) for h in ("Contract priority", f"{name} priority", "Target", "Within",
                                                 "Calendar")),
                  rows=tuple(target_rows), id="targets", caption="Targets"),
        )),
    )
    day = date(plan.years.start, 1, 1) if c.agreement.effective_date is None else c.agreement.effective_date
    title = f"{name} SLA set-up"
    return Document(kind="report", title=title, reference=f"{ref}-{tool}-setup",
                    cover=Cover(title=title, subtitle=f"Agreement {ref}", parties=(c.provider.name, c.customer.name),
                                reference=ref, version=c.agreement.version, date=day, draft=False),
                    blocks=blocks, date=day, author=c.provider.name, subject=title,
                    language=c.agreement.locale.replace("_", "-"), paper=c.agreement.paper_size)
