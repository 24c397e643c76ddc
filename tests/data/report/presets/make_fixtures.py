"""Write the 30 tickets of truth.csv in the export format of every preset (run by hand).

    python tests/data/report/presets/make_fixtures.py

Each fixture follows what its tool writes: its headers (plus columns slagen ignores), its
date layout and zone (local New York wall time for grid and report exports, UTC for APIs), its
encoding, byte-order mark, delimiter and line ends, and its own priority labels and ticket ids.
The labels below are this script's own table, kept apart from slagen's presets on purpose: the
fixture test then checks the presets against the tools, not against themselves.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
NEW_YORK = ZoneInfo("America/New_York")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def read_truth() -> list[dict]:
    tickets = []
    with (HERE / "truth.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            def when(text):
                return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
            tickets.append({"key": int(row["key"]), "priority": row["priority"], "logged": when(row["logged_utc"]),
                            "responded": when(row["responded_utc"]), "resolved": when(row["resolved_utc"])})
    return tickets


# ---- how the tools write times -------------------------------------------------------------

def local(moment: datetime) -> datetime:
    return moment.astimezone(NEW_YORK).replace(tzinfo=None)


def _h12(m: datetime) -> str:
    return f"{(m.hour % 12) or 12}:{m.minute:02d} {'AM' if m.hour < 12 else 'PM'}"


def us(m):  # 3/1/2027 9:12 AM
    return "" if m is None else (lambda t: f"{t.month}/{t.day}/{t.year} {_h12(t)}")(local(m))


def us_short_year(m):  # 3/1/27 9:12 AM (osTicket's default n/j/y g:i A)
    return "" if m is None else (lambda t: f"{t.month}/{t.day}/{t.year % 100:02d} {_h12(t)}")(local(m))


def jira(m):  # 01/Mar/27 9:12 AM
    return "" if m is None else (lambda t: f"{t.day:02d}/{MONTHS[t.month - 1]}/{t.year % 100:02d} {_h12(t)}")(local(m))


def local_seconds(m):  # 2027-03-01 09:12:00
    return "" if m is None else local(m).strftime("%Y-%m-%d %H:%M:%S")


def local_minutes(m):  # 2027-03-01 09:12
    return "" if m is None else local(m).strftime("%Y-%m-%d %H:%M")


def sql_local(m):  # SQL Server: 2027-03-01 09:12:00.000
    return "" if m is None else local(m).strftime("%Y-%m-%d %H:%M:%S.000")


def sql_utc(m):
    return "" if m is None else m.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000")


def utc_seconds(m):  # 2027-03-01 14:12:00 (UTC, no marker)
    return None if m is None else m.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def utc_t(m):  # 2027-03-01T14:12:00 (UTC, no marker)
    return None if m is None else m.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def zulu(m):
    return None if m is None else m.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def zulu_ms(m):
    return None if m is None else m.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def minutes(t) -> int | None:
    return None if t["responded"] is None else int((t["responded"] - t["logged"]).total_seconds() // 60)


# ---- the tools' priority labels ------------------------------------------------------------

LABELS = {
    "connectwise": {"P1": "Priority 1 - Emergency Response", "P2": "Priority 2 - Quick Response",
                    "P3": "Priority 3 - Normal Response", "P4": "Priority 4 - Scheduled Maintenance"},
    "autotask": {"P1": "Critical", "P2": "High", "P3": "Medium", "P4": "Low"},
    "autotask-number": {"P1": 4, "P2": 1, "P3": 2, "P4": 3},
    "halo-number": {"P1": 1, "P2": 2, "P3": 3, "P4": 4},
    "zendesk": {"P1": "Urgent", "P2": "High", "P3": "Normal", "P4": "Low"},
    "fresh": {"P1": "Urgent", "P2": "High", "P3": "Medium", "P4": "Low"},
    "fresh-number": {"P1": 4, "P2": 3, "P3": 2, "P4": 1},
    "jira": {"P1": "Highest", "P2": "High", "P3": "Medium", "P4": "Low"},
    "zammad": {"P1": "4 critical", "P2": "3 high", "P3": "2 normal", "P4": "1 low"},  # '4 critical' added by the admin
    "glpi": {"P1": "Very high", "P2": "High", "P3": "Medium", "P4": "Low"},
    "osticket": {"P1": "Emergency", "P2": "High", "P3": "Normal", "P4": "Low"},
    "servicenow": {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"},
    "servicenow-number": {"P1": "1", "P2": "2", "P3": "3", "P4": "4"},
}


# ---- writers ---------------------------------------------------------------------------------

def write_csv(name: str, header: list[str], rows: list[list], *, delimiter=",", bom=False, crlf=True,
              encoding="utf-8", quoting=csv.QUOTE_MINIMAL) -> None:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n", quoting=quoting)
    out.writerow(header)
    out.writerows(["" if v is None else v for v in row] for row in rows)
    data = buffer.getvalue().encode(encoding)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def write_json(name: str, value) -> None:
    (HERE / name).write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_bytes(rows: list[list]) -> bytes:
    """A one-sheet workbook: text as inline strings, numbers, datetimes as dated serial numbers.

    The smallest file Excel and calamine both read; written by hand so that neither the test
    data nor the benchmark depends on a spreadsheet writer.
    """
    epoch = datetime(1899, 12, 30)
    parts = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            ref = f"{_column(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                serial = (value - epoch) / timedelta(days=1)
                cells.append(f'<c r="{ref}" s="1"><v>{serial!r}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(parts) + "</sheetData></worksheet>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Tickets" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '</styleSheet>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2027, 1, 1, 0, 0, 0))  # repeatable bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


# ---- the fixtures ----------------------------------------------------------------------------

def main() -> None:
    T = read_truth()
    summary = "Workstation will not boot; user at front desk"

    write_csv("connectwise.csv",
              ["Ticket #", "Summary Description", "Company", "Status", "Priority", "Board", "Date Entered",
               "Date Responded", "Date Resolved"],
              [[str(20000 + t["key"]), summary, "Fulton Street Dental", "Closed", LABELS["connectwise"][t["priority"]],
                "Help Desk", us(t["logged"]), us(t["responded"]), us(t["resolved"])] for t in T], bom=True)

    write_csv("connectwise-report.csv",
              ["TicketNbr", "company_name", "board_name", "status_description", "Summary", "Urgency",
               "date_entered", "Date_Responded_UTC", "Date_Resolved_UTC", "Territory"],
              [[20000 + t["key"], "Fulton Street Dental", "Help Desk", "Closed", summary,
                LABELS["connectwise"][t["priority"]], sql_local(t["logged"]), sql_utc(t["responded"]),
                sql_utc(t["resolved"]), "East"] for t in T])

    write_json("connectwise-api.json",
               [{"id": 20000 + t["key"], "summary": summary, "board": {"id": 1, "name": "Help Desk"},
                 "priority": {"id": int(t["priority"][1]), "name": LABELS["connectwise"][t["priority"]]},
                 "dateResponded": zulu(t["responded"]), "dateResolved": zulu(t["resolved"]),
                 "respondMinutes": minutes(t) or 0, "isInSla": True,
                 "_info": {"dateEntered": zulu(t["logged"]), "enteredBy": "template1"}} for t in T])

    write_csv("autotask.csv",
              ["Ticket Number", "Title", "Account", "Status", "Priority", "Created", "First Response Date/Time",
               "Complete Date/Time", "Queue"],
              [[f"T20270301.{t['key']:04d}", summary, "Fulton Street Dental", "Complete",
                LABELS["autotask"][t["priority"]], us(t["logged"]), us(t["responded"]), us(t["resolved"]),
                "Level I Support"] for t in T])

    write_csv("autotask-import.csv",
              ["Autotask Ticket Number", "[required] Title", "[required] Account Name", "Priority", "Status",
               "Create Date/Time", "Complete Date/Time", "[required] Due Date/Time", "First Response Date/Time",
               "First Response Initiating Resource"],
              [[f"T20270301.{t['key']:04d}", summary, "Fulton Street Dental", LABELS["autotask"][t["priority"]],
                "Complete", local_seconds(t["logged"]), local_seconds(t["resolved"]),
                local_seconds(t["logged"] + timedelta(days=1)), local_seconds(t["responded"]), "Ruiz, Dana"]
               for t in T])

    write_json("autotask-api.json",
               {"items": [{"id": 7000 + t["key"], "ticketNumber": f"T20270301.{t['key']:04d}", "title": summary,
                           "priority": LABELS["autotask-number"][t["priority"]], "status": 5,
                           "createDate": zulu_ms(t["logged"]), "firstResponseDateTime": zulu_ms(t["responded"]),
                           "resolvedDateTime": zulu_ms(t["resolved"]), "queueID": 8} for t in T],
                "pageDetails": {"count": len(T), "requestCount": 500, "prevPageUrl": None, "nextPageUrl": None}})

    write_csv("halopsa.csv",
              ["TicketID", "Client", "Site", "User", "Summary", "Priority", "First Response", "Date Opened",
               "Date Closed"],
              [[t["key"], "Fulton Street Dental", "Main", "Lee Park", summary, LABELS["autotask"][t["priority"]],
                utc_seconds(t["responded"]), utc_seconds(t["logged"]), utc_seconds(t["resolved"])] for t in T],
              bom=True)

    write_json("halopsa-api.json",
               {"page_no": 1, "page_size": 50, "record_count": len(T),
                "tickets": [{"id": t["key"], "summary": summary, "client_name": "Fulton Street Dental",
                             "priority_id": LABELS["halo-number"][t["priority"]], "dateoccurred": utc_t(t["logged"]),
                             "responsedate": utc_t(t["responded"]), "datecleared": utc_t(t["resolved"])}
                            for t in T]})

    write_csv("zendesk.csv",
              ["Id", "Requester", "Group", "Subject", "Status", "Priority", "Via", "Ticket type", "Created at",
               "Updated at", "Solved at", "Reopens", "Replies", "First reply time in minutes",
               "First reply time in minutes within business hours"],
              [[t["key"], "Lee Park", "Support", summary, "solved", LABELS["zendesk"][t["priority"]], "Mail",
                "incident", local_minutes(t["logged"]), local_minutes(t["logged"]), local_minutes(t["resolved"]),
                0, 1, minutes(t), minutes(t)] for t in T])

    write_json("zendesk-api.json",
               {"tickets": [{"id": t["key"], "subject": summary, "priority": LABELS["zendesk"][t["priority"]].lower(),
                             "status": "solved", "created_at": zulu(t["logged"]),
                             "metric_set": {"ticket_id": t["key"], "solved_at": zulu(t["resolved"]),
                                            "reply_time_in_minutes": {"calendar": minutes(t),
                                                                      "business": minutes(t)},
                                            "replies": 1}} for t in T],
                "next_page": None, "count": len(T)})

    write_csv("freshdesk.csv",
              ["Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group", "Created time",
               "Due by Time", "Resolved time", "Closed time", "Last update time", "Initial response time",
               "Time tracked", "First response time (in hrs)", "Resolution time (in hrs)"],
              [[t["key"], summary, "Resolved", LABELS["fresh"][t["priority"]], "Email", "Incident", "Dana Ruiz",
                "Support", local_seconds(t["logged"]), "", local_seconds(t["resolved"]), "",
                local_seconds(t["logged"]), local_seconds(t["responded"]), "00:00", "", ""] for t in T])

    fresh = [{"id": t["key"], "subject": summary, "priority": LABELS["fresh-number"][t["priority"]], "status": 4,
              "created_at": zulu(t["logged"]), "updated_at": zulu(t["logged"]),
              "stats": {"agent_responded_at": zulu(t["responded"]), "first_responded_at": zulu(t["responded"]),
                        "resolved_at": zulu(t["resolved"]), "closed_at": None}} for t in T]
    write_json("freshdesk-api.json", fresh)
    write_json("freshservice-api.json", {"tickets": fresh})

    write_csv("freshservice.csv",
              ["Ticket Id", "Subject", "Description", "Status", "Priority", "Source", "Type", "Agent", "Group",
               "Created Date", "Due by Time", "Resolved Date", "Closed Date", "Last Updated Date",
               "Initial Response Time", "First Response Status", "Resolution Status"],
              [[f"INC-{t['key']}", summary, "", "Resolved", LABELS["fresh"][t["priority"]], "Email", "Incident",
                "Dana Ruiz", "Service Desk", local_seconds(t["logged"]), "", local_seconds(t["resolved"]), "",
                local_seconds(t["logged"]), local_seconds(t["responded"]), "", ""] for t in T])

    write_csv("jira.csv",
              ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Priority", "Resolution",
               "Assignee", "Created", "Updated", "Resolved", "Custom field (Time to first response)"],
              [[summary, f"HELP-{t['key']}", 10000 + t["key"], "Incident", "Done", "HELP",
                LABELS["jira"][t["priority"]], "Done" if t["resolved"] else "", "Dana Ruiz", jira(t["logged"]),
                jira(t["logged"]), jira(t["resolved"]), "Completed"] for t in T])

    # The same issues exported with all fields, as Jira does: the [CHART] Date of First Response column
    # carries the time of the first response.
    write_csv("jira-chart.csv",
              ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Priority", "Resolution",
               "Assignee", "Created", "Updated", "Resolved", "Custom field (Time to first response)",
               "[CHART] Date of First Response"],
              [[summary, f"HELP-{t['key']}", 10000 + t["key"], "Incident", "Done", "HELP",
                LABELS["jira"][t["priority"]], "Done" if t["resolved"] else "", "Dana Ruiz", jira(t["logged"]),
                jira(t["logged"]), jira(t["resolved"]), "Completed", jira(t["responded"])] for t in T])

    sheet = [["Ticket report, March 2027"], [],
             ["Number", "Title", "State", "Priority", "Group", "Owner", "Customer", "Created at", "Updated at",
              "Closed at", "Close In Min", "First Response At", "First Response In Min"]]
    for t in T:
        sheet.append([f"{87000 + t['key']}", summary, "closed", LABELS["zammad"][t["priority"]], "Users", "Dana Ruiz",
                      "Lee Park", local(t["logged"]), local(t["logged"]),
                      local(t["resolved"]) if t["resolved"] else None, None,
                      local(t["responded"]) if t["responded"] else None, minutes(t)])
    (HERE / "zammad.xlsx").write_bytes(xlsx_bytes(sheet))

    write_csv("glpi.csv",
              ["ID", "Title", "Entity", "Status", "Last update", "Opening date", "Priority", "Requester - Requester",
               "Assigned to - Technician", "Category", "Resolution date"],
              [[t["key"], f"{summary}; room 2", "Root entity > Fulton", "Solved", local_minutes(t["logged"]),
                local_minutes(t["logged"]), LABELS["glpi"][t["priority"]], "lee.park", "dana.ruiz", "Hardware",
                local_minutes(t["resolved"])] for t in T], delimiter=";", bom=True, quoting=csv.QUOTE_ALL)

    write_csv("osticket.csv",
              ["Ticket Number", "Date Created", "Subject", "From", "From Email", "Priority", "Department",
               "Help Topic", "Source", "Current Status", "Last Updated", "Due Date", "Overdue", "Answered",
               "Agent Assigned", "Closed Date"],
              [[str(300000 + t["key"]), us_short_year(t["logged"]), summary, "Lee Park", "lee@fulton.example",
                LABELS["osticket"][t["priority"]], "Support", "Hardware", "Email", "Closed",
                us_short_year(t["logged"]), "", "No", "Yes", "Dana Ruiz", us_short_year(t["resolved"])] for t in T])

    write_csv("servicenow.csv",
              ["number", "short_description", "caller_id", "priority", "state", "category", "assignment_group",
               "assigned_to", "opened_at", "resolved_at", "closed_at"],
              [[f"INC{10000 + t['key']:07d}", summary, "Lee Park", LABELS["servicenow"][t["priority"]], "Resolved",
                "Hardware", "Service Desk", "Dana Ruiz", local_seconds(t["logged"]), local_seconds(t["resolved"]), ""]
               for t in T])

    write_json("servicenow-api.json",
               {"result": [{"number": f"INC{10000 + t['key']:07d}", "sys_id": f"{t['key']:032x}",
                            "short_description": summary, "priority": LABELS["servicenow-number"][t["priority"]],
                            "state": "6", "opened_at": utc_seconds(t["logged"]) or "",
                            "resolved_at": utc_seconds(t["resolved"]) or "", "closed_at": ""} for t in T]})

    write_json("atera-api.json",
               {"items": [{"TicketID": 4000 + t["key"], "TicketTitle": summary, "TicketNumber": str(4000 + t["key"]),
                           "TicketPriority": LABELS["autotask"][t["priority"]], "TicketImpact": "Minor",
                           "TicketStatus": "Resolved", "TicketCreatedDate": utc_t(t["logged"]),
                           "TechnicianFirstCommentDate": utc_t(t["responded"]),
                           "TicketResolvedDate": utc_t(t["resolved"]), "CustomerName": "Fulton Street Dental"}
                          for t in T],
                "totalItemCount": len(T), "page": 1, "itemsInPage": len(T), "totalPages": 1})


if __name__ == "__main__":
    main()
