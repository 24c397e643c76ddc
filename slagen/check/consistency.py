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
from slagen.check.worst_case import Context, duration, percent


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

# ---- the exit terms, stated once ------------------------------------------------------------------

_RETURN_WORDS = re.compile(r"\b(return\w*|hand\w* (back|over)|deliver\w*)\b", re.I)
_BACKUP_WORDS = re.compile(r"\bback-?ups?\b", re.I)


def _exit_periods(ctx: Context) -> dict[str, tuple[int, str]]:
    """What the exit clause says, by act: (days, the value that sets them)."""
    t, dp = ctx.contract.termination, ctx.contract.data_protection
    periods = {"return": (t.data_return_days, "termination.data_return_days"),
               "deletion": (t.deletion_days, "termination.deletion_days")}
    if dp is not None and dp.backup is not None:
        periods["backups"] = (dp.backup.retention_days, "data_protection.backup.retention_days")
    return periods


@rule(
    "SLA908", "exit-period-restated", severity="error",
    summary="Free text about the end of the agreement gives the return, deletion or backups of the customer's "
            "data a different period from the exit terms.",
    why="One clause governs what happens to the customer's data at the end: it takes the return period from "
        "termination.data_return_days, the deletion of live copies from termination.deletion_days and the "
        "overwriting of backups from data_protection.backup.retention_days. A sentence in "
        "data_protection.disposal or termination.after_termination that gives one of them another period "
        "('within 60 days', read next to 'backup', 'delete' or 'return') is printed in the same clause, and "
        "the agreement then says two things about one act.",
    fix="Set the period through its value (termination.data_return_days, termination.deletion_days, "
        "data_protection.backup.retention_days) and leave it out of the free text.",
)
def exit_period_restated(ctx: Context):
    periods = _exit_periods(ctx)
    dp, t = ctx.contract.data_protection, ctx.contract.termination
    texts = [(("data_protection", "disposal"), dp.disposal if dp else None),
             (("termination", "after_termination"), t.after_termination)]
    for loc, text in texts:
        for sentence in sentences(text or ""):
            within = _WITHIN_DAYS.search(sentence)
            if not within:
                continue
            days = int(within.group(1))
            act = ("backups" if _BACKUP_WORDS.search(sentence) else
                   "deletion" if _DELETION.search(sentence) else
                   "return" if _RETURN_WORDS.search(sentence) else None)
            if act is None or act not in periods or periods[act][0] == days:
                continue
            stated, source = periods[act]
            yield Hit(loc, f"'{sentence}' gives the {act} {_plural(days, 'day')}, but the exit terms give it "
                           f"{_plural(stated, 'day')} ({source}): the agreement would say both",
                      fix=f"Set {source} to {days} if that is the period meant, and take the period out of this text.")


# ---- the liability tiers -------------------------------------------------------------------------


