"""`slagen clock`: business-time arithmetic from the command line.

The engine (numpy, the holidays package) is imported inside the commands, so ``slagen --help``
and ``slagen validate`` do not pay for it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from slagen.source.terminal import visible_lines

from slagen.cli.help import PlainHelpCommand, examples
from slagen.errors import SlagenError, UsageError

if TYPE_CHECKING:
    from slagen.calendar.clock import Calendar

clock_app = typer.Typer(
    help="Business-time arithmetic on a contract's calendar.",
    epilog=examples("slagen clock elapsed acme.yaml --from 2027-03-05T16:55 --to 2027-03-08T09:05",
                    "slagen clock due acme.yaml --from 2027-03-05T16:55 --target 30m"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ClockChoice(str, Enum):
    support_hours = "support_hours"
    always = "24x7"


class Format(str, Enum):
    text = "text"
    json = "json"


CalArg = Annotated[Path, typer.Argument(metavar="CAL", help="A contract, or a file holding only a support_hours: block.",
                                        show_default=False)]
PauseOpt = Annotated[Optional[list[str]], typer.Option(
    "--pause", metavar="START/END", help="A pause START/END (ISO 8601); repeat for several.", show_default=False)]
ClockOpt = Annotated[ClockChoice, typer.Option("--clock", help="support_hours or 24x7.")]
FormatOpt = Annotated[Format, typer.Option("--format", help="text or json.")]


# The years the clock engine keeps time zone rules and holidays for (slagen.calendar.clock), checked
# here so that a mistyped year is refused at once, before any calendar is built.
FIRST_YEAR, LAST_YEAR = 1901, 9997


def _instant(text: str, option: str) -> datetime:
    """ISO 8601 text; without an offset it is read later in the calendar's zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"error: {option} '{text}' is not a date and time: write ISO 8601 such as "
                         "2027-03-05T16:55 (the calendar's zone) or 2027-03-05T16:55+01:00") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageError(f"error: {option} '{text}' is in the year {moment.year}; clocks count only in the "
                         f"years {FIRST_YEAR} to {LAST_YEAR} (is the year mistyped?)")
    return moment


def _pauses(values: list[str] | None) -> list[tuple[datetime, datetime]]:
    pauses = []
    for value in values or []:
        first, sep, second = value.partition("/")
        if not sep:
            raise UsageError(f"error: --pause '{value}' is not a pause: write START/END, such as "
                             "2027-03-05T10:00/2027-03-05T11:30")
        pauses.append((_instant(first, "--pause"), _instant(second, "--pause")))
    return pauses


def _target(text: str) -> timedelta:
    from slagen.model.types import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"error: --target {exc}") from None


def _calendar(path: Path, clock: ClockChoice) -> "Calendar":
    from slagen.calendar.clock import Calendar

    calendar = Calendar.load(path)
    return Calendar.always(calendar.timezone) if clock is ClockChoice.always else calendar


def _fail(error: SlagenError) -> None:
    typer.echo(visible_lines(str(error)), err=True)
    raise typer.Exit(2)


@clock_app.command(cls=PlainHelpCommand, epilog=examples(
    "slagen clock elapsed hours.yaml --from 2027-03-05T16:55 --to 2027-03-08T09:05   (prints 10m)",
    "slagen clock elapsed acme.yaml --from 2027-03-05T10:00 --to 2027-03-05T15:00 --pause "
    "2027-03-05T11:00/2027-03-05T12:00"))
def elapsed(
    cal: CalArg,
    from_: Annotated[str, typer.Option("--from", metavar="TIME", help="Start, ISO 8601.", show_default=False)],
    to: Annotated[str, typer.Option("--to", metavar="TIME", help="End, ISO 8601.", show_default=False)],
    pause: PauseOpt = None,
    clock: ClockOpt = ClockChoice.support_hours,
    format: FormatOpt = Format.text,
) -> None:
    """Print the business time between two instants, less any pauses."""
    from slagen.model.types import format_duration

    try:
        start, end, pauses = _instant(from_, "--from"), _instant(to, "--to"), _pauses(pause)
        result = _calendar(cal, clock).elapsed(start, end, pauses)
    except SlagenError as exc:
        _fail(exc)
        return
    text = format_duration(result)
    if format is Format.json:
        seconds = result.total_seconds()
        typer.echo(json.dumps({"seconds": int(seconds) if seconds.is_integer() else seconds, "text": text}))
    else:
        typer.echo(text)


@clock_app.command(cls=PlainHelpCommand, epilog=examples(
    "slagen clock due hours.yaml --from 2027-03-05T16:55 --target 30m   (prints 2027-03-08T09:25:00+00:00)",
    "slagen clock due acme.yaml --from 2027-03-05T16:55+01:00 --target 4h --clock 24x7 --format json"))
def due(
    cal: CalArg,
    from_: Annotated[str, typer.Option("--from", metavar="TIME", help="Start, ISO 8601.", show_default=False)],
    target: Annotated[str, typer.Option("--target", metavar="DURATION", help="Business time allowed, such as 4h or 1h30m.",
                                        show_default=False)],
    pause: PauseOpt = None,
    clock: ClockOpt = ClockChoice.support_hours,
    format: FormatOpt = Format.text,
) -> None:
    """Print the instant a target of business time is used up, in the calendar's zone."""
    try:
        start, allowed, pauses = _instant(from_, "--from"), _target(target), _pauses(pause)
        result = _calendar(cal, clock).due(start, allowed, pauses)
    except SlagenError as exc:
        _fail(exc)
        return
    text = result.isoformat()
    typer.echo(json.dumps({"due": text}) if format is Format.json else text)
