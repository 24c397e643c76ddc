"""A provider's whole book of customers: one export of every customer's tickets -> every contract's figures.

    from slagen.report.portfolio import portfolio_figures
    book = portfolio_figures("contracts/", "all.csv", period="2027-03", columns=ColumnMap())
    for customer in book.customers: customer.report, customer.note, customer.error
    book.unmatched                      # export rows no contract claims, by the customer they name

Each row of the export names its customer in one column (``Company``, ``Account``,
``Organization``...). A contract claims a customer name by ``customer.psa_names``, its
``customer.name`` or its agreement reference (compared without regard to case or surrounding
space); ``--customer-map NAME=REFERENCE`` claims names explicitly and wins. A name two
contracts claim is not guessed: its rows are listed as unmatched, with both contracts named.

The export is read once (``columnar``: pyarrow, or the row reader for exports the fast path
does not take), its rows ordered by contract, and each contract's rows go through exactly the
steps of ``slagen report`` on that contract alone: ``tickets.tickets_from_export`` (its own
priority labels, export zone, checks), ``compute_report`` on its own calendar and period
bounds, ``refuse_mostly_missing``. A contract that cannot be read or reported is recorded with
its error and the others carry on.

Termination risk: a contract whose ``termination.for_cause.repeated_breach`` gives the customer
a right to end the agreement for persistent failure is *one bad month away* when the months
of the export up to the period's end already hold all but one of the bad months that right
needs, within the run of months it counts (the right itself, counting the next month too, then
needs one more). Only months the export covers count, so the summary says how many it saw.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from slagen.errors import InvalidInput, Problem, SlagenError, UsageError
from slagen.report import DEFAULT_BREACH_LIMIT, DEFAULT_MAX_REJECTED, Report, compute_report, refuse_mostly_missing
from slagen.report.attainment import Period
from slagen.report.credits import CreditNote, credit_note
from slagen.report.tickets import ColumnMap, tickets_from_export
from slagen.report.zone import Zone

if TYPE_CHECKING:
    from slagen.model import Contract

__all__ = ["PortfolioContract", "CustomerFigures", "Unmatched", "TerminationRisk", "Portfolio", "load_contracts",
           "customer_names", "portfolio_figures", "CUSTOMER_COLUMNS", "parse_customer_map",
           "contracts_from_texts"]

# The column a PSA's export names the customer in, as the common tools head it (matched without case).
CUSTOMER_COLUMNS = ("customer", "customer name", "company", "company name", "company_name", "account",
                    "account name", "organization", "organisation", "organizations", "client", "client name")

_CONTRACT_MARK = re.compile(rb"^slagen\s*:", re.MULTILINE)


@dataclass(frozen=True)
class PortfolioContract:
    path: Path
    contract: "Contract | None"
    error: str | None = None  # why the file could not be used


@dataclass(frozen=True)
class TerminationRisk:
    status: str  # 'right reached' or 'one bad month away'
    target: str  # 'P1 response'
    bad_months: tuple[str, ...]  # the months that count against the target
    needed: int  # bad months (or misses, in the older count form) that give the right
    within_months: int
    months_seen: int  # of the months the rule looks back over, how many the export covered
    words: str


@dataclass
class CustomerFigures:
    path: str
    reference: str | None
    customer: str | None
    rows: int  # export rows assigned to this contract
    report: Report | None = None
    note: CreditNote | None = None
    termination: TerminationRisk | None = None
    error: str | None = None
    outputs: list[str] = field(default_factory=list)

    @property
    def currency(self) -> str | None:
        return self.note.currency if self.note else None


@dataclass(frozen=True)
class Unmatched:
    value: str  # the customer as the export names it
    rows: int
    first_line: int
    reason: str


@dataclass
class Portfolio:
    period: str
    tickets_file: str
    rows_read: int
    reader: str  # how the export was read: 'columnar' or 'rows'
    customer_column: str
    customers: list[CustomerFigures]
    unmatched: list[Unmatched]

    @property
    def failed(self) -> list[CustomerFigures]:
        return [c for c in self.customers if c.error]

    def credits_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for c in self.customers:
            if c.note is not None:
                totals[c.note.currency] = totals.get(c.note.currency, Decimal(0)) + c.note.total
        return dict(sorted(totals.items()))


# --------------------------------------------------------------------------------------------
# The contracts and the names they answer to


def load_contracts(folder: str | Path) -> list[PortfolioContract]:
    """Every contract in ``folder`` (``*.yaml``/``*.yml`` with a ``slagen:`` key, in name order);
    one that does not load carries its error. Other YAML (a shared staffing file) is passed over."""
    from slagen.library.contracts import load_contract
    from slagen.source.yaml_positions import read_source_bytes

    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder}: error: --portfolio needs a folder of contracts")
    found = []
    for path in sorted(p for p in root.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()):
        try:
            text = read_source_bytes(path)
            if not _CONTRACT_MARK.search(text):
                continue
            found.append(PortfolioContract(path, load_contract(path, text)))
        except SlagenError as exc:
            found.append(PortfolioContract(path, None, _error_text(exc)))
    if not found:
        raise UsageError(f"{folder}: error: the folder holds no contract (a .yaml file starting 'slagen: 1')")
    return found


def contracts_from_texts(texts: dict[str, str | bytes], source: str = "the book") -> list[PortfolioContract]:
    """The contracts of a book kept elsewhere than in files (a workspace's approved versions):
    ``texts`` maps a name, used as the contract's file name in messages, to its YAML. One that
    does not load carries its error, as in ``load_contracts``."""
    from slagen.library.contracts import load_contract

    found = []
    for name, text in texts.items():
        try:
            found.append(PortfolioContract(Path(name), load_contract(name, text)))
        except SlagenError as exc:
            found.append(PortfolioContract(Path(name), None, _error_text(exc)))
    if not found:
        raise UsageError(f"{source}: error: there is no contract to report")
    return found


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_customer_map(pairs: dict[str, str]) -> dict[str, str]:
    """``--customer-map`` pairs: the export's customer name -> an agreement reference."""
    return {_key(name): reference.strip() for name, reference in pairs.items()}


def customer_names(contracts: list[PortfolioContract], customer_map: dict[str, str] | None = None
                   ) -> tuple[dict[str, int], dict[str, str]]:
    """(customer name -> contract position, name -> why it is refused) over the usable contracts.

    ``customer_map`` (from ``parse_customer_map``) names an agreement reference for a customer
    name and overrides what the contracts claim; a reference no contract has is a UsageError.
    """
    claims: dict[str, set[int]] = {}
    references: dict[str, int] = {}
    for i, item in enumerate(contracts):
        c = item.contract
        if c is None:
            continue
        references.setdefault(c.agreement.reference.casefold(), i)
        for name in (*c.customer.psa_names, c.customer.name, c.agreement.reference):
            claims.setdefault(_key(name), set()).add(i)
    lookup: dict[str, int] = {}
    refused: dict[str, str] = {}
    for name, owners in claims.items():
        if len(owners) == 1:
            lookup[name] = next(iter(owners))
        else:
            names = " and ".join(sorted(contracts[i].path.name for i in owners))
            refused[name] = (f"claimed by {names}; give it to one with --customer-map or by correcting "
                             "customer.psa_names")
    for name, reference in (customer_map or {}).items():
        at = references.get(reference.casefold())
        if at is None:
            raise UsageError(f"error: --customer-map names '{reference}', which is not the reference of a contract "
                             f"in the folder ({', '.join(sorted(c.contract.agreement.reference for c in contracts if c.contract)) or 'none loaded'})")
        lookup[name] = at
        refused.pop(name, None)
    return lookup, refused


# --------------------------------------------------------------------------------------------
# Reading the shared export once


def _read_shared(path: Path, delimiter: str | None):
    from slagen.report.columnar import read_columnar
    from slagen.report.csv_rows import read_file_bytes
    from slagen.report.export_file import read_export

    data = read_file_bytes(path)
    export = read_columnar(path, delimiter, data)
    if export is not None:
        return export, "columnar"
    return read_export(path, delimiter), "rows"


def _customer_column(header: list[str], wanted: str | None, file: str) -> int:
    from slagen.report.csv_rows import column_index

    names = (wanted,) if wanted else CUSTOMER_COLUMNS
    for name in names:
        at = column_index(header, name)
        if at is not None:
            return at
    said = f"the column '{wanted}'" if wanted else f"a customer column (one of: {', '.join(CUSTOMER_COLUMNS)})"
    raise InvalidInput(file, [Problem(file, 1, 1, "customer",
                                      f"{said} is missing; the header has: {', '.join(header) or '(nothing)'}; "
                                      "name the column that holds each ticket's customer with --customer-column")])


def _split(values: list[str], lookup: dict[str, int], refused: dict[str, str], lines: np.ndarray
           ) -> tuple[np.ndarray, list[Unmatched]]:
    """The contract position of each row (-1: none), and the rows no contract takes, by name."""
    distinct = {v: i for i, v in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(distinct.__getitem__, values), np.int64, len(values))
    return _split_codes(codes, list(distinct), lookup, refused, lines)


def _split_codes(codes: np.ndarray, names: list[str], lookup: dict[str, int], refused: dict[str, str],
                 lines: np.ndarray) -> tuple[np.ndarray, list[Unmatched]]:
    """``_split`` of a column given as a code per row over its distinct ``names``."""
    owner_of = np.array([lookup.get(_key(v), -1) for v in names] or [-1], np.int64)
    owners = owner_of[codes] if len(codes) else np.zeros(0, np.int64)
    unmatched = []
    orphan = np.flatnonzero(owners < 0)
    if orphan.size:
        counts = np.bincount(codes[orphan], minlength=len(names))
        first = {}
        for r in orphan.tolist():
            first.setdefault(int(codes[r]), r)
        for code in sorted(first, key=lambda c: first[c]):
            name = names[code]
            reason = ("the row names no customer" if not name.strip() else
                      refused.get(_key(name), "no contract claims this customer (add it to a contract's "
                                              "customer.psa_names, or use --customer-map)"))
            unmatched.append(Unmatched(name.strip(), int(counts[code]), int(lines[first[code]]), reason))
    return owners, unmatched


def _outage_tables(path: Path, lookup: dict[str, int], refused: dict[str, str], customer_column: str | None):
    """The outage CSV's rows for each contract position: (header, rows, lines); and its unmatched."""
    from slagen.report.csv_rows import read_csv_columns

    header, rows, lines = read_csv_columns(path)
    k = _customer_column(header, customer_column, str(path))
    values = [r[k] if len(r) > k else "" for r in rows]
    owners, unmatched = _split(values, lookup, refused, lines)
    tables: dict[int, tuple] = {}
    for owner in np.unique(owners[owners >= 0]).tolist():
        at = np.flatnonzero(owners == owner)
        tables[owner] = (header, [rows[i] for i in at.tolist()], lines[at])
    return header, tables, unmatched


# --------------------------------------------------------------------------------------------
# Termination risk


def termination_risk(report: Report) -> TerminationRisk | None:
    """Whether the customer is one bad month from, or already at, its right to terminate."""
    contract = report.contract
    for_cause = contract.termination.for_cause
    rule = for_cause.repeated_breach if for_cause else None
    if rule is None:
        return None
    last = report.period.first_month + report.period.months - 1
    months = {np.datetime64(p.month, "M"): p for p in report.trend}
    looked = [last - i for i in range(rule.within_months)]  # the run of months ending with this one
    needed = rule.months if rule.attainment_below is not None else rule.count

    line = None if rule.attainment_below is None else Fraction(rule.attainment_below)
    by_month_and_id = {(m, f.id): f for m, point in months.items() for f in point.priorities}

    def bad(month, priority_id: str, kind: str) -> int:
        figures = by_month_and_id.get((month, priority_id))
        if figures is None:
            return 0
        target = getattr(figures, kind)
        if line is not None:  # attainment (100 met / measured) below the line, in whole numbers
            measured = target.met + target.breached
            return int(measured > 0 and 100 * target.met * line.denominator < line.numerator * measured)
        return target.breached

    worst = None
    kinds = ("resolution",) if report.no_response else ("response", "resolution")
    for p in contract.priorities:
        for kind in kinds:
            per_month = [(m, bad(m, p.id, kind)) for m in looked]
            now = sum(n for _, n in per_month)  # the right as it stands, counting this month
            window = sum(n for _, n in per_month[:rule.within_months - 1])  # what next month would count
            if now >= needed:
                status = "right reached"
            elif window >= needed - 1:
                status = "one bad month away"
            else:
                continue
            rank = (status == "right reached", now)
            if worst is None or rank > worst[0]:
                counted = tuple(str(m) for m, n in reversed(per_month) if n)
                worst = (rank, status, f"{p.id} {kind}", counted, now)
    if worst is None:
        return None
    _, status, target, counted, now = worst
    seen = sum(1 for m in looked if m in months)
    if rule.attainment_below is not None:
        rule_words = (f"attainment below {rule.attainment_below.normalize():f}% in {rule.months} of any "
                      f"{rule.within_months} consecutive months")
        found = f"{len(counted)} such month{'s' if len(counted) != 1 else ''} ({', '.join(counted)})"
    else:
        rule_words = f"the same target missed {rule.count} times within {rule.within_months} months"
        found = f"{now} miss{'es' if now != 1 else ''} in {', '.join(counted)}"
    words = (f"{target}: {found}; the agreement's right to terminate for persistent failure is {rule_words}"
             + ("" if status == "right reached" else "; one more bad month gives it")
             + (f" (the export covers {seen} of those {rule.within_months} months)" if seen < rule.within_months
                else ""))
    return TerminationRisk(status, target, counted, needed, rule.within_months, seen, words)


# --------------------------------------------------------------------------------------------
# The whole run


Progress = Callable[[int, int, "CustomerFigures"], None]


def portfolio_figures(folder: str | Path | None, tickets_file: str | Path, *, period: str, columns: ColumnMap | None = None,
                      customer_map: dict[str, str] | None = None, customer_column: str | None = None,
                      outages: str | Path | None = None, strict: bool = False,
                      breach_limit: int = DEFAULT_BREACH_LIMIT,
                      max_rejected: Fraction | Decimal | float | None = DEFAULT_MAX_REJECTED,
                      progress: Progress | None = None,
                      contracts: list[PortfolioContract] | None = None) -> Portfolio:
    """Every contract's report and credit note from one export; see the module's notes.

    Mistakes that concern the whole run (no such folder or export, no customer column, a
    period that is not one, a ``--customer-map`` reference nobody has) raise; a contract's own
    trouble is recorded in its ``CustomerFigures.error`` and the others carry on.
    """
    Period.parse(period, Zone("UTC"))  # a period that is not one fails every contract: say it once
    columns = columns or ColumnMap()
    if contracts is None:  # given: already loaded (or not from a folder at all)
        if folder is None:
            raise UsageError("error: a portfolio needs a folder of contracts or the contracts themselves")
        contracts = load_contracts(folder)
    lookup, refused = customer_names(contracts, parse_customer_map(customer_map or {}))
    tickets_path = Path(tickets_file)
    file = str(tickets_file)
    enabled = gc.isenabled()
    gc.disable()  # a million cells live until each contract's arrays are built; they hold no cycles
    try:
        (header, rows, lines, text_of), reader = _read_shared(tickets_path, columns.delimiter)
        k = _customer_column(header, customer_column, file)
        if reader == "columnar":
            from slagen.report.columnar import column_codes

            owners, unmatched = _split_codes(*column_codes(rows.table.column(k)), lookup, refused, lines)
        else:  # a workbook's cells may be numbers or empty: the customer is read as text
            values = ["" if v is None else str(v) for v in text_of([r[k] if len(r) > k else "" for r in rows])]
            owners, unmatched = _split(values, lookup, refused, lines)
            del values
        # Contract by contract, each in the export's order (a narrow type: numpy's stable sort of
        # 16-bit integers is a radix sort).
        narrow = owners.astype(np.int16) if len(contracts) < 32_000 else owners
        order = np.argsort(narrow, kind="stable")
        bounds = np.searchsorted(owners[order], np.arange(len(contracts) + 1), side="left")
        ordered = None
        if reader == "columnar":
            # Rows ordered by contract, then the time and priority columns read once for the whole
            # export; each contract reads its slice of them in its own zone.
            ordered = rows.prepare(order, *_shared_columns(header, columns))
        outage_tables, outage_unmatched = {}, []
        if outages is not None:
            _, outage_tables, outage_unmatched = _outage_tables(Path(outages), lookup, refused, customer_column)

        results = []
        calendar_cache: dict = {}
        for i, item in enumerate(contracts):
            a, b = int(bounds[i]), int(bounds[i + 1])
            c = item.contract
            figures = CustomerFigures(str(item.path), c.agreement.reference if c else None,
                                      c.customer.name if c else None, b - a)
            if c is None:
                figures.error = item.error
            else:
                at = order[a:b]
                if reader == "columnar":
                    part = ordered.slice(a, b - a)
                else:
                    part = [rows[j] for j in at.tolist()]
                export = (header, part, lines[at], text_of)
                try:
                    figures.report = _one_report(c, export, file, columns, period, strict, breach_limit,
                                                 max_rejected, outages, outage_tables.get(i), calendar_cache)
                    figures.note = credit_note(figures.report)
                    figures.termination = termination_risk(figures.report)
                except SlagenError as exc:
                    figures.error = _error_text(exc)
                except Exception as exc:  # noqa: BLE001 - one contract's fault must not stop the book
                    figures.error = (f"{item.path}: error: slagen could not report this contract "
                                     f"({type(exc).__name__}: {exc}); please report this as a bug")
            results.append(figures)
            if progress is not None:
                progress(i + 1, len(contracts), figures)
    finally:
        if enabled:
            gc.enable()
    return Portfolio(period=period, tickets_file=file, rows_read=len(lines), reader=reader,
                     customer_column=header[k], customers=results, unmatched=unmatched + outage_unmatched)


def _shared_columns(header: list[str], columns: ColumnMap
                    ) -> tuple[list[int], list[int], tuple[int, str] | None, list[int]]:
    """The columns worth reading once for every contract: (time columns, the priority column,
    the pause column and its separator, the ticket id column)."""
    from slagen.report.csv_rows import column_index

    def at(field: str) -> int | None:
        return column_index(header, columns.header_for(field))

    times = [] if columns.time_format is not None else [
        k for k in (at("logged_at"), at("resolved_at"),
                    None if columns.no_response or columns.first_response_minutes else at("first_response_at"))
        if k is not None]
    priority, paused, ids = at("priority"), at("paused"), at("id")
    return (times, [] if priority is None else [priority], None if paused is None else (paused, columns.pause_separator),
            [] if ids is None else [ids])


def _error_text(exc: SlagenError) -> str:
    if isinstance(exc, InvalidInput):
        shown = [str(p) for p in exc.problems[:5]]
        if len(exc.problems) > 5:
            shown.append(f"... and {len(exc.problems) - 5} more")
        return "\n".join(shown)
    return str(exc)


def _clocks(contract: "Contract", cache: dict) -> dict:
    """The contract's calendars, one instance per definition for the run: a calendar builds its years
    on first use, and a book of customers has many contracts with the same hours and holidays."""
    from slagen.calendar.clock import Calendar

    hours = contract.support_hours
    out = {}
    for clock in sorted({p.clock for p in contract.priorities}):
        key = (clock, hours.timezone) if clock == "24x7" else (
            clock, hours.timezone, tuple(sorted(hours.weekly.windows)), hours.holidays.choice() if hours.holidays
            else None, frozenset(hours.extra_closures))
        if key not in cache:
            cache[key] = Calendar.for_clock(contract, clock)
        out[clock] = cache[key]
    return out


def _one_report(contract: "Contract", export, file: str, columns: ColumnMap, period: str, strict: bool,
                breach_limit: int, max_rejected, outages, outage_table, calendar_cache: dict) -> Report:
    """``build_report``'s steps on rows already read: the same figures as ``slagen report`` on them."""
    from slagen.report.availability import read_outages

    zone = Zone(contract.support_hours.timezone)
    key = ("period", period, zone.name)  # the period's bounds are the same for every contract in a zone
    the_period = calendar_cache.get(key)
    if the_period is None:
        the_period = calendar_cache[key] = Period.parse(period, zone)
    tickets = tickets_from_export(export, file, contract, columns, strict)
    outage_list, outage_problems = [], []
    if outages is not None:
        if outage_table is None:  # no outage for this customer: measured, and nothing went down
            outage_list, outage_problems = [], []
        else:
            outage_list, outage_problems = read_outages(outages, contract, zone, strict=strict, table=outage_table)
    report = compute_report(contract, tickets, the_period, zone, outages=outage_list,
                            outage_problems=outage_problems, outages_file=str(outages) if outages else None,
                            breach_limit=breach_limit, export_zone=columns.export_zone,
                            clocks=_clocks(contract, calendar_cache))
    if max_rejected is not None:
        refuse_mostly_missing(report, Fraction(max_rejected))
    return report
