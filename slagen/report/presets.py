"""Column mappings for the ticket exports of the PSA and helpdesk tools MSPs use.

Each preset names the export it describes and where its field names come from (``source``:
the vendor's API reference or help pages, or public client code that reads that export). An
export can still be customised (renamed columns, extra priorities), so a user's ``--columns``
and ``--priority-map`` are laid over a preset and win.

``zone``: ``"UTC"`` where the export writes UTC (API JSON, ``_UTC`` columns); ``None`` where it
writes the wall time of the tool's user or server (grid and report exports), which is read in
``--export-timezone`` or else the contract's zone. Times with an offset always keep it.
``no_response``: the export has no first-response time, so only resolution is reported.
``checked``: the header names were seen in a public export, report or API client of the tool
while this preset was written; ``False`` means they follow the tool's documented field names
but no real export was at hand to compare, so a user's header row is the judge.
``first_response_minutes``: a column of calendar minutes from logging to the first reply.

Date formats are not part of a preset: they follow the user's locale, so they are found from the
values themselves (``time_formats``); ``format`` only documents what the tool usually writes.
"""

from __future__ import annotations

from slagen.errors import UsageError
from slagen.report.tickets import FIELDS, ColumnMap

__all__ = ["PRESETS", "column_map", "parse_pairs", "MINUTES_FIELD"]

MINUTES_FIELD = "first_response_minutes"

_CW_PRIORITIES = {"Priority 1 - Emergency Response": "P1", "Priority 2 - Quick Response": "P2",
                  "Priority 3 - Normal Response": "P3", "Priority 4 - Scheduled Maintenance": "P4"}
_CRITICAL_TO_LOW = {"Critical": "P1", "High": "P2", "Medium": "P3", "Low": "P4"}
_URGENT_TO_LOW = {"Urgent": "P1", "High": "P2", "Medium": "P3", "Low": "P4"}
_FRESH_NUMBERS = {"4": "P1", "3": "P2", "2": "P3", "1": "P4"}  # Freshdesk/Freshservice: 4 urgent .. 1 low

