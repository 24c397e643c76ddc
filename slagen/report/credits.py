"""Service credits as money: what the customer is owed per service, ready for an invoice adjustment.

    from slagen.report.credits import credit_note, credit_note_csv
    note = credit_note(report)          # per service and measurement window, in the contract's currency
    note.total                          # Decimal, after the contract's cap
    csv_bytes = credit_note_csv(note)   # one line per service credited

The service-credits clause gives a percentage "of the monthly fee for that Measurement Period"
per service, and caps the credits of all services in one measurement period together. So:

* each service's credit is its tier's percentage (``availability.credit_for``, already limited
  by the cap on its own), as the report computes it;
* the window's total is ``min(sum of the services' percentages, credit_cap)`` of the monthly
  fee (``sow.fees.monthly``), rounded half up to the currency's minor unit (babel's CLDR
  precision: 2 for GBP, 0 for JPY);
* when the cap bites, the total is shared between the services in proportion to their
  percentages, each share rounded down to the minor unit and the units left over given to the
  largest remainders (contract order breaks a tie), so the lines always add up to the total;
* only complete measurement windows are credited: a quarter still running at the end of the
  report period (``to_date``) is listed as not final and carries no amount yet;
* a report without an outage file measured no availability: the note says so and credits
  nothing, rather than claiming every service met its target.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.report import Report

__all__ = ["CreditLine", "CreditNote", "credit_note", "credit_note_csv", "minor_unit", "CSV_COLUMNS"]


@dataclass(frozen=True)
class CreditLine:
    window: str  # the measurement window: '2027-03' or '2027-Q1'
    service: str  # the contract's service id
    service_name: str
    availability: Fraction  # percent, exact
    target: Decimal  # percent
    credit_percent: Decimal  # the tier's credit for this service, % of the monthly fee
    share_percent: Decimal  # what is due for it after the window's cap (equal unless the cap bites)
    amount: Decimal | None  # in the contract's currency; None: no monthly fee in the statement of work
    capped: bool  # the window's credits were reduced by the cap


@dataclass(frozen=True)
class CreditNote:
    reference: str  # the agreement's reference
    customer: str
    customer_psa_name: str  # how the PSA names the customer (the first of customer.psa_names, else the name)
    currency: str
    period: str
    monthly_fee: Decimal | None
    lines: tuple[CreditLine, ...]
    not_final: tuple[str, ...]  # measurement windows still running at the period's end
    measured: bool  # False: no outage file, availability was not measured

    @property
    def total(self) -> Decimal:
        """What the lines add up to, in the currency's minor unit (0.00 when nothing is credited)."""
        return sum((line.amount for line in self.lines if line.amount is not None),
                   Decimal(0)).quantize(minor_unit(self.currency))


def minor_unit(currency: str) -> Decimal:
    """0.01 for GBP, 1 for JPY, 0.001 for BHD: the smallest amount an invoice can carry."""
    from babel.numbers import get_currency_precision

    return Decimal(1).scaleb(-get_currency_precision(currency))


def _shares(total_units: int, weights: list[Decimal]) -> list[int]:
    """``total_units`` split in proportion to ``weights`` by largest remainder (ties: first wins)."""
    whole = sum(weights)
    exact = [Fraction(total_units) * Fraction(w) / Fraction(whole) for w in weights]
    floors = [int(e) for e in exact]  # exact values are >= 0, so int() rounds down
    left = total_units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def credit_note(report: "Report") -> CreditNote:
    """The service credits of ``report``'s complete measurement windows, per service, in money."""
    contract = report.contract
    terms = contract.availability
    cap = terms.credit_cap if terms is not None else None
    fee = contract.sow.fees.monthly if contract.sow is not None else None
    currency = contract.agreement.currency
    unit = minor_unit(currency)
    psa_names = getattr(contract.customer, "psa_names", None) or []
    measured = report.outages_file is not None

    by_window: dict[str, list] = {}
    not_final: list[str] = []
    for service in report.availability if measured else ():
        for window in service.windows:
            if window.to_date:
                if window.label not in not_final:
                    not_final.append(window.label)
                continue
            by_window.setdefault(window.label, []).append((service, window))

    lines: list[CreditLine] = []
    for label, entries in by_window.items():
        credited = [(s, w) for s, w in entries if w.credit > 0]
        if not credited:
            continue
        summed = sum((w.credit for _, w in credited), Decimal(0))
        due = summed if cap is None else min(summed, cap)
        capped = due < summed
        weights = [w.credit for _, w in credited]
        shares = [w.credit * due / summed for _, w in credited]  # % of the fee, for the line's record
        amounts: list[Decimal | None] = [None] * len(credited)
        if fee is not None:
            total = (fee * due / 100).quantize(unit, rounding=ROUND_HALF_UP)
            units = _shares(int(total / unit), weights)
            amounts = [unit * u for u in units]
        for (service, window), share, amount in zip(credited, shares, amounts):
            lines.append(CreditLine(
                window=label, service=service.id, service_name=service.name, availability=window.availability,
                target=service.target, credit_percent=window.credit,
                share_percent=share.quantize(Decimal("0.0001"), rounding=ROUND_DOWN).normalize(),
                amount=amount, capped=capped))
    return CreditNote(
        reference=contract.agreement.reference, customer=contract.customer.name,
        customer_psa_name=psa_names[0] if psa_names else contract.customer.name, currency=currency,
        period=report.period.label, monthly_fee=fee, lines=tuple(lines), not_final=tuple(not_final),
        measured=measured)


CSV_COLUMNS = ("agreement_reference", "customer", "customer_psa_name", "period", "measurement_window",
               "service_id", "service", "availability_percent", "target_percent", "credit_percent",
               "credit_after_cap_percent", "capped", "amount", "currency", "description")


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _availability_text(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}"


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @ first: OWASP's CSV injection advice)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def credit_note_csv(note: CreditNote) -> bytes:
    """One line per service credited, amounts as plain decimals in the contract's currency (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in note.lines:
        words = (f"Service credit: {line.service_name}, availability {_availability_text(line.availability)}% "
                 f"against {_plain(line.target)}% in {line.window}")
        if line.capped:
            words += " (credits for the period capped by the agreement)"
        writer.writerow([_safe(v) for v in (
            note.reference, note.customer, note.customer_psa_name, note.period, line.window, line.service,
            line.service_name, _availability_text(line.availability), _plain(line.target),
            _plain(line.credit_percent), _plain(line.share_percent), "yes" if line.capped else "no",
            "" if line.amount is None else f"{line.amount:f}", note.currency, words)])
    return out.getvalue().encode("utf-8")
