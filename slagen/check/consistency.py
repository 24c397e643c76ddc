"""SLA9xx: clauses of one contract that contradict each other, or defeat each other's purpose.

Errors are contradictions: two promises that cannot both be kept as written. Warnings are
wording that is probably not what either party meant. The rules that read clause wording use
:mod:`slagen.check.wording` and name, in their "why", the phrases they look for.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from slagen.check.registry import Hit, rule
from slagen.check.wording import clause_wording, document_wording, sentences
from slagen.check.worst_case import Context, percent


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


# ---- the end of the agreement ---------------------------------------------------------------


@rule(
    "SLA901", "exit-assistance-ends-before-notice", severity="error",
    summary="Exit assistance runs out before notice to end the agreement has expired.",
    why="Exit assistance runs from the day notice is given. If it is shorter than the notice period, the "
        "provider's duty to help hand the services over ends while the agreement, and the services, still "
        "run: the customer is alone at the moment of transfer, which is what the clause is there to prevent.",
    fix="Make termination.exit_assistance_days at least termination.notice_days (and preferably long enough "
        "to cover the data return period as well).",
)
def exit_assistance_too_short(ctx: Context):
    t = ctx.contract.termination
    if t.exit_assistance_days is None or t.exit_assistance_days >= t.notice_days:
        return
    gap = t.notice_days - t.exit_assistance_days
    yield Hit(("termination", "exit_assistance_days"),
              f"exit assistance lasts {_plural(t.exit_assistance_days, 'day')} from notice, but notice takes "
              f"{_plural(t.notice_days, 'day')} to end the agreement: for the last {_plural(gap, 'day')} the "
              "services still run and the provider no longer has to help hand them over",
              fix=f"Set termination.exit_assistance_days to at least {t.notice_days}.")


# Words that say data are destroyed, and words that tie the destruction to a return first.
_DELETION = re.compile(r"\b(delet\w*|destroy\w*|destruction|eras\w*|wip(e|ed|es|ing)|shred\w*|purg\w*)\b", re.I)
_AFTER_RETURN = re.compile(r"\b(return\w*|receipt|received|handed (back|over)|hand(ing)? (back|over)|export\w*)\b",
                           re.I)
_WITHIN_DAYS = re.compile(r"\bwithin (\d{1,4}) (?:calendar |working |business )?days?\b", re.I)
_AT_ONCE = re.compile(r"\b(immediately|at once|on (the )?(termination|expiry|end)|at the end)\b", re.I)


def _deletions(ctx: Context):
    """(loc, sentence, days or None) for each contract value that requires data to be destroyed."""
    dp, t = ctx.contract.data_protection, ctx.contract.termination
    texts = [(("data_protection", "disposal"), dp.disposal if dp else None),
             (("termination", "after_termination"), t.after_termination)]
    for loc, text in texts:
        for sentence in sentences(text or ""):
            if not _DELETION.search(sentence):
                continue
            within = _WITHIN_DAYS.search(sentence)
            days = int(within.group(1)) if within else (0 if _AT_ONCE.search(sentence) else None)
            yield loc, sentence, days
            break


@rule(
    "SLA902", "data-deleted-before-return", severity="error",
    summary="The contract requires the customer's data to be deleted sooner than it must be returned "
            "(on the same day is a warning).",
    why="Data that has been deleted cannot be returned. The checker reads the sentences of "
        "data_protection.disposal and termination.after_termination that delete, destroy, erase, wipe, shred "
        "or purge data, and the period they give ('within 30 days', 'immediately'); a sentence that ties the "
        "deletion to the return ('after the data have been returned', 'once the customer confirms receipt') "
        "is consistent whatever its period.",
    fix="Say that data are deleted after they have been returned (for example 'within 30 days after the "
        "customer confirms receipt of the returned data'), or shorten termination.data_return_days.",
)
def deleted_before_return(ctx: Context):
    returned = ctx.contract.termination.data_return_days
    if returned is None:
        return
    for loc, sentence, days in _deletions(ctx):
        if days is None or _AFTER_RETURN.search(sentence) or days > returned:
            continue
        deletion = "at once" if days == 0 else f"within {_plural(days, 'day')}"
        if days < returned:
            yield Hit(loc, f"'{sentence}' requires the data deleted {deletion} of the end, but the provider has "
                           f"{_plural(returned, 'day')} to return them: the data may be gone before they are "
                           "returned")
        else:
            yield Hit(loc, f"'{sentence}' and the return of the data both run {deletion} of the end: nothing "
                           "says the data are returned before they are deleted", severity="warning")


@rule(
    "SLA903", "data-deleted-without-return", severity="warning",
    summary="The contract requires the customer's data to be deleted at the end, but never to be returned.",
    why="At the end of the processing the customer, as controller, chooses whether its data are returned or "
        "deleted (UK GDPR and GDPR Article 28(3)(g)). A contract that only deletes leaves the customer without "
        "its own records. The checker reads the same sentences as SLA902.",
    fix="Set termination.data_return_days, or say in the deletion sentence that data are deleted after they "
        "have been returned.",
)
def deleted_without_return(ctx: Context):
    if ctx.contract.termination.data_return_days is not None:
        return
    for loc, sentence, _ in _deletions(ctx):
        if not _AFTER_RETURN.search(sentence):
            yield Hit(loc, f"'{sentence}' deletes the customer's data, and termination.data_return_days is not "
                           "set: nothing returns the data before they are deleted")


# ---- the service desk -------------------------------------------------------------------------


@rule(
    "SLA904", "always-open-desk-closes-on-holidays", severity="error",
    summary="Support hours are 24x7, yet the desk closes on public holidays or other dates, while 24x7 "
            "targets keep counting on those days.",
    why="With 24x7 support hours the agreement says the service desk is staffed at every hour, and in the "
        "same clause that it is closed on the listed holidays. A priority on the 24x7 clock counts those "
        "days: a critical incident on a bank holiday runs against its target at a desk the agreement says "
        "is shut.",
    fix="Remove support_hours.holidays and support_hours.extra_closures if the desk really never closes, or "
        "give support_hours real opening hours and keep the round-the-clock priorities on call.",
)
def always_open_desk_closes(ctx: Context):
    hours = ctx.contract.support_hours
    if not hours.weekly.is_always or (hours.holidays is None and not hours.extra_closures):
        return
    round_the_clock = [p.id for p in ctx.contract.priorities if p.clock == "24x7"]
    if not round_the_clock:
        return
    if hours.holidays is not None:
        region = hours.holidays.country + (f" ({hours.holidays.subdivision})" if hours.holidays.subdivision else "")
        loc, closed = ("support_hours", "holidays"), f"closes on the public holidays of {region}"
    else:
        loc, closed = ("support_hours", "extra_closures"), f"closes on {_plural(len(hours.extra_closures), 'date')}"
    which = ", ".join(round_the_clock)
    yield Hit(loc, f"support hours are 24x7, so the desk is staffed at every hour, yet it {closed}; "
                   f"{which} {'is' if len(round_the_clock) == 1 else 'are'} measured on the 24x7 clock, which "
                   "counts those days")


# ---- the statement of work ---------------------------------------------------------------------

# Acceptance by silence, and a clause that keeps recurring services out of it.
_DEEMED = re.compile(r"\b(treated|deemed|taken) as (having been )?accepted\b|\baccepted by (silence|default)\b", re.I)
_RECURRING_EXCLUDED = re.compile(r"\brecurring\b", re.I)
_RECURS = re.compile(r"\b(daily|weekly|fortnightly|monthly|quarterly|annual|annually|yearly|biannual|"
                     r"(each|every) (day|week|month|quarter|year))\b", re.I)


@rule(
    "SLA905", "recurring-deliverable-deemed-accepted", severity="warning",
    summary="A SOW deliverable is a recurring service (a monthly report, a quarterly review) and falls under "
            "the SOW's acceptance by silence.",
    why="The SOW's acceptance clause is written for work done once: a milestone or a deliverable is accepted "
        "if the customer does not object in time. Applied to a monthly report, every report the customer "
        "files unread is accepted, with the missed targets it shows. The checker reads the sow-acceptance "
        "clause for 'treated as accepted' or 'deemed accepted', and is quiet when that clause says it does "
        "not apply to 'recurring' services.",
    fix="Say in the acceptance clause that recurring services are not accepted by silence (replace "
        "sow-acceptance under clauses:), or describe the recurring service in the agreement and list only "
        "one-off work under sow.deliverables.",
)
def recurring_deliverable_accepted(ctx: Context):
    sow = ctx.contract.sow
    if sow is None or not sow.deliverables:
        return
    acceptance = clause_wording(ctx.contract, "sow-acceptance", "sow", ctx.clause_dir)
    if not acceptance or not _DEEMED.search(acceptance) or _RECURRING_EXCLUDED.search(acceptance):
        return
    for i, deliverable in enumerate(sow.deliverables):
        recurs = _RECURS.search(deliverable)
        if recurs:
            yield Hit(("sow", "deliverables", i),
                      f"'{deliverable}' recurs ({recurs.group(0).lower()}), but the SOW's acceptance clause treats "
                      "work as accepted when the customer does not object in time: each one the customer does "
                      "not answer is accepted by silence")


_CHANGE = re.compile(r"\b(chang\w*|vari\w*|amend\w*)\b", re.I)
_SIGNED = re.compile(r"\bsign(ed|ing|ature|atures)?\b", re.I)
_TAKES_EFFECT = re.compile(r"\b(effective|binding|valid)\b", re.I)
_IN_WRITING = re.compile(r"\bin writing\b", re.I)


@rule(
    "SLA906", "sow-varied-without-signature", severity="error",
    summary="The SOW may be changed by agreement 'in writing', while the agreement may only be changed in "
            "writing signed by both parties.",
    why="The statement of work is part of the agreement. When the agreement's variation clause needs a "
        "signed document and the SOW's change control (sow.change_control and the sow-change-control clause) "
        "is satisfied by anything in writing, an exchange of emails changes the fees under one clause and "
        "changes nothing under the other. The checker reads, in the agreement's clauses, a sentence that "
        "makes a change, variation or amendment effective (or binding, or valid) only when signed, and in "
        "the SOW's change control a sentence that says 'in writing' with no word of signing.",
    fix="Make the SOW's change control require a change signed by both parties (replace sow-change-control "
        "under clauses:, or say so in sow.change_control), or, if emails are meant to be enough, say in the "
        "agreement's variation clause that the SOW may be changed in writing.",
)
def sow_varied_without_signature(ctx: Context):
    sow = ctx.contract.sow
    if sow is None:
        return
    signed = next(((clause_id, s) for clause_id, wording in document_wording(ctx.contract, "agreement", ctx.clause_dir)
                   for s in sentences(wording)
                   if _CHANGE.search(s) and _SIGNED.search(s) and _TAKES_EFFECT.search(s)), None)
    if signed is None:
        return
    variation_clause, signed = signed
    sow_wording = " ".join(filter(None, [sow.change_control, clause_wording(ctx.contract, "sow-change-control",
                                                                              "sow", ctx.clause_dir)]))
    change_sentences = [s for s in sentences(sow_wording) if _CHANGE.search(s) or _IN_WRITING.search(s)]
    if any(_SIGNED.search(s) for s in change_sentences):
        return
    written = next((s for s in change_sentences if _IN_WRITING.search(s)), None)
    if written is None:
        return
    loc = ("sow", "change_control") if sow.change_control is not None else ("sow",)
    yield Hit(loc, f"the agreement ({variation_clause}) says '{signed}', but the SOW says '{written}': a change "
                   "agreed by email binds under the SOW and not under the agreement")


# ---- termination for repeated breach ---------------------------------------------------------------

ASSUMED_ATTAINMENT = Decimal("95")  # percent of tickets meeting each target, month after month
NEAR_CERTAIN = 0.5  # warn when the termination right is more likely than not to arise


def poisson_at_least(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean): exact summation, or the normal approximation for huge values."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if mean > 1e5 or k > 1e5:
        # Far beyond any real desk; the normal approximation (with continuity correction) is exact enough.
        return 0.5 * math.erfc((k - 0.5 - mean) / math.sqrt(2 * mean))
    log_mean = math.log(mean)
    below = math.fsum(math.exp(i * log_mean - mean - math.lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)


def _chance(p: float) -> str:
    if p > 0.999:
        return "over 99.9%"
    return f"{p * 100:.1f}%"


@rule(
    "SLA907", "repeated-breach-near-certain", severity="warning",
    summary="Termination for repeated breach counted in misses ('count' times within 'within_months') is more "
            "likely than not on the expected ticket volumes.",
    why=f"A desk that meets each target for {ASSUMED_ATTAINMENT}% of tickets (a good desk) still misses it on "
        f"{100 - ASSUMED_ATTAINMENT}% of them. The checker takes the priority with most expected tickets "
        "(staffing.expected_tickets_per_month), expects tickets x months x "
        f"{100 - ASSUMED_ATTAINMENT}% misses of one of its targets in the period, treats misses as a Poisson "
        f"count and warns when the chance of reaching 'count' is over {NEAR_CERTAIN:.0%}. A right to terminate "
        "that almost certainly arises lets the customer leave at will.",
    fix="Tie the right to attainment (repeated_breach: {attainment_below, months, within_months}), or raise "
        "'count' to a number of misses that signals a real failure.",
)
def repeated_breach_near_certain(ctx: Context):
    for_cause, staffing = ctx.contract.termination.for_cause, ctx.contract.staffing
    repeated = for_cause.repeated_breach if for_cause else None
    count, months = getattr(repeated, "count", None), getattr(repeated, "within_months", None)
    if count is None or months is None or staffing is None:
        return  # the attainment form, or no volumes to reason from
    volumes = [(n, pid) for pid, n in staffing.expected_tickets_per_month.items() if n > 0]
    if not volumes:
        return
    tickets, pid = max(volumes)
    miss_share = (100 - ASSUMED_ATTAINMENT) / 100
    expected = tickets * months * miss_share
    chance = poisson_at_least(count, float(expected))
    if chance <= NEAR_CERTAIN:
        return
    safe = max(count, int(expected))  # the median of a Poisson count is close to its mean
    while poisson_at_least(safe, float(expected)) > NEAR_CERTAIN:
        safe += 1
    yield Hit(("termination", "for_cause", "repeated_breach", "count"),
              f"at {percent(ASSUMED_ATTAINMENT)} attainment, {pid}'s {tickets} tickets a month give {tickets} x "
              f"{months} months x {percent(100 - ASSUMED_ATTAINMENT)} = {expected.normalize():f} expected misses "
              f"of each of its targets in {_plural(months, 'month')}; the chance of {count} or more is "
              f"{_chance(chance)}, so the customer may end the agreement almost at will",
              fix=f"Tie the right to attainment (repeated_breach: {{attainment_below, months, within_months}}), "
                  f"or raise termination.for_cause.repeated_breach.count to at least {safe}, where it is no longer more likely than not.")


def _law_of(ctx: Context):
    """The law data of the contract's jurisdiction, from the library the wording rules read."""
    from slagen.library.folder import default_library
    from slagen.library.law import load_law

    folder = ctx.clause_dir.parent / "law" if ctx.clause_dir is not None else None
    book = load_law(folder if folder is not None and (folder / "systems").is_dir() else default_library().law_dir)
    return book.facts(ctx.contract.agreement.legal.code)


