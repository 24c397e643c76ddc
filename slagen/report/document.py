"""Report figures -> the Document tree the agreement uses, and that tree -> Markdown.

PDF and DOCX come from the project's writers (slagen.writers.pdf / docx), so a report looks
like the agreement it measures. Markdown is a small writer over the same tree (one function per
node type), for pasting into tickets, wikis and emails.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Callable

from slagen.document import (
    Cover,
    Document,
    Figure,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
    TableOfContents,
    text,
)
from slagen.report import Report, duration_text, percent_text

if TYPE_CHECKING:
    from slagen.report.attainment import TargetFigures

__all__ = ["report_document", "to_markdown"]

BAND_WORDS = {
    "world-class": "world-class (above 90%)",
    "average": "average (75% to 90%)",
    "below average": "below average (above 50%, under 75%)",
    "underperforming": "underperforming (50% or less)",
}
_CLOCK_WORDS = {"24x7": "24x7", "support_hours": "support hours"}
DOCUMENT_BREACH_LIMIT = 50
NOT_MEASURED = ("Availability was not measured: no outage record was given for the period, so this report "
                "states no availability figure and claims no service credit either way.")


def _emergency_note(terms) -> str:
    """How the figures treat outages the file marks as emergency maintenance, in the contract's terms."""
    emergency = terms.emergency_maintenance if terms is not None else None
    if emergency is None:
        return (" The agreement allows no emergency maintenance, so an outage the outage file marks as emergency "
                "maintenance counts as downtime.")
    return (" Emergency maintenance (marked as emergency in the outage file) is not counted up to "
            f"{duration_text(emergency.cap_per_month.total_seconds())} in total in a calendar month, taken in the "
            "order the work happened; emergency work beyond that counts in full.")


def _has_availability_targets(contract) -> bool:
    return any(s.availability is not None for s in contract.services)


def _p(value: str, style: str = "body") -> Paragraph:
    return Paragraph(text(value), style)


def _month_name(label: str) -> str:
    """'2027-03' -> 'March 2027'; quarters and years stay as they are."""
    if len(label) == 7 and label[4] == "-" and label[5:].isdigit():
        return date(int(label[:4]), int(label[5:]), 1).strftime("%B %Y")
    return label.replace("-Q", " Q")


def _target_cells(t: "TargetFigures") -> list[tuple]:
    return [text(duration_text(t.target_seconds)), text(f"{t.met}/{t.measured}" + (f" (+{t.pending} open)"
                                                                                  if t.pending else "")),
            text(percent_text(t.attainment)), text(duration_text(t.median_seconds)),
            text(duration_text(t.p90_seconds))]


def _money(amount, contract) -> str:
    """An amount written as the agreement writes it: £390.00 (en_GB, GBP), $390.00 (en_US, USD)."""
    from slagen.calendar.locale_style import format_money

    return format_money(amount, contract.agreement.currency, contract.agreement.locale)


def _credit_line(total, contract) -> Paragraph:
    cap = contract.availability.credit_cap if contract.availability else None
    label = _month_name(total.label)
    if not total.credits:
        return _p(f"No service credit is due for {label}.")
    words = f"Service credits due for {label}: {total.due.normalize():f}% of the monthly fee"
    if total.amount is not None:
        words += f" ({_money(total.amount, contract)})"
    if cap is not None and total.due < total.credits:
        words += f", the {cap.normalize():f}% cap applied to credits of {total.credits.normalize():f}% in total"
    return _p(words + ".")


