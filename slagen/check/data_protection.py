"""SLA8xx: personal data, breach notification and the end of the data's life."""

from __future__ import annotations

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import REGULATOR_DEADLINES, Context, duration, until, when


def _deadlines(ctx: Context) -> list[tuple[str, object]]:
    dp = ctx.contract.data_protection
    return [(name, REGULATOR_DEADLINES[name.strip().lower()]) for name in dp.regulations
            if name.strip().lower() in REGULATOR_DEADLINES]


@rule(
    "SLA801", "breach-notification-missing", severity="error",
    summary="Personal data are processed but no breach-notification period is given.",
    why="Under GDPR and UK GDPR the customer, as controller, must tell the regulator within 72 hours of "
        "becoming aware of a breach, and the processor must tell the controller without undue delay. "
        "Without a period the customer cannot plan to meet its own deadline.",
    fix="Set data_protection.breach_notification well inside the regulator's deadline (24h is common).",
)
def notification_missing(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or not dp.personal_data or dp.breach_notification is not None:
        return
    named = _deadlines(ctx)
    deadline = f" ({named[0][0]}: {duration(named[0][1])} to the regulator)" if named else ""
    yield Hit(("data_protection", "personal_data"),
              f"personal data with no breach-notification period{deadline}: the provider may tell the customer "
              "at any time")


@rule(
    "SLA802", "breach-notification-too-late", severity="error",
    summary="The breach-notification period is longer than the named regulation gives the customer to tell "
            "the regulator (equal is a warning).",
    why="The customer's deadline runs from when it becomes aware. If the provider may take as long as the "
        "whole deadline, the customer learns of the breach too late to investigate and report it.",
    fix="Shorten data_protection.breach_notification to well inside the deadline (24h leaves the customer "
        "two days).",
)
def notification_too_late(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or not dp.personal_data or dp.breach_notification is None:
        return
    named = _deadlines(ctx)
    if not named:
        return
    name, deadline = min(named, key=lambda t: t[1])
    if dp.breach_notification < deadline:
        return
    found = ctx.local(4, 17 * 60)  # a breach found on a Friday afternoon
    told = ctx.always.due(found, dp.breach_notification)
    late = dp.breach_notification - deadline
    tail = (f"{duration(late)} after the {duration(deadline)} {name} deadline to the regulator" if late
            else f"exactly at the {duration(deadline)} {name} deadline, leaving the customer no time")
    yield Hit(("data_protection", "breach_notification"),
              f"a breach found {when(found)} may be reported to the customer as late as {until(found, told)} "
              f"({duration(dp.breach_notification)}): {tail}",
              severity="warning" if not late else None)


@rule(
    "SLA803", "retention-or-disposal-undefined", severity="warning",
    summary="Personal data are processed but how long records of the processing are kept is not said.",
    why="Data protection law requires personal data to be kept no longer than needed; the customer must be "
        "able to say how long. How the data end is always said: the clause on Customer Data at the end "
        "governs their return, deletion and backups from the termination and backup values.",
    fix="Set data_protection.record_retention_months.",
)
def retention_undefined(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or not dp.personal_data:
        return
    missing = [name for name in ("record_retention_months",) if getattr(dp, name) is None]
    if missing:
        yield Hit(("data_protection", "personal_data"),
                  f"personal data are processed but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'}"
                  " not set: nothing says when the data end")


@rule(
    "SLA804", "regulation-not-checked", severity="info",
    summary="Personal data are processed but no regulation with a known breach deadline is named.",
    why="The checker knows the regulator deadlines of GDPR and UK GDPR; other regulations, or none, "
        "leave the breach-notification period unchecked.",
    fix="Name the regulation under data_protection.regulations (for example 'UK GDPR'), or check the "
        "period by hand.",
)
def regulation_unknown(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or not dp.personal_data or _deadlines(ctx):
        return
    named = ", ".join(dp.regulations) or "none"
    yield Hit(("data_protection", "regulations") if dp.regulations else ("data_protection", "personal_data"),
              f"regulations named: {named}; the breach-notification period was not checked against a deadline")
