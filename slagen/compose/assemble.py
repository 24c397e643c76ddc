"""Contract + outline + clause library + overrides -> one Document tree.

The figures a clause quotes but the contract does not state (when a ticket falls due, how much
downtime a target allows, what a credit comes to, when a milestone is due) are computed here,
once, into :class:`slagen.compose.facts.Facts`, using the same clock engine the checker uses.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from slagen.compose.clause_text import condition_holds, contract_context, render_markdown
from slagen.compose.library import Clause, ClauseError, ClauseLibrary, load_library
from slagen.document import (
    Cover,
    Document,
    ListBlock,
    Paragraph,
    Run,
    Section,
    SignatureBlock,
    Table,
    TableOfContents,
    text,
)
from slagen.errors import SlagenError
from slagen.calendar.locale_style import format_hhmm, format_minutes_of_day, zone_name
from slagen.compose.facts import (
    ComponentRow,
    CreditExample,
    DowntimeAllowance,
    Facts,
    MilestoneDate,
    ServiceDependency,
    WorkedExample,
)
from slagen.compose.closures import first_year_closures, first_year_end
from slagen.compose.defined_terms import check_defined_terms
from slagen.compose.markdown_tree import markdown_blocks
from slagen.compose.value_paths import traced
from slagen.library.outlines import OUTLINE_DIR, Annex, Entry, Outline, load_outline  # noqa: F401 (public here too)
from slagen.compose.references import resolve_references
from slagen.compose.subclauses import number_subclauses
from slagen.library.folder import default_library

MONTH_DAYS = 30  # downtime allowances are quoted for a 30-day month, and the documents say so

PAUSE_WORDS = {
    "awaiting_customer": "while the Provider is waiting for information, access or action from the Customer",
    "awaiting_third_party": "while the Provider is waiting for a third party engaged by the Customer",
    "scheduled_at_customer_request": "while work is deferred to a later time at the Customer's request",
    "customer_unreachable": "while the Customer's contact cannot be reached after reasonable attempts",
    "outside_site_access": "while work that needs attendance on site waits for the hours in which the "
                           "Customer's premises are accessible",
}
CLOCK_START_WORDS = {
    "when_logged": "when the problem is logged through one of the channels set out above",
    "when_acknowledged": "when the Provider acknowledges the problem",
    "when_triaged": "when the Provider has assessed the problem and assigned it a priority",
}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class OutputCheckError(SlagenError):
    """A document that must not be written: template syntax, a placeholder or a key value missing."""


class OverrideError(SlagenError):
    """A per-contract clause change that cannot be applied."""


# --------------------------------------------------------------------------------------------
# Facts


def _round5(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


def _example_day(contract) -> tuple[datetime, datetime] | None:
    """The last open stretch of the first full working week after the effective date.

    A ticket logged shortly before it closes shows the clock stopping overnight (or over the
    weekend) and starting again at the next opening, which is the case readers ask about.
    """
    from slagen.calendar.clock import Calendar

    cal = Calendar.for_clock(contract, "support_hours")
    zone = cal.zone
    start = datetime.combine(contract.agreement.effective_date + timedelta(days=7), time(0), tzinfo=zone)
    intervals = cal.open_intervals(start, start + timedelta(days=28))
    for (a, b), (c, _d) in zip(intervals, intervals[1:]):
        if c - b >= timedelta(hours=36):
            return a, b
    return intervals[-1] if intervals else None


def worked_examples(contract) -> tuple[WorkedExample, ...]:
    from slagen.calendar.clock import Calendar

    try:
        stretch = _example_day(contract)
    except ImportError:  # the clock engine is part of slagen; without it there are no examples
        return ()
    zone = Calendar.for_clock(contract, "support_hours").zone
    base_day = (stretch[1] if stretch else datetime.combine(
        contract.agreement.effective_date + timedelta(days=7), time(12), tzinfo=zone)).date()
    out = []
    for p in contract.priorities:
        cal = Calendar.for_clock(contract, p.clock)
        if p.clock == "support_hours" and stretch is not None:
            opened, closes = stretch
            logged = _round5(max(opened, closes - p.response / 2))
        else:  # a round-the-clock target: logged late on the night after, when support is closed
            logged = datetime.combine(base_day + timedelta(days=1), time(23, 40), tzinfo=zone)
        out.append(WorkedExample(
            priority=p.id, name=p.name, clock=p.clock, logged=logged,
            response=p.response, response_due=cal.due(logged, p.response).astimezone(zone),
            resolution=p.resolution, resolution_due=cal.due(logged, p.resolution).astimezone(zone),
        ))
    return tuple(out)


def month_hours(contract) -> Decimal:
    """The hours a monthly availability figure is a share of."""
    availability = contract.availability
    if availability is not None and availability.hours == "support_hours":
        weekly_minutes = contract.support_hours.weekly.minutes_per_week
        return (Decimal(weekly_minutes) * MONTH_DAYS / 7 / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Decimal(MONTH_DAYS * 24)


def allowed_downtime(target: Decimal, hours: Decimal) -> timedelta:
    seconds = ((Decimal(100) - target) / 100 * hours * 3600).quantize(Decimal(1), ROUND_HALF_UP)
    return timedelta(seconds=int(seconds))


def credit_example(contract, hours: Decimal) -> CreditExample | None:
    availability = contract.availability
    service = next((s for s in contract.services if s.availability is not None), None)
    if availability is None or not availability.service_credits or service is None:
        return None
    tiers = sorted(availability.service_credits, key=lambda c: c.below, reverse=True)
    tier = tiers[1] if len(tiers) > 1 else tiers[0]
    lower = next((t.below for t in tiers if t.below < tier.below), Decimal(0))
    measured = tier.below - Decimal("0.1")
    if measured <= lower:
        measured = (tier.below + lower) / 2
    applicable = [t for t in tiers if measured < t.below]
    credit = min(applicable, key=lambda t: t.below).credit
    if availability.credit_cap is not None:
        credit = min(credit, availability.credit_cap)
    fee = contract.sow.fees.monthly if contract.sow else None
    amount = (fee * credit / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if fee is not None else None
    return CreditExample(service=service.name, target=service.availability, measured=measured,
                         downtime=allowed_downtime(measured, hours), credit=credit, amount=amount)


def _hours_lines(weekly, locale: str = "en_GB") -> tuple[str, ...]:
    if weekly.is_always:
        return ("24 hours a day, 7 days a week",)

    def day_text(windows) -> str:
        if not windows:
            return ""
        parts = []
        for w in windows:
            end = w.end % (24 * 60)
            late = " the following day" if w.end > 24 * 60 else ""
            parts.append(f"{format_minutes_of_day(w.start, locale)} to {format_minutes_of_day(end, locale)}{late}")
        return " and ".join(parts)

    texts = [day_text(d) for d in weekly.days()]
    lines, i = [], 0
    while i < 7:
        j = i
        while j + 1 < 7 and texts[j + 1] == texts[i]:
            j += 1
        if texts[i]:
            days = DAY_NAMES[i] if i == j else f"{DAY_NAMES[i]} to {DAY_NAMES[j]}"
            lines.append(f"{days}: {texts[i]}")
        i = j + 1
    return tuple(lines)


# The United Kingdom's holiday regions are its nations: "England", not "England, United Kingdom".
NATIONS_AS_REGIONS = frozenset({"GB", "UK"})


def region_name(country: str, code: str) -> str:
    """'ENG' in GB -> 'England'; 'BY' in DE -> 'Bayern': the name the holidays package gives."""
    try:
        from holidays import country_holidays

        aliases = getattr(country_holidays(country, subdiv=code), "subdivisions_aliases", {}) or {}
    except Exception:  # a region the package cannot name still has its code
        return code
    return next((name for name, alias in sorted(aliases.items()) if alias == code and name != code), code)


def _holidays_text(hours) -> str:
    if hours.holidays is None:
        return ""
    from babel import Locale

    code = hours.holidays.country
    country = Locale("en").territories.get(code, code)
    if not hours.holidays.subdivision:
        return _chosen(f"the public holidays of {country}", hours.holidays)
    region = region_name(code, hours.holidays.subdivision)
    if code in NATIONS_AS_REGIONS and region != hours.holidays.subdivision:
        return _chosen(f"the public holidays of {region}", hours.holidays)
    return _chosen(f"the public holidays of {region}, {country}", hours.holidays)


def _chosen(text: str, calendar) -> str:
    """The holidays the desk closes on as the contract chose them, so the clause and the closure
    annex name the same days: only the listed ones, or all but the excepted ones."""
    if calendar.only is not None:
        names = list(calendar.only)
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"the following public holidays: {listed}"
    if calendar.except_:
        names = list(calendar.except_)
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"{text}, except {listed}"
    return text


KIND_WORDS = {
    "server": "server", "storage": "storage", "firewall": "firewall", "network": "local network",
    "switch": "network switch", "internet_link": "internet connection", "saas": "cloud service",
    "workstation": "workstation", "ups": "uninterruptible power supply", "virtual_host": "virtual machine host",
    "database": "database", "application": "application", "other": "other equipment",
}
WARRANTY_WORDS = {
    "none": "none", "next_business_day": "next business day", "4h_onsite": "on site within 4 hours",
    "8h_onsite": "on site within 8 hours", "same_day": "same day", "24x7_4h": "within 4 hours, 24 hours a day",
}


def component_names(components) -> dict[str, str]:
    """Component id -> the name documents print: its own name, else its kind in words.

    Ids such as 'm365' are for the contract file; a reader sees 'Cloud service'. Unnamed
    components of the same kind are told apart by number, in the order the contract lists them.
    """
    unnamed: dict[str, list[str]] = {}
    for c in components:
        if not c.name:
            unnamed.setdefault(c.kind, []).append(c.id)
    names = {}
    for c in components:
        if c.name:
            names[c.id] = c.name
            continue
        words = KIND_WORDS.get(c.kind, c.kind.replace("_", " "))
        words = words[:1].upper() + words[1:]
        same = unnamed[c.kind]
        names[c.id] = words if len(same) == 1 else f"{words} {same.index(c.id) + 1}"
    return names


def _component_rows(contract) -> tuple[ComponentRow, ...]:
    if not contract.infrastructure:
        return ()
    names = component_names(contract.infrastructure.components)
    return tuple(
        ComponentRow(name=names[c.id], kind=KIND_WORDS.get(c.kind, c.kind.replace("_", " ")), count=c.count,
                     warranty=WARRANTY_WORDS.get(c.warranty, "") if c.warranty else "",
                     supplier_availability=c.provider_availability)
        for c in contract.infrastructure.components
    )


def _conspicuous_if_needed(section: Section, conspicuous: list[str]) -> Section:
    """The clause in bold capitals where the law data says a limit binds only if conspicuous (Texas)."""
    if section.id not in conspicuous:
        return section

    def runs(inlines):
        return tuple(Run(i.text.upper(), bold=True, italic=i.italic) if type(i) is Run else i for i in inlines)

    def block(b):
        if isinstance(b, Paragraph):
            return replace(b, inlines=runs(b.inlines))
        if isinstance(b, ListBlock):
            return replace(b, items=tuple(tuple(block(c) for c in item) for item in b.items))
        if isinstance(b, Table):
            return replace(b, rows=tuple(tuple(runs(cell) for cell in row) for row in b.rows))
        return b

    return replace(section, children=tuple(block(b) for b in section.children))


def compute_facts(contract, law_book=None) -> Facts:
    """The facts for ``contract``; ``law_book`` is the library's law data (default: the packaged one)."""
    from slagen.library.law import law_for, load_law
    from slagen.library.folder import default_library

    law_book = law_book or load_law(default_library().law_dir)
    law = law_for(law_book, contract.agreement.legal, venue_county=contract.agreement.venue_county)
    review = contract.fees.price_review
    if review is not None and review.index not in law.price_index:
        raise SlagenError(f"error: fees.price_review.index: the {review.index} index is not published under the law of "
                          f"{law.name}; use {' or '.join(sorted(law.price_index))} (CPI is each jurisdiction's own "
                          "consumer price index)")
    locale = contract.agreement.locale
    hours = month_hours(contract)
    downtime = tuple(
        DowntimeAllowance(s.name, s.availability, allowed_downtime(s.availability, hours))
        for s in contract.services if s.availability is not None
    )
    milestones = ()
    if contract.sow is not None:
        start = contract.agreement.effective_date
        milestones = tuple(MilestoneDate(m.milestone, m.due_weeks, start + timedelta(weeks=m.due_weeks))
                           for m in contract.sow.onboarding)
    names = component_names(contract.infrastructure.components) if contract.infrastructure else {}
    return Facts(
        month_days=MONTH_DAYS,
        month_hours=hours.normalize(),
        support_hours=_hours_lines(contract.support_hours.weekly, locale),
        holidays=_holidays_text(contract.support_hours),
        worked_examples=worked_examples(contract),
        downtime=downtime,
        credit_example=credit_example(contract, hours),
        milestones=milestones,
        dependencies=tuple(ServiceDependency(s.name, tuple(names.get(d, d) for d in s.depends_on))
                           for s in contract.services),
        pause_reasons=tuple(PAUSE_WORDS[r] for r in (contract.clock_pauses or [])),
        clock_starts=CLOCK_START_WORDS[contract.problem_reporting.clock_starts],
        law=law,
        zone_name=zone_name(contract.support_hours.timezone, contract.agreement.locale),
        closures=first_year_closures(contract),
        first_year_end=first_year_end(contract.agreement.effective_date),
        components=_component_rows(contract),
        office_opens=format_hhmm(law.notices.office_opens, locale),
        office_closes=format_hhmm(law.notices.office_closes, locale),
        health_data=_health_data(contract),
        **_term_facts(contract),
        platforms=_platforms(contract),
    )