@rule(
    "SLA950", "non-solicitation-doubtful", severity="warning",
    summary="The contract insists on a non-solicitation clause where the governing law makes it doubtful.",
    why="Some laws void covenants that restrain anyone from a lawful profession or trade (California: Business "
        "and Professions Code 16600), and courts there have applied that to promises not to hire the other "
        "party's staff. A clause that a court would strike gives false comfort and can itself be a claim.",
    fix="Remove non_solicitation, or keep it knowing it may not be enforced (then consider a narrower "
        "promise, such as not using the other party's confidential information to recruit).",
)
def non_solicitation_doubtful(ctx: Context):
    wanted = ctx.contract.non_solicitation
    if wanted is None or not wanted.insist:
        return
    if _law_of(ctx).non_solicitation == "allowed":
        return
    yield Hit(("non_solicitation", "insist"),
              f"a non-solicitation clause is doubtful under the law of {ctx.contract.agreement.legal.name}; it is "
              "printed only because the contract insists")


@rule(
    "SLA951", "price-index-not-published", severity="error",
    summary="The price review names an index that the governing law's country does not publish.",
    why="CPIH and RPI are published only in the United Kingdom and HICP is used only for Ireland here; a US "
        "or Irish contract capped by an index nobody publishes for it cannot be applied, and the documents "
        "are not rendered.",
    fix="Write index: CPI, which is each jurisdiction's own consumer price index (ONS CPI, CSO CPI, BLS CPI-U).",
)
def price_index_not_published(ctx: Context):
    review = ctx.contract.fees.price_review
    if review is None:
        return
    published = _law_of(ctx).price_index
    if review.index not in published:
        yield Hit(("fees", "price_review", "index"),
                  f"the {review.index} index is not published under the law of {ctx.contract.agreement.legal.name}: "
                  f"use {' or '.join(sorted(published))}")
