"""The contract values a reader checks first, in words, and which of them changed.

    changed_values(old_contract, new_contract)
    -> [ValueChange("P1 resolution", "4 hours", "2 hours"), ...]

Values are read from the contract models (never from rendered text) and written the way the
documents write them: durations in words, percentages with their sign, money in the contract's
currency and locale. A value present on one side only is shown as "not stated" on the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

NOT_STATED = "not stated"


@dataclass(frozen=True)
class ValueChange:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} -> {self.after}"

    def as_json(self) -> dict:
        return {"value": self.label, "before": self.before, "after": self.after}


def _plural(n: int, unit: str) -> str:
    from slagen.source.words import count

    return count(n, unit)


def contract_values(contract, kind: str = "agreement") -> list[tuple[str, str]]:
    """(label, value in words) for every value legal reads first; the SOW adds its fees."""
    from slagen.compose.clause_text import _filter_money, _filter_percent, duration_words
    from slagen.calendar.locale_style import format_long_date

    ctx = {"agreement": contract.agreement}

    def pct(value: Decimal) -> str:
        return _filter_percent(ctx, value)

    def dur(value: timedelta) -> str:
        return duration_words(value)

    a = contract.agreement
    out: list[tuple[str, str]] = [
        ("Reference", a.reference),
        ("Version", a.version),
        ("Status", a.status),
        ("Effective date", format_long_date(a.effective_date, a.locale)),
        ("Initial term", _plural(a.initial_term_months, "month")),
        ("Renewal", (f"automatic, {_plural(a.renewal.term_months, 'month')}" if a.renewal.automatic
                     else f"by agreement, {_plural(a.renewal.term_months, 'month')}") if a.renewal else "none"),
        ("Governing law", a.governing_law),
        ("Provider", contract.provider.name),
        ("Customer", contract.customer.name),
        ("Support hours time zone", contract.support_hours.timezone),
    ]
    from slagen.compose.assemble import _hours_lines

    out.append(("Support hours", "; ".join(_hours_lines(contract.support_hours.weekly))))
    for service in contract.services:
        if service.availability is not None:
            out.append((f"{service.name} availability", pct(service.availability)))
    for p in contract.priorities:
        clock = "24 hours a day" if p.clock == "24x7" else "in support hours"
        out.append((f"{p.id} response", f"{dur(p.response)}"))
        out.append((f"{p.id} resolution", f"{dur(p.resolution)}"))
        if p.update_every is not None:
            out.append((f"{p.id} updates every", dur(p.update_every)))
        out.append((f"{p.id} clock", clock))
    availability = contract.availability
    if availability is not None:
        for tier in sorted(availability.service_credits, key=lambda t: t.below, reverse=True):
            out.append((f"Service credit below {pct(tier.below)}", pct(tier.credit)))
        if availability.credit_cap is not None:
            out.append(("Service credit cap", pct(availability.credit_cap)))
        for w in availability.maintenance_windows:
            from slagen.compose.assemble import DAY_NAMES
            from slagen.model.types import format_time_of_day

            notice = f", {dur(w.notice)} notice" if w.notice is not None else ""
            out.append((f"Maintenance window {DAY_NAMES[w.day]}",
                        f"{format_time_of_day(w.start)} for {dur(w.duration)}{notice}"))
    dp = contract.data_protection
    if dp is not None:
        if dp.breach_notification is not None:
            out.append(("Breach notification", dur(dp.breach_notification)))
        if dp.backup is not None:
            out.append(("Backup frequency", dur(dp.backup.frequency)))
            out.append(("Backup retention", _plural(dp.backup.retention_days, "day")))
        if dp.rpo is not None:
            out.append(("Recovery point objective", dur(dp.rpo)))
        if dp.rto is not None:
            out.append(("Recovery time objective", dur(dp.rto)))
    t = contract.termination
    out.append(("Termination notice", _plural(t.notice_days, "day")))
    if t.for_cause is not None:
        out.append(("Cure period", _plural(t.for_cause.cure_days, "day")))
    if t.data_return_days is not None:
        out.append(("Data return", _plural(t.data_return_days, "day")))
    if t.exit_assistance_days is not None:
        out.append(("Exit assistance", _plural(t.exit_assistance_days, "day")))
    if kind == "sow" and contract.sow is not None:
        fees = contract.sow.fees
        out.append(("SOW reference", contract.sow.reference))
        out.append(("Monthly fee", _filter_money(ctx, fees.monthly)))
        if fees.onboarding is not None:
            out.append(("Onboarding fee", _filter_money(ctx, fees.onboarding)))
        if fees.out_of_hours_hourly is not None:
            out.append(("Out-of-hours rate per hour", _filter_money(ctx, fees.out_of_hours_hourly)))
        out.append(("Payment terms", _plural(fees.payment_terms_days, "day")))
    return _unique(out)


def _unique(values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Two maintenance windows on one day are two values: the second label gets '(2)'."""
    seen: dict[str, int] = {}
    out = []
    for label, value in values:
        seen[label] = seen.get(label, 0) + 1
        out.append((label if seen[label] == 1 else f"{label} ({seen[label]})", value))
    return out


def changed_values(old_contract, new_contract, kind: str = "agreement") -> list[ValueChange]:
    """The values that differ, in the new contract's order, then those only the old one states."""
    old = dict(contract_values(old_contract, kind))
    new = contract_values(new_contract, kind)
    seen = set()
    out = []
    for label, value in new:
        seen.add(label)
        before = old.get(label, NOT_STATED)
        if before != value:
            out.append(ValueChange(label, before, value))
    for label, value in contract_values(old_contract, kind):
        if label not in seen:
            out.append(ValueChange(label, value, NOT_STATED))
    return out