# Words in the contract's data categories or regulations that mean the provider handles health
# data: then a US agreement needs a business associate annex, a UK or Irish one special-category terms.
_HEALTH = re.compile(r"\b(health|medical|patient|clinical|HIPAA|HITECH|protected health information|PHI)\b",
                     re.IGNORECASE)


def _health_data(contract) -> bool:
    dp = contract.data_protection
    if dp is None or not dp.personal_data:
        return False
    return any(_HEALTH.search(text) for text in [*dp.data_types, *dp.regulations])


def _platforms(contract) -> tuple:
    """The customer-licensed platforms of the estate, by name, with the Services that depend on them."""
    from slagen.compose.facts import Platform

    if not contract.infrastructure:
        return ()
    names = component_names(contract.infrastructure.components)
    return tuple(Platform(names[c.id], tuple(s.name for s in contract.services if c.id in s.depends_on))
                 for c in contract.infrastructure.components if c.customer_platform)


def _term_facts(contract) -> dict:
    """The Initial Term's last day and the day by which notice must be given to stop the first renewal."""
    from slagen.model.term_dates import contract_renewal_dates

    dates = contract_renewal_dates(contract, contract.agreement.effective_date)
    return {"initial_term_end": dates.term_end - timedelta(days=1), "non_renewal_notice_by": dates.notice_deadline}