def report_document(report: Report, *, charts: bool = True) -> Document:
    """The report as a Document. ``charts=False`` leaves the figures out (Markdown, quick tests)."""
    c = report.contract
    period_name = _month_name(report.period.label)
    last_day = report.period.last_day.astype(date)
    # the report's own name, not one more contract reference: '2027-03 report on NW-ACME-2027-01'
    reference = f"{report.period.label} report on {c.agreement.reference}"
    title = "SLA Performance Report"
    blocks: list = []

    # Summary
    summary = [
        _p(f"This report measures the service delivered by {c.provider.name} to {c.customer.name} under "
           f"agreement {c.agreement.reference}, for {period_name} (times in {c.support_hours.timezone})."),
        _p(f"{report.tickets_in_period} tickets were logged in the period. Overall, "
           f"{report.targets_met} of {report.targets_measured} response and resolution targets were met: "
           f"{percent_text(report.overall_attainment)}, which is "
           f"{BAND_WORDS.get(report.band or '', 'not measurable')} against the bands the industry uses."),
    ]
    breached_services = [s for s in report.availability for w in s.windows if not w.met]
    if report.availability:
        summary.append(_p(
            "Every service met its availability target." if not breached_services else
            "Availability fell short for: " + ", ".join(sorted({s.name for s in breached_services})) + "."))
    elif not report.availability_measured and _has_availability_targets(c):
        summary.append(_p(NOT_MEASURED, "note"))
    if report.no_response:
        summary.append(_p("The ticket export has no first-response times, so this report measures resolution only: "
                          "response targets are not reported.", "note"))
    if report.problems:
        summary.append(_p(f"{len({(p.file, p.line) for p in report.problems})} rows of the exports could not be "
                          "used and were left out; they are listed at the end.", "note"))
    blocks.append(Section("summary", "Summary", tuple(summary)))

    # Attainment per priority
    rows = []
    kinds = ("resolution",) if report.no_response else ("response", "resolution")
    for f in report.priorities:
        for kind in kinds:
            t = getattr(f, kind)
            first = kind == kinds[0]
            rows.append(tuple([text(f"{f.id} {f.name}" if first else ""),
                               text(kind.capitalize() + (f" ({_CLOCK_WORDS[f.clock]})" if first else "")),
                               *_target_cells(t)]))
    attainment_blocks: list = [
        _p("Business time is counted on each priority's own clock, less the time the ticket was paused. "
           "Tickets still open at the end of the period count as breached once past their target; until then "
           "they are shown as open and left out of the percentage."),
        Table(header=tuple(text(h) for h in ("Priority", "Measure", "Within", "Met", "Attainment",
                                             "Median", "90th percentile")),
              rows=tuple(rows), id="attainment", caption=f"Response and resolution, {period_name}",
              widths=(1.9, 2.7, 1.3, 1.7, 1.3, 1.2, 1.4)),
        _p("Ticket counts: " + ", ".join(f"{f.id} {f.tickets}" for f in report.priorities) + "."),
    ]
    if charts and report.priorities:
        from slagen.report.charts import attainment_chart, attainment_words

        svg, png = attainment_chart(report.priorities)
        attainment_blocks.append(Figure("chart-attainment", f"Targets met per priority, {period_name}", svg, png,
                                        alt=attainment_words(report.priorities)))
    blocks.append(Section("attainment", "Response and resolution", tuple(attainment_blocks)))

    # The tool's own met/breached flags, where they differ from the contract's verdicts.
    if report.tool_flags is not None:
        from slagen.report.rescore import disagreement_section

        blocks.append(disagreement_section(report.tool_flags))

    # How the export was read: the priority labels and where first responses came from.
    if report.priority_mapping:
        mapping_rows = tuple((text(m.label), text(m.priority or "not mapped (rows left out)"), text(m.how),
                              text(str(m.tickets))) for m in report.priority_mapping)
        blocks.append(Section("export-reading", "How the export was read", (
            _p((f"The export was read as {report.read_as}. " if report.read_as else "")
               + f"Times without an offset were read in {report.export_zone}. First responses: "
               f"{report.response_source}."),
            Table(header=tuple(text(h) for h in ("Label in the export", "Contract priority", "Matched by", "Rows")),
                  rows=mapping_rows, id="priority-mapping", caption="Priority labels and the priorities they count as"),
        )))

    # Trend
    if len(report.trend) > 1:
        trend_rows = tuple((text(_month_name(p.month)), text(str(p.tickets)), text(percent_text(p.response)),
                            text(percent_text(p.resolution)), text(percent_text(p.overall)))
                           for p in report.trend)
        trend_blocks: list = [
            _p("Each month is measured as at its own end, as its report would have shown it."),
            Table(header=tuple(text(h) for h in ("Month", "Tickets", "Response", "Resolution", "Overall")),
                  rows=trend_rows, id="trend", caption="Targets met, month by month"),
        ]
        if charts:
            from slagen.report.charts import trend_chart, trend_words

            svg, png = trend_chart(report.trend)
            trend_blocks.append(Figure("chart-trend", "Targets met, month by month", svg, png,
                                       alt=trend_words(report.trend)))
        blocks.append(Section("trend", "Trend", tuple(trend_blocks)))

    # Breaches
    if report.breach_total:
        shown = report.breaches[:DOCUMENT_BREACH_LIMIT]
        breach_rows = tuple((text(b.ticket), text(b.priority), text(b.target.capitalize()),
                             text(duration_text(b.business_seconds)), text(duration_text(b.target_seconds)),
                             text("open at period end" if b.open else "closed"))
                            for b in shown)
        more = report.breach_total - len(shown)
        breach_blocks: list = [Table(
            header=tuple(text(h) for h in ("Ticket", "Priority", "Target", "Business time", "Allowed", "Status")),
            rows=breach_rows, id="breaches", caption=f"Targets missed, {period_name}")]
        if more:
            breach_blocks.append(_p(f"{more} further breaches are listed in the JSON report.", "note"))
        blocks.append(Section("breaches", "Breaches", tuple(breach_blocks)))
    else:
        blocks.append(Section("breaches", "Breaches", (_p("No target was missed in the period."),)))

    # Availability
    if report.availability:
        terms = c.availability
        basis = "support hours" if terms and terms.hours == "support_hours" else "every hour"
        avail_rows = []
        for s in report.availability:
            for w in s.windows:
                label = _month_name(w.label) + (" (to date)" if w.to_date else "")
                credit = f"{w.credit.normalize():f}%"
                if w.credit_amount is not None and w.credit:
                    credit += f" ({_money(w.credit_amount, c)})"
                avail_rows.append((text(s.name), text(label), text(f"{s.target.normalize():f}%"),
                                   text(percent_text(w.availability, 3)), text(duration_text(w.downtime_seconds)),
                                   text(duration_text(w.excluded_seconds)), text("met" if w.met else "missed"),
                                   text(credit)))
        blocks.append(Section("availability", "Service availability", (
            _p(f"Availability is measured over {basis} of each "
               f"{'calendar quarter' if terms and terms.measured_over == 'calendar_quarter' else 'calendar month'}. "
               "Planned maintenance inside the agreed maintenance windows is not counted as downtime; planned work "
               "outside them, and every unplanned outage, is." + _emergency_note(terms)),
            Table(header=tuple(text(h) for h in ("Service", "Period", "Target", "Availability", "Downtime",
                                                 "Maintenance (excluded)", "Result", "Credit")),
                  rows=tuple(avail_rows), id="availability-table", caption="Availability and service credits",
                  widths=(2.6, 1.6, 1.0, 1.4, 1.2, 1.4, 1.0, 1.6)),
            *[_credit_line(t, c) for t in report.credits],
        )))
    elif not report.availability_measured and _has_availability_targets(c):
        blocks.append(Section("availability", "Service availability", (_p(NOT_MEASURED),)))

    # Rows left out
    if report.problems:
        problem_rows = tuple((text(p.file.rsplit("/", 1)[-1]), text(str(p.line)), text(p.path), text(p.message))
                             for p in report.problems[:200])
        blocks.append(Section("rejected", "Rows left out", (
            Table(header=tuple(text(h) for h in ("File", "Line", "Column", "Problem")), rows=problem_rows,
                  id="rejected-rows", widths=(2, 0.7, 1.5, 6)),
        ), annex=True))

    cover = Cover(title=title, subtitle=f"Reporting period: {period_name}", parties=(c.provider.name, c.customer.name),
                  reference=c.agreement.reference, version=c.agreement.version, date=last_day, draft=False,
                  reference_label="Agreement", shows_status=False)
    return Document(
        kind="report", title=title, reference=reference, cover=cover, blocks=tuple(blocks), date=last_day,
        author=c.provider.name, subject=f"SLA performance, {period_name}, {c.customer.name}",
        keywords=(c.agreement.reference, c.customer.name, "report"),
        language=c.agreement.locale.replace("_", "-"), paper=c.agreement.paper_size,
    )


