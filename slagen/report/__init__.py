"""SLA performance reports: a contract and a helpdesk ticket export -> figures -> JSON, Markdown, PDF, DOCX.

    from slagen.report import build_report, report_json
    report = build_report(contract, "tickets.csv", period="2027-03", outages="outages.csv")
    report.overall_attainment            # Fraction, percent
    json_text = report_json(report)

The figures are computed with the clock engine's vectorised functions (``attainment``,
``availability``); ``slagen.report.document`` turns them into the same Document tree the
agreement uses, so the DOCX and PDF writers render reports too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from slagen.errors import Problem, SlagenError
from slagen.report.attainment import (
    Breach,
    Period,
    PriorityFigures,
    TrendPoint,
    band,
    breaches,
    calendars,
    evaluate,
    month_cutoffs,
    overall,
    priority_figures,
    trend,
)
from slagen.report.availability import (
    CreditTotal,
    ServiceAvailability,
    availability_figures,
    credit_totals,
    read_outages,
)
from slagen.report.tickets import ColumnMap, TicketSet, read_tickets
from slagen.report.zone import Zone

if TYPE_CHECKING:
    from slagen.model import Contract

__all__ = ["Report", "build_report", "compute_report", "report_json", "report_dict", "ColumnMap", "percent_text",
           "duration_text", "TooManyRejected", "DEFAULT_MAX_REJECTED"]

DEFAULT_BREACH_LIMIT = 1000
DEFAULT_MAX_REJECTED = Fraction(5)  # percent of the export's rows


class TooManyRejected(SlagenError):
    """More of the export could not be used than ``--max-rejected`` allows: no report.

    ``problems`` are the rows left out, for the caller to show before this error.
    """

    def __init__(self, message: str, problems: tuple[Problem, ...]):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Report:
    contract: "Contract"
    period: Period
    tickets_file: str
    outages_file: str | None
    rows_read: int
    tickets_in_period: int
    priorities: tuple[PriorityFigures, ...]
    targets_met: int
    targets_measured: int
    overall_attainment: Fraction | None
    band: str | None
    trend: tuple[TrendPoint, ...]
    breaches: tuple[Breach, ...]
    breach_total: int
    availability: tuple[ServiceAvailability, ...]
    credits: tuple[CreditTotal, ...]  # per measurement window, all services together, capped
    problems: tuple[Problem, ...]
    export_first: str | None  # first and last local day logged in the export
    export_last: str | None
    priority_mapping: tuple = ()  # tickets.PriorityLabel for each label of the export
    response_source: str = ""  # how first responses were read, in words
    no_response: bool = False  # resolution only: the export has no first-response data
    rows_after_period: int = 0  # rows logged after the period's end: in no figure
    export_zone: str = ""  # the zone naive times of the export were read in
    availability_measured: bool = True  # False: no outage record was given, so no availability or credit figure
    tool_flags: object = None  # rescore.ToolFlags: the tool's own met/breached verdicts against the contract's
    read_as: str = ""  # the preset's description of the export ("ConnectWise PSA, service board grid export (CSV)")

    @property
    def rows_rejected(self) -> int:
        return len({p.line for p in self.problems if p.file == self.tickets_file})


def compute_report(contract: "Contract", tickets: TicketSet, period: Period, zone: Zone, *,
                   outages=(), outage_problems=(), outages_file: str | None = None,
                   breach_limit: int = DEFAULT_BREACH_LIMIT, export_zone: str | None = None,
                   clocks: dict | None = None) -> Report:
    """Figures for ``period`` from tickets already read (``clocks``: the contract's calendars, when
    the caller keeps them, as a portfolio does for contracts with the same hours)."""
    clocks = clocks or calendars(contract)
    local_times = zone.local_datetime64(tickets.logged)  # what local_months reads, kept for the export's days
    months = local_times.astype("datetime64[M]")
    with np.errstate(invalid="ignore"):
        upto = np.flatnonzero(tickets.logged < period.end)  # the trend: every month up to the period's end
    in_period = upto[tickets.logged[upto] >= period.start]
    by_month = evaluate(tickets, contract, month_cutoffs(months[upto], zone), upto, clocks)
    if period.months == 1:
        headline = by_month
    else:
        headline = evaluate(tickets, contract, np.full(in_period.size, period.end), in_period, clocks)
    figures = priority_figures(tickets, contract, headline, in_period)
    met, measured, attainment = overall(figures)
    found, total = breaches(tickets, contract, headline, in_period, breach_limit)
    # A one-month period is the trend's last month, judged at the same cut-off: its figures are the headline's.
    known = (in_period, figures) if period.months == 1 else None
    points = trend(tickets, contract, by_month, upto, months, known) if upto.size else []
    # Without an outage record nothing was measured: no figure (a 100 % would claim what nobody
    # checked), and so no service credit either way.
    outages_given = outages_file is not None or bool(outages)
    services = availability_figures(contract, list(outages), period, zone) if outages_given else []
    local = local_times[upto].astype("datetime64[D]") if upto.size else None
    return Report(
        contract=contract, period=period, tickets_file=tickets.file, outages_file=outages_file,
        rows_read=tickets.rows_read, tickets_in_period=int(in_period.size), priorities=tuple(figures),
        targets_met=met, targets_measured=measured, overall_attainment=attainment, band=band(attainment),
        trend=tuple(points), breaches=tuple(found), breach_total=total,
        availability=tuple(services), credits=tuple(credit_totals(services, contract)),
        problems=tuple(tickets.problems) + tuple(outage_problems),
        export_first=str(local.min()) if local is not None else None,
        export_last=str(local.max()) if local is not None else None,
        priority_mapping=tickets.priority_mapping, response_source=tickets.response_source,
        no_response=tickets.no_response, rows_after_period=int(len(tickets) - upto.size),
        export_zone=export_zone or zone.name, availability_measured=outages_given,
    )


def build_report(contract: "Contract", tickets_file: str | Path, *, period: str,
                 outages: str | Path | None = None, columns: ColumnMap | None = None, strict: bool = False,
                 breach_limit: int = DEFAULT_BREACH_LIMIT,
                 max_rejected: Fraction | Decimal | float | None = DEFAULT_MAX_REJECTED) -> Report:
    """Read the exports and compute the report. ``strict`` makes any bad row fatal (InvalidInput).

    When more than ``max_rejected`` percent of the export's rows are left out or logged after
    the period (so in no figure at all), the report would describe an export that is mostly
    not there: ``TooManyRejected`` is raised instead. ``None`` accepts any share.
    """
    zone = Zone(contract.support_hours.timezone)
    the_period = Period.parse(period, zone)
    columns = columns or ColumnMap()
    tickets = read_tickets(tickets_file, contract, columns, strict=strict)
    outage_list, outage_problems = ([], [])
    if outages is not None:
        outage_list, outage_problems = read_outages(outages, contract, zone, strict=strict)
    report = compute_report(contract, tickets, the_period, zone, outages=outage_list,
                            outage_problems=outage_problems, outages_file=str(outages) if outages else None,
                            breach_limit=breach_limit, export_zone=columns.export_zone)
    if max_rejected is not None:
        refuse_mostly_missing(report, Fraction(max_rejected))
    from slagen.report.rescore import rescore

    with np.errstate(invalid="ignore"):
        in_period = np.flatnonzero((tickets.logged >= the_period.start) & (tickets.logged < the_period.end))
    flags = rescore(tickets_file, columns, tickets, contract, the_period, in_period)
    from dataclasses import replace
    from slagen.report.presets import PRESETS

    return replace(report, tool_flags=flags, read_as=PRESETS.get(columns.preset or "", {}).get("tool", ""))


def refuse_mostly_missing(report: Report, max_rejected: Fraction) -> None:
    """``TooManyRejected`` with a summary of the reasons, when too much of the export is unused."""
    read = report.rows_read
    rejected, after = report.rows_rejected, report.rows_after_period
    if not read or Fraction(100 * (rejected + after), read) <= max_rejected:
        return
    reasons: dict[str, int] = {}
    for p in report.problems:
        if p.file == report.tickets_file:
            reasons[_reason(p.message)] = reasons.get(_reason(p.message), 0) + 1
    parts = [f"{count} {'row' if count == 1 else 'rows'}: {reason}"
             for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:6]]
    if after:
        parts.append(f"{after} {'row was' if after == 1 else 'rows were'} logged after the period ends "
                     f"({report.period.last_day})")
    share = percent_text(Fraction(100 * (rejected + after), read))
    raise TooManyRejected(
        f"{report.tickets_file}: error: {rejected + after} of {read} rows ({share}) are in no figure, more than "
        f"--max-rejected {max_rejected.numerator / max_rejected.denominator:g}% allows: " + "; ".join(parts) +
        ". Check --period, --time-format and the column and priority maps; --max-rejected 100 reports anyway",
        report.problems)


def _reason(message: str) -> str:
    """A problem's message without the row's own value: "'x' is not a time: ..." -> "is not a time"."""
    import re

    text = re.sub(r"^'[^']*' ", "", message)
    text = re.sub(r"'[^']*'|\([^)]*\)", "'...'", text)
    return text.split(";")[0].split(":")[0].strip()


# --------------------------------------------------------------------------------------------
# Plain values


def percent_text(value: Fraction | Decimal | None, places: int = 1) -> str:
    """'97.5%' rounded half up; 'n/a' when nothing was measured."""
    if value is None:
        return "n/a"
    number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    return f"{number.quantize(Decimal(1).scaleb(-places), rounding='ROUND_HALF_UP')}%"


def _percent_number(value: Fraction | None, places: int = 3) -> float | None:
    if value is None:
        return None
    return float(round(Decimal(value.numerator) / Decimal(value.denominator), places))


def duration_text(seconds: float | int | None) -> str:
    """'2h 05m', '45m', '3d 4h 10m' of business time; 'n/a' when there is none."""
    if seconds is None:
        return "n/a"
    whole = int(round(seconds))
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes}m" if not secs else f"{minutes}m {secs:02d}s"
    return f"{hours}h {minutes:02d}m"


def _target_dict(t) -> dict | None:
    if not t.measured_at_all:
        return None  # no data in the export for this target (resolution-only report)
    return {
        "target_seconds": t.target_seconds,
        "met": t.met,
        "breached": t.breached,
        "pending": t.pending,
        "attainment_percent": _percent_number(t.attainment),
        "median_business_seconds": t.median_seconds,
        "p90_business_seconds": t.p90_seconds,
    }


def _iso(seconds: int, zone: Zone) -> str:
    moment = datetime.fromtimestamp(seconds, timezone.utc).astimezone(zone.zone)
    return moment.isoformat()


def report_dict(report: Report) -> dict:
    zone = Zone(report.contract.support_hours.timezone)
    c = report.contract
    return {
        "report": "sla-performance",
        "agreement": c.agreement.reference,
        "provider": c.provider.name,
        "customer": c.customer.name,
        "period": {
            "label": report.period.label,
            "start": _iso(int(report.period.start.astype(np.int64)), zone),
            "end": _iso(int(report.period.end.astype(np.int64)), zone),
            "timezone": c.support_hours.timezone,
        },
        "tickets": {
            "file": report.tickets_file,
            "rows_read": report.rows_read,
            "rows_rejected": sum(1 for _ in {(p.file, p.line) for p in report.problems
                                             if p.file == report.tickets_file}),
            "in_period": report.tickets_in_period,
            "after_period": report.rows_after_period,
            "read_as": report.read_as or None,
            "times_read_in": report.export_zone,
            "first_response_from": report.response_source,
            "export_first_day": report.export_first,
            "export_last_day": report.export_last,
        },
        "measures": ["resolution"] if report.no_response else ["response", "resolution"],
        "priority_mapping": [
            {"label": m.label, "priority": m.priority, "matched_by": m.how, "tickets": m.tickets}
            for m in report.priority_mapping
        ],
        "overall": {
            "targets_met": report.targets_met,
            "targets_measured": report.targets_measured,
            "attainment_percent": _percent_number(report.overall_attainment),
            "band": report.band,
        },
        "priorities": [
            {"id": f.id, "name": f.name, "clock": f.clock, "tickets": f.tickets,
             "response": _target_dict(f.response), "resolution": _target_dict(f.resolution)}
            for f in report.priorities
        ],
        "trend": [
            {"month": p.month, "tickets": p.tickets, "response_percent": _percent_number(p.response),
             "resolution_percent": _percent_number(p.resolution), "overall_percent": _percent_number(p.overall)}
            for p in report.trend
        ],
        "breaches": {
            "total": report.breach_total,
            "listed": len(report.breaches),
            "items": [
                {"ticket": b.ticket, "priority": b.priority, "target": b.target,
                 "business_seconds": b.business_seconds, "target_seconds": b.target_seconds,
                 "open_at_period_end": b.open, "line": b.line}
                for b in report.breaches
            ],
        },
        "availability_measured": report.availability_measured,
        "availability": [
            {"service": s.id, "name": s.name, "target_percent": f"{s.target.normalize():f}",
             "windows": [
                 {"window": w.label, "to_date": w.to_date, "start": _iso(w.start, zone), "end": _iso(w.end, zone),
                  "measured_seconds": w.measured_seconds, "downtime_seconds": w.downtime_seconds,
                  "unplanned_seconds": w.unplanned_seconds, "maintenance_overrun_seconds": w.overrun_seconds,
                  "planned_excluded_seconds": w.excluded_seconds,
                  "emergency_excluded_seconds": w.emergency_excluded_seconds,
                  "emergency_counted_seconds": w.emergency_counted_seconds, "outages": w.outages,
                  "availability_percent": _percent_number(w.availability, 4), "met": w.met,
                  "credit_percent": f"{w.credit.normalize():f}",
                  "credit_amount": None if w.credit_amount is None else str(w.credit_amount)}
                 for w in s.windows]}
            for s in report.availability
        ],
        "service_credits": [
            {"window": t.label, "sum_percent": f"{t.credits.normalize():f}", "due_percent": f"{t.due.normalize():f}",
             "cap_percent": None if c.availability is None or c.availability.credit_cap is None
             else f"{c.availability.credit_cap.normalize():f}",
             "amount": None if t.amount is None else str(t.amount)}
            for t in report.credits
        ],
        "tool_flags": _tool_flags(report),
        "rejected_rows": [
            {"file": p.file, "line": p.line, "column": p.column, "field": p.path, "message": p.message}
            for p in report.problems
        ],
    }


def _tool_flags(report: Report) -> dict | None:
    from slagen.report.rescore import flags_dict

    return flags_dict(report.tool_flags)


def report_json(report: Report) -> str:
    return json_text(report_dict(report))


def json_text(value) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` and a final line break, byte for byte.

    orjson writes the same text about ten times faster (a portfolio serialises hundreds of
    reports): the same two-space indentation, ``": "`` and ``","`` separators, the same escapes
    (``\\n``, ``\\u001f``...) and text left unescaped, and the same shortest-round-trip float
    digits for every float a report holds (percentages rounded to 3 or 4 places, medians in
    half seconds). Two things it writes differently are routed to the standard encoder: a
    float in exponent form (below 1e-4 or from 1e16; Python writes ``1e-05``, orjson ``1e-5``),
    and what it refuses (an integer past 64 bits, a lone surrogate)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a declared dependency; the standard encoder gives the same text
        orjson = None
    if orjson is not None and not _exponent_float(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")
        except (orjson.JSONEncodeError, TypeError):
            pass
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _exponent_float(value) -> bool:
    """Whether ``value`` holds a float Python's ``repr`` writes with an exponent (or not finite)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is float:
            size = abs(item)
            if not (size == 0 or 1e-4 <= size < 1e16):  # also NaN and infinity (json writes NaN)
                return True
        elif kind is not str and kind is not int and kind is not bool and item is not None:
            return True  # a subclass or another type: the standard encoder decides what it is
    return False