# --------------------------------------------------------------------------------------------
# Assembly

# Template syntax that escaped rendering: an opening not preceded by a backslash (every value
# is backslash-escaped, so a value can never produce one), and bracketed drafting placeholders.
_SURVIVOR = re.compile(r"(?<!\\)\{[{%#]|(?<!\\)\[\s*(?:●|•|\.\.\.|…|insert|tbc|tbd|todo|xx+)", re.IGNORECASE)


def check_rendered(markdown: str, where: str) -> None:
    match = _SURVIVOR.search(markdown)
    if match:
        line = markdown.count("\n", 0, match.start()) + 1
        raise OutputCheckError(
            f"{where}: error: '{match.group(0)}' survived rendering at line {line} of the clause text; "
            "the document was not written"
        )


@dataclass(frozen=True)
class RegisterEntry:
    id: str
    title: str
    version: str
    status: str
    sha256: str
    change: str = ""  # "" | replaced | added | omitted
    reason: str = ""


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def assemble(contract, kind: str, *, library: ClauseLibrary | None = None,
             outline: Outline | None = None) -> Document:
    """The document ``kind`` (agreement or sow) for ``contract``."""
    library = library or load_library()
    outline = outline or load_outline(kind)
    if kind == "sow" and contract.sow is None:
        raise SlagenError("error: the contract has no 'sow' section, so there is no statement of work to render")
    # Clauses render over a copy whose every value knows its path: the DOCX marks each printed
    # value with it, so the customer's edits can be read back (slagen.negotiate).
    traced_contract, value_paths = traced(contract)
    facts = compute_facts(traced_contract, library.law())
    context = contract_context(traced_contract, facts, value_paths)
    overrides = [o for o in contract.clauses if o.document == kind]
    body = _apply_overrides(outline, overrides, library)
    changes = {o.id: o for o in overrides}
    register: list[RegisterEntry] = []
    sources: dict[str, str] = {}  # clause id -> where its text comes from, for error messages

    def clause_section(clause_id: str) -> Section | None:
        override = changes.get(clause_id)
        if override is not None and override.action == "omit":
            clause = library[clause_id]
            register.append(RegisterEntry(clause.id, clause.title, clause.version, clause.status, clause.sha256,
                                          "omitted", override.reason or ""))
            return None
        if override is not None and override.action in ("replace", "add"):
            check_rendered(override.text, f"clause override '{clause_id}'")
            base = library.clauses.get(clause_id)
            title = override.title or (base.title if base else clause_id)
            register.append(RegisterEntry(
                clause_id, title, base.version if base else "", "agreed", _sha(override.text),
                "replaced" if override.action == "replace" else "added", override.reason or "",
            ))
            # Override text is the parties' own Markdown: parsed, never run as a template.
            sources[clause_id] = f"clause override '{clause_id}'"
            return Section(id=clause_id, title=title, children=markdown_blocks(override.text, clause_id))
        clause = library[clause_id]
        if kind not in clause.documents:
            raise ClauseError(f"{clause.path}: error: the {kind} outline uses this clause, but its front matter "
                              f"lists only {', '.join(clause.documents)}")
        if not condition_holds(clause.when, context, name=clause.path):
            return None
        body = clause.body_for(lambda condition: condition_holds(condition, context, name=clause.path))
        markdown = render_markdown(body, context, name=clause.path)
        check_rendered(markdown, clause.path)
        register.append(RegisterEntry(clause.id, _title_in_locale(clause.title, contract), clause.version, clause.status, clause.sha256))
        sources[clause.id] = str(clause.path)
        return _conspicuous_if_needed(
            Section(id=clause.id, title=_title_in_locale(clause.title, contract),
                    children=markdown_blocks(markdown, clause.id)),
            facts.law.facts.conspicuous_clauses)

    blocks: list[Any] = []
    if outline.contents:
        blocks.append(TableOfContents())
    parties = (contract.provider.name, contract.customer.name)
    for entry in body:
        section = clause_section(entry.clause)
        if section is None:
            continue
        children = number_subclauses(section.children)
        if entry.signature_block:
            children += (SignatureBlock(parties, facts.law.facts.signature_heading, facts.law.facts.signature_label),)
        blocks.append(Section(section.id, section.title, children))

    annex_slots: list[tuple[int, Annex]] = []
    for annex in outline.annexes:
        if annex.generated:
            annex_slots.append((len(blocks), annex))
            blocks.append(None)
            continue
        children = tuple(Section(s.id, s.title, number_subclauses(s.children))
                         for s in (clause_section(c) for c in annex.clauses) if s is not None)
        if children:
            blocks.append(Section(id=annex.id, title=annex.title, children=children, annex=True))
    for index, annex in annex_slots:
        if annex.generated != "clause_register":
            raise SlagenError(f"error: the outline asks for '{annex.generated}', which slagen cannot generate")
        blocks[index] = _register_section(annex, register, library)
    # Numbers are known only now that every clause is in place: fill in the cross-references,
    # then check that the defined terms of exactly this document are defined and used.
    blocks = list(resolve_references(tuple(blocks), kind, sources))
    check_defined_terms(tuple(blocks), kind, library, sources)

    agreement = contract.agreement
    if kind == "agreement":
        # The cover names the document by its own title only, as the definition of "Agreement" does:
        # a second name above it ("Service Level Agreement") would leave two names for one document.
        title, reference, subtitle = agreement.title, agreement.reference, ""
    else:
        title, reference, subtitle = "Statement of Work", contract.sow.reference, agreement.title
    draft = agreement.status != "final"
    dated = document_date(contract)
    cover = Cover(title=title, subtitle=subtitle, parties=parties, reference=reference,
                  version=agreement.version, date=dated, draft=draft,
                  subject_to_contract=draft, legend=facts.law.facts.draft_legend) if outline.cover else None
    return Document(
        kind=kind, title=title, reference=reference, cover=cover, blocks=tuple(blocks),
        date=dated, author=contract.provider.name,
        subject=f"{title} between {contract.provider.name} and {contract.customer.name}",
        keywords=(reference, contract.customer.name, kind),
        language=agreement.locale.replace("_", "-"), draft=draft, paper=agreement.paper_size,
        metadata={"register": tuple(register), "agreement_reference": agreement.reference,
                  "agreement_version": agreement.version},
    )