@rule(
    "SLA909", "enhanced-cap-below-general-cap", severity="warning",
    summary="The enhanced cap for data protection and security breaches can come out lower than the general cap.",
    why="The enhanced cap exists to give the customer more for its gravest claims. The agreement applies the "
        "greater of the enhanced figure and the general cap, so a lower figure is never the limit, but a "
        "contract whose enhanced figure falls below the general one at some level of fees (a fixed amount "
        "below the general floor, or a smaller multiple of the fees) states a number that means nothing at "
        "that level and misleads whoever reads the values.",
    fix="Make liability.supercap_amount at least liability.cap_amount and "
        "liability.supercap_multiple_of_annual_fees at least liability.cap_multiple_of_annual_fees.",
)
def enhanced_cap_below_general(ctx: Context):
    cap = ctx.contract.liability
    if cap.supercap_amount is None and cap.supercap_multiple_of_annual_fees is None:
        return
    floor, enhanced_floor = cap.cap_amount or Decimal(0), cap.supercap_amount or Decimal(0)
    slope, enhanced_slope = cap.cap_multiple_of_annual_fees or Decimal(0), cap.supercap_multiple_of_annual_fees or Decimal(0)
    if enhanced_floor < floor:
        # Both caps are straight lines in a year's fees F: the enhanced one is below at F = 0 and stays
        # below until F = (floor - enhanced_floor) / (enhanced_slope - slope), if ever.
        gap = floor - enhanced_floor
        until = (f"on a year's fees up to {gap / (enhanced_slope - slope):,.2f}" if enhanced_slope > slope
                 else "at every level of fees")
        yield Hit(("liability", "supercap_amount") if cap.supercap_amount is not None
                  else ("liability", "supercap_multiple_of_annual_fees"),
                  f"the enhanced cap starts at {enhanced_floor:,.2f}, below the general cap's {floor:,.2f}: "
                  f"{until} the general cap is the higher, and the enhanced figure gives nothing",
                  fix=f"Set liability.supercap_amount to at least {floor:,.2f}.")
    elif enhanced_slope < slope:
        yield Hit(("liability", "supercap_multiple_of_annual_fees"),
                  f"the enhanced cap grows by {enhanced_slope.normalize():f} x a year's fees and the general cap by "
                  f"{slope.normalize():f} x: once the fees are large enough the general cap is the higher",
                  fix=f"Set liability.supercap_multiple_of_annual_fees to at least {slope.normalize():f}.")


# ---- recovery against resolution -------------------------------------------------------------------

_RTO_GOVERNS = re.compile(r"recovery time objective instead of (the|its) Resolution", re.I)