PRESETS: dict[str, dict] = {
    # ConnectWise PSA service board list exported to CSV: the board's column captions; the times
    # are written as the user's locale shows them (US: 3/1/2027 9:12 AM), in the user's zone.
    # The priority names are ConnectWise's default priority list.
    "connectwise": {
        "checked": False,
        "tool": "ConnectWise PSA, service board grid export (CSV)",
        "source": "ConnectWise service ticket fields dateEntered/dateResponded/dateResolved shown with their "
                  "grid captions; default priority list",
        "format": "user's locale, e.g. 3/1/2027 9:12 AM", "zone": None,
        "columns": {"id": "Ticket #", "priority": "Priority", "logged_at": "Date Entered",
                    "first_response_at": "Date Responded", "resolved_at": "Date Resolved"},
        "priority_values": _CW_PRIORITIES,
        "flags": {"response": ("Responded", "Met Response SLA"), "resolution": ("Resolved", "Met Resolution SLA")},
    },
    # ConnectWise Report Writer, view v_rpt_Service (TicketNbr, date_entered, Date_Responded_UTC,
    # Date_Resolved_UTC, Urgency), as public ConnectWise SQL reports and migrations select it.
    # date_entered is the server's wall time; the _UTC columns are UTC (read so by their name).
    "connectwise-report": {
        "checked": True,
        "tool": "ConnectWise PSA, Report Writer view v_rpt_Service",
        "source": "v_rpt_Service columns as selected by public ConnectWise report and migration SQL",
        "format": "SQL Server text, 2027-03-01 09:12:00.000", "zone": None,
        "columns": {"id": "TicketNbr", "priority": "Urgency", "logged_at": "date_entered",
                    "first_response_at": "Date_Responded_UTC", "resolved_at": "Date_Resolved_UTC"},
        "priority_values": _CW_PRIORITIES,
        # Responded_Minutes (SLA minutes) + Responded_Skipped_Minutes (minutes the SLA clock skipped)
        # run from date_entered to Date_Responded_UTC: the pair tells date_entered's zone.
        "zone_pair": {"event": "first_response_at", "minutes": ("Responded_Minutes", "Responded_Skipped_Minutes")},
        "flags": {"response": ("MetResponseSLA", "Responded_Met_SLA"), "resolution": ("MetResolutionSLA",
                                                                                       "Resolved_Met_SLA")},
    },
    # ConnectWise PSA REST API, GET /service/tickets: id, priority.name, _info.dateEntered,
    # dateResponded, dateResolved, all UTC with Z.
    "connectwise-api": {
        "checked": True,
        "tool": "ConnectWise PSA REST API, /service/tickets (JSON)",
        "source": "ConnectWise Manage API ticket model (dateResponded, dateResolved, _info.dateEntered) as read by "
                  "public API clients",
        "format": "ISO 8601 with Z", "zone": "UTC",
        "columns": {"id": "id", "priority": "priority.name", "logged_at": "_info.dateEntered",
                    "first_response_at": "dateResponded", "resolved_at": "dateResolved"},
        "priority_values": _CW_PRIORITIES,
    },
    # Autotask ticket search grid exported to CSV, with the captions of the grid's column chooser.
    "autotask": {
        "checked": False,
        "tool": "Autotask PSA, ticket search grid export (CSV)",
        "source": "Autotask ticket fields (Create Date, First Response Date/Time, Complete Date/Time) with their "
                  "grid captions; default priority picklist",
        "format": "user's locale, e.g. 3/1/2027 9:12 AM", "zone": None,
        "columns": {"id": "Ticket Number", "priority": "Priority", "logged_at": "Created",
                    "first_response_at": "First Response Date/Time", "resolved_at": "Complete Date/Time"},
        "priority_values": _CRITICAL_TO_LOW,
    },
    # Autotask's ticket import template (what a data export or migration into Autotask writes).
    "autotask-import": {
        "checked": True,
        "tool": "Autotask PSA, ticket import-template export (CSV)",
        "source": "Autotask ticket import template headers, as written by public migration SQL",
        "format": "2027-03-01 09:12:00", "zone": None,
        "columns": {"id": "Autotask Ticket Number", "priority": "Priority", "logged_at": "Create Date/Time",
                    "first_response_at": "First Response Date/Time", "resolved_at": "Complete Date/Time"},
        "priority_values": _CRITICAL_TO_LOW,
    },
    # Autotask REST API, Tickets entity: ticketNumber, priority (picklist value), createDate,
    # firstResponseDateTime, resolvedDateTime, UTC. Default picklist: 4 Critical, 1 High, 2 Medium, 3 Low.
    "autotask-api": {
        "checked": True,
        "tool": "Autotask PSA REST API, Tickets entity (JSON)",
        "source": "Autotask REST Tickets entity fields as typed by public API clients",
        "format": "ISO 8601 with Z", "zone": "UTC",
        "columns": {"id": "ticketNumber", "priority": "priority", "logged_at": "createDate",
                    "first_response_at": "firstResponseDateTime", "resolved_at": "resolvedDateTime"},
        "priority_values": {"4": "P1", "1": "P2", "2": "P3", "3": "P4"},
    },
    # HaloPSA report (SQL over the Faults table) with the aliases most Halo reports give:
    # faultid AS [TicketID], dateoccured AS [Date Opened], FResponseDate AS [First Response],
    # datecleared AS [Date Closed]. Halo stores these in UTC; a report that converts them to local
    # time needs --export-timezone.
    "halopsa": {
        "checked": True,
        "tool": "HaloPSA report export (CSV)",
        "source": "HaloPSA Faults columns (faultid, dateoccured, FResponseDate, datecleared) with the aliases "
                  "of public Halo report SQL",
        "format": "2027-03-01 09:12:00", "zone": "UTC",
        "columns": {"id": "TicketID", "priority": "Priority", "logged_at": "Date Opened",
                    "first_response_at": "First Response", "resolved_at": "Date Closed"},
        "priority_values": {"1": "P1", "2": "P2", "3": "P3", "4": "P4", **_CRITICAL_TO_LOW},
    },
    # HaloPSA API, GET /api/Tickets: id, priority_id, dateoccurred, responsedate, datecleared (UTC).
    "halopsa-api": {
        "checked": False,
        "tool": "HaloPSA API, /api/Tickets (JSON)",
        "source": "HaloPSA ticket API fields (the Faults columns under their API names)",
        "format": "ISO 8601 (UTC)", "zone": "UTC",
        "columns": {"id": "id", "priority": "priority_id", "logged_at": "dateoccurred",
                    "first_response_at": "responsedate", "resolved_at": "datecleared"},
        "priority_values": {"1": "P1", "2": "P2", "3": "P3", "4": "P4"},
    },
    # Zendesk ticket export / Explore tickets report (CSV): no first-reply time stamp, but
    # "First reply time in minutes" (calendar minutes from creation). The account's zone.
    "zendesk": {
        "checked": True,
        "tool": "Zendesk Support, ticket CSV export",
        "source": "Zendesk CSV export columns (Id, Priority, Created at, Solved at, First reply time in minutes)",
        "format": "2027-03-01 09:12", "zone": None,
        "columns": {"id": "Id", "priority": "Priority", "logged_at": "Created at", "resolved_at": "Solved at"},
        "first_response_minutes": "First reply time in minutes",
        "flags": {"response": ("SLA first reply time breached", "First reply time SLA breached"),
                  "resolution": ("SLA requester wait time breached", "SLA agent work time breached",
                                 "SLA total resolution time breached")},
        "priority_values": {"Urgent": "P1", "High": "P2", "Normal": "P3", "Low": "P4"},
    },
    # Zendesk API, GET /api/v2/tickets?include=metric_sets: the ticket's priority and created_at,
    # its Ticket Metrics (solved_at, reply_time_in_minutes.calendar), UTC with Z.
    "zendesk-api": {
        "checked": False,
        "tool": "Zendesk API, tickets with their Ticket Metrics (JSON)",
        "source": "Zendesk Ticket Metrics API (solved_at, reply_time_in_minutes.calendar)",
        "format": "ISO 8601 with Z", "zone": "UTC",
        "columns": {"id": "id", "priority": "priority", "logged_at": "created_at",
                    "resolved_at": "metric_set.solved_at"},
        "first_response_minutes": "metric_set.reply_time_in_minutes.calendar",
        "priority_values": {"urgent": "P1", "high": "P2", "normal": "P3", "low": "P4"},
    },
    # Freshdesk ticket export (CSV): Ticket ID, Priority, Created time, Initial response time
    # (the time of the first response), Resolved time; the agent's zone.
    "freshdesk": {
        "checked": True,
        "tool": "Freshdesk, ticket export (CSV)",
        "source": "Freshdesk ticket export columns as read by public analysis code",
        "format": "2027-03-01 09:12:33", "zone": None,
        "columns": {"id": "Ticket ID", "priority": "Priority", "logged_at": "Created time",
                    "first_response_at": "Initial response time", "resolved_at": "Resolved time"},
        "priority_values": _URGENT_TO_LOW,
        "flags": {"response": ("First response status",), "resolution": ("Resolution status",)},
    },
    # Freshdesk API v2, GET /api/v2/tickets?include=stats: priority 1 low .. 4 urgent,
    # stats.first_responded_at, stats.resolved_at, UTC with Z.
    "freshdesk-api": {
        "checked": True,
        "tool": "Freshdesk API v2, tickets with stats (JSON)",
        "source": "Freshdesk API ticket and stats fields (stats.first_responded_at, stats.resolved_at)",
        "format": "ISO 8601 with Z", "zone": "UTC",
        "columns": {"id": "id", "priority": "priority", "logged_at": "created_at",
                    "first_response_at": "stats.first_responded_at", "resolved_at": "stats.resolved_at"},
        "priority_values": _FRESH_NUMBERS,
    },
    # Freshservice ticket list exported to CSV (Tickets > Export): the list's field names as the
    # export dialog offers them, times in the agent's zone and format.
    "freshservice": {
        "checked": False,
        "tool": "Freshservice, ticket list export (CSV)",
        "source": "Freshservice ticket export fields (Ticket Id, Priority, Created Date, Initial Response Time, "
                  "Resolved Date, First Response Status, Resolution Status)",
        "format": "2027-03-01 09:12:33", "zone": None,
        "columns": {"id": "Ticket Id", "priority": "Priority", "logged_at": "Created Date",
                    "first_response_at": "Initial Response Time", "resolved_at": "Resolved Date"},
        "priority_values": _URGENT_TO_LOW,
        "flags": {"response": ("First Response Status",), "resolution": ("Resolution Status",)},
    },
    # Freshservice API v2, GET /api/v2/tickets?include=stats: the same shape as Freshdesk's.
    "freshservice-api": {
        "checked": False,
        "tool": "Freshservice API v2, tickets with stats (JSON)",
        "source": "Freshservice API ticket and stats fields; priority 1 low .. 4 urgent",
        "format": "ISO 8601 with Z", "zone": "UTC",
        "columns": {"id": "id", "priority": "priority", "logged_at": "created_at",
                    "first_response_at": "stats.first_responded_at", "resolved_at": "stats.resolved_at"},
        "priority_values": _FRESH_NUMBERS,
    },
    # Jira Service Management issue search exported to CSV (all fields): Issue key, Priority,
    # Created, Resolved in the user's Jira format (01/Mar/27 9:12 AM). "Time to first response"
    # is an SLA status, not a time stamp; the time of the first response is the field
    # "[CHART] Date of First Response" that every export of all fields carries. An export without
    # it is reported on resolution only ("response_optional").
    "jira": {
        "checked": True,
        "tool": "Jira Service Management, issue CSV export",
        "source": "Jira CSV export columns (Issue key, Priority, Created, Resolved, [CHART] Date of First Response); "
                  "Jira's default priorities",
        "format": "dd/MMM/yy h:mm a, e.g. 01/Mar/27 9:12 AM", "zone": None, "response_optional": True,
        "columns": {"id": "Issue key", "priority": "Priority", "logged_at": "Created",
                    "first_response_at": "[CHART] Date of First Response", "resolved_at": "Resolved"},
        "priority_values": {"Highest": "P1", "High": "P2", "Medium": "P3", "Low": "P4", "Lowest": "P4"},
        "flags": {"response": ("Time to first response",), "resolution": ("Time to resolution",)},
    },
    # Zammad reporting download (XLSX): Number, Priority, Created at, First Response At, Closed at,
    # as Zammad's own Excel export names its ticket columns; times in Zammad's zone.
    "zammad": {
        "checked": True,
        "tool": "Zammad, reporting download (XLSX)",
        "source": "Zammad's Excel ticket sheet headers (Created at, Closed at, First Response At) in its source",
        "format": "Excel date cells", "zone": None,
        "columns": {"id": "Number", "priority": "Priority", "logged_at": "Created at",
                    "first_response_at": "First Response At", "resolved_at": "Closed at"},
        "priority_values": {"3 high": "P2", "2 normal": "P3", "1 low": "P4"},
    },
    # GLPI ticket search exported to CSV: ';'-separated, UTF-8; Opening date, Resolution date;
    # "Time to own" is a deadline, not a response, so the export has no first response.
    "glpi": {
        "checked": False,
        "tool": "GLPI, ticket search export (CSV, ;)",
        "source": "GLPI ticket search options (Opening date = date, Resolution date = solvedate); its six priorities",
        "format": "2027-03-01 09:12", "zone": None, "no_response": True,
        "columns": {"id": "ID", "priority": "Priority", "logged_at": "Opening date", "resolved_at": "Resolution date"},
        "priority_values": {"Major": "P1", "Very high": "P1", "High": "P2", "Medium": "P3", "Low": "P4",
                            "Very low": "P4"},
    },
    # osTicket agent panel ticket export (CSV): Ticket Number, Date Created, Priority, Closed Date in
    # the helpdesk's date format (US default n/j/y g:i A); no first-response time.
    "osticket": {
        "checked": False,
        "tool": "osTicket, agent ticket export (CSV)",
        "source": "osTicket ticket export fields (Ticket Number, Date Created, Priority); default priorities",
        "format": "helpdesk's date format, e.g. 3/1/27 9:12 AM", "zone": None, "no_response": True,
        "columns": {"id": "Ticket Number", "priority": "Priority", "logged_at": "Date Created",
                    "resolved_at": "Closed Date"},
        "priority_values": {"Emergency": "P1", "High": "P2", "Normal": "P3", "Low": "P4"},
    },
    # ServiceNow incident list exported to CSV: element names as headers, priority display values,
    # times in the user's zone and format; incidents carry no first-response time.
    "servicenow": {
        "checked": False,
        "tool": "ServiceNow, incident list CSV export",
        "source": "ServiceNow incident table fields (number, priority, opened_at, resolved_at)",
        "format": "2027-03-01 09:12:00 (user's format)", "zone": None, "no_response": True,
        "columns": {"id": "number", "priority": "priority", "logged_at": "opened_at", "resolved_at": "resolved_at"},
        "priority_values": {"1 - Critical": "P1", "2 - High": "P2", "3 - Moderate": "P3", "4 - Low": "P4",
                            "5 - Planning": "P4"},
    },
    # ServiceNow Table API, GET /api/now/table/incident: {"result": [...]}, times in UTC.
    "servicenow-api": {
        "checked": False,
        "tool": "ServiceNow Table API, incident (JSON)",
        "source": "ServiceNow Table API incident fields; stored values are UTC",
        "format": "2027-03-01 09:12:00 (UTC)", "zone": "UTC", "no_response": True,
        "columns": {"id": "number", "priority": "priority", "logged_at": "opened_at", "resolved_at": "resolved_at"},
        "priority_values": {"1": "P1", "2": "P2", "3": "P3", "4": "P4", "5": "P4"},
    },
    # Atera API v3, GET /api/v3/tickets: {"items": [...]}: TicketID, TicketPriority,
    # TicketCreatedDate, TechnicianFirstCommentDate (first response), TicketResolvedDate, UTC.
    "atera-api": {
        "checked": True,
        "tool": "Atera API v3, tickets (JSON)",
        "source": "Atera API v3 ticket model as typed by a public API client",
        "format": "ISO 8601 (UTC)", "zone": "UTC",
        "columns": {"id": "TicketID", "priority": "TicketPriority", "logged_at": "TicketCreatedDate",
                    "first_response_at": "TechnicianFirstCommentDate", "resolved_at": "TicketResolvedDate"},
        "priority_values": _CRITICAL_TO_LOW,
    },
}