def _title_in_locale(title: str, contract) -> str:
    """A clause heading in the spelling of the contract's locale, as its text is (compose/spelling.py)."""
    from slagen.compose.spelling import americanise, uses_american_spelling

    return americanise(title) if uses_american_spelling(contract.agreement.locale) else title


def document_date(contract) -> date:
    """The date a document carries: ``agreement.document_date``, else the effective date.

    Never today's date: the same contract must give the same bytes on every run.
    """
    return getattr(contract.agreement, "document_date", None) or contract.agreement.effective_date


def _apply_overrides(outline: Outline, overrides, library: ClauseLibrary) -> list[Entry]:
    body = list(outline.body)
    in_outline = set(outline.clause_ids())
    for o in overrides:
        if o.action in ("omit", "replace") and o.id not in in_outline:
            raise OverrideError(f"error: clauses: '{o.id}' is not a clause of the {outline.kind}, so it cannot be "
                                f"{'omitted' if o.action == 'omit' else 'replaced'} "
                                f"(its clauses: {', '.join(outline.clause_ids())})")
    follows: dict[str, str] = {}  # added clause -> the clause it was placed after

    def placed_after(clause: str, anchor: str) -> bool:
        while clause in follows:
            clause = follows[clause]
            if clause == anchor:
                return True
        return False

    # Several clauses placed after the same one keep the order of the list, each after the clauses
    # placed after the ones before it; validate refuses an 'after' naming a clause added further
    # down, so no placement depends on which clause happens to be inserted first.
    for o in (o for o in overrides if o.action == "add"):
        if o.id in in_outline or o.id in library:
            raise OverrideError(f"error: clauses: a clause '{o.id}' already exists; choose another id, or use "
                                "'replace' to change its text")
        ids = [e.clause for e in body]
        if o.after is not None:
            if o.after not in ids:
                raise OverrideError(f"error: clauses: '{o.id}' is to follow '{o.after}', which is not in the body "
                                    f"of the {outline.kind}")
            position = ids.index(o.after) + 1
            while position < len(body) and placed_after(body[position].clause, o.after):
                position += 1
            body.insert(position, Entry(o.id))
            follows[o.id] = o.after
        else:  # before the signatures, which always close the document
            signing = next((i for i, e in enumerate(body) if e.signature_block), len(body))
            body.insert(signing, Entry(o.id))
        in_outline.add(o.id)
    return body