@rule(
    "SLA910", "rto-beyond-resolution", severity="error",
    summary="The recovery time objective is longer than the resolution target of a priority whose incidents a "
            "restore would resolve, and nothing says which governs.",
    why="When the fix for an incident is a restore from backup, the incident's resolution clock runs through "
        "the restore. An RTO longer than that resolution target promises the customer the restore in, say, 8 "
        "hours while the priority matrix promises the service back in 4: a restore that meets the RTO misses "
        "the resolution target. The checker compares the RTO with the resolution target of the highest "
        "priority, and is quiet when the backup-and-recovery clause says that a restore is measured against "
        "the 'recovery time objective instead of the Resolution' target (set "
        "data_protection.restores_on_rto_clock: true to print that sentence).",
    fix="Set data_protection.restores_on_rto_clock: true, so that an incident needing a restore runs on the "
        "RTO, or shorten the RTO to the resolution target.",
)
def rto_beyond_resolution(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or dp.rto is None:
        return
    shorter = [p for p in ctx.contract.priorities if p.resolution < dp.rto]
    if not shorter:
        return
    if dp.restores_on_rto_clock:
        wording = clause_wording(ctx.contract, "backup-and-recovery", "agreement", ctx.clause_dir) or ""
        if _RTO_GOVERNS.search(wording):
            return
    which = ", ".join(f"{p.id} ({duration(p.resolution)})" for p in shorter)
    yield Hit(("data_protection", "rto"),
              f"the RTO is {duration(dp.rto)}, longer than the resolution target of {which}: an incident whose fix "
              "is a restore misses its resolution target while the restore still meets the RTO")


# ---- renewal -----------------------------------------------------------------------------------------


@rule(
    "SLA911", "renewal-made-illusory", severity="warning",
    summary="The agreement renews for a fixed term, but either party may end it at any time on short notice.",
    why="A renewal term is a promise of the services and the fees for that term. With termination for "
        "convenience on termination.notice_days' notice, either party can end a renewed term a few weeks "
        "after it starts, so the renewal commits nobody: the provider cannot plan staff or price on it, and "
        "the customer's continuity is no better than the notice.",
    fix="Leave termination.for_convenience out (the agreement then ends by notice of non-renewal at the end "
        "of a term), or make the renewal term no longer than the notice.",
)
def renewal_illusory(ctx: Context):
    agreement, t = ctx.contract.agreement, ctx.contract.termination
    if not t.for_convenience or agreement.renewal is None or not agreement.renewal.automatic:
        return
    term_days = agreement.renewal.term_months * 365 // 12
    if t.notice_days >= term_days:
        return
    yield Hit(("termination", "for_convenience"),
              f"the agreement renews for {_plural(agreement.renewal.term_months, 'month')}, but either party may end "
              f"it on {_plural(t.notice_days, 'day')}' notice at any time after the initial term: a renewal term "
              "binds neither party for longer than the notice")


# ---- third-party platforms --------------------------------------------------------------------------

# Words in a company's or product's name that say nothing about which company it is: legal forms,
# places, and the vocabulary every IT supplier shares. What is left ("microsoft", "xero") identifies it.
_GENERIC_NAME_WORDS = frozenset("""
    ltd limited inc incorporated llc llp lp plc corp corporation co company gmbh ag sa sas sarl bv nv
    ab as oy spa srl pty pte kk the of and for
    group holdings holding international global operations operation services service solutions
    systems technologies technology software online cloud digital data networks network
    ireland uk gb britain england europe european emea eu us usa america americas north
    apac asia canada australia
    business enterprise pro professional plus premium standard suite platform app apps
""".split())


def distinctive_words(name: str) -> set[str]:
    """The words of a company's or product's name that tell it apart: 'Microsoft Ireland Operations Ltd'
    and 'Microsoft 365' both give {'microsoft'}; numbers and generic words are dropped."""
    words = re.findall(r"[^\W\d_]+", name.casefold())
    return {w for w in words if len(w) > 2 and w not in _GENERIC_NAME_WORDS}


@rule(
    "SLA912", "platform-vendor-as-sub-processor", severity="warning",
    summary="A platform the customer licenses from its vendor has that vendor listed as the provider's "
            "sub-processor.",
    why="A SaaS component with licensed_by: customer (the default for saas) is a Third-Party Platform: the "
        "agreement says its vendor processes personal data as the customer's own processor, under the "
        "customer's agreement with it, and is not the provider's sub-processor. Listing the same vendor in "
        "data_protection.sub_processors says the opposite in the annex, and makes the provider answer for the "
        "vendor's processing as its own and promise to flow down terms the vendor will not sign. The checker "
        "compares the distinctive words of the component's name and vendor with each sub-processor's name, "
        "ignoring case, legal forms, places and numbers ('Microsoft 365' matches 'Microsoft Ireland Operations "
        "Ltd'). It is a warning, not an error, because a provider may use the same vendor for a purpose of its "
        "own, such as its own backup storage, and then the listing is right.",
    fix="Take the vendor out of data_protection.sub_processors; or, if the provider resells the subscription "
        "under its own agreement with the vendor, set licensed_by: provider on the component.",
)
def platform_vendor_as_sub_processor(ctx: Context):
    dp, estate = ctx.contract.data_protection, ctx.contract.infrastructure
    if dp is None or not dp.personal_data or not dp.sub_processors or estate is None:
        return
    for c in estate.components:
        if not c.customer_platform:
            continue
        platform_words = distinctive_words(c.name or "") | distinctive_words(c.vendor or "")
        if not platform_words:
            continue
        shown = c.name or c.vendor or c.id
        for i, sub in enumerate(dp.sub_processors):
            shared = platform_words & distinctive_words(sub.name)
            if not shared:
                continue
            yield Hit(("data_protection", "sub_processors", i, "name"),
                      f"'{sub.name}' is listed as the provider's sub-processor, but it supplies '{shown}' "
                      f"(infrastructure component '{c.id}'), which the customer licenses itself: under the "
                      "third-party platforms clause that vendor is the customer's own processor, and listing it "
                      "here makes the provider answer for it",
                      fix=f"Take '{sub.name}' out of data_protection.sub_processors, or set licensed_by: provider "
                          f"on component '{c.id}' if the provider resells it.")
