"""SLA4xx: recovery objectives against backups, data size, restore speed and hardware."""

from __future__ import annotations

from decimal import Decimal

from slagen.check.registry import Hit, rule
from slagen.check.worst_case import Context, a, duration, until, when


def _gb(value: float) -> str:
    return f"{Decimal(str(value)).normalize():f}"


@rule(
    "SLA401", "rpo-shorter-than-backup-interval", severity="error",
    summary="The recovery point objective is shorter than the time between backups (equal is a warning).",
    why="Data written just after a backup exists nowhere else until the next one. A failure just before "
        "the next backup loses a whole interval of work, so the RPO can only be promised if it is at least "
        "the interval, with margin for a backup that runs late or fails.",
    fix="Back up more often (data_protection.backup.frequency), or set the RPO to at least the interval "
        "plus a margin.",
)
def rpo_vs_backup(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or dp.rpo is None:
        return
    if dp.backup is None:
        yield Hit(("data_protection", "rpo"),
                  f"an RPO of {duration(dp.rpo)} is promised but no backup is defined: everything since the "
                  f"data were created can be lost",
                  fix="Add data_protection.backup with a frequency shorter than the RPO.")
        return
    interval = dp.backup.frequency
    if interval < dp.rpo:
        return
    lost = f"a failure just before a backup loses the {duration(interval)} of data written since the last one"
    if interval == dp.rpo:
        yield Hit(("data_protection", "rpo"),
                  f"{lost}: exactly the {duration(dp.rpo)} RPO, with no margin for a backup that runs late or fails",
                  severity="warning",
                  fix=f"Back up more often than every {duration(interval)} (for example every "
                      f"{duration(interval / 2)}), or set the RPO to {duration(interval * 2)}.")
        return
    yield Hit(("data_protection", "rpo"),
              f"{lost}: {duration(interval)} against {a(duration(dp.rpo))} RPO",
              fix=f"Back up at least every {duration(dp.rpo / 2)} for some margin, or set the RPO to at least "
                  f"{duration(interval * 2)}.")


@rule(
    "SLA402", "rto-shorter-than-recovery", severity="error",
    summary="The recovery time objective is shorter than detection, hardware repair and the restore "
            "itself (data size / restore rate) add up to (equal is a warning).",
    why="Recovery starts when someone responds, needs working hardware to restore to, and then takes as "
        "long as copying the data back. Each is fixed by the estate, not by effort, so an RTO below their "
        "sum is missed by every real recovery.",
    fix="Restore faster (a higher restore rate, less data in the critical restore), give data-holding "
        "hardware a spare or a 24x7_4h warranty, or set the RTO to at least the worst case.",
)
def rto_vs_recovery(ctx: Context):
    dp = ctx.contract.data_protection
    restore = ctx.restore_time
    if dp is None or dp.rto is None or restore is None:
        return
    infra = ctx.contract.infrastructure
    first = ctx.contract.priorities[0]
    respond_clock = ctx.clock(first.clock)
    holders = [c for _, c in ctx.single_points if ctx.holds_data(c)]
    worst = None
    starts = ctx.shifted(first.response)
    for logged, answered in zip(starts, ctx.due_many(respond_clock, starts, first.response)):
        if holders:
            repairs = [ctx.follow(c, logged, called=answered) for c in holders]
            repair = max(repairs, key=lambda r: r.done)
            done = repair.done
        else:
            repair = None
            done = ctx.next_open(ctx.staff, answered) + restore
        total = ctx.always.elapsed(logged, done)
        if worst is None or total > worst[0]:
            worst = (total, logged, answered, repair, done)
    total, logged, answered, repair, done = worst
    if total < dp.rto:
        return
    head = (f"{_gb(infra.data_size_gb)} GB at {_gb(infra.restore_rate_gb_per_hour)} GB/h is "
            f"{duration(restore)} of restore alone")
    story = f"a failure logged {when(logged)} is answered by {until(logged, answered)} ({first.id} response " \
            f"{duration(first.response)})"
    if repair is not None:
        terms = ctx.terms(repair.component)
        story += f", {repair.component.id} waits for {'an engineer' if terms.engineer_included else 'parts'} " \
                 f"({terms.name}) until {until(logged, repair.parts)}"
        if repair.fitted > repair.parts:
            story += f" and is fitted {until(logged, repair.fitted)}"
    story += f", and the restore ends {until(logged, done)}"
    severity = "warning" if total == dp.rto else None
    yield Hit(("data_protection", "rto"),
              f"{head}; {story}: {duration(total)} against {a(duration(dp.rto))} RTO",
              severity=severity,
              fix=f"Set the RTO to at least {duration(total)}, or shorten the recovery: "
                  + ("a spare or a 24x7_4h warranty for " + ", ".join(c.id for c in holders) + ", " if holders else "")
                  + "a faster restore rate or a smaller critical data set.")


@rule(
    "SLA403", "rto-unchecked", severity="info",
    summary="An RTO is promised but the estate's data size or restore rate is missing, so it cannot be checked.",
    why="The restore time is the largest part of most recoveries; without the data size and restore rate "
        "nobody can say whether the RTO is achievable.",
    fix="Add infrastructure.data_size_gb and infrastructure.restore_rate_gb_per_hour from the survey or a "
        "test restore.",
)
def rto_unchecked(ctx: Context):
    dp = ctx.contract.data_protection
    if dp is None or dp.rto is None or ctx.restore_time is not None:
        return
    infra = ctx.contract.infrastructure
    missing = [name for name in ("data_size_gb", "restore_rate_gb_per_hour")
               if infra is None or getattr(infra, name) is None]
    yield Hit(("data_protection", "rto"),
              f"an RTO of {duration(dp.rto)} is promised, but infrastructure.{' and '.join(missing)} "
              f"{'is' if len(missing) == 1 else 'are'} not given, so the restore time is unknown")