def _register_section(annex: Annex, register: list[RegisterEntry], library: ClauseLibrary) -> Section:
    header = (text("Clause"), text("Title"), text("Version"), text("Status"), text("SHA-256 (first 16)"),
              text("Change"))
    rows = tuple(
        (text(e.id), text(e.title), text(e.version or "-"), text(e.status), text(e.sha256[:16]),
         text(e.change or "as in library"))
        for e in register
    )
    # The reasons for a change are the provider's internal notes (slagen review prints them on
    # the internal review sheet); the customer's copy says only what changed.
    intro = Paragraph((Run(
        "This register identifies the exact text of every clause in this document: the clause library "
        "version, its approval status, and the first sixteen hexadecimal digits of the SHA-256 hash of its "
        "source. Clauses the parties have replaced, added or omitted are marked as such."
    ),))
    table = Table(header=header, rows=rows, id=f"{annex.id}.register", caption="Clauses used",
                  widths=(3, 4.5, 1.4, 1.6, 3, 3.5))
    children = (intro, table)
    if library.name:  # which library, as a whole, the clauses were taken from
        children = (intro, Paragraph((Run(
            f"The clauses were taken from the clause library \u201c{library.name}\u201d, version "
            f"{library.version}, whose content hash (SHA-256 over all its files, first sixteen hexadecimal "
            f"digits) is {library.content_hash[:16]}."
        ),)), table)
    return Section(id=annex.id, title=annex.title, children=children, annex=True)


def key_values(contract, kind: str) -> list[tuple[str, str]]:
    """Values a reader must find in the document; the output check looks for each one."""
    from slagen.compose.clause_text import _filter_money, duration_words

    values = [("provider", contract.provider.name), ("customer", contract.customer.name)]
    if kind == "agreement":
        values.append(("reference", contract.agreement.reference))
        omitted = {o.id for o in contract.clauses if o.document == "agreement" and o.action in ("omit", "replace")}
        if "priorities" not in omitted:
            for p in contract.priorities:
                values.append((f"{p.id} response", duration_words(p.response)))
                values.append((f"{p.id} resolution", duration_words(p.resolution)))
    elif contract.sow is not None:
        values.append(("reference", contract.sow.reference))
        omitted = {o.id for o in contract.clauses if o.document == "sow" and o.action in ("omit", "replace")}
        if "sow-fees" not in omitted:
            ctx = {"agreement": contract.agreement}
            values.append(("monthly fee", _filter_money(ctx, contract.sow.fees.monthly)))
            if contract.sow.fees.onboarding is not None:
                values.append(("onboarding fee", _filter_money(ctx, contract.sow.fees.onboarding)))
    return values