def parse_pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """['a=b', 'c=d,e=f'] -> {'a': 'b', 'c': 'd', 'e': 'f'}; a mistake is a UsageError."""
    pairs: dict[str, str] = {}
    for value in values or []:
        for part in value.split(","):
            if not part.strip():
                continue
            key, sep, target = part.partition("=")
            if not sep or not key.strip() or not target.strip():
                raise UsageError(f"error: {option} '{part.strip()}' is not NAME=VALUE")
            pairs[key.strip()] = target.strip()
    return pairs


def column_map(preset: str | None = None, columns: dict[str, str] | None = None,
               priority_values: dict[str, str] | None = None, time_format: str | None = None,
               first_response_minutes: str | None = None, *, export_timezone: str | None = None,
               no_response: bool = False, delimiter: str | None = None) -> ColumnMap:
    """A preset (or none) with the user's mappings laid over it."""
    base: dict = {}
    key = None
    if preset is not None:
        key = preset.strip().lower()
        if key not in PRESETS:
            raise UsageError(f"error: '{preset}' is not a preset; use one of {', '.join(sorted(PRESETS))}")
        base = PRESETS[key]
    if time_format is not None:
        from slagen.report.time_formats import check_time_format

        why = check_time_format(time_format)
        if why:
            raise UsageError(f"error: --time-format '{time_format}' cannot read a ticket's time: {why}; write it "
                             "like '%d/%m/%Y %H:%M' or '%m/%d/%Y %I:%M %p'")
    if export_timezone is not None:
        from slagen.errors import SlagenError
        from slagen.report.zone import Zone

        try:
            Zone(export_timezone)
        except SlagenError:
            raise UsageError(f"error: --export-timezone '{export_timezone}' is not a time zone; write an IANA name "
                             "such as Europe/London, America/New_York or UTC") from None
    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(delimiter, delimiter)
        if len(delimiter) != 1 or delimiter in "\"\r\n":
            raise UsageError(f"error: --delimiter '{delimiter}' is not one character; write ',', ';', tab or '|'")
    mapped = dict(base.get("columns", {}))
    minutes = first_response_minutes or base.get("first_response_minutes")
    for field_name, header in (columns or {}).items():
        if field_name == MINUTES_FIELD:
            minutes = header
            continue
        if field_name not in FIELDS:
            raise UsageError(f"error: --columns names '{field_name}', which is not a field; the fields are "
                             f"{', '.join(FIELDS + (MINUTES_FIELD,))}")
        mapped[field_name] = header
    if columns and "first_response_at" in columns and MINUTES_FIELD not in columns:
        minutes = first_response_minutes  # an explicit time column wins over the preset's minutes
    no_response = no_response or bool(base.get("no_response"))
    if no_response:
        minutes = None
    return ColumnMap(
        columns=mapped,
        time_format=time_format or base.get("time_format"),
        first_response_minutes=minutes,
        priority_values={**base.get("priority_values", {}), **(priority_values or {})},
        user_priority_values=dict(priority_values or {}),
        preset=key,
        export_zone=export_timezone or base.get("zone"),
        no_response=no_response,
        delimiter=delimiter,
        response_optional=bool(base.get("response_optional")) and not (columns and "first_response_at" in columns),
    )