# --------------------------------------------------------------------------------------------
# Markdown


def _md_escape(value: str) -> str:
    """Text Markdown shows as exactly itself, on one line, escaped only where Markdown would act
    on it, so a ticket id or contract value can never end a table, start a heading or become a
    link or HTML, and the report still reads as plain text (``markdown_text``)."""
    from slagen.report.markdown_text import escape_markdown_text

    return escape_markdown_text(value)


def _md_inlines(inlines) -> str:
    out = []
    for i in inlines:
        if isinstance(i, LineBreak):
            out.append("<br>")
            continue
        piece = _md_escape(i.text)
        if i.bold:
            piece = f"**{piece}**"
        if i.italic:
            piece = f"*{piece}*"
        out.append(piece)
    return "".join(out)


class _MarkdownWriter:
    def __init__(self):
        self.blocks: dict[type, Callable] = {
            Paragraph: self.paragraph, ListBlock: self.list_block, Table: self.table, Section: self.section,
            TableOfContents: lambda b, d: "", PageBreak: lambda b, d: "", SignatureBlock: lambda b, d: "",
            Figure: self.figure,
        }

    def block(self, block, depth: int) -> str:
        return self.blocks[type(block)](block, depth)

    def paragraph(self, p: Paragraph, depth: int) -> str:
        body = _md_inlines(p.inlines)
        return f"> {body}" if p.style == "note" else body

    def list_block(self, lst: ListBlock, depth: int) -> str:
        lines = []
        for n, item in enumerate(lst.items, 1):
            marker = f"{n}." if lst.ordered else "-"
            lines.append(f"{marker} " + " ".join(self.block(b, depth) for b in item))
        return "\n".join(lines)

    def table(self, t: Table, depth: int) -> str:
        lines = [f"*{_md_escape(t.caption)}*", ""] if t.caption else []
        lines.append("| " + " | ".join(_md_inlines(c) for c in t.header) + " |")
        lines.append("|" + "---|" * len(t.header))
        lines += ["| " + " | ".join(_md_inlines(c) for c in row) + " |" for row in t.rows]
        return "\n".join(lines)

    def section(self, s: Section, depth: int) -> str:
        parts = ["#" * min(depth + 2, 6) + " " + _md_escape(s.title)]
        parts += [self.block(b, depth + 1) for b in s.children]
        return "\n\n".join(p for p in parts if p)

    def figure(self, fig: Figure, depth: int) -> str:
        return f"*Chart: {_md_escape(fig.caption)} (in the PDF and DOCX report)*"


def to_markdown(document: Document) -> str:
    """The document as GitHub-flavoured Markdown."""
    writer = _MarkdownWriter()
    head = [f"# {_md_escape(document.title)}"]
    if document.cover is not None:
        head.append(f"**{_md_escape(document.cover.subtitle)}** · {_md_escape(' and '.join(document.cover.parties))}"
                    f" · {_md_escape(document.reference)}")
    parts = head + [writer.block(b, 0) for b in document.blocks]
    return "\n\n".join(p for p in parts if p) + "\n"
